"""/tersimpan: the recommendations a person saved, a page at a time, and opening one again."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session

from bot.advisor.actions import stored_own_results
from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.advisor.view import main_view
from bot.chat.buttons import Press
from bot.chat.kernel import ButtonMaker, Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, page_of, pager, rows
from bot.chat.texts import render
from bot.chat.zones import timezone_of
from bot.domain import BRIEF_JSON
from models.users import get_recommendation, list_saved

SAVED_PAGE = 5


class Action(StrEnum):
    PAGE = "page"  # :<page>
    OPEN = "open"  # :<recommendation id>


make = ButtonMaker("saved", Action)


def saved_list(session: Session, person: Person, page: int = 0, *, edit: bool = False) -> Outcome:
    """The list with a number button per item; ◀ ▶ edit the same message."""
    items = list_saved(session, user_id=person.id)
    shown, page, pages = page_of(items, page, SAVED_PAGE)
    first_index = page * SAVED_PAGE + 1
    views = [
        {
            "brief": BRIEF_JSON.load(item.brief),
            "strategy": item.result.get("chosen"),
            "saved_at": item.saved_at,
        }
        for item in shown
    ]
    numbers = tuple(
        Button(str(first_index + i), make(Action.OPEN, item.id)) for i, item in enumerate(shown)
    )
    paging = pager(page, pages, lambda p: make(Action.PAGE, p))
    keyboard = tuple(row for row in (*rows(*numbers, per_row=5), paging) if row)
    text = render(
        "saved_list",
        items=views,
        page=page,
        pages=pages,
        first_index=first_index,
        timezone=timezone_of(session, person),
    )
    return Outcome().add(Reply(text, buttons=keyboard, edit=edit))


def _page(session: Session, person: Person, press: Press) -> Outcome:
    return saved_list(session, person, press.id(0), edit=True)


def _open(session: Session, person: Person, press: Press) -> Outcome:
    rec_id = press.id(0)
    row = get_recommendation(session, rec_id=rec_id, user_id=person.id)
    if row is None or row.saved_at is None:
        return Outcome(toast=render("toast", kind="gone"), alert=True)
    rec = RECOMMENDATION_JSON.load(row.result)
    header = render("saved_header", saved_at=row.saved_at, timezone=timezone_of(session, person))
    reply = main_view(
        rec_id, rec, sample_data=row.sample_data, saved=True, own=stored_own_results(row.result)
    )
    return Outcome().add(Reply(f"{header}\n\n{reply.text}", buttons=reply.buttons))


FEATURE = Feature(
    name="saved",
    actions=Action,
    buttons={Action.PAGE: _page, Action.OPEN: _open},
)
