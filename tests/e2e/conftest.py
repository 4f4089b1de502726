"""End-to-end fixtures: the real bot process (`python -m bot run`) against the Bot API emulation."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_telegram import FakeTelegram
from helpers import ROOT, BotProcess, StartBot, bot_env

from tests import testdb


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a database with the bundled sample store, made once and copied per bot."""
    workdir = tmp_path_factory.mktemp("seed")
    url = testdb.new_database(workdir)
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "bot", "seed-demo"],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
    )
    yield url
    testdb.drop_database(url)


@pytest.fixture(scope="session")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


CLOCK_AHEAD = Path(__file__).with_name("clock_ahead.py")


@pytest.fixture(scope="session")
def bot_launcher(seeded_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartBot]:
    """`start_bot` for module- and session-scoped fixtures, which stop their bots themselves
    (whatever is still running is stopped at the end of the session)."""
    started: list[BotProcess] = []
    made: list[str] = []

    def start(
        fake: FakeTelegram,
        *,
        database_url: str | None = None,
        webhook: bool = False,
        clock_ahead: float | None = None,
        **extra: str,
    ) -> BotProcess:
        workdir = tmp_path_factory.mktemp("bot")
        if database_url is None:
            database_url = testdb.new_database(workdir, template=seeded_db)
            made.append(database_url)
        log_path = workdir / "bot.log"
        settings = {**_webhook_settings(), **extra} if webhook else dict(extra)
        since = fake.mark()
        command = [sys.executable, "-m", "bot", "run"]
        if clock_ahead is not None:
            command = [sys.executable, str(CLOCK_AHEAD), str(clock_ahead), "run"]
        proc = subprocess.Popen(
            command,
            cwd=workdir,
            env=bot_env(fake, database_url, **settings),
            stdout=subprocess.DEVNULL,
            stderr=log_path.open("w"),
        )
        bot = BotProcess(proc, log_path, workdir, database_url)
        started.append(bot)
        try:
            if webhook:
                bot.webhook_port = int(settings["WEBHOOK_PORT"])
                bot.webhook_url, bot.webhook_secret = (
                    settings["WEBHOOK_URL"],
                    settings["WEBHOOK_SECRET"],
                )
                fake.wait_webhook(timeout=30, since=since, url=bot.webhook_url)
                _wait_healthy(bot)
            else:
                fake.wait_polling(timeout=30, since=since)
        except AssertionError as exc:
            bot.stop()
            mode = "serve its webhook" if webhook else "start polling"
            raise AssertionError(f"bot did not {mode} ({exc}); its log:\n{bot.log}") from None
        return bot

    yield start
    stop_all(started)
    for url in made:
        testdb.drop_database(url)


@pytest.fixture
def start_bot(bot_launcher: StartBot) -> Iterator[StartBot]:
    """Start a bot on a copy of the seeded database (or on a given one, for restarts); the
    bots a test starts are stopped when it ends.

    The bot's database URL is `bot.database_url`; pass it back as `database_url=` to restart
    on the same data. `webhook=True` runs it in webhook mode on a free port with a fresh path
    and secret (override any with WEBHOOK_*=...; processes behind one webhook share the secret).
    `clock_ahead=s` moves the bot's wall clock s seconds ahead (see clock_ahead.py).
    """
    started: list[BotProcess] = []

    def start(fake: FakeTelegram, **kwargs: Any) -> BotProcess:
        bot = bot_launcher(fake, **kwargs)
        started.append(bot)
        return bot

    yield start
    # At once, not left for the end of the session: a bot whose emulator is gone backs off
    # between retries for longer and longer, and a stop waits for the back-off to end.
    stop_all(started)


def stop_all(bots: list[BotProcess]) -> None:
    """Stop the bots still running, all at the same time."""
    running = [bot for bot in bots if bot.proc.poll() is None]
    for bot in running:
        bot.proc.terminate()
    for bot in running:
        bot.stop()


def _webhook_settings() -> dict[str, str]:
    """WEBHOOK_* for a bot of its own: a free port, an unguessable path, a fresh secret."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return {
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/tg/{secrets.token_hex(8)}",
        "WEBHOOK_SECRET": secrets.token_urlsafe(24),
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
    }


def _wait_healthy(bot: BotProcess, timeout: float = 10.0) -> None:
    """The webhook is set; wait until /healthz says the process can serve."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline and bot.proc.poll() is None:
        try:
            response = httpx.get(f"{bot.base_url}/healthz", timeout=2)
        except httpx.HTTPError as exc:
            last = repr(exc)
        else:
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text}"
        time.sleep(0.05)
    raise AssertionError(f"/healthz did not answer 200 within {timeout}s (last: {last})")


@pytest.fixture(scope="session")
def shared_bot(fake: FakeTelegram, bot_launcher: StartBot) -> BotProcess:
    """One bot for the tests that do not restart it; each test uses its own user id."""
    return bot_launcher(fake)


_next_user = iter(range(700_001, 800_000))


@pytest.fixture
def user_id() -> int:
    return next(_next_user)
