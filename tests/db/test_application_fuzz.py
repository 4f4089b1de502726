"""Thousands of random updates through the real Application, against the Bot API emulation.

The property: whatever arrives (any text, command, button data, file or update kind, from
any user, in any order), no handler raises, every private update is answered (groups,
channels, status updates and redeliveries are deliberately ignored), every Bot API call passes
the emulator's checks (HTML, lengths, callback data, files) and the database stays consistent.
A few users interleave and mostly answer the current question or press the buttons they were
shown, so deep states are reached: recommendations, campaigns with members and figures,
agencies with joined staff and clients, broadcasts, schedules and deletions.

The Application is the one `handlers.app.build_application` makes; only `initialize()` runs (no
polling, no job queue, no outbox sender), so the run is deterministic. PTB's rate limiter is
swapped for a pass-through: Telegram's flood limits are not under test here, and 30 messages
a second would make the run take minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test
from sqlalchemy import Engine, func, select, text
from telegram import Update
from telegram.ext import Application, BaseRateLimiter

import handlers.app as app_module
from bot.advisor import questions, saved, view
from bot.advisor.answers import FIELDS, Answers
from bot.advisor.questions import QUESTION_STEPS
from bot.agencies import broadcasts
from bot.agencies import chat as agency_chat
from bot.campaigns import capture, guided_capture, uploads
from bot.campaigns import chat as campaign_chat
from bot.config import Settings
from bot.domain import LOCATION_JSON, NICHES, Goal, Platform
from bot.privacy import chat as privacy_chat
from bot.store.bulk import import_rows
from bot.store.stream import parse_influencer_csv
from bot.summaries import schedules
from models.agencies import Agency, AgencyStaff, Broadcast, Client, InviteLink, OutboxMessage
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot, SummaryRun
from models.conversations import Conversation, ProcessedUpdate
from models.db import session_scope
from models.influencers import GLOBAL_SCOPE, SAMPLE_SOURCE, Influencer
from models.uploads import PendingUpload
from models.users import SavedRecommendation
from tests import testdb
from tests.db.userdata import personal_rows

E2E = Path(__file__).resolve().parents[1] / "e2e"
MIN_UPDATES = 2000
# A longer hunt: FUZZ_EXAMPLES=200 (and FUZZ_RANDOM=1 for other examples than the fixed ones).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))  # per round; rounds go on to MIN_UPDATES
SEED = 20261127
STEPS = 30
FIRST_USER = 5_000_000_100  # beyond 32 bits, as real Telegram ids are
# The third user of an example may be an operator (ADMIN_USER_IDS: changes the global store by CSV).
ADMIN_IDS = frozenset(FIRST_USER + 10 * n + 2 for n in range(20_000))

# ------------------------------------------------------------------------------ the world


class _NoRateLimit(BaseRateLimiter[None]):
    """Every request goes straight through (flood limits are not what this test is about)."""

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        return await callback(*args, **kwargs)


class _ErrorLog(logging.Handler):
    """ERROR records from the bot's own code are failures too (they hide swallowed errors)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in {"bot", "handlers", "models", "telegram"}:
            self.records.append(self.format(record))


@dataclass
class World:
    """What lives for the whole run: the emulator, the Application, the database."""

    fake: Any  # tests/e2e/fake_telegram.FakeTelegram
    application: Application
    runner: asyncio.Runner
    engine: Engine
    handles: list[tuple[str, int]]  # (handle, price) of cheap store accounts with a unique handle
    errors: list[str] = field(default_factory=list)
    fed: list[int] = field(default_factory=list)
    redelivered: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    known_problems: set[str] = field(default_factory=set)
    milestones: dict[str, int] = field(default_factory=dict)  # deep states reached, by name


_WORLD: list[World] = []
_user_ids = itertools.count(FIRST_USER, 10)
_group_ids = itertools.count(1)


def world() -> World:
    return _WORLD[0]


# ------------------------------------------------------------------------------ strategies

