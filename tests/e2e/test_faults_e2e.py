"""Faults never crash the bot: Bot API 5xx and timeouts, errors to the admins, a database that
goes away, and the log that tells the story one line at a time."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fake_telegram import FakeTelegram, FakeUser
from helpers import HELP_HANDLER, BotProcess, StartBot, say, tap, texts_since
from sqlalchemy.engine import make_url
from tcp_proxy import TcpProxy

from bot.config import Settings
from bot.platform.logs import ContextFields
from handlers.app import build_application
from handlers.chat import privacy
from handlers.context import handler_name
from models.conversations import Conversation
from models.db import make_engine, migrate, session_scope
from tests import testdb
from tests.outage import FlakyDatabase

pytestmark = pytest.mark.e2e

ADMIN = 771_001
RETRY = "Coba lagi sebentar"  # bot/templates/error.j2
DISRUPTION = "belum tersimpan"  # bot/templates/error_database.j2
LINE = re.compile(
    r'^ts=\d{4}-\d\d-\d\dT[\d:.]+Z level=(?:DEBUG|INFO|WARNING|ERROR|CRITICAL) logger=\S+ msg="(?:[^"\\]|\\.)*"'
    r'(?: [a-z_]+=(?:"(?:[^"\\]|\\.)*"|[^\s"]+))*$'
)


@pytest.fixture(scope="module")
def plain_bot(bot_launcher: StartBot) -> Iterator[tuple[FakeTelegram, BotProcess]]:
    """A bot of its own: injected faults hit only its calls."""
    with FakeTelegram(token="610001:FAULTS-plain-secret") as fake:
        bot = bot_launcher(fake)
        yield fake, bot
        bot.stop()


@pytest.fixture(scope="module")
def admin_bot(bot_launcher: StartBot) -> Iterator[tuple[FakeTelegram, BotProcess]]:
    with FakeTelegram(token="610002:FAULTS-admin-secret") as fake:
        fake.user(ADMIN, "Operator")
        bot = bot_launcher(fake, ADMIN_USER_IDS=str(ADMIN))
        yield fake, bot
        bot.stop()


def test_bot_api_errors_and_timeouts_never_crash_the_bot(
    plain_bot: tuple[FakeTelegram, BotProcess], user_id: int
) -> None:
    fake, bot = plain_bot
    user = fake.user(user_id, "Rani")
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    # A short blip (502, 500): the reply is retried and arrives.
    fake.fail_next("sendMessage", times=2, status=502)
    say(fake, user, "jualan sambal", "Tujuan utama")
    # Longer: the handler gives up, the error handler's short message gets through.
    fake.fail_next("sendMessage", times=3, status=500)
    mark = fake.mark()
    fake.send_text(user, "/bantuan")
    fake.wait_for(user.id, since=mark, predicate=RETRY, timeout=20)
    assert not any("Cara pakai" in text for text in texts_since(fake, user, mark))
    # Telegram down for longer still: even the error message fails; the bot just logs it.
    fake.fail_next("sendMessage", times=4, status=502)
    mark = fake.mark()
    fake.send_text(user, "/bantuan")
    bot.wait_log("could not tell the chat about the error")
    assert texts_since(fake, user, mark) == []
    # A timeout (no answer within PTB's 5 s read timeout): the user is told to try again.
    fake.delay_next("sendMessage", times=1, seconds=6.5)
    mark = fake.mark()
    fake.send_text(user, "/privasi")
    fake.wait_for(user.id, since=mark, predicate=RETRY, timeout=20)
    assert bot.proc.poll() is None
    # Everything works again, and the conversation went on where it was.
    tap(fake, user, "penjualan naik", "Budget untuk endorse")
    say(fake, user, "/bantuan", "Cara pakai")
    fake.assert_no_errors(allow=[500, 502])
    assert "level=ERROR" in bot.log and "TimedOut" in bot.log and "NetworkError" in bot.log


def test_errors_reach_the_admin_once_per_minute_per_kind(
    admin_bot: tuple[FakeTelegram, BotProcess], user_id: int
) -> None:
    fake, bot = admin_bot
    user = fake.user(user_id, "Yogi")
    start = fake.mark()
    for attempt in range(2):  # the same failure twice within a minute
        fake.fail_next("sendMessage", times=3, status=502)  # all of the handler's attempts
        mark = fake.mark()
        fake.send_text(user, "/bantuan")
        fake.wait_for(user.id, since=mark, predicate=RETRY, timeout=20)
        if attempt == 0:
            fake.wait_for(ADMIN, since=mark, predicate="NetworkError", timeout=10)
    # Then an error of another kind: alerts go out in the order of the errors, so once its
    # alert is there, a second alert about /bantuan would be there too.
    fake.fail_next("sendMessage", times=3, status=502)
    mark = fake.mark()
    fake.send_text(user, "/privasi")
    fake.wait_for(user.id, since=mark, predicate=RETRY, timeout=20)
    other = fake.wait_for(ADMIN, since=mark, predicate=handler_name(privacy), timeout=10)
    alerts = [e.message.text for e in fake.events(ADMIN, since=start, until=other.seq)]
    assert len(alerts) == 1, alerts
    (alert,) = alerts
    assert "NetworkError" in alert and HELP_HANDLER in alert and str(user.id) in alert
    assert "common.py" in alert  # where in our code, not deep inside httpx
    assert fake.token not in alert and "FAULTS" not in alert
    assert bot.proc.poll() is None
    say(fake, user, "/bantuan", "Cara pakai")
    fake.assert_no_errors(allow=[502])


# ------------------------------------------------------------------------------ database outage


def _outage_scenario(
    fake: FakeTelegram,
    user: FakeUser,
    cut: Callable[[], None],
    restore: Callable[[], None],
    database_url: str,
) -> None:
    """Cut the database while the user answers; nothing of that answer may be saved, and after
    the database is back the same button works (its version is still current)."""
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    question = say(fake, user, "jualan sambal", "Tujuan utama")
    before = _conversation(database_url, user.id)
    cut()
    try:
        mark = fake.mark()
        fake.press_button(user, "penjualan naik", question.message_id)
        disruption = fake.wait_for(user.id, since=mark, predicate=DISRUPTION, timeout=30)
        assert "Kak" in disruption.text and "Coba" in disruption.text
        mark = fake.mark()
        fake.send_text(user, "3jt")  # a text message too: the claim fails the same way
        fake.wait_for(user.id, since=mark, predicate=DISRUPTION, timeout=30)
        assert _conversation(database_url, user.id) == before  # nothing half-saved
    finally:
        restore()
    tap(fake, user, "penjualan naik", "Budget untuk endorse", question.message_id, timeout=30)
    say(fake, user, "3jt", "platform mana")
    after = _conversation(database_url, user.id)
    assert after[1].get("goal") == "sales" and after[1].get("budget") == 3_000_000, after


def _conversation(database_url: str, chat_id: int) -> tuple[str, dict, int]:
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            row = session.get(Conversation, chat_id)
            return row.step, dict(row.answers), row.version
    finally:
        engine.dispose()


@pytest.mark.skipif(
    not testdb.is_postgres(),
    reason="needs a database server to cut; on SQLite see the in-process test",
)
def test_postgres_cut_off_and_back(
    start_bot: StartBot, seeded_db: str, tmp_path: Path, user_id: int
) -> None:
    url = testdb.new_database(tmp_path, template=seeded_db)
    real = make_url(url)
    try:
        with (
            TcpProxy(real.host or "127.0.0.1", real.port or 5432) as proxy,
            FakeTelegram(token="610003:FAULTS-pg-secret") as fake,
        ):
            proxied = real.set(host="127.0.0.1", port=proxy.port).render_as_string(
                hide_password=False
            )
            bot = start_bot(fake, database_url=proxied)
            user = fake.user(user_id, "Sari")
            _outage_scenario(fake, user, proxy.cut, proxy.restore, url)
            assert bot.proc.poll() is None
            assert "OperationalError" in bot.log and "handler=system.claim" in bot.log
            bot.stop()
            fake.assert_no_errors()
    finally:
        testdb.drop_database(url)


class InProcessBot:
    """The real Application (handlers, jobs, outbox, error handler) in a thread of the test."""

    def __init__(self, fake: FakeTelegram, database_url: str) -> None:
        self.fake = fake
        self.engine = make_engine(database_url)
        migrate(self.engine)
        self.flaky = FlakyDatabase(self.engine)
        settings = Settings(
            _env_file=None,
            telegram_bot_token=fake.token,
            telegram_api_base_url=fake.base_url,
            telegram_api_file_url=fake.file_base_url,
            database_url=database_url,
            admin_user_ids=frozenset(),
        )
        self.application = build_application(settings, self.engine)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="in-process-bot", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.application.run_polling(
            stop_signals=None, allowed_updates=["message", "callback_query"]
        )

    def start(self) -> InProcessBot:
        since = self.fake.mark()
        self.thread.start()
        self.fake.wait_polling(timeout=30, since=since)
        return self

    def stop(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.application.stop_running)
            self.thread.join(timeout=30)
        self.flaky.remove()
        self.engine.dispose()


@pytest.mark.skipif(
    testdb.is_postgres(), reason="on PostgreSQL the TCP-proxy test cuts a real connection"
)
def test_database_unreachable_in_process(
    seeded_db: str, tmp_path: Path, user_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite has no server to cut: every new connection fails for a while instead (and the pooled
    ones are dropped), under the real Application with its jobs and outbox running."""
    caplog.handler.addFilter(ContextFields())
    url = testdb.new_database(tmp_path, template=seeded_db)
    with FakeTelegram(token="610004:FAULTS-inproc-secret") as fake:
        bot = InProcessBot(fake, url).start()
        try:
            user = fake.user(user_id, "Sari")
            _outage_scenario(fake, user, bot.flaky.down, bot.flaky.up, url)
            assert bot.thread.is_alive() and bot.flaky.refused >= 2
        finally:
            bot.stop()
        fake.assert_no_errors()
    errors = [r for r in caplog.records if r.levelname == "ERROR" and r.name == "handlers.system"]
    assert len(errors) == 2, [r.getMessage() for r in errors]  # the tap and the text: once each
    assert {(r.handler, r.chat_id) for r in errors} == {("system.claim", user_id)}
    assert all("OperationalError" in r.getMessage() for r in errors)


