"""The one place that builds the Application and registers handlers and jobs."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import Engine
from telegram import Bot, BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.advisor import RETENTION_DAYS
from bot.config import Settings
from bot.updates import PerChatUpdateProcessor
from handlers import advisor as advisor_handlers
from handlers import jobs, system
from handlers.broadcast_sender import build_sender
from models.base import utcnow
from models.conversations import forget_processed_before
from models.db import session_scope
from models.users import delete_unsaved_before

log = logging.getLogger(__name__)

COMMANDS = (
    ("mulai", "Mulai konsultasi strategi influencer"),
    ("tersimpan", "Rekomendasi yang sudah disimpan"),
    ("kampanye", "Kampanye dan influencernya"),
    ("catat", "Catat hasil postingan langkah demi langkah"),
    ("laporan", "Laporan hasil kampanye"),
    ("jadwal", "Jadwal ringkasan otomatis"),
    ("agensi", "Agensi: staf, klien, link undangan"),
    ("siaran", "Kirim kabar ke klien agensi"),
    ("batal", "Batalkan konsultasi yang berjalan"),
    ("bantuan", "Cara pakai bot ini"),
    ("privasi", "Data apa saja yang disimpan"),
    ("hapusdata", "Hapus semua data saya"),
)


async def _post_init(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    settings: Settings = application.bot_data["settings"]
    outbox_bot = Bot(
        settings.telegram_bot_token,
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_api_file_url,
        request=HTTPXRequest(connection_pool_size=16),
    )
    await outbox_bot.initialize()
    stop = asyncio.Event()
    application.bot_data["outbox_bot"] = outbox_bot
    application.bot_data["outbox_stop"] = stop
    sender = build_sender(application, outbox_bot)
    application.bot_data["outbox_task"] = asyncio.create_task(sender.run_forever(stop))
    me = application.bot
    log.info("bot @%s ready", me.username)


async def _post_stop(application: Application) -> None:
    """Let the outbox sender finish its in-flight sends and release its lease (while the
    HTTP clients still work), then close its Bot."""
    stop = application.bot_data.get("outbox_stop")
    task = application.bot_data.get("outbox_task")
    if stop is not None and task is not None:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=10)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
    outbox_bot = application.bot_data.get("outbox_bot")
    if outbox_bot is not None:
        await outbox_bot.shutdown()


def _housekeeping(engine: Engine) -> None:
    """Forget what the privacy text promises to forget, and old update ids."""
    now = utcnow()
    with session_scope(engine) as session:
        recs = delete_unsaved_before(session, before=now - timedelta(days=RETENTION_DAYS))
        updates = forget_processed_before(session, before=now - timedelta(days=7))
    if recs or updates:
        log.info("housekeeping removed %s old recommendations and %s update ids", recs, updates)


async def _housekeeping_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await asyncio.to_thread(_housekeeping, context.bot_data["engine"])


def build_application(settings: Settings, engine: Engine) -> Application:
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor(16))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .build()
    )
    application.bot_data["engine"] = engine
    application.bot_data["settings"] = settings
    register_handlers(application)
    if application.job_queue is not None:
        application.job_queue.run_repeating(_housekeeping_job, interval=3600, first=60)
        application.job_queue.run_repeating(
            jobs.sweep_summaries, interval=settings.sweep_interval_seconds, first=1
        )
    return application


def register_handlers(application: Application) -> None:
    application.add_handler(TypeHandler(Update, system.claim), group=-1)
    commands = {
        ("start", "mulai"): advisor_handlers.start,
        ("batal", "cancel"): advisor_handlers.cancel,
        ("bantuan", "help"): advisor_handlers.help_command,
        ("tersimpan",): advisor_handlers.saved,
        ("privasi", "privacy"): advisor_handlers.privacy,
        ("hapusdata",): advisor_handlers.delete_data,
        ("kampanye",): advisor_handlers.campaigns,
        ("laporan",): advisor_handlers.report,
        ("catat",): advisor_handlers.record,
        ("jadwal",): advisor_handlers.schedule,
        ("agensi",): advisor_handlers.agency,
        ("siaran",): advisor_handlers.broadcast,
        ("bisukan",): advisor_handlers.mute,
        ("bunyikan",): advisor_handlers.unmute,
    }
    for names, callback in commands.items():
        application.add_handler(CommandHandler(list(names), callback))
    application.add_handler(CallbackQueryHandler(advisor_handlers.button))
    application.add_handler(MessageHandler(filters.COMMAND, advisor_handlers.unknown_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, advisor_handlers.text))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, advisor_handlers.document)
    )
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL, advisor_handlers.other_message)
    )
    application.add_error_handler(system.on_error)
