"""Webhook mode: Telegram POSTs updates to us instead of being polled.

A small raw ASGI app, served by uvicorn on a socket bound before start-up, checks Telegram's
secret header and puts each update on PTB's `update_queue`; the Application processes it
exactly as in polling mode. Several processes may share one webhook behind a reverse proxy,
so nobody deletes the webhook on shutdown. `/healthz` on the same port tells the proxy (or an
orchestrator) whether this process can serve: database reachable and schema current.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import Application, ExtBot

from bot.config import Settings
from handlers.startup import api_host, stop_on_signals, until_reachable
from models.db import schema_is_current

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
SECRET_HEADER = b"x-telegram-bot-api-secret-token"
MAX_BODY_BYTES = 1 << 20  # Telegram's updates are a few KB; anything near this is not one.
HEALTH_TIMEOUT_SECONDS = 5.0
GRACEFUL_SHUTDOWN_SECONDS = 10
# Telegram's own rule for secret_token in setWebhook.
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyTooLarge(Exception):
    """The request body exceeds MAX_BODY_BYTES."""


# ------------------------------------------------------------------------------ settings


def settings_problem(settings: Settings) -> str | None:
    """Why these webhook settings cannot run (one English line), or None when they can."""
    parts = urlsplit(settings.webhook_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "WEBHOOK_URL must be an http(s) URL such as https://bot.example.com/telegram"
    if (parts.path or "/") == HEALTH_PATH:
        return f"WEBHOOK_URL must not use the path {HEALTH_PATH}, which answers health checks"
    if not settings.webhook_secret:
        return (
            "WEBHOOK_URL is set but WEBHOOK_SECRET is not: without a secret anyone could post "
            "fake updates; set WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -) in .env"
        )
    if not _SECRET_RE.fullmatch(settings.webhook_secret):
        return "WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1 to 256 characters)"
    if not 0 < settings.webhook_port < 65536:
        return f"WEBHOOK_PORT must be between 1 and 65535, not {settings.webhook_port}"
    return None


def listen_path(webhook_url: str) -> str:
    """The path Telegram posts to: the path of the public URL (a proxy keeps it), decoded as
    ASGI presents request paths."""
    return unquote(urlsplit(webhook_url.strip()).path) or "/"


def bind(host: str, port: int) -> socket.socket:
    """Listen before start-up, so a busy port fails fast and Telegram's first POST waits in
    the backlog instead of being refused. Raises OSError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=2048)


# ------------------------------------------------------------------------------ the ASGI app


