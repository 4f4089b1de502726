"""Run `python -m bot ARGS` with the process's wall clock moved AHEAD seconds (it still ticks).

    python tests/e2e/clock_ahead.py AHEAD run

For a test of something due at a wall-clock minute: the bot's own next minute can be made to
turn a few seconds after the test has set it up, instead of waiting for the real one. Only
the wall clock moves (time.time, datetime.now); monotonic clocks, and so asyncio's timers and
the summary sweeps' interval, keep their pace, and PostgreSQL's clock is not touched.
"""

from __future__ import annotations

import runpy
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine


def main() -> None:
    ahead = float(sys.argv[1])
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [entry for entry in sys.path if entry != here]  # the bot's imports only
    time_machine.travel(datetime.now(UTC) + timedelta(seconds=ahead), tick=True).start()
    sys.argv = ["bot", *sys.argv[2:]]
    runpy.run_module("bot", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
