"""The outbox sender inside the bot: broadcast sends and progress edits through Telegram.

Both go through the application's one Bot, and so through the send budget: the sends with
a slot the sender took itself (bulk priority), the progress edits asking for one each.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import Engine, select, update
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application

from bot.agencies import broadcasts
from bot.chat.texts import render
from bot.delivery.budget import SendBudget
from bot.delivery.lease import LEASE_SECONDS, default_holder, sender_lease
from bot.delivery.outcomes import (
    Blocked,
    BroadcastProgress,
    Failed,
    OutboxJob,
    Outcome,
    ProgressFunc,
    SendFunc,
    Sent,
)
from bot.delivery.outcomes import RetryAfter as OutboxRetryAfter
from bot.delivery.rules import Priority
from bot.delivery.sender import OutboxSender
from handlers.send_budget import PERMIT_HELD, BudgetBot, budget_bot, retry_after_seconds
from models.agencies import Agency, Broadcast, Client

log = logging.getLogger(__name__)
_AGENCY = Agency.metadata.tables["agency"]
_BROADCAST = Broadcast.metadata.tables["broadcast"]
_CLIENT = Client.metadata.tables["client"]


def build_sender(application: Application, budget: SendBudget) -> OutboxSender:
    """The outbox sender over the application's Bot and the process's send budget."""
    engine: Engine = application.bot_data["engine"]
    bot = budget_bot(application.bot)
    holder = default_holder()
    return OutboxSender(
        engine,
        send=_sender(bot, engine),
        progress=_reporter(bot, engine),
        budget=budget,
        holder=holder,
        lease=sender_lease(engine, holder=holder, seconds=LEASE_SECONDS),
        lease_seconds=LEASE_SECONDS,
    )


def _sender(bot: BudgetBot, engine: Engine) -> SendFunc:
    agency_cache: dict[int, tuple[int, str]] = {}

    async def send(job: OutboxJob) -> Outcome:
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
                    rate_limit_args=PERMIT_HELD,
                )
            else:
                await bot.send_message(
                    job.chat_id,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    rate_limit_args=PERMIT_HELD,
                )
        except RetryAfter as exc:
            return OutboxRetryAfter(retry_after_seconds(exc))
        except Forbidden as exc:
            return Blocked(str(exc))
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                return Blocked(str(exc))
            return Failed(str(exc)[:200])
        except TelegramError as exc:
            return Failed(str(exc)[:200])
        return Sent()

    return send


def _reporter(bot: BudgetBot, engine: Engine) -> ProgressFunc:
    async def progress(update: BroadcastProgress) -> None:
        if update.progress_chat_id is None:
            return
        names = []
        if update.done and update.blocked_chat_ids:
            names = await asyncio.to_thread(_client_names, engine, update.blocked_chat_ids)
        text = render("broadcast_progress", p=update, names=names)
        try:
            if update.progress_message_id is None:
                await _new_progress_message(bot, engine, update, text)
            else:
                await bot.edit_message_text(
                    text,
                    chat_id=update.progress_chat_id,
                    message_id=update.progress_message_id,
                    parse_mode=ParseMode.HTML,
                    rate_limit_args=Priority.BULK,
                )
        except BadRequest as exc:
            if "not found" in str(exc).lower():  # the staff member deleted it: start a new one
                await _new_progress_message(bot, engine, update, text)
            elif "not modified" not in str(exc).lower():
                log.warning("broadcast %s progress not shown: %r", update.broadcast_id, exc)
        except TelegramError as exc:
            log.warning("broadcast %s progress not shown: %r", update.broadcast_id, exc)

    return progress


async def _new_progress_message(
    bot: BudgetBot, engine: Engine, update: BroadcastProgress, text: str
) -> None:
    assert update.progress_chat_id is not None
    message: Message = await bot.send_message(
        update.progress_chat_id, text, parse_mode=ParseMode.HTML, rate_limit_args=Priority.BULK
    )
    await asyncio.to_thread(
        _remember_progress_message, engine, update.broadcast_id, message.message_id
    )


def _agency_of(engine: Engine, broadcast_id: int) -> tuple[int, str]:
    with engine.connect() as conn:
        agency_id, name = conn.execute(
            select(_AGENCY.c.id, _AGENCY.c.name)
            .join(_BROADCAST, _BROADCAST.c.agency_id == _AGENCY.c.id)
            .where(_BROADCAST.c.id == broadcast_id)
        ).one()
    return int(agency_id), str(name)


def _client_names(engine: Engine, chat_ids: list[int]) -> list[str]:
    with engine.connect() as conn:
        names = conn.execute(
            select(_CLIENT.c.business_name).where(_CLIENT.c.chat_id.in_(chat_ids))
        ).scalars()
        return sorted(names)


def _remember_progress_message(engine: Engine, broadcast_id: int, message_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(_BROADCAST)
            .where(_BROADCAST.c.id == broadcast_id)
            .values(progress_message_id=message_id)
        )
