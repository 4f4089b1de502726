"""Start-up calls to Telegram: which errors are retried, how the wait grows, how a stop ends it."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TimedOut

from handlers.startup import api_host, until_reachable

HOST = "api.telegram.org"


class Flaky:
    """Fails with the given errors, one per call, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def _waits(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        m.group(1)
        for r in caplog.records
        if (m := re.search(r"retrying in (\S+) s$", r.getMessage()))
    ]


def test_network_errors_are_retried_with_a_doubling_wait_up_to_the_cap(
    caplog: pytest.LogCaptureFixture,
) -> None:
    step = Flaky(*(NetworkError("httpx.ConnectError: All connection attempts failed"),) * 5)
    caplog.set_level(logging.WARNING, logger="handlers.startup")

    async def go() -> bool:
        stop = asyncio.Event()
        return await until_reachable(step, stop=stop, host=HOST, first_retry=0.001, max_retry=0.004)

    assert asyncio.run(go()) is True
    assert step.calls == 6
    assert _waits(caplog) == ["0.001", "0.002", "0.004", "0.004", "0.004"]
    first = caplog.records[0].getMessage()
    assert first == (
        "cannot reach Telegram (api.telegram.org): httpx.ConnectError: All connection attempts "
        "failed; retrying in 0.001 s"
    )
    assert all(r.exc_info is None for r in caplog.records)  # one line, no traceback


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter(0)
def test_timeouts_and_flood_control_are_retried(caplog: pytest.LogCaptureFixture) -> None:
    step = Flaky(TimedOut(), RetryAfter(0))
    caplog.set_level(logging.WARNING, logger="handlers.startup")

    async def go() -> bool:
        return await until_reachable(step, stop=asyncio.Event(), host=HOST, first_retry=0.001)

    assert asyncio.run(go()) is True
    assert step.calls == 3
    assert "Timed out" in caplog.records[0].getMessage()
    assert "slow down" in caplog.records[1].getMessage()


@pytest.mark.parametrize("error", [InvalidToken("Unauthorized"), BadRequest("Bad webhook")])
def test_an_answer_from_telegram_is_not_retried(error: Exception) -> None:
    step = Flaky(error)

    async def go() -> bool:
        return await until_reachable(step, stop=asyncio.Event(), host=HOST, first_retry=0.001)

    with pytest.raises(type(error)):
        asyncio.run(go())
    assert step.calls == 1


def test_a_stop_ends_the_wait_and_a_hanging_attempt() -> None:
    async def hangs() -> None:
        await asyncio.Event().wait()

    async def go() -> tuple[bool, bool]:
        stop = asyncio.Event()
        during_wait = asyncio.ensure_future(
            until_reachable(Flaky(NetworkError("down")), stop=stop, host=HOST, first_retry=3600)
        )
        during_call = asyncio.ensure_future(until_reachable(hangs, stop=stop, host=HOST))
        await asyncio.sleep(0)  # both are now waiting
        stop.set()
        done = await asyncio.wait_for(asyncio.gather(during_wait, during_call), timeout=60)
        return done[0], done[1]

    assert asyncio.run(go()) == (False, False)


def test_the_log_names_the_host_not_the_token() -> None:
    assert api_host("https://api.telegram.org/bot") == "api.telegram.org"
    assert api_host("http://127.0.0.1:8081/bot") == "127.0.0.1:8081"
