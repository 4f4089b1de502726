"""Tests of the emulator's webhook side: what it POSTs, in which order, and how it retries.

A tiny stdlib HTTP server stands in for the bot (it records each POST and answers as told),
so these tests check the emulator alone, fast, without a bot process.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from fake_telegram import FakeTelegram

SECRET = "s3cret_Token-1"


@dataclass
class Received:
    path: str
    secret: str | None
    content_type: str | None
    update: dict[str, Any]


@dataclass
class Receiver:
    """A webhook endpoint: records POSTs, answers `statuses` in turn (then 200), and holds
    requests while `gate` is clear."""

    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    gate: threading.Event = field(default_factory=threading.Event)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def update_ids(self) -> list[int]:
        with self.lock:
            return [r.update["update_id"] for r in self.received]


def _receiver() -> Receiver:
    holder: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

        def do_POST(self) -> None:
            rec = holder[0]
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with rec.lock:
                rec.in_flight += 1
                rec.max_in_flight = max(rec.max_in_flight, rec.in_flight)
            rec.gate.wait(10)
            with rec.lock:
                rec.in_flight -= 1
                rec.received.append(
                    Received(
                        self.path,
                        self.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                        self.headers.get("Content-Type"),
                        json.loads(body),
                    )
                )
                status = rec.statuses.pop(0) if rec.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    rec = Receiver(server)
    rec.gate.set()
    holder.append(rec)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return rec


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made = [_receiver(), _receiver()]
    yield made
    for rec in made:
        rec.gate.set()
        rec.server.shutdown()
        rec.server.server_close()


def _until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """For states of the receiver, which the emulator's wait helpers do not see."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


def _call(tg: FakeTelegram, method: str, **params: Any) -> httpx.Response:
    return httpx.post(f"{tg.api_url}/{method}", json=params, timeout=10)


def _set_webhook(tg: FakeTelegram, url: str, **params: Any) -> None:
    response = _call(tg, "setWebhook", url=url, secret_token=SECRET, **params)
    assert response.json() == {"ok": True, "result": True}, response.text


def test_set_get_and_delete_webhook(tg: FakeTelegram, receivers: list[Receiver]) -> None:
    mark = tg.mark()
    with pytest.raises(AssertionError, match="never set the webhook"):
        tg.wait_webhook(timeout=0.1, since=mark)
    _set_webhook(tg, receivers[0].url, allowed_updates=["message"], max_connections=5)
    tg.wait_webhook(timeout=1, since=mark, url=receivers[0].url)
    info = _call(tg, "getWebhookInfo").json()["result"]
    assert info["url"] == receivers[0].url
    assert info["max_connections"] == 5 and info["allowed_updates"] == ["message"]
    assert info["pending_update_count"] == 0 and "last_error_message" not in info

    conflict = _call(tg, "getUpdates")
    assert conflict.status_code == 409
    assert "can't use getUpdates method while webhook is active" in conflict.json()["description"]

    bad = _call(tg, "setWebhook", url=receivers[0].url, secret_token="no spaces!")
    assert bad.status_code == 400 and "secret token" in bad.json()["description"]
    bad = _call(tg, "setWebhook", url=receivers[0].url, max_connections=0)
    assert bad.status_code == 400

    assert _call(tg, "deleteWebhook").json()["result"] is True
    assert _call(tg, "getWebhookInfo").json()["result"]["url"] == ""
    assert _call(tg, "getUpdates").json() == {"ok": True, "result": []}


def test_updates_are_posted_with_the_secret(tg: FakeTelegram, receivers: list[Receiver]) -> None:
    rec = receivers[0]
    _set_webhook(tg, rec.url)
    update_id = tg.send_text(1001, "/start")
    tg.wait_confirmed(update_id, timeout=5)
    tg.wait_delivered(update_id, timeout=1)
    (got,) = rec.received
    assert got.path == "/hook" and got.secret == SECRET and got.content_type == "application/json"
    assert got.update["update_id"] == update_id and got.update["message"]["text"] == "/start"
    assert tg.pending_update_count == 0
    (delivery,) = tg.deliveries(update_id)
    assert delivery.ok and delivery.url == rec.url and delivery.chat_id == 1001
    tg.redeliver(update_id)  # as after a crash: the same update once more
    tg.wait_confirmed(update_id, timeout=5)
    assert rec.update_ids() == [update_id, update_id]


