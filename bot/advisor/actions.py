"""What the buttons under a recommendation do: page, reasons, next steps, other strategies,
more candidates, CSV, save, the candidates' contacts and an outreach draft.

The row id in the button is only a reference: every press loads the recommendation again for
the person who pressed, so somebody else's id reads as "no longer available".
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel import Session

from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.advisor.learning import OWN_RESULTS_JSON, OwnResults
from bot.advisor.outreach import (
    PRODUCT_KEY,
    clean_product,
    contacts_view,
    draft_message,
    draft_view,
    pick_at,
    product_question,
)
from bot.advisor.view import (
    Action,
    csv_document,
    main_view,
    others_view,
    portfolio_view,
    reasons_view,
    steps_view,
    strategies_view,
)
from bot.campaigns.plans import local_today
from bot.chat import flow
from bot.chat.buttons import BadButton, Press
from bot.chat.flow import FlowState
from bot.chat.kernel import ButtonHandler, Feature
from bot.chat.person import Person
from bot.chat.replies import Outcome, Reply
from bot.chat.texts import render
from bot.chat.zones import timezone_of
from bot.domain import Strategy
from models.users import SavedRecommendation, get_recommendation

log = logging.getLogger(__name__)


def stored_own_results(result: dict) -> OwnResults | None:
    """The owner's own campaign figures the recommendation was based on, if any."""
    data = result.get("own_results")
    return OWN_RESULTS_JSON.load(data) if data else None


OwnedHandler = Callable[[Session, Person, Press, int, SavedRecommendation], Outcome]


def _owned(handler: OwnedHandler) -> ButtonHandler:
    """Run `handler` with the presser's own recommendation; anyone else's is "gone"."""

    @functools.wraps(handler)
    def with_row(session: Session, person: Person, press: Press) -> Outcome:
        rec_id = press.id(0)
        row = get_recommendation(session, rec_id=rec_id, user_id=person.id)
        if row is None:
            log.warning(
                "user %s pressed a button of recommendation %s they do not own or that is gone",
                person.id,
                rec_id,
            )
            return Outcome(toast=render("toast", kind="gone"), alert=True)
        return handler(session, person, press, rec_id, row)

    return with_row


def _page(press: Press, index: int) -> int:
    return press.id(index) if press.has(index) else 0


def _as_edit(reply: Reply) -> Reply:
    return Reply(text=reply.text, buttons=reply.buttons, edit=True)


