"""The webhook's ASGI app on its own: who may post, what counts as an update, health answers.

The app is called in-process (httpx's ASGI transport, or raw ASGI messages where the test must
see what the app reads), with a stand-in Application that only has a bot and an update queue.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

import handlers.webhook as webhook
from bot.config import Settings
from handlers.webhook import MAX_BODY_BYTES, WebhookApp, settings_problem
from models.db import make_engine

PATH = "/tg/abc123"
SECRET = "right-Secret_1"
UPDATE = {
    "update_id": 424242,
    "message": {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": {"id": 1001, "type": "private", "first_name": "Sari"},
        "from": {"id": 1001, "is_bot": False, "first_name": "Sari"},
        "text": "/start",
    },
}


@pytest.fixture
def empty_engine(empty_database_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def _app(engine: Engine, **kwargs: Any) -> tuple[WebhookApp, asyncio.Queue]:
    queue: asyncio.Queue = asyncio.Queue()
    application = SimpleNamespace(bot=None, update_queue=queue)
    return WebhookApp(application, path=PATH, secret=SECRET, engine=engine, **kwargs), queue  # type: ignore[arg-type]


def _request(app: WebhookApp, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async def main() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(main())


def _post(app: WebhookApp, body: bytes, secret: str | None = SECRET) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return _request(app, "POST", PATH, content=body, headers=headers)


def test_an_update_with_the_secret_is_queued_and_answered_at_once(engine: Engine) -> None:
    app, queue = _app(engine)
    response = _post(app, json.dumps(UPDATE).encode())
    assert response.status_code == 200
    update = queue.get_nowait()
    assert update.update_id == 424242 and update.message.text == "/start"


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x", SECRET[:-1]])
def test_a_wrong_or_missing_secret_is_refused_before_the_body_is_read(
    engine: Engine, secret: str | None
) -> None:
    app, queue = _app(engine)
    headers = [(b"content-type", b"application/json")]
    if secret is not None:
        headers.append((b"x-telegram-bot-api-secret-token", secret.encode()))
    scope = {
        "type": "http",
        "method": "POST",
        "path": PATH,
        "headers": headers,
        "client": ("10.0.0.9", 1),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body of a request without the secret must not be read")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 403
    assert queue.empty()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"message": {}}',
        b'{"update_id": "12"}',
        json.dumps({"update_id": 5, "message": "not an object"}).encode(),
    ],
)
def test_what_is_not_an_update_is_400(engine: Engine, body: bytes) -> None:
    app, queue = _app(engine)
    assert _post(app, body).status_code == 400
    assert queue.empty()


def test_a_huge_body_is_413(engine: Engine) -> None:
    app, queue = _app(engine)
    assert _post(app, b" " * (MAX_BODY_BYTES + 1)).status_code == 413

    async def chunks() -> Any:  # no Content-Length: the limit holds while streaming, too
        for _ in range(3):
            yield b" " * (MAX_BODY_BYTES // 2 + 1)

    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert _request(app, "POST", PATH, content=chunks(), headers=headers).status_code == 413
    assert queue.empty()


def test_other_paths_and_methods(engine: Engine) -> None:
    app, _queue = _app(engine)
    assert _request(app, "POST", "/elsewhere").status_code == 404
    assert _request(app, "GET", PATH + "/").status_code == 404
    wrong = _request(app, "GET", PATH)
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert _request(app, "POST", "/healthz").status_code == 405


def test_healthz_is_ok_on_a_current_schema(engine: Engine) -> None:
    app, _queue = _app(engine)
    response = _request(app, "GET", "/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_healthz_is_503_without_the_schema(empty_engine: Engine) -> None:
    app, _queue = _app(empty_engine)
    response = _request(app, "GET", "/healthz")
    assert response.status_code == 503
    assert response.json()["reason"] == "database schema is not current"


def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    app, _queue = _app(engine)
    response = _request(app, "GET", "/healthz")
    assert response.status_code == 503
    assert response.json()["reason"].startswith("database unreachable")


def test_healthz_does_not_hang_with_a_hung_database(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = threading.Event()  # the check hangs until both probes have their answer
    checks: list[Engine] = []

    def hung_check(checked: Engine) -> None:
        checks.append(checked)
        released.wait(60)

    monkeypatch.setattr(webhook, "_database_problem", hung_check)
    app, _queue = _app(engine, health_timeout=0.05)

    async def probe_twice() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        statuses = []
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
                for _ in range(2):  # the second probe waits on the same hung check
                    response = await asyncio.wait_for(client.get("/healthz"), 10)
                    assert "timed out" in response.json()["reason"]
                    statuses.append(response.status_code)
        finally:
            released.set()
        return statuses

    assert asyncio.run(probe_twice()) == [503, 503]  # answered while the check still hung
    assert len(checks) == 1


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"webhook_secret": ""}, "WEBHOOK_SECRET is not"),
        ({"webhook_url": "ftp://bot.example.com/hook"}, "http(s) URL"),
        ({"webhook_url": "bot.example.com/hook"}, "http(s) URL"),
        ({"webhook_url": "https://bot.example.com/healthz"}, "/healthz"),
        ({"webhook_secret": "with space"}, "may hold only"),
        ({"webhook_port": 0}, "WEBHOOK_PORT"),
        ({}, None),
    ],
)
def test_settings_problem(changes: dict[str, Any], expected: str | None) -> None:
    base = {"webhook_url": "https://bot.example.com/tg/x", "webhook_secret": SECRET}
    problem = settings_problem(Settings(_env_file=None, **{**base, **changes}))
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem
