"""The one place that builds the Application and registers handlers and jobs."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine
from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.advisor.search_cache import rewarm_searches
from bot.config import Settings
from bot.delivery.rules import Priority
from bot.platform.alerts import AlertDispatcher
from bot.privacy import rules as privacy
from bot.store.bulk import recover as recover_imports
from bot.summaries.drawing import ChartDrawer
from handlers import chat as advisor_handlers
from handlers import jobs, system
from handlers.context import named, traced, traced_error_handler, traced_job
from handlers.outbox_sender import build_sender
from handlers.send_budget import BudgetRateLimiter, budget_bot, shared_budget
from handlers.update_order import PerChatUpdateProcessor
from models.base import utcnow
from models.conversations import forget_processed_before
from models.db import session_scope
from models.uploads import delete_pending_before
from models.users import delete_unsaved_before

log = logging.getLogger(__name__)

# Updates handled at once (in order within each chat). Most of an update's time is spent
# waiting on the database and the Bot API, so this can be well above the core count.
CONCURRENT_UPDATES = 24
# Threads for database work (asyncio.to_thread). Python's default is cores + 4, which on a
# 2-core machine queues updates behind a handful of database round trips.
DB_THREADS = 32
# Open connections to the Bot API. httpcore scans every pooled connection on each request,
# so PTB's default of 256 costs CPU without adding speed.
BOT_API_CONNECTIONS = 24
# how often the bot looks whether the store changed, then packs the niches and searches the
# asked kinds again: the first briefs after an import wait for the packs (about 2 ticks, plus
# 5 s of packing at 1,000,000 accounts); an idle tick is two primary-key reads
REWARM_SECONDS = 5

COMMANDS = (
    ("mulai", "Mulai konsultasi strategi influencer"),
    ("tersimpan", "Rekomendasi yang sudah disimpan"),
    ("kampanye", "Kampanye dan influencernya"),
    ("catat", "Catat hasil postingan langkah demi langkah"),
    ("laporan", "Laporan hasil kampanye"),
    ("jadwal", "Jadwal ringkasan otomatis"),
    ("agensi", "Agensi: staf, klien, link undangan"),
    ("siaran", "Kirim kabar ke klien agensi"),
    ("daftar", "Influencer: daftarkan akun dan tarif Kakak"),
    ("batal", "Batalkan konsultasi yang berjalan"),
    ("bantuan", "Cara pakai bot ini"),
    ("privasi", "Data apa saja yang disimpan"),
    ("hapusdata", "Hapus semua data saya"),
)


async def _post_init(application: Application) -> None:
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=DB_THREADS, thread_name_prefix="db")
    )
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    settings: Settings = application.bot_data["settings"]
    stop = asyncio.Event()
    application.bot_data["outbox_stop"] = stop
    sender = build_sender(application, application.bot_data["send_budget"])
    application.bot_data["outbox_task"] = asyncio.create_task(
        named("outbox.sender", sender.run_forever(stop))
    )
    _start_alerts(application, settings)
    me = application.bot
    log.info("bot @%s ready", me.username)


async def _post_stop(application: Application) -> None:
    """Let the outbox sender finish its in-flight sends and release its lease while the Bot
    (and the send budget behind it) still works."""
    stop = application.bot_data.get("outbox_stop")
    task = application.bot_data.get("outbox_task")
    if stop is not None and task is not None:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=10)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
    drawer = application.bot_data.get("chart_drawer")
    if drawer is not None:
        await asyncio.to_thread(drawer.close)
    await _stop_alerts(application)


def _start_alerts(application: Application, settings: Settings) -> None:
    """ERROR records go to ADMIN_USER_IDS (rate-limited per kind) while the bot runs."""
    if not settings.admin_user_ids:
        return
    bot = budget_bot(application.bot)

    async def send(chat_id: int, text: str) -> None:
        await bot.send_message(
            chat_id, text, parse_mode=ParseMode.HTML, rate_limit_args=Priority.NOTICE
        )

    dispatcher = AlertDispatcher(send, settings.admin_user_ids)
    stop = asyncio.Event()
    logging.getLogger().addHandler(dispatcher.handler)
    application.bot_data["alerts"] = (dispatcher, stop, asyncio.create_task(dispatcher.run(stop)))


async def _stop_alerts(application: Application) -> None:
    """Last, so errors while stopping the outbox still reach the admins; the bot still works here."""
    alerts = application.bot_data.pop("alerts", None)
    if alerts is None:
        return
    dispatcher, stop, task = alerts
    stop.set()
    try:
        await asyncio.wait_for(task, timeout=10)
    except (TimeoutError, asyncio.CancelledError):
        task.cancel()
    logging.getLogger().removeHandler(dispatcher.handler)


def _housekeeping(engine: Engine) -> None:
    """Forget what the privacy text promises to forget, and old update ids; finish or
    remove influencer imports whose process died (a minute after start, then hourly)."""
    recover_imports(engine)
    cutoff = privacy.retention_cutoffs(utcnow())
    with session_scope(engine) as session:
        recs = delete_unsaved_before(session, before=cutoff["recommendations"])
        updates = forget_processed_before(session, before=cutoff["updates"])
        broadcasts = privacy.delete_finished_broadcasts(session, before=cutoff["broadcasts"])
        pending = delete_pending_before(session, before=cutoff["pending_uploads"])
    if recs or updates or broadcasts or pending:
        log.info(
            "housekeeping removed %s old recommendations, %s update ids, %s finished broadcasts"
            " and %s unclaimed uploads",
            recs,
            updates,
            broadcasts,
            pending,
        )


async def _housekeeping_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await asyncio.to_thread(_housekeeping, context.bot_data["engine"])


async def _rewarm_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await asyncio.to_thread(rewarm_searches, context.bot_data["engine"])


def build_application(settings: Settings, engine: Engine) -> Application:
    budget = shared_budget(settings, engine)
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
        .connection_pool_size(BOT_API_CONNECTIONS)
        .rate_limiter(BudgetRateLimiter(budget))
        .concurrent_updates(PerChatUpdateProcessor(CONCURRENT_UPDATES))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .build()
    )
    application.bot_data["engine"] = engine
    application.bot_data["settings"] = settings
    application.bot_data["send_budget"] = budget
    application.bot_data["chart_drawer"] = ChartDrawer()
    register_handlers(application)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            traced_job(_housekeeping_job, name="app.housekeeping"), interval=3600, first=60
        )
        application.job_queue.run_repeating(
            traced_job(jobs.sweep_summaries), interval=settings.sweep_interval_seconds, first=1
        )
        application.job_queue.run_repeating(
            traced_job(_rewarm_job, name="app.rewarm_searches"), interval=REWARM_SECONDS, first=30
        )
    return application


def register_handlers(application: Application) -> None:
    """Every callback is `traced`: its log lines carry update_id, chat_id and handler, and each
    handled update gets one line with its duration (the claim's own line is DEBUG)."""
    application.add_handler(
        TypeHandler(Update, traced(system.claim, level=logging.DEBUG)), group=-1
    )
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
        ("daftar",): advisor_handlers.listing,
        ("bisukan",): advisor_handlers.mute,
        ("bunyikan",): advisor_handlers.unmute,
    }
    for names, callback in commands.items():
        application.add_handler(CommandHandler(list(names), traced(callback)))
    application.add_handler(CallbackQueryHandler(traced(advisor_handlers.button)))
    application.add_handler(
        MessageHandler(filters.COMMAND, traced(advisor_handlers.unknown_command))
    )
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, traced(advisor_handlers.text))
    )
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.Document.ALL, traced(advisor_handlers.document)
        )
    )
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            traced(advisor_handlers.other_message),
        )
    )
    application.add_error_handler(traced_error_handler(system.on_error))
