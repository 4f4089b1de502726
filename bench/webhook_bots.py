"""The two bots `bench_webhook.py` compares, each a real process in webhook mode.

    python bench/webhook_bots.py product   # `python -m bot run`, unchanged but for the flood limit
    python bench/webhook_bots.py echo      # a trivial echo bot on the same stack

Both use the same stack: settings from the environment, PTB's Application with the same
builder options as `handlers.app` (per-chat ordered concurrency), served by
`handlers.webhook`. Only the handlers differ. Both have the flood limits (30 sends per
second, Telegram's rule) lifted: the product's send budget through its settings, the echo
bot's AIORateLimiter by its arguments. So the benchmark measures what the processes can
handle, not Telegram's cap, which is the same for any bot (see README: "Several processes").
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402

import handlers.app  # noqa: E402


class NoFloodLimit(AIORateLimiter):
    """AIORateLimiter with the overall 30/s cap off (retries on 429 stay as they are)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_retries", 3)
        super().__init__(overall_max_rate=0, **kwargs)  # type: ignore[arg-type]


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def run_echo() -> int:
    from bot.config import get_settings
    from bot.platform import logs
    from handlers.serve import ALLOWED_UPDATES
    from handlers.update_order import PerChatUpdateProcessor
    from handlers.webhook import bind, run_webhook
    from models.db import make_engine

    settings = get_settings()
    logs.configure(
        settings.log_level, secrets=[settings.telegram_bot_token, settings.webhook_secret]
    )
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
        .connection_pool_size(handlers.app.BOT_API_CONNECTIONS)
        .rate_limiter(NoFloodLimit())
        .concurrent_updates(PerChatUpdateProcessor(handlers.app.CONCURRENT_UPDATES))
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, _echo))
    engine = make_engine(settings.database_url)  # only for /healthz, as in the product
    listener = bind(settings.webhook_listen, settings.webhook_port)
    asyncio.run(
        run_webhook(application, settings, listener, allowed_updates=ALLOWED_UPDATES, engine=engine)
    )
    return 0


def run_product() -> int:
    from bot.cli.main import main

    # The send budget's overall and per-chat caps lifted (it still keeps its ledger).
    os.environ.setdefault("SEND_MAX_PER_SECOND", "100000")
    os.environ.setdefault("SEND_MAX_PER_CHAT_PER_SECOND", "1000")
    return main(["run"])


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    if kind == "echo":
        sys.exit(run_echo())
    if kind == "product":
        sys.exit(run_product())
    print("usage: webhook_bots.py product|echo", file=sys.stderr)
    sys.exit(2)
