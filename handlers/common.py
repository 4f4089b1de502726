"""Shared plumbing for handlers: who is talking, run a domain call in one transaction, send the result."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy import Engine
from telegram import (
    CallbackQuery,
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import ContextTypes

from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, coalesce
from bot.config import Settings
from models.db import session_scope

log = logging.getLogger(__name__)
T = TypeVar("T")
SEND_ATTEMPTS = 3
RETRY_PAUSE_SECONDS = 0.5  # doubled after each failed attempt


def engine_of(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    return context.bot_data["engine"]


def person_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Person | None:
    """The private-chat user behind an update; None for groups, channels and anonymous senders.

    New users' dates are shown in the TIMEZONE setting's zone; a button press also names the
    message it was pressed on.
    """
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE or user.is_bot:
        return None
    try:
        username = update.get_bot().username
    except RuntimeError:  # the bot is not initialised (only in odd test set-ups)
        username = ""
    settings: Settings = context.bot_data["settings"]
    query = update.callback_query
    pressed = query.message if query is not None else None
    return Person(
        id=user.id,
        first_name=user.first_name or "",
        chat_id=chat.id,
        bot_username=username or "",
        timezone=settings.timezone,
        message_id=pressed.message_id if pressed is not None else None,
        username=user.username or "",
    )


async def run(
    context: ContextTypes.DEFAULT_TYPE, action: Callable[..., Outcome], *args: Any, **kwargs: Any
) -> Outcome:
    """Run a domain call in a worker thread inside one database transaction."""
    engine = engine_of(context)

    def work() -> Outcome:
        with session_scope(engine) as session:
            return action(session, *args, **kwargs)

    return await asyncio.to_thread(work)


async def with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """A Bot API call, retried over short 5xx / connection blips.

    The conversation state is already committed when we send, so a lost reply would leave the
    user without the next question. Timeouts are not retried: the request may have reached
    Telegram, and a second copy is worse than the error handler's "coba lagi".
    """
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call()
        except (TimedOut, BadRequest):  # BadRequest is a NetworkError in PTB, and final
            raise
        except NetworkError as exc:
            if attempt == SEND_ATTEMPTS:
                raise
            log.warning("Bot API call failed (%s: %s); retrying", type(exc).__name__, exc)
            await asyncio.sleep(RETRY_PAUSE_SECONDS * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def inline_button(b: Button) -> InlineKeyboardButton:
    """A domain button as Telegram's: a callback, a link or a copy-to-clipboard button."""
    if b.url is not None:
        return InlineKeyboardButton(b.text, url=b.url)
    if b.copy_text is not None:
        return InlineKeyboardButton(b.text, copy_text=CopyTextButton(b.copy_text))
    return InlineKeyboardButton(b.text, callback_data=b.data)


def inline_markup(buttons: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([[inline_button(b) for b in row] for row in buttons])


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    return inline_markup(reply.buttons)


async def deliver(update: Update, context: ContextTypes.DEFAULT_TYPE, outcome: Outcome) -> None:
    """Answer the pressed button (always, so the spinner stops) and send or edit each reply.

    Each send takes a slot from the send budget at reply priority (the rate limiter's
    default), ahead of summaries and broadcasts."""
    query = update.callback_query
    if query is not None:
        await with_retries(lambda: query.answer(text=outcome.toast, show_alert=outcome.alert))
    chat = update.effective_chat
    if chat is None:
        return
    for reply in coalesce(outcome.replies):
        if reply.chat_id is not None and reply.chat_id != chat.id:
            await _notify(context, reply)
            continue
        await with_retries(functools.partial(_send, context, chat.id, query, reply))


async def _notify(context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> None:
    """A message to another chat (an owner told of an influencer's answer): its failure, say
    the owner blocked the bot, must not take the sender's own replies with it."""
    assert reply.chat_id is not None
    try:
        await with_retries(
            functools.partial(_send, context, reply.chat_id, None, replace(reply, edit=False))
        )
    except TelegramError as exc:
        log.warning("notice to chat %s not delivered: %s", reply.chat_id, exc)


async def _send(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, query: CallbackQuery | None, reply: Reply
) -> None:
    if reply.photo_id is not None:
        await context.bot.send_photo(
            chat_id=chat_id,
            photo=reply.photo_id,
            caption=reply.text or None,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(reply),
        )
    elif reply.photo is not None:
        await context.bot.send_photo(
            chat_id=chat_id,
            photo=InputFile(reply.photo, filename="grafik.png"),
            caption=reply.text or None,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(reply),
        )
    elif reply.document is not None:
        await context.bot.send_document(
            chat_id=chat_id,
            document=InputFile(reply.document.content, filename=reply.document.filename),
            caption=reply.document.caption or None,
            parse_mode=ParseMode.HTML,
        )
    elif reply.edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(
                reply.text, parse_mode=ParseMode.HTML, reply_markup=_markup(reply)
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():  # e.g. a retried edit that did go through
                raise
    else:
        await context.bot.send_message(
            chat_id=chat_id, text=reply.text, parse_mode=ParseMode.HTML, reply_markup=_markup(reply)
        )
