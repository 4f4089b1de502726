"""Keeps the store's search rows ranked by the engine's current value formula.

The search table stores each account's per-goal value so a recommendation can rank a
niche without reading every account. When the formula changes (RANKING_VERSION), rows
written before would rank by the old one until re-imported; this recomputes them once,
after migrating, in short transactions so a running bot is never held up for long.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlmodel import Session

from bot.advisor.engine.values import RANKING_VERSION
from bot.store.importer import search_entries_of
from bot.store.search import candidate_of
from models.ranking import rewrite_values, stale_influencers

log = logging.getLogger(__name__)

BATCH = 2_000  # influencers per transaction


def refresh_rankings(engine: Engine, *, batch: int = BATCH) -> int:
    """Recompute search rows ranked by an older formula; returns how many accounts."""
    done = 0
    while True:
        with Session(engine) as session, session.begin():
            stale = stale_influencers(session, version=RANKING_VERSION, limit=batch)
            if not stale:
                break
            rewrite_values(
                session,
                [
                    {"influencer_id": row.id, **entry}
                    for row in stale
                    for entry in search_entries_of(candidate_of(row))
                ],
                version=RANKING_VERSION,
            )
        done += len(stale)
    if done:
        log.info("re-ranked %d accounts with ranking version %d", done, RANKING_VERSION)
    return done
