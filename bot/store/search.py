"""Candidate look-ups in domain types: the store's plain rows become `Candidate` and `Platform`.

The queries live in `models.store`; the conversion lives here so the models layer does not
depend on the domain vocabulary of `bot`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

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
        cards = fetch_rate_cards(session, (row[0] for row in rows))
    return [candidate_of(row, cards.get(row[0], ())) for row in rows]


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


def candidate_of(row: Sequence[Any], formats: Iterable[tuple[str, int]] = ()) -> Candidate:
    """A row of `models.store.CANDIDATE_COLUMNS` (a Row or a plain tuple in that order) and
    its rate card, as the engine's `Candidate`."""
    (
        influencer_id,
        platform,
        handle,
        name,
        niches,
        city,
        province,
        followers,
        engagement_rate,
        avg_views,
        price_idr,
        audience_quality,
        contact,
        sample,
        self_reported,
    ) = row
    return Candidate(
        id=influencer_id,
        platform=_PLATFORMS[platform],
        handle=handle,
        name=name,
        niches=tuple(niches.split("|")),
        city=city,
        province=province,
        followers=followers,
        engagement_rate=engagement_rate,
        avg_views=avg_views,
        price_idr=price_idr,
        audience_quality=audience_quality,
        contact=contact,
        sample=bool(sample),
        self_reported=bool(self_reported),
        formats=tuple((fmt, int(price)) for fmt, price in formats),
    )


_PLATFORMS = {platform.value: platform for platform in Platform}
