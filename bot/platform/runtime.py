"""Process-level tuning of Python's garbage collector.

A full (generation 2) collection walks every live object; in a bot that has imported
SQLAlchemy, PTB and numpy that is ~50 ms, and it strikes at random inside a request. Freezing
what start-up created moves it out of the collector's way; bulk imports pause the collector
since they build many objects that all stay alive until the end anyway.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator


def settle_after_startup() -> None:
    """Call once everything long-lived is loaded (modules, engine, application)."""
    gc.collect()
    gc.freeze()
    release_free_memory()


def release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc only; elsewhere a no-op).

    Start-up (migrations, imports) frees much of what it allocated, but glibc keeps the
    pages; the bot's resident size would carry them for its whole life.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
