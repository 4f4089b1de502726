"""What the end-to-end tests share: the bot process, acting as a user, waiting for proof that
the bot has finished with something, and a 200-client agency for broadcasts."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fake_telegram import FakeTelegram, FakeUser, SentMessage

from handlers.chat import help_command
from handlers.context import handler_name
from models.agencies import Agency, AgencyStaff, Client
from models.db import make_engine, migrate, session_scope
from tests import testdb

ROOT = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------------- the bot


@dataclass
class BotProcess:
    """One running bot; `log` is its whole stderr (where it logs). In webhook mode
    `webhook_url` is what it registered (also where it listens, on 127.0.0.1:`webhook_port`)."""

    proc: subprocess.Popen
    log_path: Path
    workdir: Path
    database_url: str
    webhook_port: int | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port> of a webhook-mode bot (for /healthz and raw POSTs)."""
        assert self.webhook_port is not None, "this bot runs in polling mode"
        return f"http://127.0.0.1:{self.webhook_port}"

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_lines(self, pattern: str) -> list[str]:
        """Finished log lines (a line being written is left out) that match `pattern`."""
        text = self.log
        return [line for line in text[: text.rfind("\n")].split("\n") if re.search(pattern, line)]

    def wait_log(self, pattern: str, count: int = 1, timeout: float = 20.0) -> list[str]:
        """Wait until `count` finished log lines match `pattern`; returns them."""
        deadline = time.monotonic() + timeout
        while len(lines := self.log_lines(pattern)) < count:
            if time.monotonic() >= deadline or self.proc.poll() is not None:
                raise AssertionError(
                    f"{len(lines)} of {count} log lines matching {pattern!r}; the log:\n{self.log}"
                )
            time.sleep(0.05)
        return lines

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


StartBot = Callable[..., BotProcess]


def bot_env(fake: FakeTelegram, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a bot that talks to `fake` and keeps its data in `database_url`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_"))
    }
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


# ------------------------------------------------------------------------- acting as a user


Expect = str | Callable[[SentMessage], bool]  # a substring of the reply, or a test of it


def say(
    fake: FakeTelegram, user: FakeUser, text: str, expect: Expect, timeout: float = 20
) -> SentMessage:
    """The user sends `text`; the first reply (or edit) containing `expect` after it."""
    mark = fake.mark()
    fake.send_text(user, text)
    return fake.wait_for(user.id, since=mark, predicate=expect, timeout=timeout)


def tap(
    fake: FakeTelegram,
    user: FakeUser,
    label: str,
    expect: Expect,
    message_id: int | None = None,
    timeout: float = 20,
) -> SentMessage:
    """The user taps the button `label` (on the newest keyboard, or on `message_id`)."""
    mark = fake.mark()
    fake.press_button(user, label, message_id)
    return fake.wait_for(user.id, since=mark, predicate=expect, timeout=timeout)


@dataclass(frozen=True)
class NewCampaign:
    """A campaign made the way owners make one: a brief, its recommendation, saved, adopted."""

    id: str  # the number the bot shows ("#12" without the "#")
    handles: list[str]  # its members, in the order the campaign view lists them
    detail: SentMessage  # the campaign view


def campaign_from_recommendation(fake: FakeTelegram, owner: FakeUser) -> NewCampaign:
    say(fake, owner, "/mulai", "Usahanya di bidang apa")
    say(
        fake,
        owner,
        "jualan sambal online di Bandung budget 5jt biar laris di instagram",
        "Cek dulu",
    )
    rec = tap(fake, owner, "Lihat rekomendasi", "Rekomendasi: influencer")
    saved = tap(
        fake,
        owner,
        "Simpan",
        lambda m: any("Jadikan kampanye" in b for b in m.button_texts()),
        rec.message_id,
    )
    detail = tap(fake, owner, "Jadikan kampanye", "Influencer (", saved.message_id)
    handles = re.findall(r"@([a-z0-9._-]+) · ", detail.text)
    number = re.search(r"\(#(\d+)\)", detail.text)
    assert handles and number, detail.text
    return NewCampaign(number.group(1), handles, detail)


# ------------------------------------------------------- proof that the bot has finished

HELP_HANDLER = handler_name(help_command)  # as the log and admin alerts name it


def handled_so_far(fake: FakeTelegram, user: FakeUser) -> int:
    """Wait until the bot has finished with everything `user` sent so far; returns a seq.

    The bot handles a chat's updates one after the other (handlers/update_order.py), so once
    it has answered a /bantuan sent now, nothing sent earlier can still make it act: the
    events before the returned seq are all those updates will ever produce.
    """
    mark = fake.mark()
    fake.send_text(user, "/bantuan")
    return fake.wait_for(user.id, since=mark, predicate="Cara pakai", timeout=20).seq


def texts_since(fake: FakeTelegram, user: FakeUser, since: int) -> list[str]:
    """What the bot sent or edited in `user`'s chat after mark `since` because of what the
    user had sent by now (the answer to the probe of `handled_so_far` left out)."""
    until = handled_so_far(fake, user)
    return [event.message.text for event in fake.events(user.id, since=since, until=until)]


SWEEP_DONE = r'msg="job done" .*handler=jobs\.sweep_summaries( |$)'


def wait_sweeps(bot: BotProcess, more: int = 2, timeout: float = 30.0) -> None:
    """Wait until `bot` has finished `more` summary sweeps beyond those logged by now: the
    last of them began after this call, so every summary due by now has been sent."""
    bot.wait_log(SWEEP_DONE, count=len(bot.log_lines(SWEEP_DONE)) + more, timeout=timeout)


# ---------------------------------------------------------------- an agency of 200 clients

OWNER = 880_001
CLIENTS = [890_000 + i for i in range(200)]
BLOCKED = set(CLIENTS[::40])  # 5 chats that blocked the bot


def agency_db(seeded_db: str, tmp_path: Path) -> str:
    """A copy of the seeded database with OWNER's agency and its 200 CLIENTS."""
    url = testdb.new_database(tmp_path, template=seeded_db)
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        agency = Agency(name="Agensi Besar", owner_user_id=OWNER)
        session.add(agency)
        session.flush()
        assert agency.id is not None
        session.add(AgencyStaff(agency_id=agency.id, user_id=OWNER, role="owner", first_name="Ovi"))
        for i, chat in enumerate(CLIENTS):
            session.add(
                Client(
                    agency_id=agency.id, business_name=f"Usaha {i:03d}", user_id=chat, chat_id=chat
                )
            )
    engine.dispose()
    return url


def deliveries(fake: FakeTelegram, text: str) -> Counter:
    """How many messages containing `text` each client chat got."""
    return Counter(m.chat_id for chat in CLIENTS for m in fake.messages(chat) if text in m.text)


def compose_broadcast(fake: FakeTelegram, text: str) -> None:
    """OWNER writes `text` and sends it to all clients (until it is queued)."""
    owner = fake.user(OWNER, "Ovi")
    say(fake, owner, "/siaran", "Tulis kabar untuk klien", timeout=30)
    say(fake, owner, text, "Dikirim ke siapa?", timeout=30)
    preview = tap(fake, owner, "Semua klien", "Penerima: 200 chat klien", timeout=30)
    tap(fake, owner, "Kirim", "masuk antrean untuk 200 chat", preview.message_id, timeout=30)