FRAGMENTS = [
    "<b>", "</i>", "&amp", "&", "&lt;", "<a href='x'>", "<script>alert(1)</script>", "'; DROP TABLE influencer; --",
    "\" OR 1=1 --", "%s", "{{ 7*7 }}", "{% raw %}", "\\", "\x00", "\u202e", "\u200b", "\ufeff", "😀", "🇮🇩", "👍🏽",
    "0", "-1", "10" + "0" * 30, "1e309", "NaN", "-0", "Rp 999.999.999.999.999", "0,000001jt", "5jt", "500rb",
    "lima juta", "1,2 M", "-3jt", "3", "99", "999", "Rp", "jt", "juta", "budget", "kuliner", "tiktok", "ig", "Bandung",
    "seluruh Indonesia", "biar laris", "@", "@dapur", "reach", "like", "komen", "12000", "https://x.y/p/1", "/", "//",
    "hari ini", "1/12 - 31/12", "25:99", "19:00", "\n", "\t", " ",
]  # fmt: skip
NAMES = st.one_of(
    st.sampled_from(
        [
            "Sari",
            "Budi",
            "<b>Ade</b>",
            "O'Brien; DROP",
            "A & B",
            "😀" * 32,
            "K" * 64,
            "Çağla",
            "ا",
            "\u202eabc",
            "Ade\x00Nul",
        ]
    ),
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=64
    ).filter(str.strip),
)
wild_text = st.one_of(
    st.text(max_size=300),
    st.text(st.sampled_from("😀🎉🌶️👍🏽🇮🇩‍❤️ \n"), max_size=80),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12).map(" ".join),
    st.sampled_from(
        ["x" * 4096, "😀" * 2048, ("<b>&amp;</b> " * 400)[:4096], "9" * 4096, "a" * 4097]
    ),
    # Long texts, cheap to draw: a random piece repeated up to (or past) Telegram's 4,096.
    st.tuples(st.text(min_size=1, max_size=12), st.integers(3000, 4100)).map(
        lambda t: (t[0] * 4100)[: t[1]]
    ),
)
COMMANDS = [
    "start", "mulai", "batal", "kampanye", "laporan", "catat", "jadwal", "agensi", "siaran", "bisukan", "bunyikan",
    "hapusdata", "privasi", "tersimpan", "bantuan", "help", "cancel", "privacy",
]  # fmt: skip
UNKNOWN_COMMANDS = [
    "foo",
    "START",
    "Mulai",
    "a" * 32,
    "hapus_data",
    "x1",
    "start@other_bot",
    "mulai@umkm_test_bot",
]
command_args = st.one_of(
    st.just(""),
    st.text(max_size=60),
    st.sampled_from(FRAGMENTS),
    st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True),  # the shape of a deep-link payload
)
CONTENT_WORDS = ["reels", "feed", "story", "video", ""]
STEP_ANSWERS: dict[str, list[str]] = {
    "niche": ["kuliner", "jualan sambal botolan", "skincare", "olshop hijab", "Fashion", "gaming"],
    "goal": ["biar laris", "penjualan", "biar makin dikenal", "interaksi"],
    "budget": ["5jt", "500rb", "Rp 5.000.000,-", "1,2 M", "lima juta", "7.5 juta", "3", "25 juta"],
    "budget_confirm": ["5jt", "3jt"],
    "platform": ["instagram", "tiktok", "ig", "youtube"],
    "location": ["Bandung", "seluruh Indonesia", "Jawa Barat", "Surabaya", "Makassar", "jogja"],
    "business": ["warung", "online", "villa", "datang ke tempat"],
    "k_name": ["Promo Lebaran", "Kampanye <b>Sambal</b> & Keripik", "Nul\x00"],
    "k_budget": ["10jt", "50jt", "2jt"],
    "k_edit_budget": ["60jt", "1jt"],
    "k_dates": [
        "1/12 - 31/12",
        "hari ini sampai 14 hari",
        "1 Des sampai 31 Des",
        "2026-01-01 - 2026-01-31",
    ],
    "k_edit_dates": ["hari ini - 30 hari", "1/1 - 31/1"],
    "k_edit_name": ["Nama Baru", "  "],
    "k_sched": ["19:00", "07.30", "25:99"],
    "k_catat": ["12000", "800", "0", "1,2jt", "lima"],
    "a_name": ["Maju Digital", "Agensi <Kreatif> & Co", "Nul\x00Agensi"],
    "a_client": ["Sambal Bu Ade", "Toko <i>Hijab</i>", "Toko\x00Nul"],
    "b_text": ["Promo minggu ini: diskon 50%! <b>jangan</b> lewatkan & bagikan", "x" * 4090],
}
IDLE_SENTENCES = [
    "jualan hijab di Surabaya, budget 10jt, biar makin dikenal lewat TikTok",
    "jualan keripik pedas online di Bandung budget 5jt mau naikin penjualan di instagram",
    "skincare lokal, 3jt, interaksi, youtube, seluruh Indonesia",
]
# Buttons that move a flow forward (a user who wants the result presses these).
FORWARD_LABELS = [
    "Lihat rekomendasi", "Simpan", "Jadikan kampanye", "Kampanye baru", "Tambah influencer", "Kirim", "Semua klien",
    "Klien", "Klien baru", "Link undangan", "Staf", "Harian", "Mingguan", "Bulanan", "19.00", "WIB", "14 hari",
    "Laporan", "Jadwal ringkasan", "Kandidat lain", "Strategi lain", "Unduh CSV", "Berikutnya", "Siaran", "👤", "🔗",
]  # fmt: skip
LONGEST = "<the longest broadcast allowed>"
# What the bot says when a deep state is reached (plain text, as the user reads it).
MILESTONES: dict[str, str] = {
    "recommendation": r"Rekomendasi: influencer",
    "saved": r"Tersimpan ✅",
    "campaign": r"Kampanye .+ dibuat \(#",
    "member": r"masuk kampanye, fee",
    "figures": r"Tercatat untuk|catatan hasil masuk ke",
    "report": r"Laporan .+ \(#\d+\)",
    "schedule": r"Ringkasan .+ dikirim",
    "agency": r"Agensi .+ dibuat",
    "client_joined": r"mengundang",
    "staff_joined": r"Selamat bergabung di tim",
    "broadcast_queued": r"antrean untuk [1-9]",
    "deleted": r"sudah dihapus",
}
# What a user came for; when idle they start it again (the rest follows the buttons shown).
PLANS: dict[str, list[str]] = {
    "advice": IDLE_SENTENCES,
    "campaign": ["/kampanye", "/kampanye", "/laporan", "/jadwal"],
    "agency": ["/agensi", "/siaran", "/siaran"],
    "join": [
        "/agensi",
        "/bisukan",
        "/bunyikan",
        "/kampanye",
    ],  # opens invite links when there are any
}
IDLE_COMMANDS = [
    "/kampanye",
    "/agensi",
    "/siaran",
    "/catat",
    "/laporan",
    "/jadwal",
    "/tersimpan",
    "/mulai",
    "/bisukan",
]
CAMPAIGN_FEATURES = (
    campaign_chat.FEATURE,
    schedules.FEATURE,
    guided_capture.FEATURE,
    capture.FEATURE,
    uploads.FEATURE,
)
# Every button of the campaign features ("campaign.report", ...), plus names nobody makes.
CAMPAIGN_ACTIONS = [
    *(f"{feature.name}.{action}" for feature in CAMPAIGN_FEATURES for action in feature.actions),
    *("campaign.zz", "schedule.", "record", "k"),
]
CAMPAIGN_STEPS = frozenset(str(step) for feature in CAMPAIGN_FEATURES for step in feature.steps)
AGENCY_ACTIONS = [
    f"agency.{action}" for action in (
        "menu", "clients", "act_for", "stop_acting", "add_client", "client_link", "remove_client",
        "remove_client_yes", "staff", "staff_link", "remove_staff", "remove_staff_yes", "links",
        "revoke_link", "zz",
    )
] + [f"broadcast.{action}" for action in ("compose", "audience", "send", "cancel", "mute")]  # fmt: skip
ADVISOR_ACTIONS = list(questions.Action)
PRIVACY_ACTIONS = list(privacy_chat.Action)
REC_ACTIONS = list(view.Action)
SAVED_ACTIONS = list(saved.Action)
ANSWER_WORDS = ["sales", "fame", "instagram", "myspace", "budget", "recap", "3000000", "5", "14"]
ODD_ARGS = [
    "",
    "0",
    "-1",
    "x",
    "all",
    "nat",
    "retype",
    "WIB",
    "1900",
    "d",
    "w",
    "m",
    "weekly",
    "99999999999999999999",
    "%",
    "1e3",
    "٣",
]

DOCUMENT_KINDS = [
    "perf",
    "perf_utf16",
    "latin1",
    "binary",
    "empty",
    "pdf",
    "image",
    "huge",
    "influencers",
    "noname",
    "xlsx_as_csv",
]
OTHER_KINDS: dict[str, dict[str, Any]] = {
    "sticker": {"sticker": {"file_id": "CAAC1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False}},
    "location": {"location": {"latitude": -6.9175, "longitude": 107.6191}},
    "contact": {"contact": {"phone_number": "+628123456789", "first_name": "Ade"}},
    "voice": {"voice": {"file_id": "AwAC1", "file_unique_id": "v1", "duration": 3}},
    "video_note": {"video_note": {"file_id": "DQAC1", "file_unique_id": "n1", "length": 240, "duration": 2}},
    "dice": {"dice": {"emoji": "🎲", "value": 4}},
    "poll": {"poll": {"id": "1", "question": "?", "options": [{"text": "a", "voter_count": 0, "persistent_id": "p1"}], "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular", "allows_multiple_answers": False, "allows_revoting": False, "members_only": False}},
}  # fmt: skip

WHO = st.integers(0, 2)
PICK = st.integers(0, 2**16)
PICKS = st.lists(PICK, min_size=4, max_size=4)
NUMBER = st.one_of(st.integers(-3, 10**6), st.sampled_from([10**20, 2**53, 2**53 + 1, 2**63]))
ARG = st.one_of(st.sampled_from(ODD_ARGS), NUMBER.map(str), st.text(max_size=6))
Ids = dict[str, list[Any]]


def _pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)]


def _ref(kind: str) -> st.SearchStrategy[Callable[[Ids], object]]:
    """The id of an existing row of `kind` (anyone's), or a number no row has."""
    return st.one_of(
        PICK.map(lambda i: lambda ids: _pick(ids[kind], i) if ids[kind] else 0),
        st.sampled_from([0, 10**19, 2**53 + 1, "-1", "x"]).map(lambda v: lambda _ids: v),
    )


