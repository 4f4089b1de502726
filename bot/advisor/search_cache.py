"""A niche's search, kept per process until the store changes.

A big store holds tens of thousands of accounts per niche and platform, but only its
skyband (bot.advisor.engine.skyband) can ever reach a shortlist, whatever the budget.
Accounts with a rate card (self-listed, edited at any time) stay out of the band and are
read fresh with every brief, as they always were.
The first brief of a kind (niche, platform, goal, place) reads the niche once and keeps
that band, a few thousand accounts at most, plus the sorted prices of the target city's
accounts (the "N accounts in your city" counts). Later briefs of that kind, any budget,
any kind of business, rank the band in memory. Entries are keyed by the store revision
(models.revision), which every writer of the search rows moves, so nothing stale is used.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import count

import numpy as np
from sqlalchemy import Engine, Pool
from sqlmodel import Session

from bot.advisor.engine.area import CITY, Area, area_of
from bot.advisor.engine.shortlist import CHEAPEST, KEEP
from bot.advisor.engine.skyband import grouped_skyband
from bot.advisor.search_packs import pack_when_settled
from bot.domain import BRIEF_JSON, Brief
from models.db import read_only
from models.influencers import GLOBAL_SCOPE
from models.revision import store_revision
from models.search_pack import read_pack
from models.search_rows import scan_search_rows
from models.users import recent_briefs

log = logging.getLogger(__name__)

#: per process; with 1,000,000 accounts a kind of brief keeps ~0.2 MB (7,000 rows and the
#: prices of the target city's accounts), so this holds some 300 kinds
MAX_BYTES = 64 * 1024 * 1024
#: how many of the last asked kinds are searched again after the store changed
REWARM_LIMIT = 48


@dataclass(frozen=True)
class NicheSearch:
    """The skyband of one niche's search, column-wise (as `SearchColumns`)."""

    ids: np.ndarray
    macro: np.ndarray
    prices: np.ndarray
    values: np.ndarray
    matches: np.ndarray
    pool_size: int  # accounts in the whole niche on the platform
    city_prices: np.ndarray  # sorted prices of the accounts in the brief's cities

    def local(self, budget: int) -> tuple[int, int]:
        """(accounts in the target city, of which the budget affords)."""
        affordable = int(np.searchsorted(self.city_prices, budget, side="right"))
        return len(self.city_prices), affordable

    def joined(self, other: NicheSearch) -> NicheSearch:
        """Both searches' rows as one (they must not share accounts)."""
        return NicheSearch(
            ids=np.concatenate((self.ids, other.ids)),
            macro=np.concatenate((self.macro, other.macro)),
            prices=np.concatenate((self.prices, other.prices)),
            values=np.concatenate((self.values, other.values)),
            matches=np.concatenate((self.matches, other.matches)),
            pool_size=self.pool_size + other.pool_size,
            city_prices=np.sort(np.concatenate((self.city_prices, other.city_prices))),
        )

    @property
    def nbytes(self) -> int:
        arrays = (self.ids, self.macro, self.prices, self.values, self.matches, self.city_prices)
        return sum(a.nbytes for a in arrays) + 600  # plus the objects around them


_engine_tokens: weakref.WeakKeyDictionary[Pool, int] = weakref.WeakKeyDictionary()
_next_token = count(1)


def _engine_token(session: Session) -> int:
    """Tells databases apart (tests open many in one process; ids of dead engines recur).
    Keyed by the connection pool, which an engine shares with its variants
    (models.db.read_only), so the bot's job and the chat see the same searches."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    token = _engine_tokens.get(engine.pool)
    if token is None:
        token = _engine_tokens[engine.pool] = next(_next_token)
    return token


@dataclass(frozen=True)
class Kind:
    """What a search depends on: a brief's niche, platform, goal and places (case-folded),
    not its budget or kind of business."""

    niche: str
    platform: str
    goal: str
    scopes: tuple[str, ...]
    cities: tuple[str, ...]
    provinces: tuple[str, ...]
    origins: tuple[str, ...]

    @classmethod
    def of(cls, brief: Brief, area: Area, scopes: tuple[str, ...]) -> Kind:
        return cls(
            brief.niche,
            brief.platform.value,
            brief.goal.value,
            scopes,
            tuple(sorted(area.cities)),
            tuple(sorted(area.provinces)),
            tuple(sorted(area.origins)),
        )


Key = tuple[int, int, Kind]  # (database, store revision, kind)


class SearchCache:
    """Least recently used searches, bounded by their size in bytes."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Key, NicheSearch] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._seen: dict[int, int] = {}  # the revision each database had at the last rewarm
        self._warmed: set[int] = set()  # databases whose recent kinds were searched at start
        self.hits = 0
        self.misses = 0

    def search(self, session: Session, kind: Kind) -> NicheSearch:
        key = (_engine_token(session), store_revision(session), kind)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        fresh = read_search(session, kind, revision=key[1])
        self._keep(key, fresh)
        return fresh

    def rewarm(self, session: Session, *, limit: int = REWARM_LIMIT) -> int:
        """After the store changed, search again the kinds last asked (most recent first),
        so the briefs people keep sending stay fast; drops the stale searches. Returns how
        many kinds it searched.

        It waits until the revision held still for one call: an import's fold moves it
        once per batch, and searching between batches would be thrown away at the next.
        """
        token, revision = _engine_token(session), store_revision(session)
        with self._lock:
            settled = self._seen.get(token) == revision
            self._seen[token] = revision
            if not settled:
                return 0
            stale = [key for key in self._entries if key[0] == token and key[1] != revision]
            for key in stale:
                self._bytes -= self._entries.pop(key).nbytes
        return self._fill(session, token, revision, (key[2] for key in reversed(stale)), limit)

    def warm(self, session: Session, kinds: Iterable[Kind], *, limit: int = REWARM_LIMIT) -> int:
        """Search these kinds now unless already kept (a new process, before anyone asks)."""
        token, revision = _engine_token(session), store_revision(session)
        with self._lock:
            self._warmed.add(token)
        return self._fill(session, token, revision, kinds, limit)

    def warmed(self, session: Session) -> bool:
        """Whether this process has already warmed this database's searches."""
        with self._lock:
            return _engine_token(session) in self._warmed

    def _fill(
        self, session: Session, token: int, revision: int, kinds: Iterable[Kind], limit: int
    ) -> int:
        """Search the first `limit` of these kinds not kept under this revision."""
        with self._lock:
            kept = {key[2] for key in self._entries if key[:2] == (token, revision)}
        done = 0
        for kind in list(dict.fromkeys(kinds))[:limit]:
            if kind not in kept:
                found = read_search(session, kind, revision=revision)
                self._keep((token, revision, kind), found)
                done += 1
        return done

    def _keep(self, key: Key, search: NicheSearch) -> None:
        with self._lock:
            if key in self._entries or search.nbytes > self.max_bytes:
                return
            self._entries[key] = search
            self._bytes += search.nbytes
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.nbytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def search_rows(
    session: Session,
    kind: Kind,
    *,
    cards: Collection[int],
    cache: SearchCache | None,
) -> NicheSearch:
    """What the shortlist ranks for this brief: the cached skyband of the accounts without
    a rate card, and the accounts with one read fresh (or, without a cache, every row).

    Accounts with a rate card are the self-listed ones, edited at any time; keeping them
    out of the cached band means a listing never makes the band stale.
    """
    if cache is None:
        return read_search(session, kind, whole=True)
    band = cache.search(session, kind)
    if not cards:
        return band
    return band.joined(read_search(session, kind, only=cards))


