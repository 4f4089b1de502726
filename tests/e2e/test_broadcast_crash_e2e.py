"""A broadcast to 200 clients under Telegram's limits, and the same with the bot killed halfway."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import StartBot
from fake_telegram import FakeTelegram
from test_advisor_e2e import say, tap

from models.agencies import Agency, AgencyStaff, Client
from models.db import make_engine, migrate, session_scope
from tests import testdb

pytestmark = pytest.mark.e2e
OWNER = 880_001
CLIENTS = [890_000 + i for i in range(200)]
BLOCKED = set(CLIENTS[::40])  # 5 chats that blocked the bot


def _agency_db(seeded_db: str, tmp_path: Path) -> str:
    url = testdb.new_database(tmp_path, template=seeded_db)
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        agency = Agency(name="Agensi Besar", owner_user_id=OWNER)
        session.add(agency)
        session.flush()
        session.add(AgencyStaff(agency_id=agency.id, user_id=OWNER, role="owner", first_name="Ovi"))
        for i, chat in enumerate(CLIENTS):
            session.add(
                Client(
                    agency_id=agency.id, business_name=f"Usaha {i:03d}", user_id=chat, chat_id=chat
                )
            )
    engine.dispose()
    return url


def _deliveries(fake: FakeTelegram, text: str) -> Counter:
    return Counter(m.chat_id for chat in CLIENTS for m in fake.messages(chat) if text in m.text)


def _compose(fake: FakeTelegram, text: str) -> None:
    owner = fake.user(OWNER, "Ovi")
    say(fake, owner, "/siaran", "Tulis kabar untuk klien", timeout=30)
    say(fake, owner, text, "Dikirim ke siapa?", timeout=30)
    preview = tap(fake, owner, "Semua klien", "Penerima: 200 chat klien", timeout=30)
    tap(fake, owner, "Kirim", "masuk antrean untuk 200 chat", preview.message_id, timeout=30)


@pytest.mark.parametrize("crash", [False, True], ids=["clean", "kill-9-halfway"])
def test_broadcast_to_200_clients(
    start_bot: StartBot, seeded_db: str, tmp_path: Path, crash: bool
) -> None:
    database = _agency_db(seeded_db, tmp_path)
    with FakeTelegram(token="555555:BROADCAST-token") as fake:
        for chat in BLOCKED:
            fake.block(chat)
        bot = start_bot(fake, database_url=database)
        text = "Kabar penting minggu ini"
        _compose(fake, text)
        # Telegram's limits from here on: the broadcast and its progress edits must respect
        # them (the owner typing fast while composing is not what is measured).
        fake.set_rate_limits(global_rate=30, per_chat_rate=1)
        if crash:
            fake._wait_until(
                lambda: sum(_deliveries(fake, text).values()) >= 90, 60, lambda: "no progress"
            )  # noqa: SLF001
            assert bot.stop(kill=True) != 0
            delivered_before = sum(_deliveries(fake, text).values())
            assert delivered_before < 195  # really halfway
            bot = start_bot(fake, database_url=database)
        owner = fake.user(OWNER, "Ovi")
        done = fake.wait_for(owner.id, predicate="Siaran selesai", timeout=120)
        counts = _deliveries(fake, text)
        expected = [c for c in CLIENTS if c not in BLOCKED]
        assert all(counts[c] >= 1 for c in expected), "a recipient was lost"
        assert not any(counts[c] for c in BLOCKED)
        duplicates = sum(n - 1 for n in counts.values())
        assert duplicates <= (8 if crash else 0)  # at most the sends in flight at the crash
        assert f"{len(expected)} terkirim" in done.text and "5 memblokir" in done.text
        assert "Usaha 000" in done.text  # blocked chats are listed by name
        progress_edits = [m for m in fake.messages(owner.id) if "Siaran" in m.text and m.edits]
        assert progress_edits, "the progress message was never edited"
        assert fake.rate_limited_count == 0, [
            (c.chat_id, c.method) for c in fake.call_log if c.status == 429
        ]
        bot.stop()