@_owned
def _main(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    reply = main_view(
        rec_id,
        RECOMMENDATION_JSON.load(row.result),
        sample_data=row.sample_data,
        saved=row.saved_at is not None,
        page=_page(press, 1),
        own=stored_own_results(row.result),
    )
    return Outcome().add(_as_edit(reply))


@_owned
def _strategies(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    rec = RECOMMENDATION_JSON.load(row.result)
    return Outcome().add(_as_edit(strategies_view(rec_id, rec, sample_data=row.sample_data)))


@_owned
def _strategy(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    rec = RECOMMENDATION_JSON.load(row.result)
    try:
        strategy = Strategy(press.word(1))
    except ValueError as exc:
        raise BadButton("bad strategy") from exc
    if strategy not in rec.portfolios:
        raise BadButton("strategy not in this recommendation")
    return Outcome().add(_as_edit(portfolio_view(rec_id, rec, strategy, _page(press, 2))))


@_owned
def _others(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    rec = RECOMMENDATION_JSON.load(row.result)
    return Outcome().add(_as_edit(others_view(rec_id, rec, _page(press, 1))))


@_owned
def _reasons(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    rec = RECOMMENDATION_JSON.load(row.result)
    if rec.chosen is None:
        raise BadButton("recommendation without a chosen strategy")
    reply = reasons_view(rec_id, rec, _page(press, 1), sample_data=row.sample_data)
    return Outcome().add(_as_edit(reply))


@_owned
def _steps(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    rec = RECOMMENDATION_JSON.load(row.result)
    return Outcome().add(_as_edit(steps_view(rec_id, rec)))


@_owned
def _csv(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    rec = RECOMMENDATION_JSON.load(row.result)
    return Outcome(toast=render("toast", kind="csv")).add(Reply(document=csv_document(rec_id, rec)))


@_owned
def _save(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    if row.saved_at is not None:
        return Outcome(toast=render("toast", kind="already_saved"))
    row.saved_at = datetime.now(UTC)
    session.add(row)
    reply = main_view(
        rec_id,
        RECOMMENDATION_JSON.load(row.result),
        sample_data=row.sample_data,
        saved=True,
        own=stored_own_results(row.result),
    )
    return Outcome(toast=render("toast", kind="saved")).add(_as_edit(reply))


@_owned
def _contacts(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    rec = RECOMMENDATION_JSON.load(row.result)
    return Outcome().add(contacts_view(rec_id, rec, _page(press, 1)))


PRODUCT_STEP = "rec_product"


class ProductState(FlowState):
    """Waiting for the product's name before drafting for one account."""

    rec_id: int
    index: int
    back_to: str  # the step the chat was at (the advisor's), restored after the answer


def _draft_reply(
    session: Session, person: Person, rec_id: int, row: SavedRecommendation, index: int
) -> Reply:
    rec = RECOMMENDATION_JSON.load(row.result)
    pick = pick_at(rec, index)
    if pick is None:
        raise BadButton("no such account in this recommendation")
    draft = draft_message(
        rec.brief,
        pick.candidate,
        owner_name=person.first_name,
        today=local_today(timezone_of(session, person)),
        product=str(row.result.get(PRODUCT_KEY) or ""),
    )
    return draft_view(rec_id, rec, index, draft)


def _ask_product(session: Session, person: Person, rec_id: int, index: int) -> Outcome:
    conv = flow.conversation(session, person)
    asking = flow.state_of(conv, ProductState)
    if asking is not None:
        back_to = asking.back_to
    elif "flow" in conv.answers:  # another form was open: this question replaces it
        back_to = flow.IDLE
    else:
        back_to = str(conv.step)
    state = ProductState(rec_id=rec_id, index=index, back_to=back_to)
    flow.enter(session, person, PRODUCT_STEP, state)
    return Outcome().add(product_question(rec_id, index))


def _keep_product(session: Session, person: Person, row: SavedRecommendation, product: str) -> None:
    """Remember the answer with the recommendation and give the chat back to the advisor."""
    row.result = {**row.result, PRODUCT_KEY: product}
    session.add(row)
    state = flow.state_of(flow.conversation(session, person), ProductState)
    if state is not None:
        flow.leave(session, person, state.back_to)


@_owned
def _draft(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    """The outreach message for one account of the chosen portfolio, dated from today; the
    first time, one question for the product's name."""
    index = press.id(1)
    if pick_at(RECOMMENDATION_JSON.load(row.result), index) is None:
        raise BadButton("no such account in this recommendation")
    if PRODUCT_KEY not in row.result:
        return _ask_product(session, person, rec_id, index)
    return Outcome().add(_draft_reply(session, person, rec_id, row, index))


@_owned
def _product(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    index = press.id(1)
    if pick_at(RECOMMENDATION_JSON.load(row.result), index) is None:
        raise BadButton("no such account in this recommendation")
    return _ask_product(session, person, rec_id, index)


@_owned
def _skip_product(
    session: Session, person: Person, press: Press, rec_id: int, row: SavedRecommendation
) -> Outcome:
    index = press.id(1)
    reply = _draft_reply(session, person, rec_id, row, index)
    _keep_product(session, person, row, str(row.result.get(PRODUCT_KEY) or ""))
    return Outcome().add(reply)


def _product_text(session: Session, person: Person, text: str) -> Outcome:
    """The product's name typed after the question; anything unusable is asked again."""
    state = flow.state_of(flow.conversation(session, person), ProductState)
    row = (
        None
        if state is None
        else get_recommendation(session, rec_id=state.rec_id, user_id=person.id)
    )
    if state is None or row is None:
        flow.leave(session, person)
        return Outcome().add(Reply(render("toast", kind="gone")))
    product = clean_product(text)
    if product is None:
        return Outcome().add(product_question(state.rec_id, state.index, error=True))
    _keep_product(session, person, row, product)
    return Outcome().add(_draft_reply(session, person, state.rec_id, row, state.index))


FEATURE = Feature(
    name="rec",
    actions=Action,
    buttons={
        Action.MAIN: _main,
        Action.STRATEGIES: _strategies,
        Action.STRATEGY: _strategy,
        Action.OTHERS: _others,
        Action.CSV: _csv,
        Action.SAVE: _save,
        Action.REASONS: _reasons,
        Action.STEPS: _steps,
        Action.CONTACTS: _contacts,
        Action.DRAFT: _draft,
        Action.PRODUCT: _product,
        Action.SKIP_PRODUCT: _skip_product,
    },
    steps={PRODUCT_STEP: _product_text},
)
