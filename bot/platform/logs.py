"""Logging set-up: one logfmt line per event, with the update's context, and never a secret.

Every record becomes exactly one line, e.g.::

    ts=2026-03-01T08:00:00.123Z level=INFO logger=handlers.context msg="update handled" update_id=5 chat_id=42 handler=advisor.text duration_ms=12.3

Tracebacks are folded into the same line (`exc="Traceback ...\\n..."`), so a log file can be
grepped and split by line. `update_id`, `chat_id` and `handler` come from context variables
that the handler wrappers (handlers/context.py) and jobs set; they follow the work into
`asyncio.to_thread`, so database code logs them too.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time
from contextvars import ContextVar
from types import TracebackType
from urllib.parse import quote

update_id_var: ContextVar[int | None] = ContextVar("update_id", default=None)
chat_id_var: ContextVar[int | None] = ContextVar("chat_id", default=None)
handler_var: ContextVar[str | None] = ContextVar("handler", default=None)
CONTEXT_VARS: dict[str, ContextVar] = {
    "update_id": update_id_var,
    "chat_id": chat_id_var,
    "handler": handler_var,
}

# Attributes every LogRecord has; anything else on a record came from `extra=` and is a field.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_TRACEBACKS = logging.Formatter()


def context_fields() -> dict[str, object]:
    """The current update's fields (None where unset)."""
    return {name: var.get() for name, var in CONTEXT_VARS.items()}


class ContextFields(logging.Filter):
    """Copy the context variables onto the record (an explicit `extra=` value wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in CONTEXT_VARS.items():
            if getattr(record, name, None) is None:
                setattr(record, name, var.get())
        return True


class RedactSecrets(logging.Filter):
    """Last line of defence: scrub secrets from any record that still carries them.

    The bot token is part of every Bot API URL, and HTTP errors may quote the URL, so the
    formatted traceback, the stack and `extra=` fields are scrubbed too, not only the message.
    """

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        variants = {form for s in secrets if s for form in (s, quote(s, safe=""))}
        self._secrets = sorted(variants, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[REDACTED]")
        return text

    def _holds_secret(self, text: str) -> bool:
        return any(secret in text for secret in self._secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:
            message = ""
        if self._holds_secret(message):
            record.msg, record.args = self.scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(
                record.exc_info
            )  # cached by every Formatter
        if record.exc_text and self._holds_secret(record.exc_text):
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info and self._holds_secret(record.stack_info):
            record.stack_info = self.scrub(record.stack_info)
        extras = {
            k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS and isinstance(v, str)
        }
        for key, value in extras.items():
            if self._holds_secret(value):
                setattr(record, key, self.scrub(value))
        return True


_NEEDS_QUOTES = re.compile(r"[^\w.:/@+\-\[\]]")
_ESCAPED = re.compile(r'[\\"\x00-\x1f\x7f\x85\u2028\u2029]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def logfmt_value(value: object, *, quoted: bool = False) -> str:
    """One logfmt value: bare when it is a plain token, else quoted with every line break escaped."""
    text = str(value)
    if quoted or not text or _NEEDS_QUOTES.search(text):
        return '"' + _ESCAPED.sub(_escape, text) + '"'
    return text


class LogfmtFormatter(logging.Formatter):
    """`ts level logger msg`, then the context fields, `extra=` fields and the folded traceback."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception:
            message = f"unformattable log call: {record.msg!r} % {record.args!r}"
        ts = (
            time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z"
        )
        fields: list[tuple[str, object]] = [
            ("ts", ts),
            ("level", record.levelname),
            ("logger", record.name),
        ]
        parts = [f"{key}={logfmt_value(value)}" for key, value in fields]
        parts.append(f"msg={logfmt_value(message, quoted=True)}")
        for key in CONTEXT_VARS:
            value = getattr(record, key, None)
            if value is not None:
                parts.append(f"{key}={logfmt_value(value)}")
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and key not in CONTEXT_VARS and not key.startswith("_"):
                parts.append(f"{key}={logfmt_value(value)}")
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        trace = record.exc_text or ""
        if record.stack_info:
            trace = f"{trace}\n{self.formatStack(record.stack_info)}".strip()
        if trace:
            parts.append(f"exc={logfmt_value(trace, quoted=True)}")
        return " ".join(parts)


def configure(
    level: str = "INFO", secrets: list[str] | None = None, *, stream: object = None
) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(LogfmtFormatter())
    handler.addFilter(ContextFields())
    handler.addFilter(RedactSecrets(secrets or []))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO, and the URL holds the bot token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Whatever Python itself would print over several lines goes through the same handler.
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = lambda args: _log_uncaught(
        args.exc_type, args.exc_value, args.exc_traceback
    )


def _log_uncaught(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        return
    logging.getLogger("bot").critical("uncaught %s", exc_type.__name__, exc_info=exc or True)
