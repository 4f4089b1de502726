"""A broadcast to 200 clients under Telegram's limits, and the same with the bot killed halfway."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_telegram import FakeTelegram
from helpers import BLOCKED, CLIENTS, OWNER, StartBot, agency_db, compose_broadcast, deliveries

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("crash", [False, True], ids=["clean", "kill-9-halfway"])
def test_broadcast_to_200_clients(
    start_bot: StartBot, seeded_db: str, tmp_path: Path, crash: bool
) -> None:
    database = agency_db(seeded_db, tmp_path)
    with FakeTelegram(token="555555:BROADCAST-token") as fake:
        for chat in BLOCKED:
            fake.block(chat)
        bot = start_bot(fake, database_url=database)
        text = "Kabar penting minggu ini"
        compose_broadcast(fake, text)
        # Telegram's limits from here on: the broadcast and its progress edits must respect
        # them (the owner typing fast while composing is not what is measured).
        fake.set_rate_limits(global_rate=30, per_chat_rate=1)
        if crash:
            fake.wait_until(
                lambda: sum(deliveries(fake, text).values()) >= 90, 60, lambda: "no progress"
            )
            assert bot.stop(kill=True) != 0
            delivered_before = sum(deliveries(fake, text).values())
            assert delivered_before < 195  # really halfway
            bot = start_bot(fake, database_url=database)
        owner = fake.user(OWNER, "Ovi")
        done = fake.wait_for(owner.id, predicate="Siaran selesai", timeout=120)
        counts = deliveries(fake, text)
        expected = [c for c in CLIENTS if c not in BLOCKED]
        assert all(counts[c] >= 1 for c in expected), "a recipient was lost"
        assert not any(counts[c] for c in BLOCKED)
        duplicates = sum(n - 1 for n in counts.values())
        assert duplicates <= (8 if crash else 0)  # at most the sends in flight at the crash
        assert f"{len(expected)} terkirim" in done.text and "5 memblokir" in done.text
        assert "Usaha 000" in done.text  # blocked chats are listed by name
        # One message, the confirmation: queued, then the running count, then the report.
        (progress,) = [m for m in fake.messages(owner.id) if "Siaran" in m.text]
        assert progress.text == done.text and progress.edits >= 2
        assert any("masuk antrean" in text for text in progress.history)
        assert fake.rate_limited_count == 0, [
            (c.chat_id, c.method) for c in fake.call_log if c.status == 429
        ]
        bot.stop()