def _const(value: str) -> Callable[[Ids], object]:
    return lambda _ids: value


@st.composite
def _forged(draw: st.DrawFn) -> Callable[[Ids, int], str | None]:
    """Callback data of every feature, with wrong versions, ids and arguments,
    plus raw bytes and text; resolved against the database when pressed."""
    kind = draw(
        st.sampled_from(
            ["advisor", "rec", "saved", "privacy", "k", "u", "g", "m", "bytes", "text", "none"]
        )
    )
    arg = draw(ARG)
    if kind in ("advisor", "privacy"):
        arg = draw(st.one_of(ARG, st.sampled_from(ANSWER_WORDS)))
        offset = draw(st.sampled_from([0, -1, 1, None]))
        number = draw(st.one_of(NUMBER, st.just("")))
        enum = {"advisor": ADVISOR_ACTIONS, "privacy": PRIVACY_ACTIONS}[kind]
        action = draw(st.sampled_from([*enum, "q"]))
        return lambda _ids, version: (
            f"{kind}.{action}@{number if offset is None else version + offset}:{arg}"
        )
    if kind == "rec":
        rec = draw(_ref("rec"))
        action = draw(st.sampled_from([*REC_ACTIONS, "q"]))
        view_args = draw(
            st.lists(st.one_of(ARG, st.sampled_from(["micro", "macro", "mix", "mega"])), max_size=2)
        )
        return lambda ids, _version: ":".join([f"rec.{action}", str(rec(ids)), *view_args])
    if kind == "saved":
        action = draw(st.sampled_from([*SAVED_ACTIONS, "q"]))
        target = draw(
            st.one_of(_ref("rec"), st.one_of(NUMBER.map(str), st.text(max_size=5)).map(_const))
        )
        return lambda ids, _version: f"saved.{action}:{target(ids)}"
    if kind == "k":
        first = draw(st.one_of(_ref("campaign"), _ref("pending"), ARG.map(_const)))
        action = draw(st.sampled_from(CAMPAIGN_ACTIONS))
        sub = draw(st.one_of(ARG.map(_const), _ref("member"), _ref("campaign")))
        return lambda ids, _version: f"{action}:{first(ids)}:{sub(ids)}"
    if kind == "u":
        entry = draw(st.one_of(_ref("entry"), st.text(max_size=36).map(_const)))
        return lambda ids, _version: f"capture.undo:{entry(ids)}"
    if kind == "g":
        agency = draw(_ref("agency"))
        action = draw(st.sampled_from(AGENCY_ACTIONS))
        sub = draw(st.one_of(ARG.map(_const), _ref("client"), _ref("staff"), _ref("link")))
        return lambda ids, _version: f"{action}:{agency(ids)}:{sub(ids)}"
    if kind == "m":
        agency = draw(_ref("agency"))
        return lambda ids, _version: f"broadcast.mute:{agency(ids)}"
    if kind == "bytes":
        raw = draw(st.binary(min_size=1, max_size=64))
        return lambda _ids, _version: raw.decode("utf-8", "ignore") or "?"
    if kind == "text":
        value = draw(st.text(min_size=1, max_size=64))
        return lambda _ids, _version: value
    return lambda _ids, _version: None  # a game button: no data at all


FORGED = _forged()

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)
PERF_HEADER = "handle,platform,post_url,recorded_at,impressions,reach,likes,comments,shares,saves,clicks,conversions,revenue_idr"
INFLUENCER_CSV = (
    b"platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,price_idr,audience_quality,contact\n"
    b"instagram,fuzz_akun,Fuzz <Akun> & Co,Kuliner,Bandung,,24000,4.1,3500,750000,86,\n"
)


def _perf_csv(handle: str) -> bytes:
    return f"{PERF_HEADER}\n{handle},,,2025-01-05 10:00,3000,1500,90,5,3,1,9,1,120000\n".encode()


# ------------------------------------------------------------------------------ the machine


