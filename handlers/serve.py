"""Serving updates: long polling or the webhook, until the process is told to stop."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Sequence

from sqlalchemy import Engine
from telegram.error import BadRequest, InvalidToken
from telegram.ext import Application

from bot.cli.errors import Refused
from bot.config import Settings
from bot.platform.runtime import settle_after_startup
from handlers.app import build_application
from handlers.startup import api_host, stop_on_signals, until_reachable
from handlers.webhook import bind, run_webhook, settings_problem

log = logging.getLogger(__name__)

# The update types the handlers use. Both modes ask Telegram for exactly these, so both see
# the same updates (an edited message, say, never reaches the advisor as a new answer).
ALLOWED_UPDATES = ("message", "callback_query")

__all__ = ["ALLOWED_UPDATES", "serve", "settings_problem"]


def serve(settings: Settings, engine: Engine) -> None:
    """Long polling, or the webhook when WEBHOOK_URL is set, until SIGTERM/SIGINT."""
    listener = _listen(settings) if settings.webhook_url.strip() else None
    application = build_application(settings, engine)
    settle_after_startup()
    try:
        if listener is None:
            log.info("serving updates by long polling")
            asyncio.run(
                run_polling(
                    application,
                    allowed_updates=ALLOWED_UPDATES,
                    host=api_host(settings.telegram_api_base_url),
                )
            )
        else:
            _serve_webhook(application, settings, listener, engine)
    except InvalidToken as exc:
        raise Refused(
            "Telegram refused TELEGRAM_BOT_TOKEN: check the token @BotFather gave you in .env"
        ) from exc


async def run_polling(
    application: Application, *, allowed_updates: Sequence[str], host: str
) -> None:
    """PTB's run_polling order (initialize, post_init, start polling, start; then stop,
    post_stop, shutdown, post_shutdown), with the start-up calls to Telegram retried while
    it cannot be reached, and SIGTERM/SIGINT stopping at any point."""
    stop = asyncio.Event()
    stop_on_signals(stop)
    updater = application.updater
    assert updater is not None, "build_application gives the application an updater"
    post_init = application.post_init
    hooks_ran = False  # post_init started things (the outbox sender, alerts) to wind down
    try:
        if not await until_reachable(application.initialize, stop=stop, host=host):
            return
        if post_init and not await until_reachable(
            lambda: post_init(application), stop=stop, host=host
        ):
            return
        hooks_ran = True
        started = await until_reachable(
            lambda: updater.start_polling(allowed_updates=list(allowed_updates)),
            stop=stop,
            host=host,
        )
        if not started:
            return
        await application.start()
        await stop.wait()
    finally:
        if updater.running:
            await updater.stop()
        if application.running:
            await application.stop()
        if hooks_ran and application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


def _listen(settings: Settings) -> socket.socket:
    """Bind the webhook port now, so a busy port is a clear refusal, not a traceback."""
    try:
        return bind(settings.webhook_listen, settings.webhook_port)
    except OSError as exc:
        raise Refused(
            f"cannot listen on {settings.webhook_listen}:{settings.webhook_port} "
            f"(WEBHOOK_LISTEN, WEBHOOK_PORT): {exc.strerror or exc}"
        ) from exc


def _serve_webhook(
    application: Application, settings: Settings, listener: socket.socket, engine: Engine
) -> None:
    """Webhook mode until SIGTERM/SIGINT; Telegram refusing the URL is a clear refusal."""
    log.info("serving updates by webhook")
    try:
        asyncio.run(
            run_webhook(
                application, settings, listener, allowed_updates=ALLOWED_UPDATES, engine=engine
            )
        )
    except BadRequest as exc:
        raise Refused(f"Telegram refused WEBHOOK_URL: {exc.message}") from exc
