"""Influencer CSV documents: validated first, then imported with a progress message edited as it goes."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.chat.person import Person
from bot.chat.texts import render
from bot.store.upload import Target, upload_target, validate, write
from handlers.common import engine_of
from models.db import session_scope
from models.store import UpsertCounts

log = logging.getLogger(__name__)
PROGRESS_EVERY = 1.5  # seconds between progress edits (they count against Telegram's limits)


def is_influencer_csv(data: bytes) -> bool:
    header = (
        data[:2000].decode("utf-8-sig", errors="replace").splitlines()[0].lower() if data else ""
    )
    return "price_idr" in header and "followers" in header


async def import_influencers(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Person, filename: str, data: bytes
) -> None:
    engine = engine_of(context)
    admin_ids = context.bot_data["settings"].admin_user_ids

    def target_of() -> Target | None:
        with session_scope(engine) as session:
            return upload_target(
                session, user_id=person.id, chat_id=person.chat_id, admin_ids=admin_ids
            )

    target = await asyncio.to_thread(target_of)
    if target is None:
        await context.bot.send_message(
            person.chat_id,
            render("influencer_upload", stage="not_allowed"),
            parse_mode=ParseMode.HTML,
        )
        return
    message = await context.bot.send_message(
        person.chat_id,
        render("influencer_upload", stage="checking", target=target),
        parse_mode=ParseMode.HTML,
    )
    parsed = await asyncio.to_thread(validate, data)
    if parsed.errors:
        await _edit(
            message,
            render(
                "influencer_upload",
                stage="refused",
                errors=parsed.errors[:15],
                more=len(parsed.errors) - 15,
                total=len(parsed.rows) + len(parsed.errors),
            ),
        )
        return
    done = {"rows": 0}

    def work() -> UpsertCounts:
        with session_scope(engine) as session:
            return write(
                session,
                parsed,
                target=target,
                source=f"chat:{filename}"[:200],
                progress=lambda n: done.update(rows=n),
            )

    total = len(parsed.rows)
    await _edit(
        message, render("influencer_upload", stage="progress", target=target, done=0, total=total)
    )
    task = asyncio.ensure_future(asyncio.to_thread(work))
    while True:
        finished, _ = await asyncio.wait({task}, timeout=PROGRESS_EVERY)
        if finished:
            break
        await _edit(
            message,
            render(
                "influencer_upload", stage="progress", target=target, done=done["rows"], total=total
            ),
        )
    counts = task.result()
    log.info("chat import of %s rows into %s by user %s", total, target.scope, person.id)
    await _edit(
        message,
        render("influencer_upload", stage="done", target=target, counts=counts, total=total),
    )


async def _edit(message, text: str) -> None:
    try:
        await message.edit_text(text, parse_mode=ParseMode.HTML)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
