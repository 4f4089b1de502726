"""Two bot processes in webhook mode on one database: a broadcast and a scheduled summary
still reach each chat once, and only one outbox sender works at a time (so Telegram's
30 messages per second are not doubled)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fake_telegram import FakeTelegram
from helpers import (
    BLOCKED,
    CLIENTS,
    OWNER,
    StartBot,
    agency_db,
    compose_broadcast,
    deliveries,
    wait_sweeps,
)

from models.base import utcnow
from models.campaigns import Campaign, SummarySchedule
from models.db import make_engine, session_scope

pytestmark = pytest.mark.e2e


def _due_summary(database_url: str) -> int:
    """A campaign of the agency owner whose daily summary fell due a minute ago."""
    due = datetime.now(ZoneInfo("Asia/Jakarta")) - timedelta(minutes=1)
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        campaign = Campaign(
            owner_user_id=OWNER,
            name="Promo Bersama",
            budget_idr=5_000_000,
            start_date=date.today() - timedelta(days=3),
            end_date=date.today() + timedelta(days=30),
        )
        session.add(campaign)
        session.flush()
        long_ago = utcnow() - timedelta(days=2)
        session.add(
            SummarySchedule(
                campaign_id=campaign.id,
                frequency="daily",
                at_time=due.strftime("%H:%M"),
                timezone="Asia/Jakarta",
                created_at=long_ago,
                updated_at=long_ago,
            )
        )
        campaign_id = campaign.id
    engine.dispose()
    return campaign_id


def test_two_processes_send_each_broadcast_and_summary_once(
    start_bot: StartBot, seeded_db: str, tmp_path: Path
) -> None:
    database_url = agency_db(seeded_db, tmp_path)
    _due_summary(database_url)
    with FakeTelegram(token="770010:TWO-senders-token") as fake:
        for chat in BLOCKED:
            fake.block(chat)
        first = start_bot(fake, database_url=database_url, webhook=True, SWEEP_INTERVAL_SECONDS="1")
        second = start_bot(
            fake,
            database_url=database_url,
            webhook=True,
            WEBHOOK_SECRET=first.webhook_secret,
            SWEEP_INTERVAL_SECONDS="1",
        )
        fake.balance_between([first.webhook_url, second.webhook_url])
        owner = fake.user(OWNER, "Ovi")
        summary = fake.wait_for(owner.id, predicate=lambda m: m.photo is not None, timeout=60)
        assert "Ringkasan harian" in summary.text and "· Promo Bersama" in summary.text

        text = "Kabar dua proses"
        compose_broadcast(fake, text)
        # Telegram's limits from here on: two senders at once would go over them.
        fake.set_rate_limits(global_rate=30, per_chat_rate=1)
        done = fake.wait_for(owner.id, predicate="Siaran selesai", timeout=120)
        counts = deliveries(fake, text)
        expected = [c for c in CLIENTS if c not in BLOCKED]
        assert Counter(counts[c] for c in expected) == Counter({1: len(expected)})  # each once
        assert not any(counts[c] for c in BLOCKED)
        assert f"{len(expected)} terkirim" in done.text
        assert not [e for e in fake.errors_returned if e[1] == 429], (
            "the two processes went over the rate limit"
        )

        for bot in (first, second):
            wait_sweeps(bot)  # a second copy of the summary would have been sent by then
        assert (
            sum(1 for m in fake.messages(owner.id) if m.photo is not None) == 1
        )  # the summary once
        for bot in (first, second):
            assert bot.stop() == 0
        fake.assert_no_errors(allow=[403])
