"""What the bot sends, checked as strictly as Telegram does: text and captions (HTML, length)
and reply markup (inline keyboards, callback data, URLs)."""

from __future__ import annotations

import json
import re
from typing import Any

from .records import (
    Button,
)
from .state import EmulatorState
from .telegram_html import HtmlParseError, _trim, parse_html, utf16_len
from .wire import (
    _bad_request,
)

MAX_TEXT_LENGTH = 4096

MAX_CAPTION_LENGTH = 1024

MAX_CALLBACK_DATA_BYTES = 64

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


class ContentChecks(EmulatorState):
    """Validation of message content; a bot bug Telegram would reject fails here too."""

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
                    copy = button.get("copy_text")
                    if copy is not None and (
                        not isinstance(copy, dict)
                        or not isinstance(copy.get("text"), str)
                        or not 1 <= len(copy["text"]) <= 256
                    ):
                        raise _bad_request("BUTTON_COPY_TEXT_INVALID")
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