def read_search(
    session: Session,
    kind: Kind,
    *,
    whole: bool = False,
    only: Collection[int] | None = None,
    revision: int | None = None,
) -> NicheSearch:
    """Read the niche once (from its pack when one holds the current store, see
    bot.advisor.search_packs) and keep the skyband per (match code, side) of its accounts
    without a rate card; `whole` scans and keeps every row (the full scan the band must
    agree with), `only` reads just these accounts, whole. `revision`: the store revision
    the caller already read in this transaction."""
    pack = None
    if not whole and only is None and kind.scopes == (GLOBAL_SCOPE,):
        if revision is None:
            revision = store_revision(session)
        pack = read_pack(session, niche=kind.niche, platform=kind.platform, revision=revision)
    if pack is not None:
        columns = pack.columns(
            goal=kind.goal, cities=kind.cities, provinces=kind.provinces, origins=kind.origins
        )
    else:
        columns = scan_search_rows(
            session,
            niche=kind.niche,
            platform=kind.platform,
            goal=kind.goal,
            cities=kind.cities,
            provinces=kind.provinces,
            origins=kind.origins,
            scopes=kind.scopes,
            only=None if only is None else sorted(only),
            without_cards=not whole and only is None,
        )
    prices, values, matches, macro = columns.prices, columns.values, columns.matches, columns.macro
    if whole or only is not None or len(prices) <= 3 * KEEP:
        # a small niche goes to the engine whole (see `shortlist`), so keep it whole
        rows = np.arange(len(prices))
    else:
        band = grouped_skyband(
            prices, values, matches * 2 + macro, max(KEEP, CHEAPEST), order=columns.order
        )
        rows = np.flatnonzero(band)
    city_prices = np.sort(prices[(matches & CITY) > 0])
    return NicheSearch(
        ids=columns.ids[rows],
        macro=macro[rows],
        prices=prices[rows],
        values=values[rows],
        matches=matches[rows].astype(np.int8),
        pool_size=len(columns.ids),
        city_prices=city_prices,
    )


SEARCHES = SearchCache()


def recent_kinds(session: Session, *, limit: int = REWARM_LIMIT) -> list[Kind]:
    """The kinds of the last recommendations shown (by anyone), newest first."""
    kinds: list[Kind] = []
    for data in recent_briefs(session, limit=4 * limit):
        try:
            brief = BRIEF_JSON.load(data)
        except (ValueError, KeyError, TypeError):  # a brief stored in an older shape
            continue
        kinds.append(Kind.of(brief, area_of(brief.location, brief.business), (GLOBAL_SCOPE,)))
    return list(dict.fromkeys(kinds))[:limit]


def rewarm_searches(engine: Engine) -> int:
    """The bot's periodic job: pack the niches again once the store has settled after a
    change; on its first tick, search the kinds asked most recently (a restarted process
    answers them at once); later, search again, under the new revision, what was asked
    before the store changed."""
    pack_when_settled(engine)  # first, so that the searches below read packs
    with Session(read_only(engine)) as session:  # long reads: no write lock held on SQLite
        done = 0 if SEARCHES.warmed(session) else SEARCHES.warm(session, recent_kinds(session))
        done += SEARCHES.rewarm(session)
    if done:
        log.info("searched %d kinds of brief again after the store changed", done)
    return done
