"""A niche's search rows, column-wise: what the recommendation shortlist ranks.

One range read of the table's key (`scan_search_rows`; see models.influencers) reads them straight into numpy arrays; search
packs (models.search_pack) hold the same rows for a whole niche in one blob.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import case, func, literal_column, select
from sqlmodel import Session

from models.influencers import GLOBAL_SCOPE
from models.store import _NICHE, _RATE_CARD
from models.store_import import visible_filter

_GOAL_COLUMNS = {
    "awareness": _NICHE.c.value_awareness,
    "engagement": _NICHE.c.value_engagement,
    "sales": _NICHE.c.value_sales,
}


@dataclass(frozen=True)
class SearchColumns:
    """A niche's accounts on one platform, column-wise: only what ranking needs."""

    ids: np.ndarray  # int64
    macro: np.ndarray  # bool
    prices: np.ndarray  # int64
    values: np.ndarray  # float64
    #: match bits per row: 2 = in one of the cities, 1 = in one of the provinces, 4 = in
    #: one of the origin cities (summed: bot.advisor.engine.area's codes)
    matches: np.ndarray  # int64
    #: the rows by price ascending, then value descending, when known (search packs)
    order: np.ndarray | None = None


_SEARCH_ROW = np.dtype(
    [("id", "i8"), ("macro", "?"), ("price", "i8"), ("value", "f8"), ("match", "i8")]
)


def scan_search_rows(
    session: Session,
    *,
    niche: str,
    platform: str,
    goal: str,
    cities: Iterable[str] = (),
    provinces: Iterable[str] = (),
    origins: Iterable[str] = (),
    scopes: Sequence[str] = (GLOBAL_SCOPE,),
    only: Sequence[int] | None = None,
    without_cards: bool = False,
) -> SearchColumns:
    """One range read of the niche; the database does the place matching (case-insensitively).

    `only` limits it to these accounts; `without_cards` leaves out accounts with a rate
    card (the few that a search always reads on its own, see `niche_rate_cards`).
    """
    match: Any = literal_column("0")
    for column, names, bit in (
        (_NICHE.c.city, cities, 2),
        (_NICHE.c.province, provinces, 1),
        (_NICHE.c.city, origins, 4),
    ):
        folded = sorted({n.lower() for n in names})
        if folded:
            match = match + case((func.lower(column).in_(folded), bit), else_=0)
    query = select(
        _NICHE.c.influencer_id,
        _NICHE.c.side == "macro",
        _NICHE.c.price_idr,
        _GOAL_COLUMNS[goal],
        match,
    ).where(
        _NICHE.c.niche == niche,
        _NICHE.c.platform == platform,
        visible_filter(session, _NICHE, scopes),
    )
    if only is not None:
        query = query.where(_NICHE.c.influencer_id.in_(sorted(set(only))))
    if without_cards:
        query = query.where(
            ~select(_RATE_CARD.c.influencer_id)
            .where(_RATE_CARD.c.influencer_id == _NICHE.c.influencer_id)
            .exists()
        )
    # Straight from the driver's cursor into one numpy record array: a big niche has tens
    # of thousands of rows, and building a Row object for each cost more than the scan.
    result = session.connection().execute(query)
    try:
        rows = np.array(result.cursor.fetchall(), dtype=_SEARCH_ROW)
    finally:
        result.close()
    return SearchColumns(rows["id"], rows["macro"], rows["price"], rows["value"], rows["match"])
