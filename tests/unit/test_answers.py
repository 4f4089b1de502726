"""The advisor's answers as stored in the conversation row: old rows load, new keys round-trip."""

from __future__ import annotations

from bot.advisor.answers import Answers, BriefValues
from bot.domain import BusinessKind, Goal, Platform
from bot.language.places import resolve_place
from models.conversations import Conversation

OLD_ROW = {
    "niche": "Kuliner",
    "goal": "sales",
    "budget": 5_000_000,
    "platform": "instagram",
    "location": {
        "kind": "city",
        "name": "Medan",
        "cities": ["Medan"],
        "provinces": ["Sumatera Utara"],
    },
    "flow": {"kind": "something another feature keeps"},
}


def test_a_row_saved_before_the_kind_of_business_still_loads_and_asks_it() -> None:
    answers = Answers.of(Conversation(chat_id=1, user_id=1, step="recap", answers=OLD_ROW))
    assert answers.business is None and answers.proposed is None
    assert answers.missing() == "business"  # a city target: where the customers are matters
    assert answers.dump()["flow"] == OLD_ROW["flow"]


def test_business_and_a_proposal_round_trip() -> None:
    answers = Answers.model_validate(OLD_ROW)
    answers.business = BusinessKind.WALK_IN
    answers.proposed = BriefValues(goal=Goal.AWARENESS, location=resolve_place("Bandung"))
    stored = answers.dump()
    assert stored["business"] == "walk_in"
    assert stored["proposed"]["location"]["name"] == "Bandung"
    again = Answers.of(Conversation(chat_id=1, user_id=1, step="recap", answers=stored))
    assert again.proposed is not None and again.proposed.given() == {
        "goal": Goal.AWARENESS,
        "location": resolve_place("Bandung"),
    }
    assert again.brief().business is BusinessKind.WALK_IN and again.missing() is None


def test_the_kind_when_not_said() -> None:
    nationwide = Answers(
        niche="Fashion", goal=Goal.SALES, budget=1, platform=Platform.TIKTOK,
        location=resolve_place("seluruh indonesia"),
    )  # fmt: skip
    assert nationwide.missing() is None and nationwide.brief().business is BusinessKind.ONLINE
    villa = nationwide.model_copy(update={"niche": "Travel", "location": resolve_place("Bali")})
    assert villa.missing() is None and villa.brief().business is BusinessKind.DESTINATION
    region = nationwide.model_copy(update={"location": resolve_place("Jabodetabek")})
    # a region (Jabodetabek) decides whose audience counts as much as a city: ask
    assert region.missing() == "business"
    walk_in = region.model_copy(update={"business": BusinessKind.WALK_IN})
    assert walk_in.missing() is None and walk_in.brief().business is BusinessKind.WALK_IN
    said = nationwide.model_copy(update={"business": BusinessKind.WALK_IN})
    assert said.brief().business is BusinessKind.WALK_IN
