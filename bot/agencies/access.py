"""Who may press an agency's buttons, and how a refused agency action reads."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlmodel import Session

from bot.agencies import service as agencies
from bot.agencies.service import AgencyError
from bot.chat.buttons import Press
from bot.chat.kernel import ButtonHandler
from bot.chat.person import Person
from bot.chat.replies import Outcome, Reply
from bot.chat.texts import render, to_plain
from models.agencies import Agency

log = logging.getLogger(__name__)


def error_reply(exc: AgencyError) -> Reply:
    return Reply(render("agency_error", code=exc.code, params=exc.params))


StaffAction = Callable[[Session, Person, Agency, Press], Outcome]


def staff_only(action: StaffAction) -> ButtonHandler:
    """Every agency button names its agency first; only its staff may press it."""

    def handler(session: Session, person: Person, press: Press) -> Outcome:
        agency_id = press.id(0)
        try:
            agency = agencies.require_staff(session, user_id=person.id, agency_id=agency_id)
            return action(session, person, agency, press)
        except AgencyError as exc:
            if exc.code == "not_allowed":
                log.warning(
                    "user %s refused agency action %r on agency %s",
                    person.id,
                    press.action,
                    agency_id,
                )
                return Outcome(
                    toast=to_plain(render("agency_error", code="not_allowed", params={})),
                    alert=True,
                )
            return Outcome().add(error_reply(exc))

    return handler
