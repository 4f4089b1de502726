"""Keeping every niche's search packed (models.search_pack) for the current store revision.

The first brief of a kind reads its niche once (bot.advisor.search_cache). Row by row that
read grows with the store (a niche of 114,000 accounts: ~90 ms on SQLite); from a pack it
is one blob. After the store changes, the bot's periodic job packs every niche again once
the revision has held still (an import's fold moves it once per batch); until then a
brief reads the rows as before, so answers never wait for the packs.
"""

from __future__ import annotations

import itertools
import logging
import random
import threading
import time
import weakref

from sqlalchemy import Engine
from sqlmodel import Session

from bot.domain import NICHES, Platform
from bot.platform.runtime import release_free_memory
from models.db import read_only
from models.revision import store_revision
from models.search_pack import pack_revisions, scan_pack, write_pack

log = logging.getLogger(__name__)

_seen: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_seen_lock = threading.Lock()


def pack_when_settled(engine: Engine) -> int:
    """The periodic job's step: pack what is stale once the revision held still since the
    last call (during an import's fold it moves every batch; packing then is wasted)."""
    with Session(read_only(engine)) as session:
        revision = store_revision(session)
    with _seen_lock:
        settled = _seen.get(engine) == revision
        _seen[engine] = revision
    return build_packs(engine) if settled else 0


def build_packs(engine: Engine) -> int:
    """Pack every niche and platform whose pack is older than the store; returns how many.

    Each niche is read in its own read-only transaction (on SQLite it holds no lock) and
    written in its own short write transaction, so the chat's writes never wait long
    behind it. A pack read while the
    store changed is tagged with the revision read before it and so is never used (the
    rows it holds are at least as new as that revision, never older).
    """
    started = time.perf_counter()
    reader = read_only(engine)
    with Session(reader) as session:
        current = store_revision(session)
    built = 0
    pairs = list(itertools.product(NICHES, (p.value for p in Platform)))
    # in its own order: processes packing at once then mostly skip what another has done
    random.shuffle(pairs)
    for niche, platform in pairs:
        with Session(reader) as session:
            revision = store_revision(session)
            if revision != current:
                break  # the store moved on: the next tick packs the new one
            if pack_revisions(session).get((niche, platform)) == revision:
                continue  # current (another process may have packed it meanwhile)
            pack = scan_pack(session, niche=niche, platform=platform)
        with Session(engine) as session, session.begin():
            if pack_revisions(session).get((niche, platform)) != revision:
                write_pack(session, niche=niche, platform=platform, revision=revision, pack=pack)
                built += 1
    if built:
        release_free_memory()  # the rows read in passing, a few MB for the biggest niche
        log.info(
            "packed %d niche searches for store revision %d in %.1f s",
            built,
            current,
            time.perf_counter() - started,
        )
    return built
