"""Local emulation of the Telegram Bot API for end-to-end tests.

The bot under test can never reach Telegram, so this module runs a small HTTP server on
127.0.0.1 that answers the Bot API methods the bot uses, with Telegram's URL shapes, response
envelopes, error codes and (deliberately strict) validation. A bot bug that real Telegram would
reject - broken HTML, an over-long message, oversized callback data, an edit that changes
nothing - therefore fails the test instead of passing silently.

Tests drive it synchronously: they act as users (``send_text``, ``press_button``,
``send_document``), then wait for and inspect what the bot did (``mark``/``wait_for``,
``messages``, ``callback_answers``, ``calls``, ``errors_returned``).

Point the bot at it with PTB's ``base_url=fake.base_url`` and
``base_file_url=fake.file_base_url`` (PTB appends the token itself).

Typical flow::

    with FakeTelegram() as fake:
        start_bot(TELEGRAM_API_BASE_URL=fake.base_url, TELEGRAM_API_FILE_URL=fake.file_base_url)
        fake.wait_polling()             # updates queued earlier die with drop_pending_updates
        m = fake.mark()
        fake.send_text(1001, "/start")
        reply = fake.wait_for(1001, since=m, predicate="Halo")
        fake.press_button(1001, "Mikro")
        fake.assert_no_errors()

Messages returned by ``messages``/``wait_for`` are snapshots (copies); re-read to see later
edits. A callback query can be answered once (a second answer gets Telegram's "query is too
old" 400) unless the test redelivered its update.

Deliberate differences from real Telegram (to catch bugs earlier, or to keep tests fast):

* a bare ``&`` that does not start an entity is a parse error (Telegram's docs demand
  escaping it, the real server tolerates it); pass ``strict_ampersand=False`` to relax;
* ``parse_mode`` MarkdownV2/Markdown is rejected with 400 (the bot is expected to use HTML);
* webhooks may be plain ``http://`` (Telegram demands HTTPS on ports 443/80/88/8443), and
  failed deliveries are retried after a short backoff (0.05 s doubling to 2 s) rather than
  Telegram's minutes.

Webhook mode works like Telegram's: while a webhook is set, ``getUpdates`` answers 409 and a
delivery thread POSTs each update as JSON to the webhook URL (with the
``X-Telegram-Bot-Api-Secret-Token`` header when a secret was set), at most ``max_connections``
at a time, one at a time per chat (the next update of a chat waits until the previous one got
a 2xx), retrying non-2xx answers and connection errors. ``wait_delivered`` then means "the
bot's server answered", ``wait_confirmed`` "it answered 2xx"; ``wait_webhook`` is the
counterpart of ``wait_polling``, ``deliveries`` lists every attempt, and
``balance_between([url1, url2])`` plays a reverse proxy that spreads deliveries round-robin
over several bot processes whatever URL they registered.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import http.client
import json
import math
import mimetypes
import re
import secrets
import select
import socket
import socketserver
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = [
    "ApiCall",
    "Button",
    "FakeTelegram",
    "FakeUser",
    "HtmlParseError",
    "MessageEvent",
    "SentDocument",
    "SentMessage",
    "WebhookDelivery",
    "parse_html",
    "utf16_len",
]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"

# Methods that consume the flood-control budget (Telegram throttles message creation/edits).
RATE_LIMITED_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)

# Update types Telegram leaves out unless they are requested explicitly in allowed_updates.
_NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

_BUTTON_ACTION_FIELDS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)

# Form and multipart bodies carry every value as a string; these tell us how to decode them,
# the way the real Bot API does per parameter.
_INT_FIELDS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "max_connections",
        "from_chat_id",
    }
)
_FLOAT_FIELDS = frozenset({"timeout"})
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "has_spoiler",
        "show_caption_above_media",
        "allow_paid_broadcast",
    }
)
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "entities",
        "caption_entities",
        "reply_parameters",
        "link_preview_options",
        "commands",
        "scope",
        "menu_button",
    }
)

_WHITESPACE = " \t\r\n\v\f"
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?(?![A-Za-z0-9_@])")
_BOT_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: Telegram counts limits and entity offsets this way."""
    return len(text.encode("utf-16-le")) // 2


class _ApiError(Exception):
    """An error answer of the Bot API; raised inside method handlers."""

    def __init__(
        self,
        code: int,
        description: str,
        *,
        retry_after: int | None = None,
        injected: bool = False,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.injected = injected


class _Abandoned(Exception):
    """The client went away while we were waiting (e.g. a killed bot's long poll)."""


def _bad_request(message: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {message}")


# --------------------------------------------------------------------------------------------
# Telegram HTML parsing
# --------------------------------------------------------------------------------------------


class HtmlParseError(ValueError):
    """Raised for markup Telegram would answer with "can't parse entities"."""


_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_SIMPLE_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_NAMED_ENTITY_RE = re.compile(r"&([A-Za-z]+);?")
_DEC_ENTITY_RE = re.compile(r"&#([0-9]+);?")
_HEX_ENTITY_RE = re.compile(r"&#[xX]([0-9A-Fa-f]+);?")


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    utf16_offset: int
    out_index: int
    language: str | None = None


def _decode_entity(text: str, pos: int) -> tuple[str | None, int]:
    """Decode the character reference at ``pos`` like tdlib does; (None, pos) if there is none."""
    for regex, base in ((_HEX_ENTITY_RE, 16), (_DEC_ENTITY_RE, 10)):
        match = regex.match(text, pos)
        if match:
            digits = match.group(1)
            if len(match.group(0).rstrip(";")) >= 10:
                return None, pos
            code_point = int(digits, base)
            if code_point == 0 or code_point >= 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
                return None, pos
            return chr(code_point), match.end()
    match = _NAMED_ENTITY_RE.match(text, pos)
    if match and match.group(1) in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[match.group(1)], match.end()
    return None, pos


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram's HTML subset into (plain text, entities) or raise HtmlParseError.

    Mirrors tdlib's ``parse_html`` (tag set, attribute rules, error wording, UTF-16 offsets) so
    a message accepted here is accepted by Telegram. With ``strict_ampersand`` a lone ``&`` is
    an error too, as the Bot API documentation requires.
    """
    out: list[str] = []
    utf16 = 0
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    n = len(text)
    i = 0

    def byte_offset(pos: int) -> int:
        return len(text[:pos].encode("utf-8"))

    def decode_amp(pos: int) -> tuple[str, int]:
        decoded, end = _decode_entity(text, pos)
        if decoded is not None:
            return decoded, end
        if strict_ampersand:
            raise HtmlParseError(
                f'Character "&" at byte offset {byte_offset(pos)} does not start an HTML entity '
                "and must be escaped as &amp;"
            )
        return "&", pos + 1

    while i < n:
        char = text[i]
        if char == "&":
            decoded, i = decode_amp(i)
            out.append(decoded)
            utf16 += utf16_len(decoded)
            continue
        if char != "<":
            out.append(char)
            utf16 += 2 if ord(char) > 0xFFFF else 1
            i += 1
            continue

        begin = i
        i += 1
        if i < n and text[i] == "/":
            # End tag.
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            j = i + 1
            while j < n and text[j] not in _WHITESPACE and text[j] != ">":
                j += 1
            end_name = text[i + 1 : j].lower()
            while j < n and text[j] in _WHITESPACE:
                j += 1
            if j >= n or text[j] != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            top = stack.pop()
            if end_name and end_name != top.name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{top.name}>", found "</{end_name}>"'
                )
            _close_tag(top, utf16, "".join(out[top.out_index :]), stack, entities)
            i = j + 1
            continue

        # Start tag.
        j = i
        while j < n and text[j] not in _WHITESPACE and text[j] != ">":
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        name = text[i:j].lower()
        if name not in _SUPPORTED_TAGS:
            raise HtmlParseError(
                f'Unsupported start tag "{name}" at byte offset {byte_offset(begin)}'
            )
        attrs: dict[str, str] = {}
        while True:
            while j < n and text[j] in _WHITESPACE:
                j += 1
            if j >= n:
                raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
            if text[j] == ">":
                j += 1
                break
            attr_begin = j
            while j < n and text[j] not in _WHITESPACE and text[j] not in "=>":
                j += 1
            attr = text[attr_begin:j].lower()
            if not attr:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset {byte_offset(begin)}'
                )
            while j < n and text[j] in _WHITESPACE:
                j += 1
            if j >= n:
                raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
            if text[j] != "=":
                if name == "blockquote" and attr == "expandable":
                    attrs.setdefault(attr, "")
                    continue
                raise HtmlParseError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{name}" at byte offset {byte_offset(begin)}'
                )
            j += 1
            while j < n and text[j] in _WHITESPACE:
                j += 1
            if j >= n:
                raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
            if text[j] in "\"'":
                quote = text[j]
                j += 1
                value_parts: list[str] = []
                while j < n and text[j] != quote:
                    if text[j] == "&":
                        decoded, j = decode_amp(j)
                        value_parts.append(decoded)
                    else:
                        value_parts.append(text[j])
                        j += 1
                if j >= n:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
                j += 1
                value = "".join(value_parts)
            else:
                value_begin = j
                while j < n and (text[j].isascii() and text[j].isalnum() or text[j] in ".-"):
                    j += 1
                value = text[value_begin:j].lower()
                if j < n and text[j] not in _WHITESPACE and text[j] != ">":
                    raise HtmlParseError(
                        f"Unexpected end of name token at byte offset {byte_offset(j)}"
                    )
            attrs.setdefault(attr, value)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}'
            )
        stack.append(_OpenTag(name, attrs, utf16, len(out)))
        i = j

    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_tag(
    tag: _OpenTag,
    utf16_end: int,
    inner_text: str,
    stack: list[_OpenTag],
    entities: list[dict[str, Any]],
) -> None:
    """Turn a closed tag into a MessageEntity dict (dropping empty ones like Telegram)."""
    length = utf16_end - tag.utf16_offset
    entity: dict[str, Any] | None
    if tag.name in _SIMPLE_ENTITY_TYPES:
        entity = {"type": _SIMPLE_ENTITY_TYPES[tag.name]}
        css_class = tag.attrs.get("class", "")
        if (
            tag.name == "code"
            and stack
            and stack[-1].name == "pre"
            and css_class.startswith("language-")
        ):
            # <pre><code class="language-x"> becomes one pre entity with a language.
            stack[-1].language = css_class[len("language-") :]
            entity = None
    elif tag.name == "a":
        url = tag.attrs.get("href", "") or inner_text
        entity = {"type": "text_link", "url": url} if url else None
    elif tag.name == "pre":
        entity = {"type": "pre"}
        if tag.language:
            entity["language"] = tag.language
    elif tag.name == "blockquote":
        entity = {"type": "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"}
    else:  # tg-emoji
        emoji_id = tag.attrs.get("emoji-id", "")
        if not emoji_id.isdigit() or int(emoji_id) == 0:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        entity = {"type": "custom_emoji", "custom_emoji_id": emoji_id}
    if entity is not None and length > 0:
        entity["offset"] = tag.utf16_offset
        entity["length"] = length
        entities.append(entity)


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip surrounding whitespace and shift entities, as Telegram does before storing text."""
    stripped = text.strip(_WHITESPACE)
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip(_WHITESPACE))])
    total = utf16_len(stripped)
    result: list[dict[str, Any]] = []
    for entity in entities:
        start = max(int(entity.get("offset", 0)) - lead, 0)
        end = min(int(entity.get("offset", 0)) + int(entity.get("length", 0)) - lead, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


# --------------------------------------------------------------------------------------------
# Multipart parsing (stdlib's cgi is deprecated; httpx's encoding is simple and well defined)
# --------------------------------------------------------------------------------------------


@dataclass
class _UploadedFile:
    name: str
    filename: str | None
    content_type: str | None
    content: bytes


_DISPOSITION_PARAM_RE = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def _parse_disposition(value: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, raw in _DISPOSITION_PARAM_RE.findall(value):
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            # httpx (HTML5 form encoding) writes '"' as %22 and control chars as %XX.
            raw = re.sub(r"%([01][0-9A-F]|22)", lambda m: chr(int(m.group(1), 16)), raw)
        key = key.lower()
        if key.endswith("*"):  # RFC 5987: charset'lang'percent-encoded
            _, _, encoded = raw.partition("'")
            _, _, encoded = encoded.partition("'")
            params[key[:-1]] = unquote(encoded)
        else:
            params.setdefault(key, raw)
    return params


def _parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, Any]]:
    """Split a multipart/form-data body into text fields and file parts."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise _bad_request("multipart boundary is missing")
    delimiter = b"\r\n--" + match.group(1).encode("latin-1")
    fields: dict[str, str] = {}
    files: dict[str, Any] = {}
    chunks = (b"\r\n" + body).split(delimiter)
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        head, sep, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            raise _bad_request("malformed multipart part")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = _parse_disposition(headers.get("content-disposition", ""))
        name = disposition.get("name")
        if name is None:
            continue
        if "filename" in disposition:
            files[name] = _UploadedFile(
                name=name,
                filename=disposition["filename"],
                content_type=headers.get("content-type"),
                content=content,
            )
        else:
            fields[name] = content.decode("utf-8", "replace")
    return fields, files


def _coerce_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Decode string-typed form values into the types the methods expect (like the Bot API)."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            if key == "chat_id":
                value = int(value) if re.fullmatch(r"-?\d+", value.strip()) else value.strip()
            elif key in _INT_FIELDS:
                try:
                    value = int(value) if value.strip() else None
                except ValueError:
                    raise _bad_request(f'invalid integer in parameter "{key}"') from None
            elif key in _FLOAT_FIELDS:
                try:
                    value = float(value) if value.strip() else None
                except ValueError:
                    raise _bad_request(f'invalid number in parameter "{key}"') from None
            elif key in _BOOL_FIELDS:
                lowered = value.strip().lower()
                if lowered in ("true", "1"):
                    value = True
                elif lowered in ("false", "0", ""):
                    value = False
                else:
                    raise _bad_request(f'invalid boolean in parameter "{key}"')
            elif key in _JSON_FIELDS:
                if not value.strip():
                    value = None
                else:
                    try:
                        value = json.loads(value)
                    except ValueError:
                        if key == "reply_markup":
                            raise _bad_request(
                                "can't parse reply keyboard markup JSON object"
                            ) from None
                        raise _bad_request(f'can\'t parse JSON in parameter "{key}"') from None
        if value is not None:
            params[key] = value
    return params


# --------------------------------------------------------------------------------------------
# Images: just enough to reject garbage and report dimensions
# --------------------------------------------------------------------------------------------


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) for PNG/JPEG/GIF/WEBP/BMP data, or None if it is not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    if data.startswith(b"BM") and len(data) >= 26:
        return int.from_bytes(data[18:22], "little"), abs(
            int.from_bytes(data[22:26], "little", signed=True)
        )
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 1, 1
    if data.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 9 < len(data):
            if data[pos] != 0xFF:
                pos += 1
                continue
            marker = data[pos + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                pos += 2
                continue
            seg_len = int.from_bytes(data[pos + 2 : pos + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height = int.from_bytes(data[pos + 5 : pos + 7], "big")
                width = int.from_bytes(data[pos + 7 : pos + 9], "big")
                return width, height
            pos += 2 + seg_len
        return None
    return None


# --------------------------------------------------------------------------------------------
# Test-facing data classes
# --------------------------------------------------------------------------------------------


@dataclass
class FakeUser:
    """A Telegram user the test acts as; in private chats the chat id equals the user id."""

    id: int
    first_name: str = "Test"
    username: str | None = None
    language_code: str | None = "id"
    last_name: str | None = None
    is_bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The ``from`` object of updates."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_dict(self) -> dict[str, Any]:
        """The private ``chat`` object for this user."""
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class Button:
    """One inline keyboard button as the bot sent it."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class SentDocument:
    """A file the bot uploaded (or re-sent by file_id)."""

    filename: str
    content: bytes
    mime_type: str
    file_id: str
    file_unique_id: str


