"""Telegram's HTML subset: what the Bot API accepts, and the plain text and entities it makes.

Mirrors tdlib so that a message the emulator accepts is one Telegram accepts too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_WHITESPACE = " \t\r\n\v\f"


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: Telegram counts limits and entity offsets this way."""
    return len(text.encode("utf-16-le")) // 2


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
