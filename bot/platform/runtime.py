"""Process-level tuning of Python's garbage collector.

A full (generation 2) collection walks every live object; in a bot that has imported
SQLAlchemy, PTB and numpy that is ~50 ms, and it strikes at random inside a request. Freezing
what start-up created moves it out of the collector's way; bulk imports pause the collector
since they build many objects that all stay alive until the end anyway.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


def settle_after_startup() -> None:
    """Call once everything long-lived is loaded (modules, engine, application)."""
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
