"""Database outages: a user action is all or nothing, and the jobs and the outbox sender live on.

The connection "dies" at every statement of each step of a conversation in turn (and at the
commit): each time, the whole database must be exactly as before the step.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
import time_machine
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel

from bot.advisor.search_cache import SEARCHES
from bot.chat import router
from bot.chat.person import Person
from bot.chat.replies import Outcome
from bot.platform.logs import ContextFields
from handlers import jobs
from handlers.context import traced_job
from handlers.system import database_unreachable
from models.campaigns import Campaign, SummaryRun
from models.db import session_scope
from tests.db.chat import button, call
from tests.db.outbox import Recorder, make_broadcast, queue, sender
from tests.outage import FlakyDatabase

SARI = Person(id=31, first_name="Sari", chat_id=31)


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(select(table)).all()), key=repr)
            for table in SQLModel.metadata.sorted_tables
        }


class DyingConnection:
    """Makes the n-th SQL statement (or, with n=0, the commit) fail like a dropped connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.fail_at: int | None = None
        self.count = 0
        self.commits = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _error(self) -> Exception:
        return self.engine.dialect.loaded_dbapi.OperationalError(
            "server closed the connection unexpectedly"
        )

    def _statement(self, *args: object) -> None:
        self.count += 1
        if self.fail_at == self.count:
            raise self._error()

    def _commit(self, connection: object) -> None:
        self.commits += 1
        if self.fail_at == 0:
            raise OperationalError("COMMIT", {}, self._error())

    def remove(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._commit)


def test_no_step_of_the_conversation_is_half_written(db: Engine) -> None:
    dying = DyingConnection(db)
    steps: list[tuple[Callable[..., Outcome], Callable[[Outcome | None], str]]] = [
        (router.start, lambda out: ""),
        (router.text_message, lambda out: "jualan sambal"),
        (router.button, lambda out: button(out, "penjualan")),
        (router.text_message, lambda out: "3jt"),
        (router.button, lambda out: button(out, "Instagram")),
        (router.text_message, lambda out: "Bandung"),
        (router.button, lambda out: button(out, "Pembeli datang ke tempat")),
        (router.button, lambda out: button(out, "Lihat rekomendasi")),
        (router.button, lambda out: button(out, "Simpan")),
    ]
    out: Outcome | None = None
    tried = 0
    try:
        for action, argument in steps:
            arg = argument(out)
            before = snapshot(db)
            statements = _count_statements(db, dying, action, SARI, arg)
            assert statements > 0
            for fail_at in [0, *range(1, statements + 1)]:  # 0: the commit fails
                # every attempt reads the store, as a process that kept no search does
                SEARCHES.clear()
                dying.fail_at, dying.count = fail_at, 0
                with pytest.raises(OperationalError) as caught:
                    call(db, action, SARI, arg)
                dying.fail_at = None
                assert database_unreachable(caught.value)
                assert snapshot(db) == before, (
                    f"{action.__name__}({arg!r}) half-written when statement {fail_at} failed"
                )
                tried += 1
            out = call(db, action, SARI, arg)  # and then it works
            assert snapshot(db) != before
    finally:
        dying.remove()
    assert "Tersimpan" in (out.toast or "")
    assert tried > 20


def _count_statements(
    engine: Engine, dying: DyingConnection, action: Callable[..., Outcome], person: Person, arg: str
) -> int:
    """Run the step in a transaction that is then rolled back, counting its statements."""
    dying.fail_at, dying.count = None, 0
    SEARCHES.clear()
    with pytest.raises(_Undo), session_scope(engine) as session:
        action(session, person, arg)
        session.flush()
        raise _Undo
    return dying.count


class _Undo(Exception):
    pass


class FakeBot:
    def __init__(self) -> None:
        self.photos: list[int] = []

    async def send_photo(self, chat_id: int, photo: object, **kwargs: object) -> None:
        self.photos.append(chat_id)

    async def send_message(self, chat_id: int, text: str, **kwargs: object) -> None:
        pass


def _job_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "handlers.context"
    ]


def test_the_summary_sweep_and_housekeeping_survive_an_outage(
    db: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    from handlers.app import _housekeeping_job

    caplog.handler.addFilter(ContextFields())  # handler= on the records, as in the bot's log
    flaky = FlakyDatabase(db)
    bot = FakeBot()
    settings = SimpleNamespace(timezone="Asia/Jakarta")
    context = SimpleNamespace(bot_data={"engine": db, "settings": settings}, bot=bot)
    sweep = traced_job(jobs.sweep_summaries)
    housekeeping = traced_job(_housekeeping_job, name="app.housekeeping")
    with time_machine.travel(
        datetime(2026, 11, 27, 0, 0, tzinfo=UTC), tick=False
    ) as clock:  # 07:00 WIB
        with session_scope(db) as session:
            campaign = Campaign(
                owner_user_id=SARI.id,
                name="Promo Sambal",
                budget_idr=5_000_000,
                start_date=date(2026, 1, 1),
                end_date=date(2026, 12, 31),
            )
            session.add(campaign)
            session.flush()
            cid = campaign.id
        for data in (
            f"schedule.menu:{cid}",
            f"schedule.frequency:{cid}:daily",
            f"schedule.time:{cid}:0800",
            f"schedule.zone:{cid}:WIB",
        ):
            call(db, router.button, SARI, data)
        clock.move_to(datetime(2026, 11, 27, 1, 0, 20, tzinfo=UTC))  # 08:00:20 WIB: due
        try:
            with caplog.at_level(logging.INFO):
                flaky.down()
                for _ in range(2):  # two ticks during the outage: each fails, is logged, returns
                    asyncio.run(sweep(context))
                    asyncio.run(housekeeping(context))
                assert flaky.refused >= 4 and bot.photos == []
                errors = _job_errors(caplog)
                assert len(errors) == 4  # once per failed tick, no more
                assert {r.handler for r in errors} == {"jobs.sweep_summaries", "app.housekeeping"}
                assert all(r.exc_info and database_unreachable(r.exc_info[1]) for r in errors)
                flaky.up()
                asyncio.run(sweep(context))  # the next tick after the outage sends it, once
                asyncio.run(sweep(context))
                asyncio.run(housekeeping(context))
                assert len(_job_errors(caplog)) == 4
        finally:
            flaky.remove()
    assert bot.photos == [SARI.chat_id]
    with session_scope(db) as session:
        (run,) = session.exec(select(SummaryRun)).all()
        assert run[0].status == "sent"


def test_the_outbox_sender_survives_an_outage_and_then_sends_everything_once(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, [1, 2, 3])
    flaky = FlakyDatabase(engine)
    send = Recorder()

    async def scenario() -> None:
        stop = asyncio.Event()
        outbox = sender(engine, send, poll_interval=0.05)
        flaky.down()
        task = asyncio.create_task(outbox.run_forever(stop))
        for _ in range(500):
            if any("outbox sender run failed" in r.getMessage() for r in caplog.records):
                break
            await asyncio.sleep(0.01)
        assert not task.done() and send.calls == []
        flaky.up()
        outbox.wake()  # rather than the 5 s pause after a failure
        for _ in range(1000):
            if len(send.calls) == 3:
                break
            await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(task, timeout=10)

    try:
        with caplog.at_level(logging.INFO):
            asyncio.run(scenario())
    finally:
        flaky.remove()
    failures = [r for r in caplog.records if "outbox sender run failed" in r.getMessage()]
    assert len(failures) == 1 and failures[0].levelno == logging.ERROR  # logged once per failure
    assert sorted(send.chats.elements()) == [1, 2, 3]
