"""Scheduled summaries: set in the chat, claimed once per period, late once after an outage."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import Engine
from sqlmodel import select

from bot.chat import router
from bot.chat.person import Person
from bot.summaries.sweeper import STALE_CLAIM, Claim, build_summary, claim_due, mark_sent
from models.campaigns import Campaign, SummaryRun, SummarySchedule
from models.db import make_engine, session_scope
from tests.db.chat import call, texts

SARI = Person(id=41, first_name="Sari", chat_id=41)


def _campaign(engine: Engine, person: Person, name: str) -> int:
    with session_scope(engine) as session:
        campaign = Campaign(
            owner_user_id=person.id,
            name=name,
            budget_idr=5_000_000,
            start_date=datetime(2026, 1, 1).date(),
            end_date=datetime(2026, 12, 31).date(),
        )
        session.add(campaign)
        session.flush()
        return campaign.id


def _schedule(engine: Engine, person: Person, cid: int, *presses: str) -> None:
    call(engine, router.button, person, f"schedule.menu:{cid}")
    for data in presses:
        out = call(engine, router.button, person, data)
    assert "Ringkasan" in texts(out)


def test_schedule_set_in_chat_and_sent_once(engine: Engine) -> None:
    with time_machine.travel(
        datetime(2026, 11, 27, 0, 0, tzinfo=UTC), tick=False
    ) as clock:  # 07:00 WIB
        cid = _campaign(engine, SARI, "Promo Sambal")
        _schedule(
            engine,
            SARI,
            cid,
            f"schedule.frequency:{cid}:daily",
            f"schedule.time:{cid}:0800",
            f"schedule.zone:{cid}:WIB",
        )
        detail = texts(call(engine, router.button, SARI, f"campaign.detail:{cid}"))
        assert "setiap hari pukul 08.00 WIB" in detail and "27 Nov 2026, 08.00 WIB" in detail
        with session_scope(engine) as session:
            assert claim_due(session, now=datetime.now(UTC)) == []
        clock.move_to(datetime(2026, 11, 27, 1, 0, 20, tzinfo=UTC))  # 08:00:20 WIB
        with session_scope(engine) as session:
            (claim,) = claim_due(session, now=datetime.now(UTC))
            assert claim.period_key == "D2026-11-27" and not claim.late and claim.chat_id == SARI.id
            message = build_summary(
                session, claim, now=datetime.now(UTC), default_timezone="Asia/Jakarta"
            )
            assert (
                message.chart_png.startswith(b"\x89PNG")
                and "Ringkasan harian 26 Nov</b> · Promo Sambal" in message.text
            )
            assert len(message.text) <= 1024
        with session_scope(engine) as session:
            assert (
                claim_due(session, now=datetime.now(UTC)) == []
            )  # claimed, not yet sent: not again
            mark_sent(session, run_id=claim.run_id, now=datetime.now(UTC))
        clock.move_to(datetime(2026, 11, 27, 1, 0, 20, tzinfo=UTC) + STALE_CLAIM * 2)
        with session_scope(engine) as session:
            assert claim_due(session, now=datetime.now(UTC)) == []
        call(engine, router.button, SARI, f"schedule.stop:{cid}")
        clock.move_to(datetime(2026, 11, 29, 2, 0, tzinfo=UTC))
        with session_scope(engine) as session:
            assert claim_due(session, now=datetime.now(UTC)) == []  # stopped


@pytest.mark.slow
def test_sixty_days_with_restarts_and_an_outage(database_url: str) -> None:
    """Daily 08:00 WIB and weekly Monday 19:00 WITA; sweeps every 10 minutes while up."""
    start = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    end = start + timedelta(days=60)
    restarts = {start + timedelta(days=d, hours=3) for d in (7, 19, 30, 41, 52)}
    outage = (
        start + timedelta(days=25, hours=0, minutes=30),
        start + timedelta(days=25, hours=6, minutes=30),
    )
    crash_once = start + timedelta(
        days=10, hours=1
    )  # 11 Jan 08:00 WIB  # claimed, process dies before sending
    sends: Counter[tuple[int, str]] = Counter()
    engine = make_engine(database_url)
    from models.db import migrate

    migrate(engine)
    with time_machine.travel(start, tick=False) as clock:
        daily = _campaign(engine, SARI, "Harian")
        weekly = _campaign(engine, SARI, "Mingguan")
        _schedule(
            engine,
            SARI,
            daily,
            f"schedule.frequency:{daily}:daily",
            f"schedule.time:{daily}:0800",
            f"schedule.zone:{daily}:WIB",
        )
        _schedule(
            engine,
            SARI,
            weekly,
            f"schedule.frequency:{weekly}:weekly",
            f"schedule.weekday:{weekly}:0",
            f"schedule.time:{weekly}:1900",
            f"schedule.zone:{weekly}:WITA",
        )
        now = start
        while now < end:
            now += timedelta(minutes=10)
            clock.move_to(now)
            if outage[0] <= now < outage[1]:
                continue
            if any(r <= now < r + timedelta(minutes=5) for r in restarts):
                engine.dispose()
                engine = make_engine(database_url)  # a new process: only the database remembers
                continue
            with session_scope(engine) as session:
                claims = claim_due(session, now=now)
            for claim in claims:
                if now == crash_once:
                    continue  # sent nothing, recorded nothing: the claim goes stale
                sends[(claim.campaign_id, claim.period_key)] += 1
                with session_scope(engine) as session:
                    mark_sent(session, run_id=claim.run_id, now=now)
    with session_scope(engine) as session:
        runs = session.exec(select(SummaryRun)).all()
        schedules = session.exec(select(SummarySchedule)).all()
    assert len(schedules) == 2
    keys = Counter((r.campaign_id, r.period_key) for r in runs)
    assert max(keys.values()) == 1  # every (campaign, period) recorded once
    assert all(count == 1 for count in sends.values())  # and sent at most once
    daily_runs = [r for r in runs if r.campaign_id == daily]
    weekly_runs = [r for r in runs if r.campaign_id == weekly]
    assert len(daily_runs) == 60  # 1 Jan .. 1 Mar 08:00 WIB = 60 fire times
    assert len(weekly_runs) == 8  # Mondays 19:00 WITA: 5 Jan .. 23 Feb
    assert all(r.status == "sent" for r in runs)
    late = [r for r in runs if r.late]
    # The outage (00:30-06:30 UTC on 26 Jan) swallowed the 08:00 WIB (01:00 UTC) fire time:
    # sent once, late, afterwards; the crashed claim was retried once it was stale.
    assert [(r.campaign_id, r.period_key) for r in late] == [(daily, "D2026-01-26")]
    retried = next(r for r in runs if r.period_key == "D2026-01-11")
    assert retried.sent_at - retried.fire_at >= STALE_CLAIM
    assert sum(sends.values()) == 68


def test_a_summary_uses_the_timezone_setting_when_the_owner_chose_no_zone(engine: Engine) -> None:
    cid = _campaign(engine, SARI, "Promo Sambal")
    now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    claim = Claim(
        0, cid, SARI.chat_id, "D2026-11-27", late=True, covers_from=now - timedelta(days=1)
    )
    with session_scope(engine) as session:
        message = build_summary(session, claim, now=now, default_timezone="Asia/Makassar")
    assert "26 Nov 2026, 09.00 WITA" in message.text


@pytest.mark.parametrize(
    ("start", "title"),
    [
        (date(2026, 11, 1), "Ringkasan mingguan 2–8 Des</b> · Kuliner Tiktok 1 Nov"),
        # created on 7 Des: the quoted summary said "Ringkasan Kuliner Tiktok 7 Des"
        (date(2026, 12, 7), "Ringkasan mingguan 7–8 Des</b> · Kuliner Tiktok 7 Des"),
    ],
)
def test_summary_title_names_the_period_it_covers(engine: Engine, start: date, title: str) -> None:
    with session_scope(engine) as session:
        campaign = Campaign(
            owner_user_id=SARI.id,
            name=f"Kuliner Tiktok {start.day} {'Nov' if start.month == 11 else 'Des'}",
            budget_idr=5_000_000,
            start_date=start,
            end_date=date(2027, 1, 31),
        )
        session.add(campaign)
        session.flush()
        # Wednesdays at 09.00 WIB; 9 Des 2026 is a Wednesday.
        session.add(
            SummarySchedule(campaign_id=campaign.id, frequency="weekly", at_time="09:00", weekday=2)
        )
        session.flush()
        now = datetime(2026, 12, 9, 2, 0, 30, tzinfo=UTC)
        (claim,) = claim_due(session, now=now)
        message = build_summary(session, claim, now=now, default_timezone="Asia/Jakarta")
        assert title in message.text
        assert "Belum ada fee influencer" in message.text  # no members: no "Biaya Rp0"