def _find_button(buttons: list[list[Button]], needle: str, where: str) -> Button:
    """Exact label match wins, else a unique case-insensitive substring match."""
    flat = [b for row in buttons for b in row]
    exact = [b for b in flat if b.text == needle]
    if exact:
        return exact[0]
    partial = [b for b in flat if needle.lower() in b.text.lower()]
    if len(partial) == 1:
        return partial[0]
    labels = [b.text for b in flat]
    if not partial:
        raise AssertionError(f"No button matching {needle!r} in {where}; available: {labels}")
    raise AssertionError(
        f"Button text {needle!r} is ambiguous in {where}: {[b.text for b in partial]}"
    )


@dataclass
class SentMessage:
    """A bot message as the user currently sees it (a snapshot; edits produce new snapshots).

    ``text`` is the plain text after HTML parsing; for documents/photos it mirrors the plain
    caption ("" without caption) so predicates on ``text`` work for every message.
    """

    chat_id: int
    message_id: int
    date: int
    kind: str  # "text" | "document" | "photo"
    text: str
    html: str | None
    parse_mode: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[list[Button]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: SentDocument | None = None
    photo: bytes | None = None
    photo_file_id: str | None = None
    caption: str | None = None
    caption_html: str | None = None
    reply_to_message_id: int | None = None
    edits: int = 0
    edit_date: int | None = None
    history: list[str] = field(default_factory=list)
    html_history: list[str | None] = field(default_factory=list)
    deleted: bool = False
    seq: int = 0

    def button_texts(self) -> list[str]:
        """Labels of all inline buttons, row by row."""
        return [b.text for row in self.buttons for b in row]

    def all_buttons(self) -> list[Button]:
        return [b for row in self.buttons for b in row]

    def find_button(self, substring: str) -> Button:
        """The button whose label equals / uniquely contains ``substring``; AssertionError if not."""
        return _find_button(self.buttons, substring, f"message {self.message_id}")

    @property
    def has_keyboard(self) -> bool:
        return any(self.buttons)


@dataclass
class MessageEvent:
    """Something the bot did to a message: kind is "send", "edit" or "delete"."""

    seq: int
    kind: str
    chat_id: int
    message_id: int
    message: SentMessage


@dataclass
class ApiCall:
    """One request the bot made, with decoded parameters and the answer it got."""

    seq: int
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str | None, int, str | None]]
    chat_id: int | None
    started: float
    status: int | None = None
    description: str | None = None
    finished: float | None = None
    injected: bool = False


@dataclass
class _FileEntry:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    mime_type: str
    filename: str


@dataclass
class WebhookDelivery:
    """One POST of an update to the webhook: status None means no HTTP answer at all."""

    update_id: int
    chat_id: int | None
    url: str
    started: float
    finished: float | None = None
    status: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class _Pending:
    update: dict[str, Any]
    forced: bool = False
    delivered: bool = False
    # webhook mode: a POST is in flight / failed attempts so far / no retry before this time
    sending: bool = False
    attempts: int = 0
    not_before: float = 0.0

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])


