"""Briefs answered from the cached skyband give exactly what a full scan of the niche gives,
and nothing cached survives a change to the store."""

from __future__ import annotations

import csv
import io
import itertools
import random

from sqlalchemy import Engine
from sqlmodel import Session

from bot.advisor.engine.area import area_of
from bot.advisor.recommendations import advise
from bot.advisor.search_cache import Kind, SearchCache, recent_kinds
from bot.domain import BRIEF_JSON, NICHES, Brief, BusinessKind, Goal, Platform
from bot.language.locations import parse_location
from bot.store.sample import CSV_COLUMNS, generate_influencers
from models.influencers import GLOBAL_SCOPE
from models.revision import store_revision
from models.store import remove_sample_rows
from models.users import add_recommendation
from tests.db.stores import answer_signature, load_store, store_csv

PLACES = ("Jakarta", "Bandung", "Jawa Timur", "Jabodetabek", "seluruh Indonesia", "Ambon", "Bali")


def _load(engine: Engine, count: int, *, seed: int = 5, source: str = "test") -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(generate_influencers(count, seed=seed))
    load_store(engine, out.getvalue(), source=source)


def _briefs(count: int, seed: int) -> list[Brief]:
    combos = list(
        itertools.product(
            NICHES[:5],
            (Platform.INSTAGRAM, Platform.TIKTOK),
            PLACES,
            Goal,
            (300_000, 2_500_000, 20_000_000, 150_000_000),
            (None, *BusinessKind),
        )
    )
    picked = random.Random(seed).sample(combos, count)
    return [Brief(n, g, b, p, parse_location(place), k) for n, p, place, g, b, k in picked]


def test_cached_skyband_answers_exactly_as_the_full_scan(engine: Engine) -> None:
    _load(engine, 9000)
    cache = SearchCache()
    with Session(engine) as session:
        for brief in _briefs(70, seed=11) * 2:  # the second round answers from the cache
            full = advise(session, brief, cache=None).recommendation
            fast = advise(session, brief, cache=cache).recommendation
            assert answer_signature(fast) == answer_signature(full), brief
    assert cache.hits >= 70 and cache.misses <= 70


def test_a_change_to_the_store_is_never_answered_from_an_older_search(engine: Engine) -> None:
    _load(engine, 3000, source="sample")
    cache = SearchCache()
    brief = Brief(
        "Kuliner", Goal.AWARENESS, 3_000_000, Platform.INSTAGRAM, parse_location("Ambon"), None
    )
    with Session(engine) as session:
        before = store_revision(session)
        advise(session, brief, cache=cache)
    # an import adds a cheap, very strong account in the brief's city
    load_store(
        engine,
        store_csv(
            "instagram,ambon.kuliner.top,Ambon Kuliner Top,Kuliner,Ambon,Maluku,"
            "9000,9.5,6000,150000,95,wa 0811"
        ),
    )
    with Session(engine) as session:
        assert store_revision(session) > before
        cached = advise(session, brief, cache=cache).recommendation
        full = advise(session, brief, cache=None).recommendation
        assert answer_signature(cached) == answer_signature(full)
        picked = {p.candidate.handle for pf in cached.portfolios.values() for p in pf.picks}
        assert "ambon.kuliner.top" in picked
    # removing the sample store moves the revision too
    with Session(engine) as session, session.begin():
        revision = store_revision(session)
        remove_sample_rows(session)
        assert store_revision(session) == revision + 1
    with Session(engine) as session:
        cached = advise(session, brief, cache=cache).recommendation
        assert answer_signature(cached) == answer_signature(
            advise(session, brief, cache=None).recommendation
        )
    assert cache.misses == 3


def test_a_listing_is_answered_fresh_without_dropping_the_kept_searches(engine: Engine) -> None:
    from bot.chat import router
    from tests.db.chat import button, call
    from tests.db.test_listings import RINA, list_account

    _load(engine, 4000)
    cache = SearchCache()
    brief = Brief(
        "Kuliner", Goal.AWARENESS, 800_000, Platform.INSTAGRAM, parse_location("Jogja"), None
    )
    with Session(engine) as session:
        advise(session, brief, cache=cache)
        before = store_revision(session)
    recap = list_account(engine, RINA, followers="90rb", prices=("400rb", "lewati", "150rb"))
    call(engine, router.button, RINA, button(recap, "Simpan"))
    with Session(engine) as session:
        assert store_revision(session) == before  # a new self-listed account moves nothing
        cached = advise(session, brief, cache=cache).recommendation
        full = advise(session, brief, cache=None).recommendation
    assert cache.misses == 1 and cache.hits == 1
    assert answer_signature(cached) == answer_signature(full)
    picked = {p.candidate.handle for pf in cached.portfolios.values() for p in pf.picks}
    assert "rina.kuliner" in picked


