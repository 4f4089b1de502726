"""Serving updates: long polling or the webhook, until the process is told to stop."""

from __future__ import annotations

import asyncio
import logging
import socket

from sqlalchemy import Engine
from telegram.error import BadRequest, InvalidToken
from telegram.ext import Application

from bot.cli.errors import Refused
from bot.config import Settings
from bot.platform.runtime import settle_after_startup
from handlers.app import build_application
from handlers.webhook import bind, run_webhook, settings_problem

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
            logging.getLogger(__name__).info("serving updates by long polling")
            application.run_polling(allowed_updates=list(ALLOWED_UPDATES))
        else:
            _serve_webhook(application, settings, listener, engine)
    except InvalidToken as exc:
        raise Refused(
            "Telegram refused TELEGRAM_BOT_TOKEN: check the token @BotFather gave you in .env"
        ) from exc


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
    logging.getLogger(__name__).info("serving updates by webhook")
    try:
        asyncio.run(
            run_webhook(
                application, settings, listener, allowed_updates=ALLOWED_UPDATES, engine=engine
            )
        )
    except BadRequest as exc:
        raise Refused(f"Telegram refused WEBHOOK_URL: {exc.message}") from exc
