"""End-to-end fixtures: the real bot process (`python -m bot run`) against the Bot API emulation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class BotProcess:
    """One running bot; `log` is its whole stderr (where it logs)."""

    proc: subprocess.Popen
    log_path: Path
    workdir: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, *, kill: bool = False) -> int:
        if self.proc.poll() is None:
            if kill:
                self.proc.kill()
            else:
                self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode


def bot_env(fake: FakeTelegram, database_url: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=fake.base_url,
        TELEGRAM_API_FILE_URL=fake.file_base_url,
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="DEBUG",
        **extra,
    )
    return env


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the bundled sample store, made once and copied per bot."""
    workdir = tmp_path_factory.mktemp("seed")
    path = workdir / "seeded.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "bot", "seed-demo"], cwd=workdir, env=env, check=True, capture_output=True)
    return path


@pytest.fixture(scope="session")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


StartBot = Callable[..., BotProcess]


@pytest.fixture(scope="session")
def start_bot(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartBot]:
    """Start a bot on a copy of the seeded database (or on a given one, for restarts)."""
    started: list[BotProcess] = []

    def start(fake: FakeTelegram, *, database: Path | None = None, **extra: str) -> BotProcess:
        workdir = tmp_path_factory.mktemp("bot")
        if database is None:
            database = workdir / "bot.sqlite3"
            shutil.copy(seeded_db, database)
        log_path = workdir / "bot.log"
        since = fake.mark()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=workdir,
            env=bot_env(fake, f"sqlite:///{database}", **extra),
            stdout=subprocess.DEVNULL,
            stderr=log_path.open("w"),
        )
        bot = BotProcess(proc, log_path, workdir)
        started.append(bot)
        try:
            fake.wait_polling(timeout=30, since=since)
        except AssertionError:
            bot.stop()
            raise AssertionError(f"bot did not start polling; its log:\n{bot.log}") from None
        return bot

    yield start
    for bot in started:
        bot.stop()


@pytest.fixture(scope="session")
def shared_bot(fake: FakeTelegram, start_bot: StartBot) -> BotProcess:
    """One bot for the tests that do not restart it; each test uses its own user id."""
    return start_bot(fake)


_next_user = iter(range(700_001, 800_000))


@pytest.fixture
def user_id() -> int:
    return next(_next_user)