# ------------------------------------------------------------------------------ the log


def test_the_log_is_one_structured_line_per_record(
    plain_bot: tuple[FakeTelegram, BotProcess],
    admin_bot: tuple[FakeTelegram, BotProcess],
    user_id: int,
) -> None:
    for fake, bot in (plain_bot, admin_bot):
        user = fake.user(user_id, "Lina")
        say(fake, user, "/bantuan", "Cara pakai")
        expected = re.compile(
            rf'msg="update handled" update_id=\d+ chat_id={user.id} handler={re.escape(HELP_HANDLER)} '
        )
        bot.wait_log(expected.pattern)  # logged after the reply
        text = bot.log
        lines = text[: text.rfind("\n")].split("\n")  # a line being written is not finished yet
        assert len(lines) > 20
        bad = [line for line in lines if not LINE.match(line)]
        assert not bad, bad[:5]
        handled = [line for line in lines if 'msg="update handled"' in line]
        assert handled
        for line in handled:
            assert re.search(r" update_id=\d+ chat_id=\d+ handler=[a-z_.]+ ", line), line
            assert re.search(r" duration_ms=[\d.]+", line), line
        assert any(expected.search(line) for line in handled)
        errors = [line for line in lines if "level=ERROR" in line]
        for line in errors:
            assert "handler=" in line and 'exc="Traceback' in line, line
        secret = fake.token.split(":", 1)[1]
        assert fake.token not in text and secret not in text
