"""Influencer CSVs sent in the chat: the operator's global store, or an agency's own list."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from bot.agencies import service as agencies
from bot.store.bulk import ImportResult, import_csv
from models.conversations import load_conversation
from models.influencers import GLOBAL_SCOPE


def agency_scope(agency_id: int) -> str:
    return f"agency:{agency_id}"


@dataclass(frozen=True)
class Target:
    scope: str
    label: str  # agency name, or "" for the global store


def upload_target(
    session: Session, *, user_id: int, chat_id: int, admin_ids: frozenset[int]
) -> Target | None:
    """Operators change the global store; agency staff their agency's list; others nothing.

    A staff member of several agencies uploads to the one they currently work for.
    """
    if user_id in admin_ids:
        return Target(GLOBAL_SCOPE, "")
    mine = agencies.memberships(session, user_id=user_id)
    if not mine:
        return None
    if len(mine) > 1:
        conv = load_conversation(session, chat_id=chat_id, user_id=user_id)
        acting = (conv.answers.get("acting_for") or {}).get("agency_id")
        mine = [m for m in mine if m.agency.id == acting] or mine[:1]
    return Target(agency_scope(mine[0].agency.id), mine[0].agency.name)


def scopes_for(session: Session, *, user_id: int, chat_id: int) -> tuple[str, ...]:
    """The stores a recommendation draws on: global, plus the agency's own list for its
    staff (working for a client) and for its clients."""
    conv = load_conversation(session, chat_id=chat_id, user_id=user_id)
    acting = (conv.answers.get("acting_for") or {}).get("agency_id")
    if acting is not None and agencies.role_in(session, user_id=user_id, agency_id=acting):
        return (GLOBAL_SCOPE, agency_scope(acting))
    client = agencies.client_record(session, user_id=user_id)
    if client is not None:
        return (GLOBAL_SCOPE, agency_scope(client.agency_id))
    return (GLOBAL_SCOPE,)


def import_upload(
    engine: Engine,
    data: bytes,
    *,
    target: Target,
    filename: str,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate and import a CSV sent in the chat: the command line's path, with the same
    short transactions, so the chat keeps answering while it runs."""
    return import_csv(
        engine,
        io.BytesIO(data),
        source_name=f"chat:{filename}",
        scope=target.scope,
        progress=progress,
    )
