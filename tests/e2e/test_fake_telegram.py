"""Tests of the Bot API emulator itself.

The e2e suite trusts fake_telegram to reject what Telegram rejects and to deliver updates the
way Telegram does, so these tests drive it with a real PTB ``Bot`` (the same request encoding
the bot under test uses) and with raw httpx calls for the wire-level details.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import functools
import ssl
import struct
import threading
import time
import warnings
import zlib
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from fake_telegram import FakeTelegram, FakeUser, parse_html, utf16_len
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.request import HTTPXRequest

T = TypeVar("T")
CHAT = 1001


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One shared client: creating an httpx client (SSL context) costs ~60 ms each time."""
    with httpx.Client(timeout=10) as client:
        yield client


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """Shared (unused: plain http) SSL context; loading CA certs per Bot costs ~90 ms."""
    return ssl.create_default_context()


def run_with_bot(tg: FakeTelegram, body: Callable[[Bot], Awaitable[T]]) -> T:
    """Run ``body`` with an initialized PTB Bot pointed at the emulator."""

    async def main() -> T:
        bot = Bot(
            tg.token,
            base_url=tg.base_url,
            base_file_url=tg.file_base_url,
            request=HTTPXRequest(httpx_kwargs={"verify": _ssl_context()}),
            get_updates_request=HTTPXRequest(httpx_kwargs={"verify": _ssl_context()}),
        )
        async with bot:
            return await body(bot)

    return asyncio.run(main())


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after is int or timedelta depending on PTB settings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def tiny_png() -> bytes:
    """A valid 2x1 PNG without needing Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"\x00\xff\x00\x00\x00\xff\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Mikro influencer", callback_data="tier:micro"),
            InlineKeyboardButton("Makro influencer", callback_data="tier:macro"),
        ],
        [InlineKeyboardButton("Panduan", url="https://example.com/panduan")],
    ]
)


# ------------------------------------------------------------------------------- basics


def test_get_me_via_ptb(tg: FakeTelegram) -> None:
    async def body(bot: Bot) -> Any:
        return await bot.get_me()

    me = run_with_bot(tg, body)
    assert me.username == "umkm_test_bot"
    assert me.is_bot
    assert tg.count("getMe") >= 1
    assert tg.base_url.endswith("/bot") and tg.file_base_url.endswith("/file/bot")


def test_wrong_token_and_unknown_method(tg: FakeTelegram, http: httpx.Client) -> None:
    response = http.post(f"{tg.base_url}999:wrong/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}

    response = http.post(f"{tg.api_url}/noSuchMethod")
    assert response.status_code == 404
    assert response.json()["description"] == "Not Found"

    async def main() -> None:
        async with Bot("999:wrong", base_url=tg.base_url):
            pass

    with pytest.raises(InvalidToken):
        asyncio.run(main())


def test_form_json_and_query_parameters_are_decoded(tg: FakeTelegram, http: httpx.Client) -> None:
    markup = {"inline_keyboard": [[{"text": "Ya", "callback_data": "yes"}]]}
    as_json = http.post(
        f"{tg.api_url}/sendMessage",
        json={"chat_id": CHAT, "text": "<i>json</i>", "parse_mode": "HTML", "reply_markup": markup},
    ).json()
    as_form = http.post(
        f"{tg.api_url}/sendMessage",
        data={
            "chat_id": str(CHAT),
            "text": "form",
            "reply_markup": '{"inline_keyboard": [[{"text": "Ya", "callback_data": "yes"}]]}',
        },
    ).json()
    as_query = http.get(
        f"{tg.api_url}/sendMessage", params={"chat_id": CHAT, "text": "query"}
    ).json()
    assert as_json["ok"] and as_form["ok"] and as_query["ok"]
    sent = tg.messages(CHAT)
    assert [m.text for m in sent] == ["json", "form", "query"]
    assert sent[0].entities == [{"type": "italic", "offset": 0, "length": 4}]
    assert sent[0].button_texts() == sent[1].button_texts() == ["Ya"]
    assert [m.message_id for m in sent] == [1, 2, 3]

    bad = http.post(
        f"{tg.api_url}/sendMessage",
        data={"chat_id": str(CHAT), "text": "x", "reply_markup": "{nope"},
    )
    assert bad.status_code == 400
    assert bad.json()["description"].startswith("Bad Request: can't parse reply keyboard markup")


# ------------------------------------------------------------------------------- getUpdates


def _poll(http: httpx.Client, tg: FakeTelegram, **params: Any) -> list[int]:
    response = http.post(
        f"{tg.api_url}/getUpdates", data={k: str(v) for k, v in params.items()}, timeout=10
    )
    assert response.status_code == 200, response.text
    return [u["update_id"] for u in response.json()["result"]]


def test_get_updates_offset_semantics(tg: FakeTelegram, http: httpx.Client) -> None:
    ids = [tg.send_text(CHAT, f"pesan {i}") for i in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert _poll(http, tg) == ids
    assert _poll(http, tg) == ids, "unconfirmed updates must be delivered again"
    assert _poll(http, tg, limit=1) == ids[:1]
    assert _poll(http, tg, offset=ids[1]) == ids[1:], "offset confirms lower ids"
    assert _poll(http, tg) == ids[1:], "confirmed updates are gone for good"
    assert _poll(http, tg, offset=-1) == ids[2:], "negative offset keeps only the last N"
    assert _poll(http, tg, offset=ids[2] + 1) == []
    assert tg.pending_update_count == 0
    tg.wait_confirmed(ids[0], timeout=0.1)


def test_long_poll_returns_as_soon_as_an_update_arrives(
    tg: FakeTelegram, http: httpx.Client
) -> None:
    result: dict[str, httpx.Response] = {}

    def poll() -> None:
        result["poll"] = http.post(f"{tg.api_url}/getUpdates", json={"timeout": 60}, timeout=70)

    mark = tg.mark()
    thread = threading.Thread(target=poll)
    thread.start()
    assert tg.wait_call("getUpdates", since=mark, timeout=5).status is None  # held open
    tg.send_text(CHAT, "halo")
    thread.join(10)  # the update ended the poll, not its 60 s timeout
    assert not thread.is_alive()
    updates = result["poll"].json()["result"]
    assert updates[0]["message"]["text"] == "halo"

    started = time.monotonic()
    assert _poll(http, tg, offset=updates[0]["update_id"] + 1, timeout=0.2) == []
    assert time.monotonic() - started >= 0.15  # with nothing to deliver it waits its timeout


def test_second_poller_terminates_the_first_with_conflict(
    tg: FakeTelegram, http: httpx.Client
) -> None:
    result: dict[str, httpx.Response] = {}

    def first() -> None:
        result["first"] = http.post(f"{tg.api_url}/getUpdates", json={"timeout": 5}, timeout=10)

    thread = threading.Thread(target=first)
    thread.start()
    tg.wait_polling(timeout=2)
    assert _poll(http, tg, timeout=0) == []
    thread.join(3)
    assert result["first"].status_code == 409
    assert "terminated by other getUpdates request" in result["first"].json()["description"]


def test_stop_releases_a_pending_long_poll() -> None:
    fake = FakeTelegram()
    fake.start()
    errors: list[BaseException] = []

    def poll() -> None:
        try:
            httpx.post(f"{fake.api_url}/getUpdates", json={"timeout": 600}, timeout=610)
        except httpx.HTTPError as exc:  # a dropped connection is fine too
            errors.append(exc)

    thread = threading.Thread(target=poll)
    thread.start()
    fake.wait_polling(timeout=2)
    fake.stop()
    thread.join(10)  # released by stop(), not by its 600 s timeout
    assert not thread.is_alive()


def test_redeliver_ignores_the_offset_confirmation(tg: FakeTelegram) -> None:
    update_id = tg.send_text(FakeUser(CHAT, "Sari", username="sari"), "/start promo")

    async def body(bot: Bot) -> None:
        first = await bot.get_updates(timeout=1)
        assert [u.update_id for u in first] == [update_id]
        message = first[0].message
        assert message is not None and message.from_user is not None
        assert message.from_user.first_name == "Sari"
        assert message.text == "/start promo"
        assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
        assert await bot.get_updates(offset=update_id + 1) == ()
        tg.wait_confirmed(update_id, timeout=1)

        tg.redeliver(update_id)
        again = await bot.get_updates(offset=update_id + 1)
        assert [u.update_id for u in again] == [update_id]
        assert again[0].message is not None and again[0].message.text == "/start promo"
        assert await bot.get_updates(offset=update_id + 1) == ()

    run_with_bot(tg, body)


def test_commands_with_bot_username_get_an_entity(tg: FakeTelegram) -> None:
    update_id = tg.send_text(CHAT, "/mulai@umkm_test_bot sekarang")
    message = tg.update(update_id)["message"]
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 20}]
    plain = tg.update(tg.send_text(CHAT, "halo saja"))["message"]
    assert "entities" not in plain


# ------------------------------------------------------------------------------- HTML and limits


def test_send_message_with_valid_html(tg: FakeTelegram) -> None:
    async def body(bot: Bot) -> Any:
        return await bot.send_message(
            CHAT,
            "<b>Halo</b> &amp; <i>dunia</i> &#128075; <a href='https://x.id/?a=1&amp;b=2'>tautan</a>",
            parse_mode=ParseMode.HTML,
        )

    message = run_with_bot(tg, body)
    assert message.text == "Halo & dunia 👋 tautan"
    assert [e.type for e in message.entities] == ["bold", "italic", "text_link"]
    assert message.entities[2].url == "https://x.id/?a=1&b=2"
    assert message.entities[2].offset == 16  # the emoji counts as two UTF-16 units
    stored = tg.last_message(CHAT)
    assert stored.text == "Halo & dunia 👋 tautan"
    assert stored.html is not None and stored.html.startswith("<b>Halo</b>")
    assert stored.parse_mode == "HTML"


@pytest.mark.parametrize(
    "text",
    [
        "Dapur & <Rasa>",
        "Dapur & Rasa",
        "<b>tebal",
        "<b><i>miring</b></i>",
        "harga < 100",
        "<span>rahasia</span>",
        "<br>",
        "</b>",
    ],
)
def test_invalid_html_is_rejected(tg: FakeTelegram, text: str) -> None:
    async def body(bot: Bot) -> None:
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)
        await bot.send_message(CHAT, text)  # the same text as plain text is fine

    run_with_bot(tg, body)
    assert [code for _m, code, _d in tg.errors_returned] == [400]
    assert tg.errors_returned[0][2].startswith("Bad Request: can't parse entities: ")
    assert tg.last_message(CHAT).text == text.strip()


def test_html_parser_details() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre>\n'
        "<blockquote expandable>kutipan</blockquote> <B>besar</B> "
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> <tg-spoiler>s</tg-spoiler> &quot;&#x41;&lt;&gt;'
    )
    assert text == 'x = 1\nkutipan besar 👍 s "A<>'
    types = {e["type"]: e for e in entities}
    assert types["pre"] == {"type": "pre", "language": "python", "offset": 0, "length": 5}
    assert types["expandable_blockquote"]["length"] == 7
    assert types["custom_emoji"]["length"] == 2
    assert "code" not in types
    assert utf16_len("👍") == 2
    assert parse_html("Dapur & Rasa", strict_ampersand=False)[0] == "Dapur & Rasa"


def test_text_length_limits_count_utf16(tg: FakeTelegram) -> None:
    async def body(bot: Bot) -> None:
        await bot.send_message(CHAT, "a" * 4096)
        await bot.send_message(CHAT, "😀" * 2048)
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(CHAT, "a" * 4097)
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(CHAT, "😀" * 2049)  # 2049 code points, 4098 UTF-16 units
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(CHAT, "<b>" + "a" * 4097 + "</b>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(CHAT, "<b> </b>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="Message caption is too long"):
            await bot.send_document(CHAT, b"x", filename="a.txt", caption="c" * 1025)

    run_with_bot(tg, body)
    assert len(tg.messages(CHAT)) == 2


def test_callback_data_and_button_validation(tg: FakeTelegram, http: httpx.Client) -> None:
    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Tombol", callback_data=data)]])

    async def body(bot: Bot) -> None:
        await bot.send_message(CHAT, "ok", reply_markup=keyboard("a" * 64))
        await bot.send_message(CHAT, "ok", reply_markup=keyboard("é" * 32))  # 64 bytes
        for data in ("a" * 65, "é" * 33):
            with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
                await bot.send_message(CHAT, "x", reply_markup=keyboard(data))

    run_with_bot(tg, body)

    for button in (
        {"text": "dua aksi", "callback_data": "a", "url": "https://x.id"},
        {"text": "tanpa aksi"},
        {"text": "", "callback_data": "a"},
        {"text": "data kosong", "callback_data": ""},
    ):
        response = http.post(
            f"{tg.api_url}/sendMessage",
            json={"chat_id": CHAT, "text": "x", "reply_markup": {"inline_keyboard": [[button]]}},
        )
        assert response.status_code == 400, button
    assert len(tg.messages(CHAT)) == 2


def test_edit_message_semantics(tg: FakeTelegram) -> None:
    async def body(bot: Bot) -> None:
        sent = await bot.send_message(
            CHAT, "<b>Status</b>: baru", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
        )
        for same in ("<b>Status</b>: baru", "<strong>Status</strong>: baru"):
            with pytest.raises(BadRequest, match="Message is not modified"):
                await bot.edit_message_text(
                    same, CHAT, sent.message_id, parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
                )
        # Same text without reply_markup removes the keyboard, so it is a modification.
        await bot.edit_message_text("<b>Status</b>: baru", CHAT, sent.message_id, parse_mode="HTML")
        await bot.edit_message_text("Status: selesai", CHAT, sent.message_id)
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_reply_markup(CHAT, sent.message_id)
        await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=KEYBOARD)
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("x", CHAT, 999)
        with pytest.raises(BadRequest, match="Message to delete not found"):
            await bot.delete_message(CHAT, 999)

    mark = tg.mark()
    run_with_bot(tg, body)
    current = tg.last_message(CHAT)
    assert current.text == "Status: selesai"
    assert current.edits == 3
    assert current.history == ["Status: baru", "Status: baru", "Status: selesai"]
    assert current.button_texts() == ["Mikro influencer", "Makro influencer", "Panduan"]
    kinds = [e.kind for e in tg.events(CHAT, since=mark)]
    assert kinds == ["send", "edit", "edit", "edit"]
    assert tg.events(CHAT)[1].message.buttons == []  # snapshots keep each version


# ------------------------------------------------------------------------------- files


def test_user_document_get_file_download_round_trip(tg: FakeTelegram) -> None:
    content = b"tanggal,omzet\n2024-01-01,150000\n" + bytes(range(256))
    update_id = tg.send_document(CHAT, "penjualan.csv", content, caption="data bulan ini")

    async def body(bot: Bot) -> None:
        updates = await bot.get_updates(timeout=1)
        assert [u.update_id for u in updates] == [update_id]
        message = updates[0].message
        assert message is not None and message.document is not None
        assert message.caption == "data bulan ini"
        document = message.document
        assert (document.file_name, document.mime_type, document.file_size) == (
            "penjualan.csv",
            "text/csv",
            len(content),
        )
        telegram_file = await bot.get_file(document.file_id)
        assert telegram_file.file_path is not None
        assert "/documents/file_" in telegram_file.file_path
        assert telegram_file.file_path.endswith(".csv")
        assert bytes(await telegram_file.download_as_bytearray()) == content
        with pytest.raises(BadRequest, match="Invalid file_id"):
            await bot.get_file("tidak-ada")

    run_with_bot(tg, body)
    assert tg.downloads and tg.downloads[0].startswith("documents/")


def test_bot_send_document_multipart_keeps_bytes_and_fields(tg: FakeTelegram) -> None:
    payload = bytes(range(256)) * 4 + b"\r\n--boundary--\r\n\r\n" + "ringkasan;é".encode()

    async def body(bot: Bot) -> Any:
        return await bot.send_document(
            CHAT,
            document=payload,
            filename='laporan "Q1".csv',
            caption="<b>Laporan</b> Q1",
            parse_mode=ParseMode.HTML,
            reply_markup=KEYBOARD,
        )

    message = run_with_bot(tg, body)
    sent = tg.last_message(CHAT)
    assert sent.kind == "document" and sent.document is not None
    assert sent.document.content == payload
    assert sent.document.filename == 'laporan "Q1".csv'
    assert sent.document.mime_type == "text/csv"
    assert sent.caption == sent.text == "Laporan Q1"
    assert sent.caption_html == "<b>Laporan</b> Q1"
    assert sent.find_button("Makro").callback_data == "tier:macro"
    assert message.document.file_size == len(payload)
    call = tg.call_log[-1]
    assert call.method == "sendDocument" and "document" in call.files
    assert isinstance(call.params["reply_markup"], dict)
    assert call.params["chat_id"] == CHAT


def test_send_photo_validates_images(tg: FakeTelegram) -> None:
    png = tiny_png()

    async def body(bot: Bot) -> None:
        message = await bot.send_photo(CHAT, photo=png, caption="grafik")
        assert message.photo[-1].width == 2 and message.photo[-1].height == 1
        with pytest.raises(BadRequest, match="(?i)image_process_failed"):
            await bot.send_photo(CHAT, photo=b"bukan gambar")
        with pytest.raises(BadRequest, match="File must be non-empty"):
            await bot.send_document(CHAT, document=b"", filename="kosong.csv")

    run_with_bot(tg, body)
    assert tg.last_message(CHAT).photo == png


# ------------------------------------------------------------------------------- errors


def test_blocked_chat_answers_403(tg: FakeTelegram) -> None:
    tg.blocked_chats.add(2002)

    async def body(bot: Bot) -> None:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(2002, "halo")
        with pytest.raises(Forbidden):
            await bot.send_chat_action(2002, "typing")
        await bot.send_message(CHAT, "chat lain tetap bisa")

    run_with_bot(tg, body)
    assert tg.errors_returned[0] == ("sendMessage", 403, "Forbidden: bot was blocked by the user")
    assert tg.messages(2002) == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_rate_limits_answer_429_with_retry_after(tg: FakeTelegram) -> None:
    async def body(bot: Bot) -> None:
        tg.set_rate_limits(per_chat_rate=1)
        await bot.send_message(CHAT, "satu")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(CHAT, "dua")
        assert retry_seconds(caught.value) == 1
        await bot.send_message(CHAT + 1, "chat lain")

        tg.set_rate_limits(global_rate=2)
        await bot.send_message(3001, "a")
        await bot.send_message(3002, "b")
        with pytest.raises(RetryAfter):
            await bot.send_message(3003, "c")

    run_with_bot(tg, body)
    assert tg.rate_limited_count == 2
    raw = [d for m, code, d in tg.errors_returned if code == 429]
    assert raw == ["Too Many Requests: retry after 1"] * 2


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_fault_injection(tg: FakeTelegram) -> None:
    async def body(bot: Bot) -> None:
        tg.fail_next("sendMessage", times=1, status=502)
        with pytest.raises(NetworkError):
            await bot.send_message(CHAT, "gagal")
        await bot.send_message(CHAT, "berhasil")

        tg.fail_next("sendMessage", status=429, retry_after=3)
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(CHAT, "banjir")
        assert retry_seconds(caught.value) == 3

        tg.delay_next("getMe", times=1, seconds=0.2)
        started = time.monotonic()
        await bot.get_me()
        assert time.monotonic() - started >= 0.2

    run_with_bot(tg, body)
    assert [m.text for m in tg.messages(CHAT)] == ["berhasil"]
    tg.assert_no_errors()  # injected faults are not the bot's fault
    with pytest.raises(AssertionError, match="502"):
        tg.assert_no_errors(include_injected=True)


# ------------------------------------------------------------------------------- user actions


def test_press_button_and_answer_callback(tg: FakeTelegram) -> None:
    async def body(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "Pilih jenis influencer:", reply_markup=KEYBOARD)
        mark = tg.mark()
        update_id = tg.press_button(CHAT, "Makro")
        updates = await bot.get_updates(timeout=1)
        assert [u.update_id for u in updates] == [update_id]
        query = updates[0].callback_query
        assert query is not None and query.data == "tier:macro"
        assert query.message is not None and query.message.message_id == sent.message_id
        assert query.from_user.id == CHAT
        await query.answer("Dipilih: makro")
        answer = tg.wait_for_callback_answer(CHAT, since=mark, timeout=1)
        assert answer["text"] == "Dipilih: makro" and answer["data"] == "tier:macro"
        assert answer["update_id"] == update_id and not answer["show_alert"]
        with pytest.raises(BadRequest, match="Query is too old"):
            await query.answer("lagi")

    run_with_bot(tg, body)
    with pytest.raises(AssertionError, match="Mikro influencer"):
        tg.press_button(CHAT, "Tidak ada")
    with pytest.raises(AssertionError, match="ambiguous"):
        tg.press_button(CHAT, "influencer")
    with pytest.raises(AssertionError, match="not a callback button"):
        tg.press_button(CHAT, "Panduan")
    with pytest.raises(AssertionError):
        tg.press(CHAT, 999, "x")


def test_mark_wait_for_and_wait_idle(tg: FakeTelegram) -> None:
    mark = tg.mark()

    async def later(bot: Bot) -> None:
        await asyncio.sleep(0.1)
        sent = await bot.send_message(CHAT, "Sedang menghitung...")
        await asyncio.sleep(0.05)
        await bot.edit_message_text("Selesai: 42", CHAT, sent.message_id)

    worker = threading.Thread(target=run_with_bot, args=(tg, later))
    worker.start()
    edited = tg.wait_for(CHAT, since=mark, predicate="Selesai", timeout=5)
    first = tg.wait_for(CHAT, since=mark, timeout=1)
    worker.join(5)
    assert first.text == "Sedang menghitung..." and first.edits == 0
    assert edited.text == "Selesai: 42" and edited.edits == 1
    assert tg.wait_for_message(CHAT, lambda m: m.edits == 1, timeout=1).message_id == 1
    tg.wait_idle(CHAT, quiet=0.1, timeout=2)
    with pytest.raises(AssertionError, match=f"chat {CHAT} transcript"):
        tg.wait_for(CHAT, since=tg.mark(), timeout=0.1)
