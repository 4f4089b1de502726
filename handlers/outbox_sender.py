"""The outbox sender inside the bot: Telegram sends and progress edits for broadcasts."""

from __future__ import annotations

import asyncio
import logging

from sqlmodel import select
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application

from bot.agencies import broadcasts
from bot.chat.texts import render
from bot.delivery.outbox import (
    Blocked,
    BroadcastProgress,
    Failed,
    OutboxJob,
    OutboxSender,
    RateLimiter,
    Sent,
    default_holder,
    sender_lease,
)
from bot.delivery.outbox import RetryAfter as OutboxRetryAfter
from models.agencies import Agency, Broadcast, Client
from models.base import utcnow
from models.db import session_scope

log = logging.getLogger(__name__)


def _agency_of(engine, broadcast_id: int) -> tuple[int, str]:  # noqa: ANN001
    with session_scope(engine) as session:
        row = session.exec(
            select(Agency.id, Agency.name)
            .join(Broadcast, Broadcast.agency_id == Agency.id)
            .where(Broadcast.id == broadcast_id)
        ).one()
        return int(row[0]), str(row[1])


def build_sender(application: Application, bot: Bot) -> OutboxSender:
    """`bot` is a plain Bot without PTB's rate limiter: the outbox's limiter is the one in
    charge, and a 429 must reach it (to pause every worker) instead of being retried quietly."""
    engine = application.bot_data["engine"]
    settings = application.bot_data["settings"]
    agency_cache: dict[int, tuple[int, str]] = {}

    async def send(job: OutboxJob) -> Sent | OutboxRetryAfter | Blocked | Failed:
        if job.broadcast_id not in agency_cache:
            agency_cache[job.broadcast_id] = await asyncio.to_thread(
                _agency_of, engine, job.broadcast_id
            )
        agency_id, agency_name = agency_cache[job.broadcast_id]
        text = render("broadcast_message", agency=agency_name, text=job.text)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        "🔕 Bisukan siaran",
                        callback_data=broadcasts.make(broadcasts.Action.MUTE, agency_id),
                    )
                ]
            ]
        )
        try:
            if job.photo_file_id:
                await bot.send_photo(
                    job.chat_id,
                    job.photo_file_id,
                    caption=text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
            else:
                await bot.send_message(
                    job.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
                )
        except RetryAfter as exc:
            delay = exc.retry_after
            return OutboxRetryAfter(
                delay.total_seconds() if hasattr(delay, "total_seconds") else float(delay)
            )
        except Forbidden as exc:
            return Blocked(str(exc))
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                return Blocked(str(exc))
            return Failed(str(exc)[:200])
        except TelegramError as exc:
            return Failed(str(exc)[:200])
        return Sent()

    async def progress(update: BroadcastProgress) -> None:
        if update.progress_chat_id is None:
            return
        if update.progress_message_id is None and not update.done:
            age = await asyncio.to_thread(_age_seconds, engine, update.broadcast_id)
            if age < FIRST_PROGRESS_AFTER:
                return  # the "queued" reply just went to this chat: one message per chat per second
        names = []
        if update.done and update.blocked_chat_ids:
            names = await asyncio.to_thread(_client_names, engine, update.blocked_chat_ids)
        text = render("broadcast_progress", p=update, names=names)
        try:
            if update.progress_message_id is None:
                message = await bot.send_message(
                    update.progress_chat_id, text, parse_mode=ParseMode.HTML
                )
                await asyncio.to_thread(
                    _remember_progress_message, engine, update.broadcast_id, message.message_id
                )
            else:
                await bot.edit_message_text(
                    text,
                    chat_id=update.progress_chat_id,
                    message_id=update.progress_message_id,
                    parse_mode=ParseMode.HTML,
                )
        except BadRequest as exc:
            if "not found" in str(exc).lower():  # the staff member deleted it: start a new one
                message = await bot.send_message(
                    update.progress_chat_id, text, parse_mode=ParseMode.HTML
                )
                await asyncio.to_thread(
                    _remember_progress_message, engine, update.broadcast_id, message.message_id
                )
            elif "not modified" not in str(exc).lower():
                log.warning("broadcast %s progress not shown: %r", update.broadcast_id, exc)
        except TelegramError as exc:
            log.warning("broadcast %s progress not shown: %r", update.broadcast_id, exc)

    limiter = RateLimiter(settings.send_max_per_second, settings.send_max_per_chat_per_second)
    holder = default_holder()
    lease = sender_lease(engine, holder=holder, seconds=LEASE_SECONDS)
    return OutboxSender(
        engine,
        send=send,
        progress=progress,
        limiter=limiter,
        holder=holder,
        lease=lease,
        lease_seconds=LEASE_SECONDS,
    )


LEASE_SECONDS = 30


FIRST_PROGRESS_AFTER = 1.5  # seconds after queueing before the first progress message


def _age_seconds(engine, broadcast_id: int) -> float:  # noqa: ANN001
    with session_scope(engine) as session:
        broadcast = session.get(Broadcast, broadcast_id)
        return (utcnow() - broadcast.created_at).total_seconds() if broadcast else 1e9


def _client_names(engine, chat_ids: list[int]) -> list[str]:  # noqa: ANN001
    with session_scope(engine) as session:
        rows = session.exec(select(Client.business_name).where(Client.chat_id.in_(chat_ids))).all()
        return sorted(rows)


def _remember_progress_message(engine, broadcast_id: int, message_id: int) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        broadcast = session.get(Broadcast, broadcast_id)
        if broadcast is not None:
            broadcast.progress_message_id = message_id
            session.add(broadcast)