def test_failures_are_retried_and_reported(tg: FakeTelegram, receivers: list[Receiver]) -> None:
    rec = receivers[0]
    rec.statuses[:] = [500, 502]
    _set_webhook(tg, rec.url)
    update_id = tg.send_text(1001, "halo")
    tg.wait_confirmed(update_id, timeout=5)
    assert [d.status for d in tg.deliveries(update_id)] == [500, 502, 200]
    info = _call(tg, "getWebhookInfo").json()["result"]
    assert info["last_error_message"] == "Wrong response from the webhook: 502 Bad Gateway"

    # nobody listening: "Connection refused", retried until a server answers there
    rec.server.shutdown()
    rec.server.server_close()
    update_id = tg.send_text(1001, "masih ada?")
    _until(lambda: len(tg.deliveries(update_id)) >= 2)
    failed = tg.deliveries(update_id)
    assert len(failed) >= 2 and all(d.status is None for d in failed)
    assert "refused" in _call(tg, "getWebhookInfo").json()["result"]["last_error_message"]
    with pytest.raises(AssertionError, match="not idle"):
        tg.wait_idle(1001, quiet=0.1, timeout=0.3)
    _set_webhook(tg, receivers[1].url)
    tg.wait_confirmed(update_id, timeout=5)
    assert receivers[1].update_ids() == [update_id]


def test_one_chat_in_order_other_chats_in_parallel(
    tg: FakeTelegram, receivers: list[Receiver]
) -> None:
    rec = receivers[0]
    rec.gate.clear()
    _set_webhook(tg, rec.url)
    first = tg.send_text(1001, "satu")
    second = tg.send_text(1001, "dua")
    other = tg.send_text(1002, "lain")
    _until(lambda: rec.in_flight >= 2)
    tg.wait_webhook_pass()  # a wrong emulator would have started chat 1001's second one now
    assert sorted(d.update_id for d in tg.deliveries()) == sorted([first, other])
    assert rec.in_flight == 2  # 1001's first and 1002's, not 1001's second
    rec.gate.set()
    tg.wait_confirmed(second, timeout=5)
    tg.wait_confirmed(other, timeout=5)
    ids = rec.update_ids()
    assert ids.index(first) < ids.index(second)
    tg.wait_idle(1001, quiet=0.05, timeout=2)


def test_max_connections_is_respected(tg: FakeTelegram, receivers: list[Receiver]) -> None:
    rec = receivers[0]
    rec.gate.clear()
    _set_webhook(tg, rec.url, max_connections=2)
    updates = [tg.send_text(2000 + n, "halo") for n in range(5)]
    _until(lambda: rec.in_flight >= 2)
    tg.wait_webhook_pass()  # a wrong emulator would have started a third one now
    assert len(tg.deliveries()) == 2
    assert rec.in_flight == 2
    rec.gate.set()
    for update_id in updates:
        tg.wait_confirmed(update_id, timeout=5)
    assert rec.max_in_flight == 2


def test_balance_between_alternates_whatever_the_bot_registered(
    tg: FakeTelegram, receivers: list[Receiver]
) -> None:
    _set_webhook(tg, "http://127.0.0.1:9/nobody-listens-here")
    tg.balance_between([r.url for r in receivers])
    sent = []
    for text in ("satu", "dua", "tiga", "empat"):
        sent.append(tg.send_text(1001, text))
        tg.wait_confirmed(sent[-1], timeout=5)
    assert receivers[0].update_ids() == [sent[0], sent[2]]
    assert receivers[1].update_ids() == [sent[1], sent[3]]
    tg.balance_between(None)  # back to the registered URL, where nobody listens
    update_id = tg.send_text(1001, "lima")
    _until(lambda: bool(tg.deliveries(update_id)))
    first = tg.deliveries(update_id)[0]
    assert first.url == "http://127.0.0.1:9/nobody-listens-here" and first.status is None
