"""Repeating jobs: the job queue is only a clock; what is due lives in the database."""

from __future__ import annotations

import asyncio
import logging
from typing import cast

from telegram import InputFile
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.delivery.rules import Priority
from bot.summaries.drawing import ChartDrawer
from bot.summaries.sweeper import (
    CAPTION_LIMIT,
    Claim,
    SummaryDraft,
    claim_due,
    draft_summary,
    mark_failed,
    mark_sent,
)
from handlers.common import engine_of, inline_markup
from handlers.send_budget import BudgetBot
from models.base import utcnow
from models.db import session_scope

log = logging.getLogger(__name__)
_sweeping = asyncio.Lock()
#: summaries built at once in one sweep: enough to keep every chart worker busy while the
#: others read the database or wait on Telegram
SWEEP_CONCURRENCY = 8


def notice_bot(context: ContextTypes.DEFAULT_TYPE) -> BudgetBot:
    """The bot for scheduled sends, which take the budget's notice priority (after replies)."""
    return cast(BudgetBot, context.bot)


async def sweep_summaries(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Claim due summaries (once, in the database), send each, then record it as sent."""
    if _sweeping.locked():
        return  # the previous sweep is still sending; its claims cover what is due
    async with _sweeping:
        engine = engine_of(context)

        def claim() -> list[Claim]:
            with session_scope(engine) as session:
                return claim_due(session, now=utcnow())

        claims = await asyncio.to_thread(claim)
        slots = asyncio.Semaphore(SWEEP_CONCURRENCY)

        async def one(item: Claim) -> None:
            async with slots:
                await _send_one(context, item)

        results = await asyncio.gather(*(one(item) for item in claims), return_exceptions=True)
        for item, result in zip(claims, results, strict=True):
            if isinstance(result, Exception):  # left "sending": retried once the claim is stale
                log.error(
                    "summary %s for campaign %s failed",
                    item.period_key,
                    item.campaign_id,
                    exc_info=result,
                )


def chart_drawer(context: ContextTypes.DEFAULT_TYPE) -> ChartDrawer:
    """The application's drawer (made in build_application); a bare context draws in threads."""
    drawer = context.bot_data.get("chart_drawer")
    if drawer is None:
        drawer = context.bot_data["chart_drawer"] = ChartDrawer(workers=1)
    return cast(ChartDrawer, drawer)


async def _send_one(context: ContextTypes.DEFAULT_TYPE, claim: Claim) -> None:
    engine = engine_of(context)
    default_timezone = context.bot_data["settings"].timezone

    def build() -> SummaryDraft:
        with session_scope(engine) as session:
            return draft_summary(session, claim, now=utcnow(), default_timezone=default_timezone)

    def finish(sent: bool) -> None:
        with session_scope(engine) as session:
            if sent:
                mark_sent(session, run_id=claim.run_id, now=utcnow())
            else:
                mark_failed(session, run_id=claim.run_id)

    bot = notice_bot(context)
    try:
        draft = await asyncio.to_thread(build)
        message = draft.with_chart(await chart_drawer(context).draw(draft.chart))
        markup = inline_markup(message.buttons)
        photo = InputFile(message.chart_png, filename=f"ringkasan-{claim.campaign_id}.png")
        if len(message.text) <= CAPTION_LIMIT:
            await bot.send_photo(
                claim.chat_id,
                photo,
                caption=message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                rate_limit_args=Priority.NOTICE,
            )
        else:
            await bot.send_photo(claim.chat_id, photo, rate_limit_args=Priority.NOTICE)
            await bot.send_message(
                claim.chat_id,
                message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                rate_limit_args=Priority.NOTICE,
            )
        if claim.copy_chat_id is not None:
            try:
                copy = InputFile(message.chart_png, filename=f"ringkasan-{claim.campaign_id}.png")
                caption = message.text if len(message.text) <= CAPTION_LIMIT else None
                await bot.send_photo(
                    claim.copy_chat_id,
                    copy,
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                    rate_limit_args=Priority.NOTICE,
                )
            except TelegramError as exc:  # the client got it; a missed copy is not worth a resend
                log.warning(
                    "copy of summary %s to %s failed: %r", claim.period_key, claim.copy_chat_id, exc
                )
    except Forbidden:
        log.warning(
            "summary %s for campaign %s: chat %s blocked the bot",
            claim.period_key,
            claim.campaign_id,
            claim.chat_id,
        )
        await asyncio.to_thread(finish, False)
        return
    except TelegramError as exc:
        # Left as "sending": the sweeper retries it once the claim is stale.
        log.warning(
            "summary %s for campaign %s not sent yet: %r", claim.period_key, claim.campaign_id, exc
        )
        return
    await asyncio.to_thread(finish, True)
    log.info(
        "summary %s for campaign %s sent (late=%s)", claim.period_key, claim.campaign_id, claim.late
    )
