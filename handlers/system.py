"""Cross-cutting handlers: drop redelivered updates, report errors without crashing."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.chat.texts import render
from handlers.common import engine_of
from models.conversations import claim_update
from models.db import session_scope

log = logging.getLogger(__name__)


async def claim(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs first for every update; a second delivery of the same update id stops here."""
    if not isinstance(update, Update):
        return
    engine = engine_of(context)

    def work() -> bool:
        with session_scope(engine) as session:
            return claim_update(session, update_id=update.update_id)

    if not await asyncio.to_thread(work):
        log.info("update %s already handled; ignoring the redelivery", update.update_id)
        raise ApplicationHandlerStop


def database_unreachable(error: BaseException | None) -> bool:
    """The database is briefly gone (down, restarting, network cut), not a bug in a query."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error (the log context says which update, chat and handler), tell the user briefly
    to try again, and stop this update: after a failed claim the handler must not run anyway.

    Nothing was half-written: each handler's database work is one transaction, rolled back."""
    error = context.error
    log.error("handler error: %s", type(error).__name__, exc_info=error)
    if not isinstance(update, Update):
        return
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        text = render("error_database" if database_unreachable(error) else "error")
        try:  # the error path must never raise again; Telegram may be what is failing
            if update.callback_query is not None:
                with contextlib.suppress(TelegramError):  # often answered already
                    await update.callback_query.answer()
            await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML)
        except Exception as exc:
            log.warning("could not tell the chat about the error: %r", exc)
    raise ApplicationHandlerStop
