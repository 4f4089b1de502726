"""Cross-cutting handlers: drop redelivered updates, report errors without crashing."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.texts import render
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


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log with the update id and tell the user, briefly, to try again."""
    update_id = update.update_id if isinstance(update, Update) else None
    chat = update.effective_chat if isinstance(update, Update) else None
    log.error(
        "handler failed (update %s, chat %s): %r",
        update_id,
        chat.id if chat else None,
        context.error,
        exc_info=context.error,
    )
    if chat is None or chat.type != "private":
        return
    if isinstance(update, Update) and update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # often answered already
            await update.callback_query.answer()
    try:
        await context.bot.send_message(chat.id, render("error"), parse_mode=ParseMode.HTML)
    except TelegramError as exc:  # the error path must never raise again
        log.warning("could not tell chat %s about the error: %r", chat.id, exc)
