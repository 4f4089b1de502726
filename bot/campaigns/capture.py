"""One-line performance capture from the chat ("@handle reach 12rb like 800"), with undo.

Buttons: ``capture.undo:<entry id>`` takes a capture back; ``capture.line:<pending id>:<campaign
id>`` records a line that waited for the owner to pick among several campaigns.
"""

from __future__ import annotations

import re
from enum import StrEnum

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.campaigns.access import CampaignError, staff_agency_ids
from bot.campaigns.actions import choice
from bot.campaigns.guard import take_pending
from bot.campaigns.performance import SnapshotInput, record_snapshots, undo_entry
from bot.chat.buttons import BadButton, Press
from bot.chat.kernel import ButtonMaker, Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.language.performance_line import LineError, parse_performance_line
from bot.language.post_urls import post_key_of
from bot.reports.kpi.figures import FIGURE_FIELDS
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember
from models.uploads import PendingKind, park

MAX_LINE = 1000  # characters of a line kept while the owner picks its campaign
_ENTRY = re.compile(r"[0-9a-f-]{32,36}")  # uuid4 hex, as `record_snapshots` makes them


class Action(StrEnum):
    UNDO = "undo"  # entry id
    LINE = "line"  # pending line id, campaign id


make = ButtonMaker("capture", Action)
_HANDLE = re.compile(r"@([A-Za-z0-9_.]{1,64})")  # to name the account in a refusal


def undo_button(entry_id: str) -> Button:
    return Button("↩️ Batalkan", make(Action.UNDO, entry_id))


def _candidates(
    session: Session, *, owner_id: int, handle: str
) -> list[tuple[Campaign, CampaignMember]]:
    """Active campaigns the user may record for (own, or run by an agency they work for)."""
    mine = col(Campaign.owner_user_id) == owner_id
    agencies = staff_agency_ids(session, user_id=owner_id)
    allowed = or_(mine, col(Campaign.agency_id).in_(agencies)) if agencies else mine
    return list(
        session.exec(
            select(Campaign, CampaignMember)
            .join(CampaignMember, col(CampaignMember.campaign_id) == Campaign.id)
            .where(allowed, Campaign.status == "active", CampaignMember.handle == handle)
            .order_by(col(Campaign.id).desc())
        ).all()
    )


def capture_line(
    session: Session, person: Person, text: str, *, campaign_id: int | None = None
) -> Outcome:
    parsed = parse_performance_line(text)
    if isinstance(parsed, LineError):
        named = _HANDLE.search(text)
        return Outcome().add(
            Reply(
                render(
                    "line_error",
                    code=parsed.code,
                    detail=parsed.detail,
                    handle=named.group(1).lower() if named else None,
                )
            )
        )
    matches = _candidates(session, owner_id=person.id, handle=parsed.handle)
    if campaign_id is not None:
        matches = [(c, m) for c, m in matches if c.id == campaign_id]
    if not matches:
        return Outcome().add(
            Reply(
                render("campaign_error", code="member_not_found", params={"handle": parsed.handle})
            )
        )
    if len({c.id for c, _ in matches}) > 1:
        pending = park(
            session,
            chat_id=person.chat_id,
            user_id=person.id,
            kind=PendingKind.LINE,
            payload=text[:MAX_LINE].encode(),
        )
        buttons = [choice(c, make(Action.LINE, pending.id, c.id)) for c, _ in matches[:8]]
        return Outcome().add(
            Reply(render("line_which", handle=parsed.handle), buttons=rows(*buttons, per_row=1))
        )
    campaign, member = matches[0]
    if parsed.post_url and not member.post_url:
        member.post_url = parsed.post_url[:500]  # the post went live: keep its link on the member
        session.add(member)
    post_url = parsed.post_url or member.post_url
    item = SnapshotInput(
        member, parsed.figures, utcnow(), post_key_of(post_url) if post_url else ""
    )
    try:
        entry_id = record_snapshots(session, [item], source="chat")
    except CampaignError as exc:
        problems = exc.params.get("problems", [])
        return Outcome().add(
            Reply(
                render(
                    "line_refused",
                    problems=problems,
                    handle=member.handle,
                    followers=member.followers,
                )
            )
        )
    figures = [
        (name, getattr(parsed.figures, name))
        for name in FIGURE_FIELDS
        if getattr(parsed.figures, name) is not None
    ]
    return Outcome().add(
        Reply(
            render(
                "line_recorded",
                member=member,
                campaign=campaign,
                figures=figures,
                post_url=post_url,
            ),
            buttons=((undo_button(entry_id),),),
        )
    )


def _pending_line(session: Session, person: Person, press: Press) -> Outcome:
    campaign_id = press.id(1)
    payload = take_pending(session, person, press, PendingKind.LINE)
    if payload is None:
        return Outcome(toast=render("toast", kind="stale"))
    return capture_line(session, person, payload.decode(), campaign_id=campaign_id)


def _undo(session: Session, person: Person, press: Press) -> Outcome:
    entry_id = press.args[0] if press.args else ""
    if not _ENTRY.fullmatch(entry_id):
        raise BadButton("not an entry id we make")
    try:
        removed = undo_entry(session, owner_id=person.id, entry_id=entry_id)
    except CampaignError:
        return Outcome(toast=render("toast", kind="campaign_gone"), alert=True)
    if not removed:
        return Outcome(toast=render("toast", kind="undone_already"))
    return Outcome(toast=render("toast", kind="undone")).add(
        Reply(render("line_undone"), edit=True)
    )


_POST_LINK = re.compile(r"^\s*@([A-Za-z0-9._-]{1,64})\s+(https?://\S+)\s*$")


def is_post_link(text: str) -> bool:
    """ "@handle https://..." alone: the post went live and this is its link."""
    return bool(_POST_LINK.match(text))


def set_post_link(session: Session, person: Person, text: str) -> Outcome:
    match = _POST_LINK.match(text)
    assert match is not None
    handle, url = match[1].lower(), match[2][:500]
    matches = _candidates(session, owner_id=person.id, handle=handle)
    if not matches:
        return Outcome().add(
            Reply(render("campaign_error", code="member_not_found", params={"handle": handle}))
        )
    for _, member in matches:
        member.post_url = url
        session.add(member)
    names = [campaign.name for campaign, _ in matches]
    return Outcome().add(Reply(render("post_link_saved", handle=handle, names=names)))


FEATURE = Feature(
    name="capture",
    actions=Action,
    buttons={Action.UNDO: _undo, Action.LINE: _pending_line},
)
