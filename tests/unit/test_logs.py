"""Structured logs: one logfmt line per record, the update's context on it, never a secret."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import warnings
from collections.abc import Iterator

import httpx
import pytest
from telegram import Update
from telegram.error import NetworkError
from telegram.ext import ApplicationHandlerStop

from bot.platform import logs
from handlers.context import handler_name, traced, traced_error_handler, traced_job

TOKEN = "123456:AAH-secret_token"
LINE = re.compile(
    r'^ts=\S+Z level=[A-Z]+ logger=\S+ msg="(?:[^"\\]|\\.)*"( [a-z_]+=(\S+|"(?:[^"\\]|\\.)*"))*$'
)


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logging.getLogger("py.warnings").handlers[:])
    stream = io.StringIO()
    logs.configure("DEBUG", secrets=[TOKEN], stream=stream)
    yield stream
    root.handlers[:], level, _ = saved
    root.setLevel(level)
    logging.captureWarnings(False)


_FIELD = re.compile(r'([a-z_]+)=("(?:[^"\\]|\\.)*"|\S*)')


def fields(line: str) -> dict[str, str]:
    """Parse one logfmt line; quoted values keep their escapes."""
    return {
        key: value[1:-1] if value.startswith('"') else value for key, value in _FIELD.findall(line)
    }


def lines(stream: io.StringIO) -> list[str]:
    text = stream.getvalue()
    assert text.endswith("\n")
    return text.splitlines()


def test_every_record_is_one_structured_line_with_the_traceback_folded_in(
    output: io.StringIO,
) -> None:
    log = logging.getLogger("bot.test")
    log.info('two\nlines "quoted" \u2028 and a tab\t', extra={"duration_ms": 1.5, "note": "a b"})
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        log.exception("it failed")
    warnings.warn("old API", DeprecationWarning, stacklevel=1)
    bad_call = logging.LogRecord(
        "bot.test", logging.INFO, __file__, 1, "a bad log call %s %s", (1,), None
    )
    out = [
        *lines(output),
        logs.LogfmtFormatter().format(bad_call),
    ]  # one line, not a logging traceback
    assert len(out) == 4
    for line in out:
        assert LINE.match(line), line
    first = fields(out[0])
    assert first["level"] == "INFO" and first["logger"] == "bot.test"
    assert first["msg"] == 'two\\nlines \\"quoted\\" \\u2028 and a tab\\t'
    assert first["duration_ms"] == "1.5" and first["note"] == "a b"
    second = fields(out[1])
    assert second["level"] == "ERROR" and second["msg"] == "it failed"
    assert (
        second["exc"].startswith("Traceback (most recent call last):\\n")
        and "ValueError: bad\\nvalue" in second["exc"]
    )
    assert "logger=py.warnings" in out[2]
    assert "unformattable" in out[3]


def test_context_fields_follow_the_work_into_threads(output: io.StringIO) -> None:
    async def scenario() -> None:
        logs.update_id_var.set(77)
        logs.chat_id_var.set(4242)
        logs.handler_var.set("advisor.text")
        await asyncio.to_thread(logging.getLogger("models.x").info, "in the database thread")

    asyncio.run(scenario())
    (line,) = [fields(line) for line in lines(output) if "logger=models.x" in line]
    assert (line["update_id"], line["chat_id"], line["handler"]) == ("77", "4242", "advisor.text")


def test_the_token_never_appears_not_even_in_a_chained_http_error(output: io.StringIO) -> None:
    url = f"https://api.telegram.org/bot{TOKEN}/sendMessage"
    log = logging.getLogger("telegram.ext.Application")
    try:
        try:
            raise httpx.ConnectError(
                f"connect failed for {url}", request=httpx.Request("POST", url)
            )
        except httpx.HTTPError as exc:
            raise NetworkError(f"httpx.ConnectError: {exc}") from exc
    except NetworkError as exc:
        log.error("send failed: %r", exc, exc_info=exc)
        log.warning("raw %s", url.replace(":", "%3A"), extra={"url": url})
        log.debug("stack", stack_info=True, extra={"note": TOKEN})
    text = output.getvalue()
    assert TOKEN not in text and TOKEN.replace(":", "%3A") not in text and "AAH-secret" not in text
    assert text.count("[REDACTED]") >= 4
    assert "bot[REDACTED]/sendMessage" in text


def test_httpx_and_httpcore_stay_at_warning(output: io.StringIO) -> None:
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING


def _update(update_id: int, chat_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "Sari"},
                "text": "halo",
            },
        },
        None,
    )


def test_traced_handlers_set_the_context_and_log_one_line_with_the_duration(
    output: io.StringIO,
) -> None:
    seen: list[tuple[object, ...]] = []

    async def text(update: object, context: object) -> None:
        seen.append(await asyncio.to_thread(lambda: tuple(logs.context_fields().values())))

    async def broken(update: object, context: object) -> None:
        raise RuntimeError("boom")

    async def on_error(update: object, context: object) -> None:
        logging.getLogger("handlers.system").error("handler error")
        raise ApplicationHandlerStop

    async def scenario() -> None:
        await traced(text, name="advisor.text")(_update(5, 42), None)
        assert logs.handler_var.get() is None  # reset after a handled update
        with pytest.raises(RuntimeError):
            await traced(broken, name="advisor.button")(_update(6, 43), None)
        with pytest.raises(ApplicationHandlerStop):
            await traced_error_handler(on_error)(_update(6, 43), None)

    asyncio.run(scenario())
    assert seen == [(5, 42, "advisor.text")]
    out = [fields(line) for line in lines(output)]
    handled = [f for f in out if f["msg"] == "update handled"]
    assert (
        handled
        and handled[0]["handler"] == "advisor.text"
        and float(handled[0]["duration_ms"]) >= 0
    )
    assert handled[0]["update_id"] == "5" and handled[0]["chat_id"] == "42"
    failed = [f for f in out if f["msg"] == "update failed"]
    assert failed and failed[0]["handler"] == "advisor.button" and failed[0]["outcome"] == "error"
    error = [f for f in out if f["level"] == "ERROR"][0]
    assert (error["update_id"], error["chat_id"], error["handler"]) == ("6", "43", "advisor.button")
    assert handler_name(traced) == "context.traced"


def test_a_failing_job_is_logged_once_and_does_not_escape(output: io.StringIO) -> None:
    calls = []

    async def sweep(context: object) -> None:
        calls.append(logs.handler_var.get())
        raise ConnectionError("database is down")

    job = traced_job(sweep, name="jobs.sweep_summaries")
    asyncio.run(job(None))
    asyncio.run(job(None))  # the next tick runs again
    assert calls == ["jobs.sweep_summaries"] * 2
    errors = [fields(line) for line in lines(output) if "level=ERROR" in line]
    assert len(errors) == 2 and all(f["handler"] == "jobs.sweep_summaries" for f in errors)
    assert "ConnectionError: database is down" in errors[0]["exc"]
