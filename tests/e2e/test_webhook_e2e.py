"""Webhook mode end to end: real bot processes that Telegram (the emulator) POSTs updates to.

Each test that restarts or doubles the bot uses an emulator of its own, so its webhook never
disturbs the polling bots of the other modules or the shared webhook bot here.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_telegram import FakeTelegram, FakeUser
from helpers import BotProcess, StartBot, bot_env, handled_so_far, say, tap
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.e2e

_forged_ids = itertools.count(950_000_000)


@pytest.fixture(scope="module")
def wfake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token="770001:WEBHOOK-shared-token") as server:
        yield server


@pytest.fixture(scope="module")
def webhook_bot(wfake: FakeTelegram, bot_launcher: StartBot) -> Iterator[BotProcess]:
    bot = bot_launcher(wfake, webhook=True)
    yield bot
    bot.stop()


def _sql(database_url: str, sql: str, **params: Any) -> list[Any]:
    """Run one statement in the bot's database from outside; the rows, if it returns any."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        engine.dispose()


def _processed(bot: BotProcess, update_id: int) -> bool:
    sql = "SELECT update_id FROM processed_update WHERE update_id = :id"
    return bool(_sql(bot.database_url, sql, id=update_id))


def _forged_update(user: FakeUser, text_: str) -> dict[str, Any]:
    return {
        "update_id": next(_forged_ids),
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": user.chat_dict(),
            "from": user.to_dict(),
            "text": text_,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text_)}],
        },
    }


def _advise_until_recap(fake: FakeTelegram, user: FakeUser) -> str:
    """The advisor from /mulai to the recap, typing and tapping; returns the recap text."""
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    say(fake, user, "jualan sambal botolan", "Tujuan utama")
    tap(fake, user, "penjualan naik", "Budget untuk endorse")
    say(fake, user, "5jt", "platform mana")
    tap(fake, user, "Instagram", "Target pembelinya")
    say(fake, user, "Bandung", "pembelinya biasanya gimana")
    return say(fake, user, "warung", "Cek dulu").text


def _assert_full_recap(recap: str) -> None:
    for part in ("Kuliner", "Biar penjualan naik", "Rp5.000.000", "Instagram", "Bandung"):
        assert part in recap, recap


def test_whole_conversation_over_the_webhook(
    wfake: FakeTelegram, webhook_bot: BotProcess, user_id: int
) -> None:
    user = wfake.user(user_id, "Sari")
    _assert_full_recap(_advise_until_recap(wfake, user))
    rec = tap(wfake, user, "Lihat rekomendasi", "Rekomendasi: influencer")
    assert "dari budget Rp5.000.000" in rec.text and "BPOM" in rec.text
    mine = [d for d in wfake.deliveries() if d.chat_id == user.id]
    assert len(mine) == 8 and all(d.ok and d.url == webhook_bot.webhook_url for d in mine)
    assert wfake.count("getUpdates") == 0  # nobody polls in webhook mode
    assert wfake.webhook["secret_token"] == webhook_bot.webhook_secret
    assert wfake.webhook["allowed_updates"] == ["message", "callback_query"]
    wfake.assert_no_errors()


def test_posts_without_the_secret_are_refused_and_not_processed(
    wfake: FakeTelegram, webhook_bot: BotProcess, user_id: int
) -> None:
    user = wfake.user(user_id, "Penyusup")
    no_secret, wrong_secret, genuine = (_forged_update(user, "/start") for _ in range(3))
    url = webhook_bot.webhook_url
    assert httpx.post(url, json=no_secret).status_code == 403
    wrong = {"X-Telegram-Bot-Api-Secret-Token": f"wrong{webhook_bot.webhook_secret}"}
    assert httpx.post(url, json=wrong_secret, headers=wrong).status_code == 403
    # The same kind of post with the secret is processed: the two above could have been.
    right = {"X-Telegram-Bot-Api-Secret-Token": webhook_bot.webhook_secret}
    mark = wfake.mark()
    assert httpx.post(url, json=genuine, headers=right).status_code == 200
    wfake.wait_for(user.id, since=mark, predicate="Halo")
    handled_so_far(wfake, user)
    assert [m.text.startswith("Halo") for m in wfake.messages(user.id)].count(True) == 1
    assert _processed(webhook_bot, genuine["update_id"])
    assert not _processed(webhook_bot, no_secret["update_id"])
    assert not _processed(webhook_bot, wrong_secret["update_id"])
    assert "refused: wrong or missing secret" in webhook_bot.log


