"""Adding many clients in the chat: the prompt, the list or CSV, the links back, the refusals."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlmodel import Session

from bot.agencies import bulk
from bot.agencies import service as agencies
from bot.agencies.actions import Action, ClientState, Step, link_url, make
from bot.agencies.service import AgencyError
from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.person import Person
from bot.chat.replies import TEXT_LIMIT, Button, Document, Outcome, Reply, rows
from bot.chat.texts import render, to_plain
from bot.chat.zones import timezone_of
from models.agencies import Agency

log = logging.getLogger(__name__)
DETAILED = 20  # bad lines quoted one by one; more are listed by number, grouped by reason
GROUP_PIECE = 200  # line numbers per listed group (a group of 500 would not fit a message)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def pack(
    lines: list[str], head: Callable[[int, int], str], foot: str, limit: int = TEXT_LIMIT
) -> list[str]:
    """Lines into as few messages as fit Telegram's limit, in order, none split in two.

    `head(part, parts)` opens each message; `foot` closes the last. Sizes are measured on
    the HTML, which is never shorter than the text Telegram counts."""
    reserve = max(_utf16(head(1, 99)), _utf16(head(2, 99))) + _utf16(foot) + 4
    chunks: list[list[str]] = [[]]
    size = reserve
    for line in lines:
        grow = _utf16(line) + 1
        if chunks[-1] and size + grow > limit:
            chunks.append([])
            size = reserve
        chunks[-1].append(line)
        size += grow
    parts = len(chunks)
    return [
        "\n".join(
            [head(i, parts), "", *chunk, *(["", foot] if i == parts and foot else [])]
        ).strip()
        for i, chunk in enumerate(chunks, start=1)
    ]


def _cancel_row(agency: Agency) -> tuple[tuple[Button, ...], ...]:
    return rows(Button("Batal", make(Action.ADD_MANY_CANCEL, agency.id)))


def add_many(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    """The "Tambah banyak klien" button: both ways explained, then the list or file is read."""
    flow.enter(session, person, Step.CLIENTS, ClientState(agency_id=agency.id))
    text = render("agency_bulk", view="ask", agency=agency, limit=bulk.MAX_BATCH)
    return Outcome().add(Reply(text, buttons=_cancel_row(agency)))


def cancel(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    conv = flow.conversation(session, person)
    state = flow.state_of(conv, ClientState)
    if conv.step != Step.CLIENTS or state is None or state.agency_id != agency.id:
        return Outcome(toast=to_plain(render("toast", kind="stale")))
    flow.leave(session, person)
    return Outcome().add(Reply(render("agency_bulk", view="cancelled"), edit=True))


def list_text(session: Session, person: Person, text: str) -> Outcome:
    return _add(session, person, lambda: bulk.from_text(text))


def list_document(session: Session, person: Person, filename: str, data: bytes) -> Outcome:
    return _add(session, person, lambda: bulk.from_csv(data))


def _add(session: Session, person: Person, read: Callable[[], bulk.Batch]) -> Outcome:
    state = flow.state_of(flow.conversation(session, person), ClientState)
    if state is None:
        flow.leave(session, person)
        return Outcome().add(Reply(render("agency_bulk", view="expired")))
    try:  # removed from the team (or the agency gone) since the button was pressed
        agency = agencies.require_staff(session, user_id=person.id, agency_id=state.agency_id)
    except AgencyError:
        flow.leave(session, person)
        return Outcome().add(Reply(render("agency_error", code="not_allowed", params={})))
    batch = bulk.refuse_existing(session, agency.id, read())
    if batch.refusal is not None:
        text = render(
            "agency_bulk",
            view=batch.refusal,
            count=batch.count,
            limit=bulk.MAX_BATCH,
            columns=batch.columns,
        )
        return Outcome().add(Reply(text, buttons=_cancel_row(agency)))
    if batch.problems:
        log.info("user %s: client batch refused, %d bad lines", person.id, len(batch.problems))
        return _refused(agency, batch)
    added = bulk.add_clients(session, user_id=person.id, agency_id=agency.id, batch=batch)
    flow.leave(session, person)
    log.info("user %s added %d clients to agency %s", person.id, len(added), agency.id)
    return _links(person, agency, added, timezone_of(session, person))


def _refused(agency: Agency, batch: bulk.Batch) -> Outcome:
    if len(batch.problems) <= DETAILED:
        lines = [
            render("agency_bulk", view="problem", p=p, agency=agency, max_name=agencies.MAX_NAME)
            for p in batch.problems
        ]
    else:  # e.g. the same list sent twice: every line number, grouped by reason
        groups: dict[str, list[bulk.Problem]] = {}
        for problem in batch.problems:
            groups.setdefault(problem.code, []).append(problem)
        lines = [
            render(
                "agency_bulk",
                view="problem_group",
                code=code,
                problems=problems[i : i + GROUP_PIECE],
                total=len(problems),
                agency=agency,
                max_name=agencies.MAX_NAME,
            )
            for code, problems in groups.items()
            for i in range(0, len(problems), GROUP_PIECE)
        ]
    messages = pack(
        lines,
        lambda part, parts: render(
            "agency_bulk",
            view="refused_head",
            bad=len(batch.problems),
            count=batch.count,
            part=part,
            parts=parts,
        ),
        render("agency_bulk", view="refused_foot"),
    )
    outcome = Outcome()
    for i, text in enumerate(messages, start=1):
        outcome.add(Reply(text, buttons=_cancel_row(agency) if i == len(messages) else ()))
    return outcome


def _links(person: Person, agency: Agency, added: list[bulk.Added], timezone: str) -> Outcome:
    urls = [(a.client.business_name, link_url(person, a.link)) for a in added]
    lines = [
        render("agency_bulk", view="link", number=i, name=name, url=url)
        for i, (name, url) in enumerate(urls, start=1)
    ]
    expires = added[0].link.expires_at
    messages = pack(
        lines,
        lambda part, parts: render(
            "agency_bulk",
            view="links_head",
            agency=agency,
            count=len(added),
            expires=expires,
            timezone=timezone,
            part=part,
            parts=parts,
        ),
        render("agency_bulk", view="links_foot"),
    )
    keyboard = rows(
        Button("🏪 Lihat klien", make(Action.CLIENTS, agency.id)),
        Button("📋 Tambah lagi", make(Action.ADD_MANY, agency.id)),
    )
    outcome = Outcome()
    for i, text in enumerate(messages, start=1):
        outcome.add(Reply(text, buttons=keyboard if i == len(messages) else ()))
    document = Document(
        filename="link-klien.csv",
        content=bulk.links_csv(urls),
        caption=render("agency_bulk", view="csv_caption", count=len(added)),
    )
    return outcome.add(Reply(document=document))