class ChatMachine(RuleBasedStateMachine):
    """Three users (fresh ids for every example) talking to the bot, interleaved."""

    def __init__(self) -> None:
        super().__init__()
        self.w = world()
        self.users: list[int] = []
        self.names: dict[int, str] = {}
        self.plans: dict[int, str] = {}  # what each user came for (see PLANS)
        self.recent: list[dict[str, Any]] = []  # updates fed in this example, for redelivery
        self.seen: dict[int, dict[int, Any]] = {}  # chat -> message id -> the bot's message now

    # ---------------------------------------------------------------- plumbing

    def _feed(self, data: dict[str, Any], *, expect: str, chat_id: int | None, label: str) -> None:
        """Process one update, then check it was answered or ignored, and raised nothing."""
        w = self.w
        since = w.fake.mark()
        errors_before = len(w.errors)
        update = Update.de_json(json.loads(json.dumps(data)), w.application.bot)
        try:
            w.runner.run(w.application.process_update(update))
        except Exception:
            w.errors.append(f"process_update raised on {label}:\n{traceback.format_exc()}")
        w.fed.append(int(data["update_id"]))
        w.kinds[label] = w.kinds.get(label, 0) + 1
        self.recent.append(data)
        new_errors = w.errors[errors_before:]
        assert not new_errors, f"{label} {_short(data)}\n" + "\n".join(new_errors)
        every_event = w.fake.events(since=since)
        for event in every_event:  # what the users now see (kept here: the emulator copies on read)
            chat = self.seen.setdefault(event.chat_id, {})
            if event.kind == "delete":
                chat.pop(event.message_id, None)
            else:
                chat[event.message_id] = event.message
            for name, pattern in MILESTONES.items():
                if re.search(pattern, event.message.text):
                    w.milestones[name] = w.milestones.get(name, 0) + 1
            buttons = event.message.buttons
            # Telegram's limits the emulator does not check: 100 buttons, 8 in a row.
            assert sum(len(row) for row in buttons) <= 100 and all(
                len(row) <= 8 for row in buttons
            ), f"{label}: keyboard too big: {[len(row) for row in buttons]}"
        events = [e for e in every_event if e.chat_id == chat_id]
        answers = (
            [a for a in w.fake.callback_answers(chat_id) if a["seq"] > since]
            if chat_id is not None
            else []
        )
        if any(a["text"] and re.search(MILESTONES["saved"], a["text"]) for a in answers):
            w.milestones["saved"] = w.milestones.get("saved", 0) + 1
        answers = [a for a in answers if a["update_id"] == data["update_id"]]
        if expect == "answer":
            assert events, f"no reply to {label}: {_short(data)}"
        elif expect == "callback":
            assert len(answers) == 1, f"callback {_short(data)} answered {len(answers)} times"
        elif expect == "ignore":
            assert not events and not answers, (
                f"{label} should be ignored: {_short(data)} -> {events}"
            )
        else:
            raise AssertionError(f"unknown expectation {expect}")

    def _message(self, user: int, **content: Any) -> dict[str, Any]:
        """A private message update, registered with the emulator (ids, chat, transcript)."""
        update_id = self.w.fake.send_text(user, "·")
        data = self.w.fake.update(update_id)
        message = data["message"]
        message.pop("text", None)
        message.pop("entities", None)
        message.update(content)
        return data

    def _text(self, user: int, text_: str, label: str = "text") -> None:
        if not text_:
            text_ = " "
        data = self.w.fake.update(self.w.fake.send_text(user, text_))
        self._feed(data, expect="answer", chat_id=user, label=label)

    def _press(self, user: int, message_id: int, payload: str | None, label: str) -> None:
        fake = self.w.fake
        update_id = fake.press(user, message_id, payload if payload is not None else "x")
        data = fake.update(update_id)
        if payload is None:  # a game button: no data at all
            data["callback_query"].pop("data", None)
            data["callback_query"]["game_short_name"] = "game"
        self._feed(data, expect="callback", chat_id=user, label=label)

    def _messages(self, user: int) -> list[Any]:
        return [message for _id, message in sorted(self.seen.get(user, {}).items())]

    def _keyboards(self, user: int) -> list[Any]:
        return [m for m in self._messages(user) if any(b.callback_data for b in m.all_buttons())]

    def _step(self, user: int) -> tuple[str, int, dict[str, Any]]:
        with session_scope(self.w.engine) as session:
            conv = session.get(Conversation, user)
            if conv is None:
                return "none", 0, {}
            return conv.step, conv.version, dict(conv.answers)

    def _ids(self) -> dict[str, list[Any]]:
        """Ids of rows anyone created (other users' too): forged buttons point at them."""
        with session_scope(self.w.engine) as session:

            def ids(column: Any) -> list[Any]:
                return list(
                    session.execute(select(column).order_by(column.desc()).limit(40)).scalars()
                )

            return {
                "campaign": ids(Campaign.id),
                "agency": ids(Agency.id),
                "client": ids(Client.id),
                "staff": ids(AgencyStaff.id),
                "link": ids(InviteLink.id),
                "rec": ids(SavedRecommendation.id),
                "member": ids(CampaignMember.id),
                "entry": ids(PerformanceSnapshot.entry_id),
                "pending": ids(PendingUpload.id),
            }

    def _codes(self) -> list[str]:
        codes: list[str] = []
        for user in self.users:
            for message in self._messages(user):
                codes += re.findall(r"\?start=([A-Za-z0-9_-]+)", message.text)
        return codes

    def _member_handles(self, user: int) -> list[str]:
        with session_scope(self.w.engine) as session:
            rows = session.execute(
                select(CampaignMember.handle)
                .join(Campaign, Campaign.id == CampaignMember.campaign_id)
                .where(Campaign.owner_user_id == user, Campaign.status == "active")
            ).scalars()
            return sorted(set(rows))

    # ---------------------------------------------------------------- set-up

    @initialize(
        names=st.lists(NAMES, min_size=3, max_size=3),
        plans=st.lists(st.sampled_from(sorted(PLANS)), min_size=3, max_size=3),
        admin=st.booleans(),
    )
    def users_arrive(self, names: list[str], plans: list[str], admin: bool) -> None:
        base = next(_user_ids)
        self.users = [base, base + 1, base + 2 if admin else base + 3]
        for user, name, plan in zip(self.users, names, plans, strict=True):
            self.names[user] = name
            self.plans[user] = plan
            self.w.fake.user(user, first_name=name)

    # ---------------------------------------------------------------- rules: what people do
    # Every draw has a fixed shape (the database and the chats only choose among the drawn
    # numbers afterwards, by modulo), so Hypothesis can replay and shrink a run.

    @rule(who=WHO, burst=st.lists(PICKS, min_size=1, max_size=12))
    def carry_on(self, who: int, burst: list[list[int]]) -> None:
        """What a real user mostly does, a few times in a row: answer the current question,
        or press one of the buttons just shown (usually the one that moves things forward)."""
        for picks in burst:
            self._answer(self.users[who], picks)

    @rule(who=WHO, burst=st.lists(PICKS, min_size=1, max_size=12))
    def carry_on_too(self, who: int, burst: list[list[int]]) -> None:
        """The same again: real users mostly carry on, so it is drawn more often."""
        self.carry_on(who, burst)

    @rule(who=WHO, burst=st.lists(PICKS, min_size=1, max_size=12))
    def carry_on_still(self, who: int, burst: list[list[int]]) -> None:
        self.carry_on(who, burst)

    def _answer(self, user: int, picks: list[int]) -> None:
        step, _version, _answers = self._step(user)
        keyboards = self._keyboards(user)
        if step in STEP_ANSWERS and (not keyboards or picks[0] % 4):
            return self._text(user, _pick(STEP_ANSWERS[step], picks[1]), "answer")
        if step == "k_add":
            handle, price = _pick(self.w.handles, picks[1])
            fee = _pick([price, price * 2, 1, 10**12], picks[2])
            return self._text(
                user, f"@{handle} {fee} {_pick(CONTENT_WORDS, picks[3])}".strip(), "answer"
            )
        idle = step in ("idle", "done", "none")
        if keyboards and picks[0] % (2 if idle else 5):
            return self._press_latest(user, picks[1], forward=picks[2] % 3 != 0)
        handles = self._member_handles(user)
        codes = self._codes()
        choice = picks[2] % 8
        if choice < 4:  # what this user came for
            plan = self.plans[user]
            if plan == "campaign" and handles and picks[3] % 2:
                return self._perf_line(user, handles, picks)
            if plan == "join" and codes:
                return self._text(user, f"/start {_pick(codes, picks[3])}", "answer")
            return self._text(user, _pick(PLANS[plan], picks[1]), "answer")
        if choice == 4 and handles:
            return (
                self._perf_line(user, handles, picks)
                if picks[3] % 2
                else self._text(user, "/catat", "answer")
            )
        if choice == 5 and handles:
            return self._text(
                user, f"@{_pick(handles, picks[1])} https://instagram.com/p/abc", "answer"
            )
        if choice == 6 and codes:  # someone was sent an invite link: another user opens it
            return self._text(user, f"/start {_pick(codes, picks[3])}", "answer")
        return self._text(user, _pick(IDLE_COMMANDS, picks[1]), "answer")

    def _perf_line(self, user: int, handles: list[str], picks: list[int]) -> None:
        reach = _pick([1200, 12000, 10**9], picks[0])
        line = f"@{_pick(handles, picks[1])} reach {reach} like 80 komen 4 share 3 klik 9 order 1 omzet 120rb"
        self._text(user, line, "answer")

    def _press_latest(self, user: int, pick: int, *, forward: bool = False) -> None:
        latest = self._keyboards(user)[-1]
        buttons = [b for b in latest.all_buttons() if b.callback_data]
        ahead = [b for b in buttons if any(word in b.text for word in FORWARD_LABELS)]
        button = _pick(ahead if forward and ahead else buttons, pick)
        self._press(user, latest.message_id, button.callback_data, "press")

    @rule(who=WHO, pick=PICK)
    def press_a_shown_button(self, who: int, pick: int) -> None:
        user = self.users[who]
        if not self._keyboards(user):
            return self._text(user, "/mulai", "command")
        self._press_latest(user, pick)

    def press_an_old_button(self, who: int, picks: list[int]) -> None:
        """Stale buttons: any keyboard the user was ever shown, pressed again later."""
        user = self.users[who]
        keyboards = self._keyboards(user)
        if not keyboards:
            return self._text(user, "/agensi", "command")
        message = _pick(keyboards, picks[0])
        buttons = [b for b in message.all_buttons() if b.callback_data]
        self._press(user, message.message_id, _pick(buttons, picks[1]).callback_data, "press_old")

    def press_someone_elses_button(self, who: int, other: int, picks: list[int]) -> None:
        """Button data another user was shown, pressed on one's own message (a forged client)."""
        user, them = self.users[who], self.users[(who + other) % 3]
        mine = self._messages(user)
        theirs = [
            b.callback_data
            for m in self._keyboards(them)
            for b in m.all_buttons()
            if b.callback_data
        ]
        if not mine or not theirs:
            return self._text(user, "/start", "command")
        self._press(user, _pick(mine, picks[0]).message_id, _pick(theirs, picks[1]), "press_other")

    def press_forged_data(
        self, who: int, pick: int, forged: Callable[[dict[str, list[Any]], int], str | None]
    ) -> None:
        user = self.users[who]
        mine = self._messages(user)
        if not mine:
            return self._text(user, "/start", "command")
        _step, version, _answers = self._step(user)
        payload = forged(self._ids(), version)
        self._press(
            user,
            _pick(mine, pick).message_id,
            None if payload is None else _clip_bytes(payload, 64),
            "press_forged",
        )

    @rule(
        who=WHO,
        how=st.one_of(
            st.tuples(st.just("old"), PICKS),
            st.tuples(st.just("someone_elses"), st.integers(1, 2), PICKS),
            st.tuples(st.just("forged"), PICK, FORGED),
        ),
    )
    def press_an_odd_button(self, who: int, how: tuple[Any, ...]) -> None:
        kind, *args = how
        press = {
            "old": self.press_an_old_button,
            "someone_elses": self.press_someone_elses_button,
            "forged": self.press_forged_data,
        }
        press[kind](who, *args)

    @rule(
        who=WHO,
        what=st.one_of(
            st.tuples(
                st.just("document"), PICK, st.sampled_from(DOCUMENT_KINDS), st.binary(max_size=200)
            ),
            st.tuples(
                st.just("photo"),
                st.one_of(st.none(), wild_text, st.sampled_from(STEP_ANSWERS["b_text"])),
            ),
            st.tuples(st.just("other"), st.sampled_from(sorted(OTHER_KINDS))),
            st.tuples(
                st.just("edit"),
                st.one_of(wild_text, st.sampled_from(["/hapusdata", "/mulai", "5jt", "kuliner"])),
            ),
        ),
    )
    def send_an_odd_message(self, who: int, what: tuple[Any, ...]) -> None:
        kind, *args = what
        send = {
            "document": self.send_a_document,
            "photo": self.send_a_photo,
            "other": self.send_something_else,
            "edit": self.edit_a_message,
        }
        send[kind](who, *args)

    @rule(
        who=WHO,
        other=st.integers(1, 2),
        client=st.one_of(st.sampled_from(STEP_ANSWERS["a_client"]), NAMES),
        news=st.one_of(st.sampled_from([*STEP_ANSWERS["b_text"], LONGEST, LONGEST]), wild_text),
        remove=st.booleans(),
    )
    def agency_story(self, who: int, other: int, client: str, news: str, remove: bool) -> None:
        """An agency's usual day, step by step (each step an ordinary update, checked as
        always): add a client, the client opens the link, staff broadcast to the clients.
        Stops where the chat went elsewhere (the user was in another flow, not staff...)."""
        user, joiner = self.users[who], self.users[(who + other) % 3]
        self._text(user, "/agensi", "story")
        if self._step(user)[0] == "a_name":
            self._text(user, _pick(STEP_ANSWERS["a_name"], who), "story")
        with session_scope(self.w.engine) as session:
            agency_id = (
                session.execute(select(AgencyStaff.agency_id).where(AgencyStaff.user_id == user))
                .scalars()
                .first()
            )
        messages = self._messages(user)
        if agency_id is None or not messages:
            return
        self._press(user, messages[-1].message_id, f"agency.add_client:{agency_id}", "story")
        self._text(user, client, "story")
        codes = re.findall(r"\?start=([A-Za-z0-9_-]+)", self._messages(user)[-1].text)
        if codes:
            self._text(joiner, f"/start {codes[0]}", "story")
        with session_scope(self.w.engine) as session:
            newest = session.execute(
                select(func.max(Client.id)).where(Client.agency_id == agency_id)
            ).scalar_one()
        if newest is not None:  # work for it: the next campaign this user starts is the client's
            self._press(
                user,
                self._messages(user)[-1].message_id,
                f"agency.act_for:{agency_id}:{newest}",
                "story",
            )
            if remove:  # a campaign for the client, then the owner removes the client
                self.campaign_story(who, "Untuk klien", "d", 0, "0700", "WIB")
                self._press(
                    user,
                    self._messages(user)[-1].message_id,
                    f"agency.remove_client_yes:{agency_id}:{newest}",
                    "story",
                )
        self._press(
            user, self._messages(user)[-1].message_id, f"agency.staff_link:{agency_id}", "story"
        )  # owners only
        codes = re.findall(r"\?start=([A-Za-z0-9_-]+)", self._messages(user)[-1].text)
        if codes:
            self._text(self.users[(who + 3 - other) % 3], f"/start {codes[0]}", "story")
        self._text(user, "/siaran", "story")
        keyboards = self._keyboards(user)
        if keyboards and "yang mana" in keyboards[-1].text:  # staff of several agencies
            self._press(user, keyboards[-1].message_id, f"broadcast.compose:{agency_id}", "story")
        if self._step(user)[0] != "b_text":
            return
        if news == LONGEST:  # exactly as long as the agency's header leaves room for
            with session_scope(self.w.engine) as session:
                agency_name = session.get(Agency, agency_id).name
            room = 4096 - len(f"📣 {agency_name}\n\n".encode("utf-16-le")) // 2
            news = _utf16_prefix("Promo <b>&amp;</b> 😀 " * 4096, room)
        self._text(user, news, "story")
        for label in ("Semua klien", "Kirim"):
            keyboards = self._keyboards(user)
            found = [
                b for b in (keyboards[-1].all_buttons() if keyboards else []) if label in b.text
            ]
            if not found:
                return
            self._press(user, keyboards[-1].message_id, found[0].callback_data, "story")

    @rule(
        who=WHO,
        name=st.one_of(st.sampled_from(STEP_ANSWERS["k_name"]), NAMES),
        frequency=st.sampled_from(["daily", "weekly", "monthly"]),
        day=st.integers(0, 7),
        time_=st.sampled_from(["0700", "1900", "2100"]),
        zone=st.sampled_from(["WIB", "WITA", "WIT"]),
    )
    def campaign_story(
        self, who: int, name: str, frequency: str, day: int, time_: str, zone: str
    ) -> None:
        """A campaign from scratch to its summary schedule, each step an ordinary update."""
        user = self.users[who]
        self._text(user, "/kampanye", "story")
        self._press(user, self._messages(user)[-1].message_id, "campaign.new", "story")
        for answer in (name, _pick(STEP_ANSWERS["k_budget"], day)):
            self._text(user, answer, "story")
        self._press(user, self._messages(user)[-1].message_id, "campaign.duration:14", "story")
        with session_scope(self.w.engine) as session:
            cid = session.execute(
                select(func.max(Campaign.id)).where(Campaign.owner_user_id == user)
            ).scalar_one()
        if cid is None or self._step(user)[0] != "k_add":
            return
        handle, price = _pick(self.w.handles, day)
        self._text(user, f"@{handle} {price} {_pick(CONTENT_WORDS, day)}".strip(), "story")
        self._text(user, f"@{handle} reach 1000 like 50 komen 3", "story")
        steps = [f"schedule.menu:{cid}", f"schedule.frequency:{cid}:{frequency}"]
        steps += (
            [f"schedule.weekday:{cid}:{day % 7}"]
            if frequency == "weekly"
            else [f"schedule.day:{cid}:{(1, 5, 10, 15, 20, 25, 28, 31)[day]}"]
            if frequency == "monthly"
            else []
        )
        for data in [*steps, f"schedule.time:{cid}:{time_}", f"schedule.zone:{cid}:{zone}"]:
            self._press(user, self._messages(user)[-1].message_id, data, "story")

    @rule(
        who=WHO,
        brief=st.sampled_from(IDLE_SENTENCES),
        views=st.lists(
            st.sampled_from(["Strategi lain", "Kandidat lain", "Unduh CSV"]), max_size=2
        ),
    )
    def advice_story(self, who: int, brief: str, views: list[str]) -> None:
        """A consultation in one go: the brief, the recommendation, a look around, Simpan,
        and the saved recommendation turned into a campaign."""
        user = self.users[who]
        self._text(user, "/mulai", "story")
        self._text(user, brief, "story")
        for label in ["Lihat rekomendasi", *views, "Simpan", "Jadikan kampanye"]:
            keyboards = self._keyboards(user)
            found = [
                b for b in (keyboards[-1].all_buttons() if keyboards else []) if label in b.text
            ]
            if not found:
                return
            self._press(user, keyboards[-1].message_id, found[0].callback_data, "story")

    @rule(who=WHO, text_=wild_text)
    def type_anything(self, who: int, text_: str) -> None:
        self._text(self.users[who], text_, "wild_text")

    @rule(
        who=WHO,
        name=st.sampled_from(COMMANDS + UNKNOWN_COMMANDS),
        args=command_args,
        real_code=st.booleans(),
        pick=PICK,
    )
    def send_a_command(self, who: int, name: str, args: str, real_code: bool, pick: int) -> None:
        user = self.users[who]
        if name in ("start", "mulai") and real_code:
            codes = self._codes()
            if codes:
                args = _pick(codes, pick)  # a real invite, maybe used or revoked by now
        self._text(user, f"/{name} {args}".rstrip(), "command")

    @rule(who=WHO, answer=st.integers(0, 3))
    def delete_my_data(self, who: int, answer: int) -> None:
        """/hapusdata, then the confirmation (or, mostly, not); afterwards nothing of theirs is left."""
        user = self.users[who]
        confirm = answer == 0
        self._text(user, "/hapusdata", "command")
        question = self._keyboards(user)[-1]
        label = "Ya, hapus" if confirm else "Batal"
        self._press(user, question.message_id, question.find_button(label).callback_data, "press")
        if confirm:
            left = personal_rows(self.w.engine, user_id=user, chat_id=user)
            assert not left, f"after /hapusdata user {user} is still in: {left}"

    def send_a_document(self, who: int, pick: int, kind: str, blob: bytes) -> None:
        user = self.users[who]
        handle = _pick(self._member_handles(user) or [self.w.handles[0][0]], pick)
        name, mime, content = {
            "perf": ("hasil.csv", "text/csv", _perf_csv(handle)),
            "perf_utf16": ("hasil.csv", "text/csv", _perf_csv(handle).decode().encode("utf-16")),
            "latin1": (
                "hasil.csv",
                "text/csv",
                f"{PERF_HEADER}\n{handle},,,2025-01-05,1,1,1,1,1,1,1,1,R\xe9sum\xe9\n".encode(
                    "latin-1"
                ),
            ),
            "binary": ("hasil.csv", "text/csv", bytes(range(256)) * 4),
            "empty": ("kosong.csv", "text/csv", b""),
            "pdf": ("laporan.pdf", "application/pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
            "image": ("foto.jpg", "image/jpeg", PNG),
            "huge": ("besar.csv", "text/csv", _perf_csv(handle)),
            "influencers": ("influencer.csv", "text/csv", INFLUENCER_CSV),
            "noname": ("file", "text/plain", blob),
            "xlsx_as_csv": ("data.csv", "application/vnd.ms-excel", b"PK\x03\x04" + bytes(60)),
        }[kind]
        fake = self.w.fake
        update = fake.update(fake.send_document(user, name, content, mime_type=mime))
        document = update["message"]["document"]
        if kind == "huge":
            document["file_size"] = 25_000_000  # the bot must refuse before downloading
        if kind == "noname":
            document.pop("file_name", None)
        self._feed(update, expect="answer", chat_id=user, label=f"document:{kind}")

    def send_a_photo(self, who: int, caption: str | None) -> None:
        user = self.users[who]
        fake = self.w.fake
        stored = fake.update(fake.send_document(user, "foto.png", PNG, mime_type="image/png"))[
            "message"
        ]["document"]
        size = {
            "file_id": stored["file_id"],
            "file_unique_id": stored["file_unique_id"],
            "width": 1,
            "height": 1,
            "file_size": len(PNG),
        }
        content: dict[str, Any] = {"photo": [size]}
        if caption is not None:
            content["caption"] = caption[:1024]
        self._feed(self._message(user, **content), expect="answer", chat_id=user, label="photo")

    def send_something_else(self, who: int, kind: str) -> None:
        user = self.users[who]
        content = dict(OTHER_KINDS[kind])
        if kind == "contact":
            content = {"contact": {**content["contact"], "user_id": user}}
        self._feed(
            self._message(user, **content), expect="answer", chat_id=user, label=f"other:{kind}"
        )

    def edit_a_message(self, who: int, text_: str) -> None:
        """An edited message is handled like a new one (its text may correct an answer)."""
        user = self.users[who]
        update = self.w.fake.update(self.w.fake.send_text(user, text_ or " "))
        message = update.pop("message")
        message["edit_date"] = message["date"] + 5
        update["edited_message"] = message
        self._feed(update, expect="answer", chat_id=user, label="edited")

    @rule(
        who=WHO,
        where=st.sampled_from(
            ["group", "supergroup", "channel", "my_chat_member", "no_from", "bot_sender"]
        ),
        text_=st.one_of(
            wild_text, st.sampled_from(["/start", "/hapusdata", "/mulai@umkm_test_bot", "5jt"])
        ),
    )
    def outside_a_private_chat(self, who: int, where: str, text_: str) -> None:
        """Groups, channels, status updates and sender-less messages are deliberately ignored."""
        user = self.users[who]
        n = next(_group_ids)
        sender = {"id": user, "is_bot": False, "first_name": self.names[user]}
        now = int(time.time())
        text_ = text_ or " "
        body: dict[str, Any] = {"message_id": n, "date": now, "text": text_}
        if text_.startswith("/"):
            body["entities"] = [
                {
                    "type": "bot_command",
                    "offset": 0,
                    "length": len(text_.split()[0].encode("utf-16-le")) // 2,
                }
            ]
        private = {"id": user, "type": "private", "first_name": self.names[user]}
        if where == "group":
            update = {
                "message": {
                    **body,
                    "from": sender,
                    "chat": {"id": -4_000_000 - n, "type": "group", "title": "Grup <b>"},
                }
            }
        elif where == "supergroup":
            update = {
                "message": {
                    **body,
                    "from": sender,
                    "chat": {"id": -1_002_000_000_000 - n, "type": "supergroup", "title": "SG"},
                }
            }
        elif where == "channel":
            chat = {"id": -1_003_000_000_000 - n, "type": "channel", "title": "Kanal"}
            update = {"channel_post": {**body, "chat": chat, "sender_chat": chat}}
        elif where == "my_chat_member":
            bot_user = {
                "id": self.w.fake.bot_id,
                "is_bot": True,
                "first_name": "Bot",
                "username": "umkm_test_bot",
            }
            update = {
                "my_chat_member": {
                    "chat": private,
                    "from": sender,
                    "date": now,
                    "old_chat_member": {"status": "member", "user": bot_user},
                    "new_chat_member": {"status": "kicked", "user": bot_user, "until_date": 0},
                }
            }
        elif where == "no_from":
            update = {"message": {**body, "chat": private}}
        else:  # another bot in a private chat cannot happen on Telegram; ignore it all the same
            update = {
                "message": {
                    **body,
                    "from": {"id": 999, "is_bot": True, "first_name": "B"},
                    "chat": private,
                }
            }
        update_id = self.w.fake.queue_raw_update(update)
        chat_id = next(iter(value for key, value in update.items() if key != "update_id"))["chat"][
            "id"
        ]
        self._feed(
            self.w.fake.update(update_id),
            expect="ignore",
            chat_id=chat_id,
            label=f"outside:{where}",
        )

    @rule(who=WHO, pick=PICK)
    def redeliver(self, who: int, pick: int) -> None:
        """Polling delivers an update again after a crash: the second copy does nothing."""
        if not self.recent:
            return self._text(self.users[who], "/bantuan", "command")
        update = _pick(self.recent, pick)
        body = next(iter(value for key, value in update.items() if key != "update_id"))
        chat = body.get("chat") or (body.get("message") or {}).get("chat") or {}
        self.w.redelivered += 1
        self._feed(update, expect="ignore", chat_id=chat.get("id"), label="redelivery")

    # ---------------------------------------------------------------- after each example

    def teardown(self) -> None:
        """Invariants after each example; only new breaks count (rows of a failed example
        stay in the shared database, and must not fail every example after it)."""
        problems = set(inconsistencies(self.w.engine))
        new = sorted(problems - self.w.known_problems)
        self.w.known_problems |= problems
        assert not new, "\n".join(new)


# ------------------------------------------------------------------------------ checks


def inconsistencies(engine: Engine) -> list[str]:
    """Invariants of the data model that no sequence of updates may break."""
    problems: list[str] = []
    known_steps = (
        set(QUESTION_STEPS)
        | {"idle", "done", "recap", "confirm_delete"}
        | CAMPAIGN_STEPS
        | set(agency_chat.Step)
        | set(broadcasts.Step)
    )
    with session_scope(engine) as session:
        for conv in session.exec(select(Conversation)).scalars():
            where = f"conversation {conv.chat_id} ({conv.step})"
            if conv.step not in known_steps:
                problems.append(f"{where}: unknown step")
            try:
                _check_answers(conv.step, dict(conv.answers))
            except (KeyError, TypeError, ValueError, AssertionError) as exc:
                problems.append(f"{where}: answers {conv.answers!r} do not load: {exc!r}")
        over = session.execute(
            select(Campaign.id, Campaign.budget_idr, func.sum(CampaignMember.fee_idr))
            .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
            .group_by(Campaign.id, Campaign.budget_idr)
            .having(func.sum(CampaignMember.fee_idr) > Campaign.budget_idr)
        ).all()
        problems += [
            f"campaign {cid}: fees {fees} over budget {budget}" for cid, budget, fees in over
        ]
        for campaign in session.exec(select(Campaign)).scalars():
            if (
                campaign.budget_idr <= 0
                or campaign.end_date < campaign.start_date
                or not campaign.name.strip()
            ):
                problems.append(
                    f"campaign {campaign.id}: bad plan {campaign.name!r} {campaign.budget_idr} {campaign.start_date}..{campaign.end_date}"
                )
            if campaign.client_id is not None:
                client = session.get(Client, campaign.client_id)
                if client is None or client.agency_id != campaign.agency_id:
                    problems.append(
                        f"campaign {campaign.id}: client {campaign.client_id} is not a client of agency {campaign.agency_id}"
                    )
            if campaign.agency_id is not None and session.get(Agency, campaign.agency_id) is None:
                problems.append(f"campaign {campaign.id}: agency {campaign.agency_id} is gone")
        orphans = session.execute(
            select(OutboxMessage.id)
            .outerjoin(Broadcast, Broadcast.id == OutboxMessage.broadcast_id)
            .where(Broadcast.id.is_(None))
        ).all()
        problems += [f"outbox row {row[0]} has no broadcast" for row in orphans]
        duplicates = session.execute(
            select(SummaryRun.campaign_id, SummaryRun.period_key)
            .group_by(SummaryRun.campaign_id, SummaryRun.period_key)
            .having(func.count() > 1)
        ).all()
        problems += [f"summary run {row} recorded twice" for row in duplicates]
        total, distinct = session.execute(
            select(func.count(), func.count(func.distinct(ProcessedUpdate.update_id)))
        ).one()
        if total != distinct:
            problems.append(f"processed updates: {total} rows, {distinct} ids")
        for agency in session.exec(select(Agency)).scalars():
            owners = (
                session.execute(
                    select(AgencyStaff.user_id).where(
                        AgencyStaff.agency_id == agency.id, AgencyStaff.role == "owner"
                    )
                )
                .scalars()
                .all()
            )
            if owners != [agency.owner_user_id]:
                problems.append(
                    f"agency {agency.id}: owner {agency.owner_user_id} but owner rows {owners}"
                )
        linked = (
            session.execute(
                select(Client.user_id)
                .where(Client.user_id.is_not(None))
                .group_by(Client.user_id)
                .having(func.count() > 1)
            )
            .scalars()
            .all()
        )
        problems += [f"user {u} is linked to several clients" for u in linked]
        for client in session.exec(select(Client)).scalars():
            if (client.user_id is None) != (client.chat_id is None):
                problems.append(
                    f"client {client.id}: user {client.user_id} but chat {client.chat_id}"
                )
        for broadcast in session.exec(select(Broadcast)).scalars():
            if len(broadcast.text) > 4096 or broadcast.status not in {
                "draft",
                "queued",
                "done",
                "cancelled",
            }:
                problems.append(
                    f"broadcast {broadcast.id}: {broadcast.status} {len(broadcast.text)} chars"
                )
        negative = session.execute(
            select(PerformanceSnapshot.id).where(
                (PerformanceSnapshot.reach < 0)
                | (PerformanceSnapshot.likes < 0)
                | (PerformanceSnapshot.impressions < 0)
                | (PerformanceSnapshot.revenue_idr < 0)
            )
        ).all()
        problems += [f"snapshot {row[0]} has a negative figure" for row in negative]
    return problems


def _check_answers(step: str, answers: dict[str, Any]) -> None:
    """The advisor's own loaders accept whatever answers are stored."""
    if answers.get("niche") is not None:
        assert answers["niche"] in NICHES, answers["niche"]
    if answers.get("goal") is not None:
        Goal(answers["goal"])
    if answers.get("budget") is not None:
        assert isinstance(answers["budget"], int) and answers["budget"] > 0, answers["budget"]
    if answers.get("platform") is not None:
        Platform(answers["platform"])
    if answers.get("location") is not None:
        LOCATION_JSON.load(answers["location"])
    if step in ("recap", "done"):
        assert all(answers.get(name) is not None for name in FIELDS), "recap without every answer"
        Answers.model_validate(answers).brief()
    if step == "budget_confirm":
        assert int(answers["pending_budget"]) > 0
    flow = answers.get("flow")
    if step in CAMPAIGN_STEPS | set(agency_chat.Step) | set(broadcasts.Step):
        assert isinstance(flow, dict), f"step {step} without its flow"
    acting = answers.get("acting_for")
    if acting is not None:
        int(acting["agency_id"]), int(acting["client_id"])


def sqlite_checks(engine: Engine) -> list[str]:
    if engine.dialect.name != "sqlite":
        return []
    with engine.connect() as connection:
        fk = connection.execute(text("PRAGMA foreign_key_check")).all()
        integrity = connection.execute(text("PRAGMA integrity_check")).scalars().all()
    problems = [f"foreign key broken: {row}" for row in fk]
    if integrity != ["ok"]:
        problems.append(f"integrity_check: {integrity}")
    return problems


# ------------------------------------------------------------------------------ the test


def _short(data: dict[str, Any]) -> str:
    rendered = json.dumps(data, ensure_ascii=False)
    return rendered if len(rendered) < 600 else rendered[:600] + "…"


def _utf16_prefix(value: str, units: int) -> str:
    """The longest start of `value` within `units` UTF-16 code units (Telegram's measure)."""
    out, used = [], 0
    for char in value:
        size = len(char.encode("utf-16-le")) // 2
        if used + size > units:
            break
        out.append(char)
        used += size
    return "".join(out)


def _clip_bytes(value: str, limit: int) -> str:
    clipped = value.encode()[:limit].decode("utf-8", "ignore")
    return clipped or "?"


def _seed_store(engine: Engine) -> list[tuple[str, int]]:
    data = resources.files("bot").joinpath("data/sample_influencers.csv").read_bytes()
    parsed = parse_influencer_csv(data)
    assert not parsed.errors
    with session_scope(engine) as session:
        import_rows(session, parsed.rows, source=SAMPLE_SOURCE)
    with session_scope(engine) as session:
        counts = dict(
            session.execute(
                select(Influencer.handle, func.count())
                .where(Influencer.scope == GLOBAL_SCOPE)
                .group_by(Influencer.handle)
            ).all()
        )
        rows = session.execute(
            select(Influencer.handle, Influencer.price_idr)
            .where(Influencer.scope == GLOBAL_SCOPE)
            .order_by(Influencer.price_idr)
        ).all()
    return [(handle, price) for handle, price in rows if counts[handle] == 1][:8]


@contextlib.contextmanager
def running_world(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    sys.path.insert(0, str(E2E))
    try:
        from fake_telegram import FakeTelegram
    finally:
        sys.path.remove(str(E2E))
    handles = _seed_store(engine)
    monkeypatch.setattr(app_module, "BudgetRateLimiter", lambda *_args, **_kwargs: _NoRateLimit())
    error_log = _ErrorLog()
    logging.getLogger().addHandler(error_log)
    with FakeTelegram() as fake, asyncio.Runner() as runner:
        settings_ = Settings(
            _env_file=None,
            telegram_bot_token=fake.token,
            telegram_api_base_url=fake.base_url,
            telegram_api_file_url=fake.file_base_url,
            database_url=str(engine.url),
            admin_user_ids=ADMIN_IDS,
        )
        application = app_module.build_application(settings_, engine)
        w = World(fake=fake, application=application, runner=runner, engine=engine, handles=handles)
        _observe_errors(application, w.errors)
        runner.run(application.initialize())
        _WORLD.append(w)
        try:
            yield w
        finally:
            _WORLD.clear()
            runner.run(application.shutdown())
            logging.getLogger().removeHandler(error_log)
    w.errors += error_log.records


def _observe_errors(application: Application, errors: list[str]) -> None:
    """Every registered error handler still runs, but an error reaching it fails the test."""
    originals = list(application.error_handlers)
    assert originals, "the application registers no error handler"
    for original in originals:
        application.remove_error_handler(original)

    async def observed(update: object, context: Any) -> None:
        error = context.error
        detail = (
            "".join(traceback.format_exception(error))
            if isinstance(error, BaseException)
            else repr(error)
        )
        update_id = getattr(update, "update_id", None)
        errors.append(f"error handler called for update {update_id}:\n{detail}")
        for original in originals:
            await original(update, context)

    application.add_error_handler(observed)


@pytest.mark.slow
@pytest.mark.timeout(900)  # 90 s when nothing fails; shrinking a failure takes longer
def test_thousands_of_random_updates(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    started = time.monotonic()
    with running_world(engine, monkeypatch) as w:
        rounds = 0
        while len(w.fed) < MIN_UPDATES and rounds < 6:  # runs differ in length; top them up
            if not os.environ.get("FUZZ_RANDOM"):  # the same run every time, unless asked
                seed(SEED + rounds)(ChatMachine)
            rounds += 1
            try:
                run_state_machine_as_test(
                    ChatMachine,
                    settings=settings(
                        max_examples=EXAMPLES,
                        stateful_step_count=STEPS,
                        deadline=None,
                        suppress_health_check=list(HealthCheck),
                        database=None,
                        phases=[
                            Phase.explicit,
                            Phase.generate,
                            Phase.shrink,
                        ],  # no explain: it traces every line
                    ),
                )
            except Exception as exc:
                # The database is shared, so a replay while shrinking may take another path and
                # Hypothesis then reports flakiness; the first error seen is the one to read.
                if w.errors:
                    raise AssertionError("first failure:\n" + w.errors[0]) from exc
                raise
        fed, kinds = len(w.fed), dict(w.kinds)
        w.fake.assert_no_errors(allow=["message is not modified"])
    assert not w.errors, "\n".join(w.errors[:5])
    problems = sqlite_checks(engine) + inconsistencies(engine)
    assert not problems, "\n".join(problems)
    with session_scope(engine) as session:
        claimed = set(session.execute(select(ProcessedUpdate.update_id)).scalars())
    assert set(w.fed) <= claimed, "some updates were never claimed"
    reached = {name: w.milestones.get(name, 0) for name in MILESTONES}
    elapsed = time.monotonic() - started
    print(
        f"\n{fed} updates ({w.redelivered} redeliveries) in {elapsed:.1f} s on {testdb.backend()}"
    )
    print(f"reached: {reached}")
    print(f"sent: {sorted(kinds.items())}")
    assert fed >= MIN_UPDATES, f"only {fed} updates"
    # The users got somewhere: the run is not 2,000 variations of "I did not understand".
    missing = [name for name, times in reached.items() if not times]
    assert not missing, f"never reached: {missing}"
