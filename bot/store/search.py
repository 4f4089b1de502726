"""Candidate look-ups in domain types: the store's plain rows become `Candidate` and `Platform`.

The queries live in `models.store`; the conversion lives here so the models layer does not
depend on the domain vocabulary of `bot`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Row
from sqlmodel import Session

from bot.domain import Candidate, Platform
from models.influencers import GLOBAL_SCOPE
from models.store import (
    RateCards,
    fetch_candidate_rows,
    fetch_candidate_rows_by_ids,
    fetch_rate_cards,
    niche_rate_cards,
    platforms_with_accounts,
)


def fetch_candidates_by_ids(
    session: Session, ids: Iterable[int], *, cards: RateCards | None = None
) -> list[Candidate]:
    """These influencers as candidates, with their rate cards (`cards` when the caller
    already read every card these ids can have)."""
    rows = fetch_candidate_rows_by_ids(session, ids)
    if cards is None:
        cards = fetch_rate_cards(session, (row.id for row in rows))
    return [candidate_of(row, cards.get(row.id, ())) for row in rows]


def fetch_candidates(
    session: Session,
    *,
    niche: str,
    platform: Platform | str,
    scopes: Sequence[str] = (GLOBAL_SCOPE,),
) -> list[Candidate]:
    """Every influencer of the niche on the platform; the engine does the rest in memory."""
    value = Platform(platform).value
    rows = fetch_candidate_rows(session, niche=niche, platform=value, scopes=scopes)
    cards = niche_rate_cards(session, niche=niche, platform=value, scopes=scopes)
    return [candidate_of(row, cards.get(row.id, ())) for row in rows]


def available_platforms(
    session: Session, *, scopes: Sequence[str] = (GLOBAL_SCOPE,)
) -> set[Platform]:
    """Platforms with at least one account in the given scopes."""
    present = platforms_with_accounts(session, [p.value for p in Platform], scopes=scopes)
    return {Platform(value) for value in present}


def candidate_of(row: Row, formats: Iterable[tuple[str, int]] = ()) -> Candidate:
    """A row of `models.store.CANDIDATE_COLUMNS` (and its rate card) as the engine's `Candidate`."""
    return Candidate(
        id=row.id,
        platform=Platform(row.platform),
        handle=row.handle,
        name=row.name,
        niches=tuple(row.niches.split("|")),
        city=row.city,
        province=row.province,
        followers=row.followers,
        engagement_rate=row.engagement_rate,
        avg_views=row.avg_views,
        price_idr=row.price_idr,
        audience_quality=row.audience_quality,
        contact=row.contact,
        sample=bool(row.sample),
        self_reported=bool(row.self_reported),
        formats=tuple((fmt, int(price)) for fmt, price in formats),
    )