def test_after_a_change_the_kinds_asked_are_searched_again_in_the_background(
    engine: Engine,
) -> None:
    _load(engine, 3000)
    cache = SearchCache()
    briefs = _briefs(6, seed=4)
    with Session(engine) as session:
        for brief in briefs:
            advise(session, brief, cache=cache)
        assert cache.rewarm(session) == 0  # nothing changed: nothing to do
        assert cache.rewarm(session) == 0
    asked = cache.misses
    load_store(
        engine,
        store_csv(
            "instagram,kopi.baru,Kopi Baru,Kuliner,Jakarta,,15000,6.0,5000,200000,90,",
            "tiktok,kopi.baru,Kopi Baru,Kuliner,Bandung,,25000,7.0,9000,250000,90,",
        ),
    )
    with Session(engine) as session:
        kinds = len({Kind.of(b, area_of(b.location, b.business), (GLOBAL_SCOPE,)) for b in briefs})
        assert cache.rewarm(session) == 0  # the store just moved: wait for it to settle
        assert cache.rewarm(session) == kinds
        assert cache.misses == asked  # the job's searches are not users' misses
        for brief in briefs:
            cached = advise(session, brief, cache=cache).recommendation
            assert answer_signature(cached) == answer_signature(
                advise(session, brief, cache=None).recommendation
            )
    assert cache.misses == asked and cache.hits == len(briefs)


def test_a_restarted_process_searches_the_kinds_asked_last_before_anyone_asks(
    engine: Engine,
) -> None:
    _load(engine, 3000)
    briefs = _briefs(5, seed=8)
    with Session(engine) as session, session.begin():
        for brief in briefs:
            add_recommendation(
                session,
                user_id=1,
                chat_id=1,
                brief=BRIEF_JSON.dump(brief),
                result={},
                sample_data=False,
            )
        add_recommendation(  # a brief stored in a shape no longer read is skipped
            session, user_id=1, chat_id=1, brief={"niche": "Kuliner"}, result={}, sample_data=False
        )
    cache = SearchCache()
    with Session(engine) as session:
        kinds = recent_kinds(session)
        assert len(kinds) == len(
            {Kind.of(b, area_of(b.location, b.business), (GLOBAL_SCOPE,)) for b in briefs}
        )
        assert kinds[0] == Kind.of(
            briefs[-1], area_of(briefs[-1].location, briefs[-1].business), (GLOBAL_SCOPE,)
        )  # newest first
        assert cache.warm(session, kinds) == len(kinds)
        assert cache.warmed(session)
        for brief in briefs:
            advise(session, brief, cache=cache)
    assert cache.misses == 0 and cache.hits == len(briefs)


def test_a_small_niche_reaches_the_engine_whole_as_before(engine: Engine) -> None:
    # 300 accounts: the shortlist hands the engine all of them, so the kept search must
    # hold all of them too, although 150 dear, weak ones are outside the skyband
    cheap = [
        f"instagram,murah_{i},Murah {i},Kuliner,Jakarta,,20000,5.0,8000,{100_000 + i},90,"
        for i in range(150)
    ]
    dear = [
        f"instagram,mahal_{i},Mahal {i},Kuliner,Jakarta,,15000,1.0,1000,{900_000 + i},90,"
        for i in range(150)
    ]
    load_store(engine, store_csv(*cheap, *dear))
    cache = SearchCache()
    brief = Brief(
        "Kuliner", Goal.AWARENESS, 2_000_000, Platform.INSTAGRAM, parse_location("Jakarta"), None
    )
    with Session(engine) as session:
        kind = Kind.of(brief, area_of(brief.location, brief.business), (GLOBAL_SCOPE,))
        kept = cache.search(session, kind)
        assert kept.pool_size == 300 and len(kept.ids) == 300
        full = advise(session, brief, cache=None).recommendation
        assert answer_signature(
            advise(session, brief, cache=cache).recommendation
        ) == answer_signature(full)
