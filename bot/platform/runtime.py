"""Process-level tuning of Python's garbage collector and the C heap.

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


#: glibc's mallopt parameter for the number of malloc arenas (malloc.h)
_M_ARENA_MAX = -8


def share_one_heap() -> None:
    """Let every thread allocate from the one main C heap (glibc only; elsewhere a no-op).

    glibc gives each thread that allocates at the same time as another its own arena, and
    each arena keeps its freed pages; in the bot (event loop, database worker threads,
    SQLite's page caches) that held 4-7 MB more after three recommendations (bench_store).
    The GIL serialises nearly all allocation anyway, so one heap costs no throughput.
    Call it before the first thread starts.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, 1)


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
