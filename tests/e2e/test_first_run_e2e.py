"""First run as a newcomer: no network yet, a wrong token, Ctrl-C while waiting.

Without Telegram the bot says so in one line per attempt and keeps retrying; once Telegram
answers it serves as usual. A token Telegram refuses still stops it with exit code 1.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BotProcess, bot_env
from fake_telegram import FakeTelegram

from tests import testdb

pytestmark = pytest.mark.e2e

UNREACHABLE = re.compile(r'msg="cannot reach Telegram \((?P<host>[^)]+)\): [^"]+; retrying in 5 s"')
REFUSED_TOKEN = "Telegram refused TELEGRAM_BOT_TOKEN"


@pytest.fixture
def database(seeded_db: str, tmp_path: Path) -> Iterator[str]:
    url = testdb.new_database(tmp_path, template=seeded_db)
    yield url
    testdb.drop_database(url)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _spawn(fake: FakeTelegram, database_url: str, workdir: Path, **extra: str) -> BotProcess:
    """`python -m bot run` without waiting for it to poll (it may not be able to)."""
    log_path = workdir / "bot.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=workdir,
        env={**bot_env(fake, database_url), "LOG_LEVEL": "INFO", **extra},  # what a newcomer sees
        stdout=subprocess.DEVNULL,
        stderr=log_path.open("w"),
    )
    return BotProcess(proc, log_path, workdir, database_url)


def _wait_log(bot: BotProcess, pattern: re.Pattern[str], count: int = 1) -> list[str]:
    """The log's lines matching `pattern`, once there are `count` of them."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lines = [line for line in bot.log.splitlines() if pattern.search(line)]
        if len(lines) >= count:
            return lines
        assert bot.proc.poll() is None, f"the bot exited ({bot.proc.returncode}):\n{bot.log}"
        time.sleep(0.05)
    raise AssertionError(f"no {count} log line(s) matching {pattern.pattern}; log:\n{bot.log}")


def test_without_telegram_it_waits_in_one_line_then_answers(
    database: str, tmp_path: Path, user_id: int
) -> None:
    port = _free_port()  # nothing listens here until the emulation starts below
    fake = FakeTelegram(token="620001:FIRST-run-token", port=port)
    bot = _spawn(fake, database, tmp_path)
    try:
        (line,) = _wait_log(bot, UNREACHABLE)
        assert f"(127.0.0.1:{port})" in line
        assert "exc=" not in line and "Traceback" not in bot.log
        assert fake.token not in bot.log

        with fake:  # Telegram becomes reachable: the next attempt gets through
            fake.wait_polling(timeout=60)
            user = fake.user(user_id, "Sari")
            mark = fake.mark()
            fake.send_text(user, "/start")
            fake.wait_for(user.id, since=mark, predicate="Usahanya di bidang apa", timeout=20)
            assert bot.stop() == 0
            fake.assert_no_errors()
    finally:
        bot.stop()
    assert "Traceback" not in bot.log


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_a_signal_while_waiting_for_telegram_stops_at_once_with_exit_0(
    database: str, tmp_path: Path, mode: str
) -> None:
    fake = FakeTelegram(token="620002:FIRST-run-token", port=_free_port())  # never started
    extra: dict[str, str] = {}
    if mode == "webhook":
        hook_port = _free_port()
        extra = {
            "WEBHOOK_URL": f"http://127.0.0.1:{hook_port}/tg/first-run",
            "WEBHOOK_SECRET": "first-run-secret",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(hook_port),
        }
    bot = _spawn(fake, database, tmp_path, **extra)
    try:
        _wait_log(bot, UNREACHABLE)
        assert bot.stop() == 0  # SIGTERM during the 5 s back-off
    finally:
        bot.stop()
    log = bot.log
    # Stopped during the wait: no further attempt after the signal, nothing half started.
    after_signal = log.split("received SIGTERM", 1)[1]
    assert "cannot reach Telegram" not in after_signal
    assert "Traceback" not in log and "level=ERROR" not in log


def test_a_token_telegram_refuses_stops_with_exit_1(database: str, tmp_path: Path) -> None:
    with FakeTelegram(token="620003:RIGHT-token") as fake:
        bot = _spawn(fake, database, tmp_path, TELEGRAM_BOT_TOKEN="620003:WRONG-token")
        try:
            assert bot.proc.wait(timeout=60) == 1
        finally:
            bot.stop()
    assert REFUSED_TOKEN in bot.log
    assert "cannot reach Telegram" not in bot.log
