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
from bot.store.bulk import ImportBusy, ImportResult
from bot.store.upload import Target, import_upload, upload_target
from handlers.common import engine_of
from models.db import session_scope

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
    done = {"rows": 0}
    total = max(data.count(b"\n") - 1, 1)  # lines after the header: the progress bar's end

    def work() -> ImportResult | None:
        try:
            return import_upload(
                engine,
                data,
                target=target,
                filename=filename,
                progress=lambda n: done.update(rows=n),
            )
        except ImportBusy:
            return None

    task = asyncio.ensure_future(asyncio.to_thread(work))
    shown = 0
    await _edit(
        message, render("influencer_upload", stage="progress", target=target, done=0, total=total)
    )
    while True:
        finished, _ = await asyncio.wait({task}, timeout=PROGRESS_EVERY)
        if finished:
            break
        if done["rows"] != shown:
            shown = done["rows"]
            await _edit(
                message,
                render(
                    "influencer_upload",
                    stage="progress",
                    target=target,
                    done=shown,
                    total=max(total, shown),
                ),
            )
    result = task.result()
    if result is None:
        await _edit(message, render("influencer_upload", stage="busy", target=target))
        return
    if result.counts is None:
        await _edit(
            message,
            render(
                "influencer_upload",
                stage="refused",
                errors=result.errors[:15],
                more=len(result.errors) - 15,
                total=result.rows + len(result.errors),
            ),
        )
        return
    log.info("chat import of %s rows into %s by user %s", result.rows, target.scope, person.id)
    await _edit(
        message,
        render(
            "influencer_upload",
            stage="done",
            target=target,
            counts=result.counts,
            total=result.rows,
        ),
    )


async def _edit(message, text: str) -> None:
    try:
        await message.edit_text(text, parse_mode=ParseMode.HTML)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