def test_healthz_follows_the_schema(webhook_bot: BotProcess) -> None:
    health = f"{webhook_bot.base_url}/healthz"
    ok = httpx.get(health)
    assert ok.status_code == 200 and ok.json() == {"status": "ok"}
    url = webhook_bot.database_url
    ((version,),) = _sql(url, "SELECT version_num FROM alembic_version")
    _sql(url, "DELETE FROM alembic_version")
    try:
        down = httpx.get(health)
        assert down.status_code == 503
        assert down.json() == {"status": "unavailable", "reason": "database schema is not current"}
    finally:
        _sql(url, "INSERT INTO alembic_version (version_num) VALUES (:v)", v=version)
    assert httpx.get(health).status_code == 200


def test_sigterm_finishes_the_update_in_flight(start_bot: StartBot, user_id: int) -> None:
    with FakeTelegram(token="770002:SIGTERM-token") as own:
        bot = start_bot(own, webhook=True)
        user = own.user(user_id, "Lia")
        say(own, user, "/mulai", "Usahanya di bidang apa")
        say(own, user, "jualan baju", "Tujuan utama")
        own.delay_next("sendMessage", seconds=2)
        mark = own.mark()
        update_id = own.press_button(user, "makin dikenal")
        own.wait_confirmed(update_id)
        own.wait_call("sendMessage", user.id, since=mark)  # the slow reply is on its way
        assert bot.stop() == 0  # SIGTERM, while that reply is held for 2 s
        own.wait_for(user.id, since=mark, predicate="Budget untuk endorse", timeout=1)
        assert "shutting down gracefully" in bot.log

        bot = start_bot(own, database_url=bot.database_url, webhook=True)
        say(own, user, "7,5 juta", "platform mana")
        say(own, user, "tiktok", "Target pembelinya")
        say(own, user, "Jakarta", "pembelinya biasanya gimana")
        recap = say(own, user, "online", "Cek dulu")
        assert "Fashion" in recap.text and "Rp7.500.000" in recap.text
        assert bot.stop() == 0
        own.assert_no_errors()


def test_two_processes_behind_one_webhook(start_bot: StartBot, user_id: int) -> None:
    with FakeTelegram(token="770003:TWO-processes-token") as own:
        first = start_bot(own, webhook=True)
        # Processes behind one webhook share its secret (Telegram sends the last one set).
        second = start_bot(
            own, database_url=first.database_url, webhook=True, WEBHOOK_SECRET=first.webhook_secret
        )
        own.balance_between([first.webhook_url, second.webhook_url])
        user = own.user(user_id, "Budi")
        _assert_full_recap(_advise_until_recap(own, user))

        handled = [d for d in own.deliveries() if d.chat_id == user.id]
        assert len(handled) == 7 and all(d.ok for d in handled)
        urls = [d.url for d in handled]
        assert all(a != b for a, b in itertools.pairwise(urls)), urls  # message by message
        for bot in (first, second):
            assert bot.stop() == 0
        for delivery in handled:
            bot = first if delivery.url == first.webhook_url else second
            assert f"update {delivery.update_id} received on the webhook" in bot.log
        for bot in (first, second):
            log = bot.log
            assert "ready" in log  # the log is really there
            for secret in (own.token, own.token.split(":")[1], first.webhook_secret):
                assert secret not in log
        own.assert_no_errors()


@pytest.mark.parametrize(
    ("url", "secret", "expected"),
    [
        ("http://127.0.0.1:1/tg/x", "", "WEBHOOK_SECRET"),
        ("ftp://bot.example.com/tg/x", "s3cret", "http(s)"),
    ],
)
def test_bad_webhook_settings_stop_with_one_line(
    wfake: FakeTelegram, tmp_path: Path, url: str, secret: str, expected: str
) -> None:
    env = bot_env(
        wfake, f"sqlite:///{tmp_path / 'x.sqlite3'}", WEBHOOK_URL=url, WEBHOOK_SECRET=secret
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "x.sqlite3").exists()  # refused before touching anything
