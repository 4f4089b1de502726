"""Whatever people type, at whatever step, the advisor answers and never raises."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from bot.advisor import conversation as advisor
from bot.chat import router
from bot.chat.person import Person
from models.conversations import Conversation
from models.db import session_scope

_ids = itertools.count(1_000)

chat_words = st.sampled_from(
    [
        "budget",
        "5jt",
        "500rb",
        "lima juta",
        "Rp 5.000.000,-",
        "1,2 M",
        "-3jt",
        "0",
        "di",
        "Bandung",
        "Jogja",
        "seluruh Indonesia",
        "skincare",
        "jualan",
        "sambal",
        "tiktok",
        "ig",
        "biar laris",
        "<b>",
        "&",
        "'; DROP TABLE influencer; --",
        "😀",
        "\u202e",
        "9" * 30,
        "3-5jt",
        "$500",
    ]
)
messages = st.one_of(
    st.text(max_size=300),
    st.lists(chat_words, min_size=1, max_size=12).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=4000, max_size=4096),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(messages, min_size=1, max_size=6))
@example(steps=["000\U00010e60000", "5\U00010e60jt", "budget \U00010e60"])  # digits int() refuses
def test_any_text_gets_an_answer(engine: Engine, steps: list[str]) -> None:
    chat = next(_ids)
    person = Person(id=chat, first_name="Uji", chat_id=chat)
    with session_scope(engine) as session:
        advisor.start(session, person)
    for text in steps:
        with session_scope(engine) as session:
            outcome = advisor.text_message(session, person, text)
        assert outcome.replies, text
        for reply in outcome.replies:
            assert 0 < len(reply.text) <= 4096
            for row in reply.buttons:
                for button in row:
                    assert len(button.data.encode()) <= 64
    with session_scope(engine) as session:
        assert session.get(Conversation, chat) is not None


ACTIONS = [
    f"{feature.name}.{action}"
    for feature in router.KERNEL.features.values()
    for action in feature.actions
]
forged = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda name, version, args: ":".join([name + version, *args]),
        st.sampled_from(ACTIONS),
        st.one_of(
            st.just(""),
            st.sampled_from(["@0", "@1", "@2", "@3", "@-1", "@", "@x"]),
            st.integers(0, 10**20).map(lambda v: f"@{v}"),
        ),
        st.lists(st.one_of(st.integers(-5, 10**20).map(str), st.text(max_size=6)), max_size=4),
    ),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=forged)
@example(data="advisor.niche@1:\U00010e60")
@example(data="rec.main:\U00010e60:0")
@example(data="advisor.budget@2:99999999999999999999")
@example(data="c:1:n:1")  # from before the upgrade
def test_any_callback_data_is_answered_politely(engine: Engine, data: str) -> None:
    chat = next(_ids)
    person = Person(id=chat, first_name="Uji", chat_id=chat)
    with session_scope(engine) as session:
        advisor.start(session, person)
    with session_scope(engine) as session:
        outcome = router.button(session, person, data)
    assert outcome.toast or outcome.replies
