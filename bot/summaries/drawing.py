"""Summary charts drawn in worker processes, so a busy sweep uses every core.

Drawing a chart is pure CPU in Python (Matplotlib and Pillow) and holds the GIL: in the bot's
own process it caps summaries at one core however many threads build them. A small process
pool draws `ChartJob`s instead. The pool starts on the first chart (Matplotlib is only
imported there, not in the bot) and its workers are spawned, not forked: the bot has threads
and an event loop that a fork would copy half-way. One core: no pool, charts are drawn in a
thread as before.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from bot.reports.report import ChartJob, draw_chart

log = logging.getLogger(__name__)


def _warm() -> None:
    """Import the chart module once per worker, before the first job waits on it."""
    from bot.reports.charts import canvas  # noqa: F401


def chart_workers() -> int:
    """Worker processes worth starting: the cores this process may use, at most four."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, 4)


class ChartDrawer:
    """Draws charts off the event loop: in worker processes, or a thread on one core."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = chart_workers() if workers is None else workers
        self._pool: Executor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> Executor | None:
        if self.workers < 2:
            return None  # the loop's default (thread) executor
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=get_context("spawn"),
                    initializer=_warm,
                )
                log.info("chart workers: %s processes", self.workers)
            return self._pool

    async def draw(self, job: ChartJob) -> bytes:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), draw_chart, job)
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
            log.warning("a chart worker died; the pool is restarted")
            self._discard()
            return await loop.run_in_executor(None, draw_chart, job)

    def draw_now(self, job: ChartJob) -> bytes:
        """The same from plain threads (benchmarks, the command line)."""
        pool = self._executor()
        return draw_chart(job) if pool is None else pool.submit(draw_chart, job).result()

    def _discard(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