def _database_problem(engine: Engine) -> str | None:
    """Blocking health check: None when the database answers and its schema is current."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        if not schema_is_current(engine):
            return "database schema is not current"
    except SQLAlchemyError as exc:
        return f"database unreachable ({type(exc).__name__})"
    except Exception as exc:  # a probe must answer, whatever went wrong
        log.exception("health check failed")
        return f"database check failed ({type(exc).__name__})"
    return None


class WebhookApp:
    """POST <path>: an update from Telegram; GET /healthz: can this process serve?"""

    def __init__(
        self,
        application: Application,
        *,
        path: str,
        secret: str,
        engine: Engine,
        health_timeout: float = HEALTH_TIMEOUT_SECONDS,
    ) -> None:
        self._application = application
        self._path = path
        self._secret = secret.encode()
        self._engine = engine
        self._health_timeout = health_timeout
        self._health_check: asyncio.Future[str | None] | None = None
        self._last_health: str | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan is off and websockets are not served
            return
        path, method = scope["path"], scope["method"]
        if path == HEALTH_PATH:
            if method != "GET":
                await _respond(send, 405, {"error": "method not allowed"}, allow=b"GET")
                return
            await self._healthz(send)
        elif path == self._path:
            if method != "POST":
                await _respond(send, 405, {"error": "method not allowed"}, allow=b"POST")
                return
            await self._update(scope, receive, send)
        else:
            await _respond(send, 404, {"error": "not found"})

    async def _update(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the secret before reading anything, then queue the update and answer at once."""
        if not hmac.compare_digest(_header(scope, SECRET_HEADER) or b"", self._secret):
            log.warning("webhook request from %s refused: wrong or missing secret", _client(scope))
            await _respond(send, 403, {"error": "forbidden"})
            return
        try:
            body = await _read_body(scope, receive)
        except BodyTooLarge:
            await _respond(send, 413, {"error": "request body too large"})
            return
        update = self._parse_update(body)
        if update is None:
            await _respond(send, 400, {"error": "not a Telegram update"})
            return
        if isinstance(self._application.bot, ExtBot):
            self._application.bot.insert_callback_data(update)
        await self._application.update_queue.put(update)
        log.debug("update %s received on the webhook", update.update_id)
        await _respond(send, 200, {"ok": True})

    def _parse_update(self, body: bytes) -> Update | None:
        try:
            data = json.loads(body)
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        try:
            return Update.de_json(data, self._application.bot)
        except Exception:  # malformed fields: refuse this body, keep serving
            log.warning("webhook body with update_id %s is not a valid update", data["update_id"])
            return None

    async def _healthz(self, send: Send) -> None:
        problem = await self._database_problem()
        if problem != self._last_health:
            log.log(logging.WARNING if problem else logging.INFO, "health: %s", problem or "ok")
            self._last_health = problem
        if problem is None:
            await _respond(send, 200, {"status": "ok"})
        else:
            await _respond(send, 503, {"status": "unavailable", "reason": problem})

    async def _database_problem(self) -> str | None:
        """One check at a time in a thread; a hung database gives a timeout, not a hang (and
        not a pile of hung threads: later probes wait on the same check)."""
        if self._health_check is None or self._health_check.done():
            self._health_check = asyncio.ensure_future(
                asyncio.to_thread(_database_problem, self._engine)
            )
        try:
            return await asyncio.wait_for(asyncio.shield(self._health_check), self._health_timeout)
        except TimeoutError:
            return f"database check timed out after {self._health_timeout:g}s"


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "?"


async def _read_body(scope: Scope, receive: Receive) -> bytes:
    declared = _header(scope, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _respond(send: Send, status: int, payload: dict[str, Any], *, allow: bytes = b"") -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if allow:
        headers.append((b"allow", allow))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# ------------------------------------------------------------------------------ running


def _server(app: WebhookApp) -> uvicorn.Server:
    """uvicorn, minus its own signal handling: `run_webhook` owns SIGTERM/SIGINT for the whole
    life of the process (start-up and PTB's stop included), not only while HTTP is served.
    Imported here: a polling bot never loads it."""
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    config = uvicorn.Config(
        app,
        lifespan="off",
        log_config=None,  # keep bot.platform.logs' handler (and its redaction)
        access_log=False,  # the path may be secret-ish; refusals are logged by the app
        ws="none",
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return Server(config)


async def run_webhook(
    application: Application,
    settings: Settings,
    listener: socket.socket,
    *,
    allowed_updates: Sequence[str],
    engine: Engine,
) -> None:
    """Serve until SIGTERM/SIGINT, in the order PTB's own run_webhook uses: initialize,
    post_init, start, set the webhook, serve; then stop (which finishes queued and in-flight
    updates), post_stop, shutdown, post_shutdown. The start-up calls to Telegram are retried
    while it cannot be reached; a signal during start-up stops at once."""
    app = WebhookApp(
        application,
        path=listen_path(settings.webhook_url),
        secret=settings.webhook_secret,
        engine=engine,
    )
    server = _server(app)
    stop = asyncio.Event()

    def stop_serving() -> None:
        server.should_exit = True  # stop accepting, finish in-flight requests, then stop PTB

    stop_on_signals(stop, also=stop_serving)
    host = api_host(settings.telegram_api_base_url)
    post_init = application.post_init
    try:
        if not await until_reachable(application.initialize, stop=stop, host=host):
            return
        if post_init and not await until_reachable(
            lambda: post_init(application), stop=stop, host=host
        ):
            return
        await application.start()
        try:
            webhook_set = await until_reachable(
                lambda: application.bot.set_webhook(
                    url=settings.webhook_url.strip(),
                    secret_token=settings.webhook_secret,
                    allowed_updates=list(allowed_updates),
                ),
                stop=stop,
                host=host,
            )
            if webhook_set:
                log.info("webhook set; serving updates on port %s", listener.getsockname()[1])
                await server.serve(sockets=[listener])
        finally:
            log.info("stopping: finishing the updates already received")
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
