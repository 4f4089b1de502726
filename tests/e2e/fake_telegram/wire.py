"""Requests as they arrive: the Bot API's error answers and the decoding of form, multipart
and JSON bodies into typed parameters (every form value is a string on the wire)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote


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