@dataclass
class _Fault:
    status: int = 500
    description: str | None = None
    retry_after: int | None = None
    seconds: float = 0.0


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    fake: FakeTelegram

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls getfqdn(), which can stall on a box without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.fake._register_connection(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._register_connection(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr log; calls are recorded on the FakeTelegram."""

    def do_GET(self) -> None:
        self.server.fake._handle_http(self)

    def do_POST(self) -> None:
        self.server.fake._handle_http(self)

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_bytes(self, status: int, body: bytes, content_type: str) -> None:
        # One write for head and body: two small writes hit Nagle + delayed ACK (~40 ms each).
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self._headers_buffer.append(b"\r\n" + body)  # type: ignore[attr-defined]
            self.wfile.write(b"".join(self._headers_buffer))  # type: ignore[attr-defined]
            self._headers_buffer = []  # type: ignore[attr-defined]
            self.wfile.flush()
        except OSError:
            self.close_connection = True


def _client_gone(sock: socket.socket) -> bool:
    """True when the peer closed the connection (readable with EOF while a request is open)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


# --------------------------------------------------------------------------------------------
# The emulator
# --------------------------------------------------------------------------------------------


PredicateArg = Callable[[SentMessage], bool] | str | None


def _as_predicate(predicate: PredicateArg) -> Callable[[SentMessage], bool]:
    if predicate is None:
        return lambda _m: True
    if isinstance(predicate, str):
        needle = predicate
        return lambda m: needle in m.text
    return predicate


class FakeTelegram:
    """The Bot API emulator; see the module docstring. All public methods are thread-safe."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        *,
        bot_username: str = "umkm_test_bot",
        bot_first_name: str = "UMKM Test Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        global_rate: int | None = None,
        per_chat_rate: int | None = None,
        retry_after: int | None = None,
        strict_ampersand: bool = True,
        first_update_id: int = 100_000,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.host = host
        self.port = port
        self.strict_ampersand = strict_ampersand
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()

        self._seq = 0
        self._call_log: list[ApiCall] = []
        self._errors: list[tuple[str, int, str]] = []
        self._error_details: list[tuple[int, str, int, str, int | None, bool]] = []
        self.internal_errors: list[str] = []
        self._inflight: dict[int | None, int] = {}
        self._last_activity: dict[int | None, float] = {None: time.monotonic()}

        # Updates
        self._next_update_id = first_update_id
        self._pending: list[_Pending] = []
        self._all_updates: dict[int, dict[str, Any]] = {}
        self._delivered_ids: set[int] = set()
        self._confirmed_ids: set[int] = set()
        self.dropped_updates: list[dict[str, Any]] = []
        self._poll_generation = 0
        self._allowed_updates: list[str] | None = None
        self._webhook: dict[str, Any] = {}
        self._webhook_thread: threading.Thread | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._deliveries: list[WebhookDelivery] = []
        self._balance: list[str] = []
        self._balance_next = 0
        self.webhook_timeout = 10.0  # seconds a webhook POST may take before it counts as failed

        # Chats and messages
        self._users: dict[int, FakeUser] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._next_message_id: dict[int, int] = {}
        self._bot_messages: dict[int, dict[int, SentMessage]] = {}
        self._user_messages: dict[int, dict[int, dict[str, Any]]] = {}
        self._transcript: dict[int, list[tuple[int, str, Any]]] = {}
        self._events: list[MessageEvent] = []
        self.blocked_chats: set[int] = set()
        self.chat_actions: list[tuple[int, str]] = []

        # Callback queries
        self._queries: dict[str, dict[str, Any]] = {}
        self._callback_answers: list[dict[str, Any]] = []

        # Files
        self._files: dict[str, _FileEntry] = {}
        self._files_by_path: dict[str, _FileEntry] = {}
        self._file_counter = 0
        self.downloads: list[str] = []

        # Bot settings
        self.commands_by_scope: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.bot_texts: dict[tuple[str, str], str] = {}

        # Flood control and faults
        self._global_rate = global_rate
        self._per_chat_rate = per_chat_rate
        self._retry_after = retry_after
        self._global_window: deque[float] = deque()
        self._chat_windows: dict[int, deque[float]] = {}
        self.rate_limited_count = 0
        self._fail_queue: dict[str, deque[_Fault]] = {}
        self._delay_queue: dict[str, deque[_Fault]] = {}

        handlers: dict[str, Callable[[dict[str, Any], dict[str, Any], Any], Any]] = {
            "getMe": self._m_get_me,
            "logOut": self._m_true,
            "close": self._m_true,
            "deleteWebhook": self._m_delete_webhook,
            "setWebhook": self._m_set_webhook,
            "getWebhookInfo": self._m_get_webhook_info,
            "getUpdates": self._m_get_updates,
            "sendMessage": self._m_send_message,
            "editMessageText": self._m_edit_message_text,
            "editMessageReplyMarkup": self._m_edit_message_reply_markup,
            "editMessageCaption": self._m_edit_message_caption,
            "deleteMessage": self._m_delete_message,
            "answerCallbackQuery": self._m_answer_callback_query,
            "sendDocument": self._m_send_document,
            "sendPhoto": self._m_send_photo,
            "sendChatAction": self._m_send_chat_action,
            "getFile": self._m_get_file,
            "setMyCommands": self._m_set_my_commands,
            "getMyCommands": self._m_get_my_commands,
            "deleteMyCommands": self._m_delete_my_commands,
            "setChatMenuButton": self._m_set_chat_menu_button,
            "getChatMenuButton": self._m_get_chat_menu_button,
            "setMyDescription": self._m_set_bot_text("description"),
            "getMyDescription": self._m_get_bot_text("description"),
            "setMyShortDescription": self._m_set_bot_text("short_description"),
            "getMyShortDescription": self._m_get_bot_text("short_description"),
            "setMyName": self._m_set_bot_text("name"),
            "getMyName": self._m_get_bot_text("name"),
            "getChat": self._m_get_chat,
        }
        self._methods = {name.lower(): (name, fn) for name, fn in handlers.items()}

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Bind and serve in a background thread; restartable after stop() on the same port."""
        if self._server is not None:
            return
        self._stopping.clear()
        server = _Server((self.host, self.port), _Handler)
        server.fake = self
        self._server = server
        self.port = int(server.server_address[1])
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeTelegram:{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._webhook_thread = threading.Thread(
            target=self._webhook_loop, name=f"FakeTelegram:{self.port}:webhook", daemon=True
        )
        self._webhook_thread.start()

    def stop(self) -> None:
        """Stop serving quickly, releasing long polls and dropping kept-alive connections."""
        server = self._server
        if server is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._webhook_thread is not None:
            self._webhook_thread.join(timeout=2)
        self._server = None
        self._thread = None
        self._webhook_thread = None

    def __enter__(self) -> FakeTelegram:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """Value for PTB's base_url / TELEGRAM_API_BASE_URL (PTB appends the token)."""
        self._require_started()
        return f"http://{self.host}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        """Value for PTB's base_file_url / TELEGRAM_API_FILE_URL."""
        self._require_started()
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def api_url(self) -> str:
        """Full method prefix including the token, handy for raw httpx calls."""
        return f"{self.base_url}{self.token}"

    def _require_started(self) -> None:
        if not self.port:
            raise RuntimeError("FakeTelegram has no port yet; call start() or use it as a context")

    def _register_connection(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    # ---------------------------------------------------------------- configuration

    def set_rate_limits(
        self,
        global_rate: int | None = None,
        per_chat_rate: int | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        """Enable/disable flood control (sends per rolling second); None switches a limit off."""
        with self._lock:
            self._global_rate = global_rate
            self._per_chat_rate = per_chat_rate
            self._retry_after = retry_after
            self._global_window.clear()
            self._chat_windows.clear()

    def fail_next(
        self,
        method: str,
        times: int = 1,
        status: int = 500,
        *,
        description: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` ("*" = any) answer with ``status``."""
        with self._lock:
            queue = self._fail_queue.setdefault(method.lower(), deque())
            for _ in range(times):
                queue.append(
                    _Fault(status=status, description=description, retry_after=retry_after)
                )

    def delay_next(self, method: str, times: int = 1, seconds: float = 1.0) -> None:
        """Delay the next ``times`` calls of ``method`` ("*" = any) by ``seconds`` each."""
        with self._lock:
            queue = self._delay_queue.setdefault(method.lower(), deque())
            for _ in range(times):
                queue.append(_Fault(seconds=seconds))

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: sends to this chat answer 403."""
        with self._lock:
            self.blocked_chats.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        with self._lock:
            self.blocked_chats.discard(chat_id)

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        username: str | None = None,
        language_code: str | None = "id",
        last_name: str | None = None,
    ) -> FakeUser:
        """Create (or replace) a user and their private chat."""
        with self._lock:
            fake_user = FakeUser(
                id=user_id,
                first_name=first_name or f"User{user_id}",
                username=username if username is not None else f"user{user_id}",
                language_code=language_code,
                last_name=last_name,
            )
            self._users[user_id] = fake_user
            self._chats[user_id] = fake_user.chat_dict()
            return fake_user

    # ---------------------------------------------------------------- acting as users

    def _resolve_user(self, user: FakeUser | int) -> FakeUser:
        with self._lock:
            if isinstance(user, FakeUser):
                self._users[user.id] = user
                self._chats[user.id] = user.chat_dict()
                return user
            return self._users.get(user) or self.user(user)

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _alloc_message_id(self, chat_id: int) -> int:
        next_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = next_id + 1
        return next_id

    def _touch(self, chat_id: int | None) -> None:
        now = time.monotonic()
        self._last_activity[None] = now
        if chat_id is not None:
            self._last_activity[chat_id] = now

    def _enqueue(self, update: dict[str, Any], *, forced: bool = False) -> int:
        with self._cond:
            if "update_id" not in update:
                update = {"update_id": self._next_update_id, **update}
            update_id = int(update["update_id"])
            self._next_update_id = max(self._next_update_id, update_id + 1)
            self._all_updates[update_id] = copy.deepcopy(update)
            pending = _Pending(copy.deepcopy(update), forced=forced)
            keys = [p.update_id for p in self._pending]
            self._pending.insert(bisect.bisect_right(keys, update_id), pending)
            self._touch(self._update_chat_id(update))
            self._cond.notify_all()
            return update_id

    @staticmethod
    def _update_chat_id(update: dict[str, Any]) -> int | None:
        for key, value in update.items():
            if key == "update_id" or not isinstance(value, dict):
                continue
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return int(chat["id"])
            sender = value.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
        return None

    def _user_message(self, user: FakeUser, **content: Any) -> dict[str, Any]:
        chat_id = user.id
        message = {
            "message_id": self._alloc_message_id(chat_id),
            "from": user.to_dict(),
            "chat": self._chats.get(chat_id, user.chat_dict()),
            "date": int(time.time()),
            **content,
        }
        self._user_messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def send_text(self, user: FakeUser | int, text: str, *, reply_to: int | None = None) -> int:
        """The user sends ``text`` (bot_command entities like Telegram); returns the update_id."""
        fake_user = self._resolve_user(user)
        with self._cond:
            content: dict[str, Any] = {"text": text}
            entities = [
                {
                    "type": "bot_command",
                    "offset": utf16_len(text[: m.start()]),
                    "length": utf16_len(m.group(0)),
                }
                for m in _COMMAND_RE.finditer(text)
            ]
            if entities:
                content["entities"] = entities
            if reply_to is not None:
                content["reply_to_message"] = self._message_dict_any(fake_user.id, reply_to)
            message = self._user_message(fake_user, **content)
            self._transcript.setdefault(fake_user.id, []).append(
                (self._next_seq(), "user", f"#{message['message_id']}: {text}")
            )
            return self._enqueue({"message": message})

    def send_document(
        self,
        user: FakeUser | int,
        filename: str,
        content: bytes,
        mime_type: str = "text/csv",
        caption: str | None = None,
    ) -> int:
        """The user uploads a file; getFile/download will serve ``content``. Returns update_id."""
        fake_user = self._resolve_user(user)
        with self._cond:
            entry = self._store_file(content, filename, mime_type, "documents")
            document = {
                "file_id": entry.file_id,
                "file_unique_id": entry.file_unique_id,
                "file_name": filename,
                "mime_type": mime_type,
                "file_size": len(content),
            }
            extra: dict[str, Any] = {"document": document}
            if caption is not None:
                extra["caption"] = caption
            message = self._user_message(fake_user, **extra)
            self._transcript.setdefault(fake_user.id, []).append(
                (
                    self._next_seq(),
                    "user",
                    f"#{message['message_id']}: [document {filename}, {len(content)} bytes]"
                    + (f" {caption}" if caption else ""),
                )
            )
            return self._enqueue({"message": message})

    def press(self, user: FakeUser | int, message_id: int, data: str) -> int:
        """The user taps a callback button with ``data`` on bot message ``message_id``."""
        fake_user = self._resolve_user(user)
        with self._cond:
            chat_id = fake_user.id
            msg = self._bot_messages.get(chat_id, {}).get(message_id)
            if msg is None or msg.deleted:
                raise AssertionError(
                    f"Cannot press a button: no bot message {message_id} in chat {chat_id}\n"
                    + self.dump_chat(chat_id)
                )
            update_id = self._next_update_id
            query_id = str(4_000_000_000_000_000 + update_id)
            self._queries[query_id] = {
                "chat_id": chat_id,
                "message_id": message_id,
                "data": data,
                "update_id": update_id,
                "answered": False,
            }
            label = next((b.text for b in msg.all_buttons() if b.callback_data == data), None)
            self._transcript.setdefault(chat_id, []).append(
                (
                    self._next_seq(),
                    "press",
                    f"pressed {label!r} (data={data!r}) on #{message_id}",
                )
            )
            query = {
                "id": query_id,
                "from": fake_user.to_dict(),
                "message": self._message_dict(msg),
                "chat_instance": str(abs(hash(("chat", chat_id))) % 10**18),
                "data": data,
            }
            return self._enqueue({"update_id": update_id, "callback_query": query})

    def press_button(
        self, user: FakeUser | int, text_or_substring: str, message_id: int | None = None
    ) -> int:
        """Press a callback button found by label in the latest keyboard message (or the given)."""
        fake_user = self._resolve_user(user)
        with self._lock:
            chat_id = fake_user.id
            chat_messages = self._bot_messages.get(chat_id, {})
            if message_id is not None:
                msg = chat_messages.get(message_id)
                if msg is None or msg.deleted:
                    raise AssertionError(
                        f"No bot message {message_id} in chat {chat_id}\n" + self.dump_chat(chat_id)
                    )
            else:
                with_keyboard = [
                    m
                    for m in chat_messages.values()
                    if not m.deleted and any(b.callback_data for b in m.all_buttons())
                ]
                if not with_keyboard:
                    raise AssertionError(
                        f"No bot message with an inline keyboard in chat {chat_id}\n"
                        + self.dump_chat(chat_id)
                    )
                msg = max(with_keyboard, key=lambda m: m.message_id)
            try:
                button = msg.find_button(text_or_substring)
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n{self.dump_chat(chat_id)}") from None
            if button.callback_data is None:
                raise AssertionError(f"Button {button.text!r} is not a callback button: {button}")
            return self.press(fake_user, msg.message_id, button.callback_data)

    def redeliver(self, update_id: int) -> None:
        """Queue the same update again with the same id (as after a bot crash), even if confirmed."""
        with self._cond:
            if update_id not in self._all_updates:
                raise KeyError(f"unknown update_id {update_id}")
            for pending in self._pending:
                if pending.update_id == update_id:
                    # Still unconfirmed; if already fetched, make it survive the next offset.
                    if pending.delivered:
                        pending.forced = True
                        pending.delivered = False
                        self._delivered_ids.discard(update_id)
                        self._cond.notify_all()
                    return
            self._confirmed_ids.discard(update_id)
            self._delivered_ids.discard(update_id)
            for query in self._queries.values():
                if query["update_id"] == update_id:
                    query["answered"] = False
            self._enqueue(copy.deepcopy(self._all_updates[update_id]), forced=True)

    def queue_raw_update(self, update: dict[str, Any]) -> int:
        """Queue any update dict (groups, channels, edits...); assigns update_id if missing."""
        with self._cond:
            update = copy.deepcopy(update)
            for key, value in update.items():
                if key != "update_id" and isinstance(value, dict):
                    chat = value.get("chat") or (value.get("message") or {}).get("chat")
                    if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                        self._chats.setdefault(chat["id"], chat)
                        message_id = value.get("message_id")
                        if isinstance(message_id, int) and "chat" in value:
                            self._user_messages.setdefault(chat["id"], {})[message_id] = value
                            self._next_message_id[chat["id"]] = max(
                                self._next_message_id.get(chat["id"], 1), message_id + 1
                            )
                    if key == "callback_query" and "id" in value:
                        message = value.get("message") or {}
                        self._queries[str(value["id"])] = {
                            "chat_id": (message.get("chat") or {}).get("id"),
                            "message_id": message.get("message_id"),
                            "data": value.get("data"),
                            "update_id": update.get("update_id", self._next_update_id),
                            "answered": False,
                        }
            return self._enqueue(update)

    # ---------------------------------------------------------------- observing

    def update(self, update_id: int) -> dict[str, Any]:
        """A copy of an update that was queued (e.g. to read the file_id of a user document)."""
        with self._lock:
            return copy.deepcopy(self._all_updates[update_id])

    @property
    def pending_update_count(self) -> int:
        with self._lock:
            return len(self._pending)

    def wait_polling(self, timeout: float = 10.0, since: int = 0) -> None:
        """Wait until the bot calls getUpdates (after mark ``since``).

        Act as a user only after this: updates queued before the bot starts polling are
        dropped if it starts with drop_pending_updates, exactly as on Telegram.
        """
        self._wait_until(
            lambda: any(c.method == "getUpdates" and c.seq > since for c in self._call_log),
            timeout,
            lambda: "the bot never called getUpdates",
        )

    def wait_webhook(self, timeout: float = 10.0, since: int = 0, url: str | None = None) -> None:
        """Wait until the bot set a webhook (after mark ``since``; to ``url`` if given)."""
        self._wait_until(
            lambda: any(
                c.method == "setWebhook"
                and c.seq > since
                and c.status == 200
                and (url is None or c.params.get("url") == url)
                for c in self._call_log
            ),
            timeout,
            lambda: f"the bot never set the webhook{f' to {url}' if url else ''}",
        )

    def wait_call(
        self, method: str, chat_id: int | None = None, since: int = 0, timeout: float = 10.0
    ) -> ApiCall:
        """Wait until the bot calls ``method`` (in ``chat_id``) after mark ``since``; the call
        may still be running (e.g. held by delay_next). Returns a copy of its record."""
        found: list[ApiCall] = []

        def ready() -> bool:
            for call in self._call_log:
                if (
                    call.method == method
                    and call.seq > since
                    and (chat_id is None or call.chat_id == chat_id)
                ):
                    found.append(copy.deepcopy(call))
                    return True
            return False

        self._wait_until(
            ready, timeout, lambda: f"the bot never called {method} (chat {chat_id})", chat_id
        )
        return found[0]

    def balance_between(self, urls: Iterable[str] | None) -> None:
        """Deliver webhook updates round-robin to ``urls`` (a reverse proxy in front of several
        bot processes), whatever URL the bots registered; None or [] delivers to that URL."""
        with self._cond:
            self._balance = list(urls or [])
            self._balance_next = 0
            self._cond.notify_all()

    def deliveries(self, update_id: int | None = None) -> list[WebhookDelivery]:
        """Every webhook POST so far (optionally of one update), oldest first, as copies."""
        with self._lock:
            return [
                copy.deepcopy(d)
                for d in self._deliveries
                if update_id is None or d.update_id == update_id
            ]

    def wait_delivered(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the bot fetched ``update_id`` with getUpdates (webhook: the bot's server
        answered its POST, with any status)."""
        self._wait_until(
            lambda: update_id in self._delivered_ids,
            timeout,
            lambda: f"update {update_id} was not fetched by the bot",
        )

    def wait_confirmed(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the bot confirmed ``update_id`` (a later getUpdates with a higher offset;
        webhook: a 2xx answer to its POST)."""
        self._wait_until(
            lambda: update_id in self._confirmed_ids,
            timeout,
            lambda: f"update {update_id} was not confirmed by the bot",
        )

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[SentMessage]:
        """Bot messages in the chat, oldest first, current version (after edits), as copies."""
        with self._lock:
            return [
                copy.deepcopy(m)
                for m in sorted(
                    self._bot_messages.get(chat_id, {}).values(), key=lambda m: m.message_id
                )
                if include_deleted or not m.deleted
            ]

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        with self._lock:
            msg = self._bot_messages.get(chat_id, {}).get(message_id)
            if msg is None:
                raise AssertionError(f"No bot message {message_id} in chat {chat_id}")
            return copy.deepcopy(msg)

    def last_message(self, chat_id: int) -> SentMessage:
        """The newest (non-deleted) bot message in the chat; AssertionError if there is none."""
        current = self.messages(chat_id)
        if not current:
            raise AssertionError(
                f"The bot sent nothing to chat {chat_id}\n{self.dump_chat(chat_id)}"
            )
        return current[-1]

    def events(self, chat_id: int | None = None, since: int = 0) -> list[MessageEvent]:
        """Send/edit/delete events with seq > ``since`` (optionally for one chat)."""
        with self._lock:
            return [
                copy.deepcopy(e)
                for e in self._events
                if e.seq > since and (chat_id is None or e.chat_id == chat_id)
            ]

    def mark(self) -> int:
        """A position in the sequence of bot actions; pass it to wait_for(since=...)."""
        with self._lock:
            return self._seq

    def wait_for(
        self,
        chat_id: int | None,
        since: int = 0,
        predicate: PredicateArg = None,
        timeout: float = 10.0,
        *,
        kinds: Iterable[str] = ("send", "edit"),
    ) -> SentMessage:
        """First message sent/edited after mark ``since`` (in ``chat_id``; None = any chat)
        matching ``predicate`` (a callable on SentMessage, or a substring of its text).

        Returns the snapshot as of that event. Raises AssertionError with a dump on timeout.
        """
        check = _as_predicate(predicate)
        wanted = frozenset(kinds)
        found: list[SentMessage] = []

        def ready() -> bool:
            for event in self._events:
                if (
                    event.seq > since
                    and event.kind in wanted
                    and (chat_id is None or event.chat_id == chat_id)
                    and check(event.message)
                ):
                    found.append(copy.deepcopy(event.message))
                    return True
            return False

        self._wait_until(
            ready,
            timeout,
            lambda: (
                f"no bot message ({'/'.join(sorted(wanted))}) in chat {chat_id} after mark "
                f"{since} matching {self._describe(predicate)}"
            ),
            chat_id,
        )
        return found[0]

    def wait_for_message(
        self,
        chat_id: int,
        predicate: PredicateArg = None,
        timeout: float = 10.0,
        after: int = 0,
    ) -> SentMessage:
        """First current bot message with message_id > ``after`` matching ``predicate``.

        Checks current versions, so it also sees a message that an edit made match. Prefer
        mark()/wait_for() to wait for "the next reply after my action".
        """
        check = _as_predicate(predicate)
        found: list[SentMessage] = []

        def ready() -> bool:
            for msg in sorted(
                self._bot_messages.get(chat_id, {}).values(), key=lambda m: m.message_id
            ):
                if msg.message_id > after and not msg.deleted and check(msg):
                    found.append(copy.deepcopy(msg))
                    return True
            return False

        self._wait_until(
            ready,
            timeout,
            lambda: (
                f"no bot message with id > {after} in chat {chat_id} matching "
                f"{self._describe(predicate)}"
            ),
            chat_id,
        )
        return found[0]

    def callback_answers(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """answerCallbackQuery calls (callback_query_id, chat_id, message_id, data, text,
        show_alert, url, cache_time, update_id, seq), optionally for one chat."""
        with self._lock:
            return [
                dict(a)
                for a in self._callback_answers
                if chat_id is None or a.get("chat_id") == chat_id
            ]

    def wait_for_callback_answer(
        self,
        chat_id: int | None = None,
        since: int = 0,
        timeout: float = 10.0,
        *,
        update_id: int | None = None,
    ) -> dict[str, Any]:
        """First callback answer after mark ``since`` (for a chat or for a press's update_id)."""
        found: list[dict[str, Any]] = []

        def ready() -> bool:
            for answer in self._callback_answers:
                if (
                    answer["seq"] > since
                    and (chat_id is None or answer.get("chat_id") == chat_id)
                    and (update_id is None or answer.get("update_id") == update_id)
                ):
                    found.append(dict(answer))
                    return True
            return False

        self._wait_until(
            ready,
            timeout,
            lambda: f"no answerCallbackQuery (chat {chat_id}, update {update_id}) after {since}",
            chat_id,
        )
        return found[0]

    def wait_idle(
        self, chat_id: int | None = None, quiet: float = 0.3, timeout: float = 10.0
    ) -> None:
        """Wait until all queued updates were fetched and the bot made no call (in the chat,
        getUpdates excluded) for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                now = time.monotonic()
                busy = self._inflight.get(chat_id, 0) > 0 or any(
                    (not p.delivered or p.sending)
                    and (chat_id is None or self._update_chat_id(p.update) == chat_id)
                    for p in self._pending
                )
                last = self._last_activity.get(chat_id, 0.0)
                if not busy and now - last >= quiet:
                    return
                if now >= deadline:
                    raise AssertionError(
                        f"Bot was not idle for {quiet}s within {timeout}s\n"
                        + (self.dump_chat(chat_id) if chat_id is not None else "")
                    )
                step = 0.05 if busy else quiet - (now - last)
                self._cond.wait(max(0.01, min(step, deadline - now)))

    @property
    def calls(self) -> list[tuple[str, dict[str, Any]]]:
        """(method, params) for every API call, in arrival order."""
        with self._lock:
            return [(c.method, copy.deepcopy(c.params)) for c in self._call_log]

    @property
    def call_log(self) -> list[ApiCall]:
        """Detailed records: seq, status, description, chat_id, uploaded files, timing."""
        with self._lock:
            return copy.deepcopy(self._call_log)

    def calls_of(self, method: str, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Params of every call of ``method`` (optionally in one chat)."""
        with self._lock:
            return [
                copy.deepcopy(c.params)
                for c in self._call_log
                if c.method == method and (chat_id is None or c.chat_id == chat_id)
            ]

    def count(
        self, method: str, chat_id: int | None = None, *, ok_only: bool = False, since: int = 0
    ) -> int:
        """How many calls of ``method`` arrived (successful ones only with ``ok_only``)."""
        with self._lock:
            return sum(
                1
                for c in self._call_log
                if c.method == method
                and c.seq > since
                and (chat_id is None or c.chat_id == chat_id)
                and (not ok_only or c.status == 200)
            )

    @property
    def errors_returned(self) -> list[tuple[str, int, str]]:
        """(method, error_code, description) for every error answer, including injected ones."""
        with self._lock:
            return list(self._errors)

    def assert_no_errors(
        self,
        *,
        allow: Iterable[int | str] = (),
        include_injected: bool = False,
    ) -> None:
        """Fail if the bot received any error it did not provoke on purpose.

        ``allow`` holds error codes and/or description substrings to ignore; injected faults
        (fail_next) are ignored unless ``include_injected``. Emulator crashes always fail.
        """
        allowed = list(allow)
        with self._lock:
            bad = [
                f"seq {seq} {method} -> {code} {description}"
                for seq, method, code, description, _chat, injected in self._error_details
                if (include_injected or not injected)
                and code not in allowed
                and not any(isinstance(a, str) and a in description for a in allowed)
            ]
            bad += [f"emulator bug: {tb}" for tb in self.internal_errors]
        if bad:
            raise AssertionError("Unexpected Bot API errors:\n" + "\n".join(bad))

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """Commands the bot registered for a scope (default scope by default)."""
        with self._lock:
            key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
            return copy.deepcopy(self.commands_by_scope.get(key, []))

    # ---------------------------------------------------------------- dumps / waiting internals

    @staticmethod
    def _describe(predicate: PredicateArg) -> str:
        if predicate is None:
            return "anything"
        if isinstance(predicate, str):
            return f"text containing {predicate!r}"
        return getattr(predicate, "__name__", repr(predicate))

    def _wait_until(
        self,
        ready: Callable[[], bool],
        timeout: float,
        describe: Callable[[], str],
        chat_id: int | None = None,
    ) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not ready():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    dump = self.dump_chat(chat_id) if chat_id is not None else self.dump_errors()
                    raise AssertionError(f"Timed out after {timeout}s: {describe()}\n{dump}")
                self._cond.wait(min(remaining, 0.25))

    @staticmethod
    def _render_message(msg: SentMessage) -> list[str]:
        flags = []
        if msg.edits:
            flags.append(f"edited {msg.edits}x")
        if msg.deleted:
            flags.append("DELETED")
        if msg.document is not None:
            flags.append(f"document {msg.document.filename} ({len(msg.document.content)} bytes)")
        if msg.photo is not None:
            flags.append(f"photo ({len(msg.photo)} bytes)")
        head = f"#{msg.message_id}" + (f" [{', '.join(flags)}]" if flags else "")
        lines = [f"bot  {head}: " + msg.text.replace("\n", "\n" + " " * 14)]
        for row in msg.buttons:
            rendered = " ".join(
                f"[{b.text} | {'cb:' + b.callback_data if b.callback_data is not None else b.url}]"
                for b in row
            )
            lines.append("             " + rendered)
        return lines

    def dump_chat(self, chat_id: int) -> str:
        """Readable transcript of a chat (user actions, bot messages, errors) for failures."""
        with self._lock:
            entries: list[tuple[int, list[str]]] = []
            for seq, kind, payload in self._transcript.get(chat_id, []):
                prefix = "user " if kind == "user" else "     "
                entries.append((seq, [f"{prefix}{payload}"]))
            for msg in self._bot_messages.get(chat_id, {}).values():
                entries.append((msg.seq, self._render_message(msg)))
            for answer in self._callback_answers:
                if answer.get("chat_id") == chat_id:
                    entries.append(
                        (
                            answer["seq"],
                            [
                                f"     answerCallbackQuery text={answer.get('text')!r} "
                                f"show_alert={answer.get('show_alert')}"
                            ],
                        )
                    )
            entries.sort(key=lambda e: e[0])
            lines = [f"--- chat {chat_id} transcript ---"]
            for seq, rendered in entries:
                lines.append(f"[{seq:>4}] " + rendered[0])
                lines.extend("       " + line for line in rendered[1:])
            errors = [
                f"[{seq:>4}] {method} -> {code} {description}"
                for seq, method, code, description, chat, _inj in self._error_details
                if chat == chat_id
            ]
            if errors:
                lines.append("--- errors returned to the bot in this chat ---")
                lines.extend(errors[-15:])
            recent = [c for c in self._call_log if c.chat_id == chat_id][-15:]
            if recent:
                lines.append("--- last calls in this chat ---")
                lines.extend(f"[{c.seq:>4}] {c.method} -> {c.status}" for c in recent)
            return "\n".join(lines)

    def dump_errors(self) -> str:
        with self._lock:
            lines = ["--- errors returned to the bot ---"]
            lines.extend(
                f"[{seq:>4}] {method} -> {code} {description}"
                for seq, method, code, description, _chat, _inj in self._error_details[-20:]
            )
            lines.extend(f"emulator bug: {tb}" for tb in self.internal_errors)
            return "\n".join(lines)

    # ---------------------------------------------------------------- request handling

    def _handle_http(self, req: _Handler) -> None:
        split = urlsplit(req.path)
        path = unquote(split.path)
        try:
            body = req.read_body()
        except (OSError, ValueError):
            req.close_connection = True
            return
        if self._stopping.is_set():
            req.close_connection = True
            self._send_json(req, 503, {"ok": False, "error_code": 503, "description": "Stopping"})
            return
        if path.startswith("/file/bot"):
            self._serve_file(req, path[len("/file/bot") :])
            return
        if not path.startswith("/bot"):
            self._send_json(req, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, _, method_name = path[len("/bot") :].partition("/")
        method_name = method_name.strip("/")
        self._dispatch(req, token, method_name, split.query, body)

    @staticmethod
    def _send_json(req: _Handler, status: int, payload: dict[str, Any]) -> None:
        req.send_bytes(
            status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json"
        )

    def _serve_file(self, req: _Handler, rest: str) -> None:
        token, _, file_path = rest.partition("/")
        if token != self.token:
            self._send_json(
                req, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
            return
        with self._lock:
            entry = self._files_by_path.get(file_path)
            self.downloads.append(file_path)
        if entry is None:
            self._send_json(req, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        req.send_bytes(200, entry.content, "application/octet-stream")

    def _parse_request(
        self, req: _Handler, query: str, body: bytes
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        files: dict[str, Any] = {}
        content_type = req.headers.get("Content-Type", "")
        mime = content_type.split(";", 1)[0].strip().lower()
        if body:
            if mime == "application/json":
                try:
                    decoded = json.loads(body)
                except ValueError:
                    raise _bad_request("can't parse JSON request body") from None
                if not isinstance(decoded, dict):
                    raise _bad_request("JSON request body must be an object")
                raw.update(decoded)
            elif mime == "multipart/form-data":
                fields, files = _parse_multipart(body, content_type)
                raw.update(fields)
            else:
                raw.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return _coerce_params(raw), files

    def _take_fault(self, queues: dict[str, deque[_Fault]], method: str) -> _Fault | None:
        with self._lock:
            for key in (method.lower(), "*"):
                queue = queues.get(key)
                if queue:
                    return queue.popleft()
            return None

    def _dispatch(
        self, req: _Handler, token: str, method_name: str, query: str, body: bytes
    ) -> None:
        entry = self._methods.get(method_name.lower())
        method = entry[0] if entry else method_name
        files: dict[str, Any] = {}
        params: dict[str, Any] = {}
        parse_error: _ApiError | None = None
        try:
            params, files = self._parse_request(req, query, body)
        except _ApiError as exc:
            parse_error = exc
        chat_id = params.get("chat_id") if isinstance(params.get("chat_id"), int) else None
        if method == "answerCallbackQuery":
            with self._lock:
                chat_id = (self._queries.get(str(params.get("callback_query_id"))) or {}).get(
                    "chat_id"
                )
        with self._cond:
            call = ApiCall(
                seq=self._next_seq(),
                method=method,
                params=params,
                files={
                    name: (f.filename, len(f.content), f.content_type) for name, f in files.items()
                },
                chat_id=chat_id,
                started=time.monotonic(),
            )
            self._call_log.append(call)
            is_poll = method == "getUpdates"
            if not is_poll:
                for key in {None, chat_id}:
                    self._inflight[key] = self._inflight.get(key, 0) + 1
                self._touch(chat_id)
            self._cond.notify_all()

        status = 200
        payload: dict[str, Any]
        injected = False
        try:
            if token != self.token:
                raise _ApiError(401, "Unauthorized")
            if entry is None:
                raise _ApiError(404, "Not Found")
            delay = self._take_fault(self._delay_queue, method)
            if delay is not None and self._stopping.wait(delay.seconds):
                raise _Abandoned
            fault = self._take_fault(self._fail_queue, method)
            if fault is not None:
                description = fault.description or self._status_phrase(fault.status)
                retry_after = fault.retry_after
                if fault.status == 429 and retry_after is None:
                    retry_after = 1
                raise _ApiError(fault.status, description, retry_after=retry_after, injected=True)
            if parse_error is not None:
                raise parse_error
            result = entry[1](params, files, req)
            payload = {"ok": True, "result": result}
        except _Abandoned:
            req.close_connection = True
            with self._cond:
                call.status = 0
                call.description = "client went away"
                call.finished = time.monotonic()
                self._finish_call(call, is_poll, chat_id)
            return
        except _ApiError as exc:
            status = exc.code
            injected = exc.injected
            payload = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.retry_after is not None:
                payload["parameters"] = {"retry_after": exc.retry_after}
        except Exception:  # an emulator bug must be loud, not a hung test
            status = 500
            trace = traceback.format_exc()
            payload = {
                "ok": False,
                "error_code": 500,
                "description": "Internal Server Error: fake_telegram crashed; see internal_errors",
            }
            with self._lock:
                self.internal_errors.append(f"{method}: {trace}")

        with self._cond:
            call.status = status
            call.injected = injected
            call.finished = time.monotonic()
            if status != 200:
                call.description = payload["description"]
                self._errors.append((method, status, payload["description"]))
                self._error_details.append(
                    (call.seq, method, status, payload["description"], chat_id, injected)
                )
            self._finish_call(call, is_poll, chat_id)
        if self._stopping.is_set():
            req.close_connection = True
        self._send_json(req, status, payload)

    def _finish_call(self, call: ApiCall, is_poll: bool, chat_id: int | None) -> None:
        if not is_poll:
            for key in {None, chat_id}:
                self._inflight[key] = max(0, self._inflight.get(key, 0) - 1)
            self._touch(chat_id)
        self._cond.notify_all()

    @staticmethod
    def _status_phrase(status: int) -> str:
        try:
            return HTTPStatus(status).phrase
        except ValueError:
            return "Error"

    # ---------------------------------------------------------------- validation helpers

    def _chat_id(self, params: dict[str, Any], *, required: bool = True) -> int:
        value = params.get("chat_id")
        if value is None or value == "":
            if required:
                raise _bad_request("chat_id is empty")
            return 0
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise _bad_request("chat not found")
        if isinstance(value, str):
            with self._lock:
                for chat_id, chat in self._chats.items():
                    if value.startswith("@") and chat.get("username") == value[1:]:
                        return chat_id
            raise _bad_request("chat not found")
        with self._lock:
            if value not in self._chats:
                chat_type = (
                    "private"
                    if value > 0
                    else ("supergroup" if str(value).startswith("-100") else "group")
                )
                chat: dict[str, Any] = {"id": value, "type": chat_type}
                if chat_type == "private":
                    chat["first_name"] = f"User{value}"
                else:
                    chat["title"] = f"Chat {value}"
                self._chats[value] = chat
        return value

    def _check_blocked(self, chat_id: int) -> None:
        if chat_id in self.blocked_chats:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")

    def _check_rate(self, chat_id: int) -> None:
        """Rolling one-second windows; only successful, counted sends are recorded."""
        if self._global_rate is None and self._per_chat_rate is None:
            return
        now = time.monotonic()
        windows: list[tuple[deque[float], int]] = []
        if self._global_rate is not None:
            windows.append((self._global_window, self._global_rate))
        if self._per_chat_rate is not None:
            windows.append((self._chat_windows.setdefault(chat_id, deque()), self._per_chat_rate))
        wait = 0.0
        for window, limit in windows:
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= limit:
                wait = max(wait, (window[0] + 1.0 - now) if window else 1.0)
        if wait > 0:
            self.rate_limited_count += 1
            retry_after = self._retry_after or max(1, math.ceil(wait))
            raise _ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        for window, _limit in windows:
            window.append(now)

    def _format(
        self,
        raw: Any,
        parse_mode: Any,
        entities: Any,
        *,
        caption: bool,
    ) -> tuple[str, list[dict[str, Any]], str | None]:
        """Validate text/caption like Telegram; returns (plain, entities, normalized parse_mode)."""
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            raw = str(raw)
        mode: str | None = None
        if isinstance(parse_mode, str) and parse_mode.strip():
            lowered = parse_mode.strip().lower()
            if lowered == "html":
                mode = "HTML"
            elif lowered in ("markdown", "markdownv2"):
                raise _bad_request(
                    f"unsupported parse_mode {parse_mode!r}: the emulator only implements HTML"
                )
            else:
                raise _bad_request(f"unsupported parse_mode {parse_mode!r}")
        if mode == "HTML":
            try:
                plain, parsed = parse_html(raw, strict_ampersand=self.strict_ampersand)
            except HtmlParseError as exc:
                raise _bad_request(f"can't parse entities: {exc}") from None
        else:
            plain = raw
            if entities is None:
                parsed = []
            elif isinstance(entities, list) and all(
                isinstance(e, dict) and {"type", "offset", "length"} <= e.keys() for e in entities
            ):
                parsed = [dict(e) for e in entities]
            else:
                raise _bad_request("can't parse entities JSON object")
        plain, parsed = _trim(plain, parsed)
        length = utf16_len(plain)
        if caption:
            if length > MAX_CAPTION_LENGTH:
                raise _bad_request("message caption is too long")
        else:
            if not plain:
                raise _bad_request("message text is empty")
            if length > MAX_TEXT_LENGTH:
                raise _bad_request("message is too long")
        return plain, parsed, mode

    @staticmethod
    def _parse_markup(value: Any) -> tuple[dict[str, Any] | None, list[list[Button]]]:
        """Validate reply_markup; returns (markup to store, inline buttons)."""
        if value is None:
            return None, []
        if not isinstance(value, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in value:
            rows = value["inline_keyboard"]
            if not isinstance(rows, list):
                raise _bad_request(
                    'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
                )
            buttons: list[list[Button]] = []
            for row in rows:
                if not isinstance(row, list):
                    raise _bad_request(
                        "can't parse inline keyboard button: InlineKeyboardButton row must be an Array"
                    )
                parsed_row: list[Button] = []
                for button in row:
                    if not isinstance(button, dict):
                        raise _bad_request(
                            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                        )
                    text = button.get("text")
                    if not isinstance(text, str):
                        raise _bad_request(
                            'can\'t parse inline keyboard button: Field "text" must be of type String'
                        )
                    if not text.strip():
                        raise _bad_request(
                            "BUTTON_TEXT_EMPTY: inline keyboard button text must be non-empty"
                        )
                    actions = [k for k in _BUTTON_ACTION_FIELDS if button.get(k) is not None]
                    if not actions:
                        raise _bad_request("text buttons are unallowed in the inline keyboard")
                    if len(actions) > 1:
                        raise _bad_request(
                            "can't parse inline keyboard button: exactly one of the optional "
                            f"fields must be used, got {actions}"
                        )
                    data = button.get("callback_data")
                    if data is not None and (
                        not isinstance(data, str)
                        or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
                    ):
                        raise _bad_request("BUTTON_DATA_INVALID")
                    url = button.get("url")
                    if url is not None and (
                        not isinstance(url, str)
                        or not url.strip()
                        or any(c in url for c in " \n\t")
                        or not re.match(r"^(https?://|tg://)?[^/\s]+", url)
                    ):
                        raise _bad_request("BUTTON_URL_INVALID")
                    parsed_row.append(
                        Button(text=text, callback_data=data, url=url, raw=dict(button))
                    )
                if parsed_row:
                    buttons.append(parsed_row)
            if not buttons:
                return None, []
            return {"inline_keyboard": [[b.raw for b in row] for row in buttons]}, buttons
        if "keyboard" in value:
            keyboard = value["keyboard"]
            if not isinstance(keyboard, list) or not all(isinstance(r, list) for r in keyboard):
                raise _bad_request(
                    'field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'
                )
            for row in keyboard:
                for button in row:
                    text = button.get("text") if isinstance(button, dict) else button
                    if not isinstance(text, str) or not text:
                        raise _bad_request("keyboard button text must be a non-empty String")
            return dict(value), []
        if value.get("remove_keyboard") is True or value.get("force_reply") is True:
            return dict(value), []
        raise _bad_request("can't parse reply keyboard markup JSON object")

    @staticmethod
    def _markup_key(markup: dict[str, Any] | None) -> str:
        if not markup or "inline_keyboard" not in markup:
            return ""
        return json.dumps(markup["inline_keyboard"], sort_keys=True)

    def _reply_target(self, chat_id: int, params: dict[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        allow = bool(params.get("allow_sending_without_reply"))
        message_id: Any = params.get("reply_to_message_id")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow = allow or bool(reply.get("allow_sending_without_reply"))
        elif reply is not None:
            raise _bad_request("can't parse reply parameters JSON object")
        if message_id is None:
            return None
        with self._lock:
            bot_msg = self._bot_messages.get(chat_id, {}).get(message_id)
            exists = (
                bot_msg is not None and not bot_msg.deleted
            ) or message_id in self._user_messages.get(chat_id, {})
        if not exists:
            if allow:
                return None
            raise _bad_request("message to be replied not found")
        return int(message_id)

    def _store_file(self, content: bytes, filename: str, mime_type: str, folder: str) -> _FileEntry:
        with self._lock:
            self._file_counter += 1
            n = self._file_counter
            ext = ""
            if "." in filename:
                ext = "." + filename.rsplit(".", 1)[1]
            elif folder == "photos":
                ext = ".jpg"
            kind = "AgAC" if folder == "photos" else "BQAC"
            entry = _FileEntry(
                file_id=f"{kind}AgIAAxkBAAI{n:05d}{secrets.token_hex(8)}",
                file_unique_id=f"AgAD{n:05d}{secrets.token_hex(3)}",
                file_path=f"{folder}/file_{n}{ext}",
                content=content,
                mime_type=mime_type,
                filename=filename,
            )
            self._files[entry.file_id] = entry
            self._files_by_path[entry.file_path] = entry
            return entry

    def _input_file(
        self, params: dict[str, Any], files: dict[str, Any], name: str
    ) -> tuple[str, bytes, str, _FileEntry | None]:
        """Resolve an uploaded part, attach:// reference or file_id into (filename, bytes, mime)."""
        upload: _UploadedFile | None = files.get(name)
        value = params.get(name)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
        if upload is not None:
            if not upload.content:
                raise _bad_request("file must be non-empty")
            filename = upload.filename or name
            mime = (
                upload.content_type
                or mimetypes.guess_type(filename)[0]
                or "application/octet-stream"
            )
            return filename, upload.content, mime, None
        if isinstance(value, str) and value:
            with self._lock:
                entry = self._files.get(value)
            if entry is not None:
                return entry.filename, entry.content, entry.mime_type, entry
            if value.startswith(("http://", "https://")):
                raise _bad_request("failed to get HTTP URL content")
            raise _bad_request("wrong file identifier/HTTP URL specified")
        raise _bad_request(f"there is no {name} in the request")

    # ---------------------------------------------------------------- message bookkeeping

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _message_dict(self, msg: SentMessage, *, with_reply: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": msg.message_id,
            "from": self._bot_user(),
            "chat": copy.deepcopy(
                self._chats.get(msg.chat_id, {"id": msg.chat_id, "type": "private"})
            ),
            "date": msg.date,
        }
        if msg.edit_date is not None:
            data["edit_date"] = msg.edit_date
        if msg.kind == "text":
            data["text"] = msg.text
            if msg.entities:
                data["entities"] = copy.deepcopy(msg.entities)
        else:
            if msg.kind == "document" and msg.document is not None:
                data["document"] = {
                    "file_id": msg.document.file_id,
                    "file_unique_id": msg.document.file_unique_id,
                    "file_name": msg.document.filename,
                    "mime_type": msg.document.mime_type,
                    "file_size": len(msg.document.content),
                }
            elif msg.kind == "photo" and msg.photo is not None:
                width, height = _image_size(msg.photo) or (1, 1)
                entry = self._files.get(msg.photo_file_id or "")
                data["photo"] = [
                    {
                        "file_id": msg.photo_file_id,
                        "file_unique_id": entry.file_unique_id if entry else "AgAD",
                        "width": width,
                        "height": height,
                        "file_size": len(msg.photo),
                    }
                ]
            if msg.caption:
                data["caption"] = msg.caption
                if msg.entities:
                    data["caption_entities"] = copy.deepcopy(msg.entities)
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            data["reply_markup"] = copy.deepcopy(
                {"inline_keyboard": msg.reply_markup["inline_keyboard"]}
            )
        if with_reply and msg.reply_to_message_id is not None:
            replied = self._message_dict_any(msg.chat_id, msg.reply_to_message_id, with_reply=False)
            if replied:
                data["reply_to_message"] = replied
        return data

    def _message_dict_any(
        self, chat_id: int, message_id: int, *, with_reply: bool = False
    ) -> dict[str, Any] | None:
        bot_msg = self._bot_messages.get(chat_id, {}).get(message_id)
        if bot_msg is not None:
            return self._message_dict(bot_msg, with_reply=with_reply)
        user_msg = self._user_messages.get(chat_id, {}).get(message_id)
        if user_msg is not None:
            return {k: v for k, v in copy.deepcopy(user_msg).items() if k != "reply_to_message"}
        return None

    def _record_event(self, kind: str, msg: SentMessage) -> None:
        self._events.append(
            MessageEvent(
                seq=self._next_seq(),
                kind=kind,
                chat_id=msg.chat_id,
                message_id=msg.message_id,
                message=copy.deepcopy(msg),
            )
        )
        self._cond.notify_all()

    def _store_new(self, msg: SentMessage) -> dict[str, Any]:
        with self._cond:
            msg.message_id = self._alloc_message_id(msg.chat_id)
            msg.date = int(time.time())
            msg.seq = self._seq + 1  # the event below takes this number
            self._bot_messages.setdefault(msg.chat_id, {})[msg.message_id] = msg
            self._record_event("send", msg)
            return self._message_dict(msg)

    def _editable(self, params: dict[str, Any]) -> SentMessage:
        if params.get("inline_message_id"):
            raise _bad_request("inline messages are not supported by the emulator")
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise _bad_request("message identifier is not specified")
        with self._lock:
            msg = self._bot_messages.get(chat_id, {}).get(message_id)
        if msg is None or msg.deleted:
            raise _bad_request("message to edit not found")
        return msg

    def _apply_edit(self, msg: SentMessage, **changes: Any) -> dict[str, Any]:
        with self._cond:
            msg.history.append(msg.text)
            msg.html_history.append(msg.html if msg.kind == "text" else msg.caption_html)
            for key, value in changes.items():
                setattr(msg, key, value)
            msg.edits += 1
            msg.edit_date = int(time.time())
            self._record_event("edit", msg)
            return self._message_dict(msg)

    # ---------------------------------------------------------------- API methods

    def _m_true(self, params: dict[str, Any], files: dict[str, Any], req: _Handler) -> bool:
        return True

    def _m_get_me(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _m_set_webhook(self, params: dict[str, Any], files: dict[str, Any], req: _Handler) -> bool:
        url = params.get("url", "")
        if not isinstance(url, str):
            raise _bad_request("bad webhook: invalid URL")
        with self._cond:
            if not url:
                self._webhook = {}
                return True
            if not url.startswith(("http://", "https://")):
                raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            self._check_webhook_params(params)
            self._webhook = {k: v for k, v in params.items() if k != "certificate"}
            self._webhook_error = None
            for pending in self._pending:  # a new webhook is tried at once
                pending.not_before = 0.0
            if params.get("drop_pending_updates"):
                self._pending.clear()
            if "allowed_updates" in params:
                self._allowed_updates = list(params["allowed_updates"] or [])
            self._cond.notify_all()
        return True

    def _m_delete_webhook(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        with self._cond:
            self._webhook = {}
            if params.get("drop_pending_updates"):
                for pending in self._pending:
                    self._confirmed_ids.add(pending.update_id)
                self._pending.clear()
            self._cond.notify_all()
        return True

    @property
    def webhook(self) -> dict[str, Any]:
        """Parameters of the last setWebhook ({} when none is set)."""
        with self._lock:
            return dict(self._webhook)

    def _m_get_webhook_info(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        with self._lock:
            info: dict[str, Any] = {
                "url": self._webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._pending),
            }
            if self._webhook.get("url"):
                info["max_connections"] = self._webhook.get("max_connections") or 40
            if self._webhook_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
            return info

    @staticmethod
    def _check_webhook_params(params: dict[str, Any]) -> None:
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        connections = params.get("max_connections")
        if connections is not None and not (
            isinstance(connections, int) and 1 <= connections <= 100
        ):
            raise _bad_request("bad webhook: max_connections must be between 1 and 100")

    def _webhook_loop(self) -> None:
        """Start every delivery that may go now; sleep until something changes."""
        with self._cond:
            while not self._stopping.is_set():
                self._cond.wait(self._start_deliveries())

    def _start_deliveries(self) -> float:
        """Per chat only the oldest unconfirmed update may be in flight (Telegram's order);
        returns the longest the loop may sleep."""
        url = self._webhook.get("url")
        if not url:
            return 0.5
        limit = int(self._webhook.get("max_connections") or 40)
        sending = sum(1 for p in self._pending if p.sending)
        taken = {self._order_key(p) for p in self._pending if p.sending}
        now = time.monotonic()
        sleep = 0.5
        for pending in self._deliverable(max(1, len(self._pending))):
            key = self._order_key(pending)
            if key in taken:
                continue
            taken.add(key)  # later updates of this chat wait for this one
            if pending.not_before > now:
                sleep = min(sleep, pending.not_before - now)
                continue
            if sending >= limit:
                break
            sending += 1
            pending.sending = True
            target = (
                self._balance[self._balance_next % len(self._balance)] if self._balance else url
            )
            self._balance_next += 1
            delivery = WebhookDelivery(
                update_id=pending.update_id,
                chat_id=self._update_chat_id(pending.update),
                url=target,
                started=time.monotonic(),
            )
            self._deliveries.append(delivery)
            self._touch(delivery.chat_id)
            threading.Thread(
                target=self._deliver,
                args=(pending, delivery, self._webhook.get("secret_token")),
                name=f"FakeTelegram:webhook:{pending.update_id}",
                daemon=True,
            ).start()
        return max(sleep, 0.01)

    def _order_key(self, pending: _Pending) -> tuple[str, int]:
        chat_id = self._update_chat_id(pending.update)
        return ("chat", chat_id) if chat_id is not None else ("update", pending.update_id)

    def _deliver(self, pending: _Pending, delivery: WebhookDelivery, secret: str | None) -> None:
        """POST one update (no lock held while waiting for the bot), then record the answer."""
        with self._lock:
            body = json.dumps(pending.update, ensure_ascii=False).encode("utf-8")
        status, error = self._post_update(delivery.url, body, secret)
        with self._cond:
            delivery.finished = time.monotonic()
            delivery.status, delivery.error = status, error
            pending.sending = False
            if status is not None:
                self._delivered_ids.add(pending.update_id)
            if delivery.ok:
                with contextlib.suppress(ValueError):
                    self._pending.remove(pending)
                self._confirmed_ids.add(pending.update_id)
            else:
                pending.attempts += 1
                pending.not_before = time.monotonic() + min(0.05 * 2 ** (pending.attempts - 1), 2.0)
                self._webhook_error = (int(time.time()), error or "Unknown error")
            self._touch(delivery.chat_id)
            self._cond.notify_all()

    def _post_update(
        self, url: str, body: bytes, secret: str | None
    ) -> tuple[int | None, str | None]:
        """(HTTP status or None, Telegram-style error text or None)."""
        parts = urlsplit(url)
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection = connection_class(
            parts.hostname or "", parts.port, timeout=self.webhook_timeout
        )
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except TimeoutError:
            return None, "Read timeout expired"
        except ConnectionRefusedError:
            return None, "Connection refused"
        except (OSError, http.client.HTTPException) as exc:
            return None, f"Connection error: {exc!r}"
        finally:
            connection.close()
        if 200 <= response.status < 300:
            return response.status, None
        return (
            response.status,
            f"Wrong response from the webhook: {response.status} {response.reason}",
        )

    def _apply_offset(self, offset: int) -> None:
        if offset > 0:
            keep: list[_Pending] = []
            for pending in self._pending:
                if pending.update_id >= offset or (pending.forced and not pending.delivered):
                    keep.append(pending)
                else:
                    self._confirmed_ids.add(pending.update_id)
            self._pending = keep
        elif offset < 0:
            cut = max(0, len(self._pending) + offset)
            for pending in self._pending[:cut]:
                self._confirmed_ids.add(pending.update_id)
            self._pending = self._pending[cut:]

    def _deliverable(self, limit: int) -> list[_Pending]:
        allowed = set(self._allowed_updates or [])
        batch: list[_Pending] = []
        for pending in list(self._pending):
            kind = next((k for k in pending.update if k != "update_id"), "")
            wanted = kind in allowed if allowed else kind not in _NOT_SENT_BY_DEFAULT
            if not wanted:
                self._pending.remove(pending)
                self.dropped_updates.append(pending.update)
                continue
            batch.append(pending)
            if len(batch) >= limit:
                break
        return batch

    def _m_get_updates(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        with self._cond:
            if self._webhook.get("url"):
                raise _ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if isinstance(params.get("allowed_updates"), list):
                self._allowed_updates = [str(u) for u in params["allowed_updates"]]
            self._poll_generation += 1
            generation = self._poll_generation
            self._cond.notify_all()
            self._apply_offset(offset)
            deadline = time.monotonic() + timeout
            while True:
                if self._stopping.is_set():
                    return []
                if generation != self._poll_generation:
                    if _client_gone(req.connection):
                        raise _Abandoned
                    raise _ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                batch = self._deliverable(limit)
                remaining = deadline - time.monotonic()
                if batch or remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.2))
                if _client_gone(req.connection):
                    raise _Abandoned
            for pending in batch:
                pending.delivered = True
                self._delivered_ids.add(pending.update_id)
                self._touch(self._update_chat_id(pending.update))
            self._cond.notify_all()
            return [copy.deepcopy(p.update) for p in batch]

    def _m_send_message(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        if "text" not in params:
            raise _bad_request("message text is empty")
        raw = params["text"] if isinstance(params["text"], str) else str(params["text"])
        plain, entities, mode = self._format(
            raw, params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup, buttons = self._parse_markup(params.get("reply_markup"))
        with self._cond:
            reply_to = self._reply_target(chat_id, params)
            self._check_blocked(chat_id)
            self._check_rate(chat_id)
            msg = SentMessage(
                chat_id=chat_id,
                message_id=0,
                date=0,
                kind="text",
                text=plain,
                html=raw,
                parse_mode=mode,
                entities=entities,
                buttons=buttons,
                reply_markup=markup,
                reply_to_message_id=reply_to,
            )
            return self._store_new(msg)

    def _send_media(
        self, params: dict[str, Any], files: dict[str, Any], kind: str
    ) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        filename, content, mime, existing = self._input_file(params, files, kind)
        size = _image_size(content) if kind == "photo" else None
        if kind == "photo" and size is None:
            raise _bad_request("IMAGE_PROCESS_FAILED")
        raw_caption = params.get("caption")
        caption_plain: str | None = None
        entities: list[dict[str, Any]] = []
        mode: str | None = None
        if raw_caption is not None:
            if not isinstance(raw_caption, str):
                raw_caption = str(raw_caption)
            caption_plain, entities, mode = self._format(
                raw_caption, params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
        markup, buttons = self._parse_markup(params.get("reply_markup"))
        with self._cond:
            reply_to = self._reply_target(chat_id, params)
            self._check_blocked(chat_id)
            self._check_rate(chat_id)
            entry = existing or self._store_file(
                content, filename, mime, "photos" if kind == "photo" else "documents"
            )
            msg = SentMessage(
                chat_id=chat_id,
                message_id=0,
                date=0,
                kind=kind,
                text=caption_plain or "",
                html=None,
                parse_mode=mode,
                entities=entities,
                buttons=buttons,
                reply_markup=markup,
                caption=caption_plain,
                caption_html=raw_caption,
                reply_to_message_id=reply_to,
            )
            if kind == "document":
                msg.document = SentDocument(
                    filename=filename,
                    content=content,
                    mime_type=mime,
                    file_id=entry.file_id,
                    file_unique_id=entry.file_unique_id,
                )
            else:
                msg.photo = content
                msg.photo_file_id = entry.file_id
            return self._store_new(msg)

    def _m_send_document(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        return self._send_media(params, files, "document")

    def _m_send_photo(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        return self._send_media(params, files, "photo")

    def _m_edit_message_text(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        msg = self._editable(params)
        if msg.kind != "text":
            raise _bad_request("there is no text in the message to edit")
        raw = params.get("text")
        if raw is None:
            raise _bad_request("text must be non-empty")
        raw = raw if isinstance(raw, str) else str(raw)
        plain, entities, mode = self._format(
            raw, params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup, buttons = self._parse_markup(params.get("reply_markup"))
        with self._cond:
            if (
                plain == msg.text
                and entities == msg.entities
                and self._markup_key(markup) == self._markup_key(msg.reply_markup)
            ):
                raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
            self._check_blocked(msg.chat_id)
            self._check_rate(msg.chat_id)
            return self._apply_edit(
                msg,
                text=plain,
                html=raw,
                parse_mode=mode,
                entities=entities,
                buttons=buttons,
                reply_markup=markup,
            )

    def _m_edit_message_reply_markup(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        msg = self._editable(params)
        markup, buttons = self._parse_markup(params.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise _bad_request("only inline keyboards can be set by editMessageReplyMarkup")
        with self._cond:
            if self._markup_key(markup) == self._markup_key(msg.reply_markup):
                raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
            self._check_blocked(msg.chat_id)
            self._check_rate(msg.chat_id)
            return self._apply_edit(msg, buttons=buttons, reply_markup=markup)

    def _m_edit_message_caption(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        msg = self._editable(params)
        if msg.kind == "text":
            raise _bad_request("there is no caption in the message to edit")
        raw = params.get("caption")
        plain: str | None = None
        entities: list[dict[str, Any]] = []
        mode: str | None = None
        if raw is not None:
            raw = raw if isinstance(raw, str) else str(raw)
            plain, entities, mode = self._format(
                raw, params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
        markup, buttons = self._parse_markup(params.get("reply_markup"))
        with self._cond:
            if (
                (plain or "") == (msg.caption or "")
                and entities == msg.entities
                and self._markup_key(markup) == self._markup_key(msg.reply_markup)
            ):
                raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
            self._check_blocked(msg.chat_id)
            self._check_rate(msg.chat_id)
            return self._apply_edit(
                msg,
                text=plain or "",
                caption=plain,
                caption_html=raw,
                parse_mode=mode,
                entities=entities,
                buttons=buttons,
                reply_markup=markup,
            )

    def _m_delete_message(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        with self._cond:
            msg = self._bot_messages.get(chat_id, {}).get(message_id)  # type: ignore[arg-type]
            if msg is not None and not msg.deleted:
                msg.deleted = True
                self._record_event("delete", msg)
                return True
            user_messages = self._user_messages.get(chat_id, {})
            if message_id in user_messages:
                del user_messages[message_id]  # type: ignore[arg-type]
                return True
        raise _bad_request("message to delete not found")

    def _m_answer_callback_query(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        with self._cond:
            query = self._queries.get(query_id)
            if query is None or query["answered"]:
                raise _ApiError(400, QUERY_INVALID)
            query["answered"] = True
            self._callback_answers.append(
                {
                    "seq": self._next_seq(),
                    "callback_query_id": query_id,
                    "update_id": query["update_id"],
                    "chat_id": query["chat_id"],
                    "message_id": query["message_id"],
                    "data": query["data"],
                    "text": text,
                    "show_alert": bool(params.get("show_alert", False)),
                    "url": params.get("url"),
                    "cache_time": params.get("cache_time"),
                }
            )
            self._cond.notify_all()
        return True

    def _m_send_chat_action(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        chat_id = self._chat_id(params)
        action = params.get("action")
        if action not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        with self._lock:
            self._check_blocked(chat_id)
            self.chat_actions.append((chat_id, str(action)))
        return True

    def _m_get_file(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        with self._lock:
            entry = self._files.get(str(params.get("file_id", "")))
        if entry is None:
            raise _bad_request("invalid file_id")
        return {
            "file_id": entry.file_id,
            "file_unique_id": entry.file_unique_id,
            "file_size": len(entry.content),
            "file_path": entry.file_path,
        }

    @staticmethod
    def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise _bad_request("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _m_set_my_commands(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict):
                raise _bad_request("can't parse BotCommand JSON object")
            name = command.get("command")
            description = command.get("description")
            if not isinstance(name, str) or not _BOT_COMMAND_NAME_RE.match(name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(params)
        with self._lock:
            self.commands_by_scope[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        return True

    def _m_get_my_commands(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> list[dict[str, str]]:
        key = self._scope_key(params)
        with self._lock:
            return copy.deepcopy(self.commands_by_scope.get(key, []))

    def _m_delete_my_commands(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        key = self._scope_key(params)
        with self._lock:
            self.commands_by_scope.pop(key, None)
        return True

    def _m_set_chat_menu_button(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise _bad_request("can't parse menu button JSON object")
        chat_id = self._chat_id(params) if "chat_id" in params else None
        with self._lock:
            self.menu_buttons[chat_id] = dict(button)
        return True

    def _m_get_chat_menu_button(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        chat_id = self._chat_id(params) if "chat_id" in params else None
        with self._lock:
            return dict(
                self.menu_buttons.get(chat_id)
                or self.menu_buttons.get(None)
                or {"type": "commands"}
            )

    def _m_set_bot_text(self, kind: str) -> Callable[[dict[str, Any], dict[str, Any], Any], bool]:
        def handler(params: dict[str, Any], files: dict[str, Any], req: _Handler) -> bool:
            value = params.get(kind) or ""
            with self._lock:
                self.bot_texts[(kind, str(params.get("language_code") or ""))] = str(value)
            return True

        return handler

    def _m_get_bot_text(
        self, kind: str
    ) -> Callable[[dict[str, Any], dict[str, Any], Any], dict[str, str]]:
        def handler(params: dict[str, Any], files: dict[str, Any], req: _Handler) -> dict[str, str]:
            with self._lock:
                value = self.bot_texts.get((kind, str(params.get("language_code") or "")), "")
            return {kind: value if kind != "name" else (value or self.bot_first_name)}

        return handler

    def _m_get_chat(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        with self._lock:
            chat = copy.deepcopy(self._chats[chat_id])
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
            },
        }
