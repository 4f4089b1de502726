"""Niches read from their packs answer exactly as a scan of the search rows does, and a pack
read under an older store is never used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

import bot.advisor.search_cache as search_cache
from bot.advisor.engine.area import area_of
from bot.advisor.recommendations import advise
from bot.advisor.search_cache import Kind, SearchCache, read_search
from bot.advisor.search_packs import build_packs, pack_when_settled
from bot.domain import NICHES, Brief, Goal, Platform
from bot.language.locations import parse_location
from models.influencers import GLOBAL_SCOPE
from models.revision import store_revision
from models.search_pack import pack_revisions, read_pack
from tests.db.stores import answer_signature, load_store, store_csv
from tests.db.test_search_cache import _briefs, _load

EVERY_PAIR = len(NICHES) * len(Platform)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The row scans made for kept searches (a search read from a pack makes none)."""
    made: list[dict[str, Any]] = []
    real = search_cache.scan_search_rows

    def spy(session: Session, **kwargs: Any) -> Any:
        if kwargs.get("without_cards"):
            made.append(kwargs)
        return real(session, **kwargs)

    monkeypatch.setattr(search_cache, "scan_search_rows", spy)
    yield made


def test_briefs_read_from_packs_answer_exactly_as_the_full_scan(
    engine: Engine, scans: list[dict[str, Any]]
) -> None:
    _load(engine, 9000)
    # place names as people type them: the scan folds case, so must the pack
    load_store(
        engine,
        store_csv(
            "instagram,kopi.huruf,Kopi Huruf,Kuliner,BANDUNG,JAWA BARAT,12000,6.5,5000,150000,90,",
            "instagram,bakso.kecil,Bakso Kecil,Kuliner,bandung,jawa barat,8000,7.0,4000,90000,90,",
        ),
    )
    assert build_packs(engine) == EVERY_PAIR
    assert build_packs(engine) == 0  # all current
    cache = SearchCache()
    with Session(engine) as session:
        for brief in _briefs(70, seed=12):
            full = advise(session, brief, cache=None).recommendation
            fast = advise(session, brief, cache=cache).recommendation
            assert answer_signature(fast) == answer_signature(full), brief
        bandung = Brief(
            "Kuliner", Goal.SALES, 1_000_000, Platform.INSTAGRAM, parse_location("Bandung"), None
        )
        kept = advise(session, bandung, cache=cache).recommendation
        assert answer_signature(kept) == answer_signature(
            advise(session, bandung, cache=None).recommendation
        )
    assert scans == []  # every kept search came from a pack


def test_a_pack_of_an_older_store_is_never_read(
    engine: Engine, scans: list[dict[str, Any]]
) -> None:
    _load(engine, 3000)
    build_packs(engine)
    brief = Brief(
        "Kuliner", Goal.AWARENESS, 3_000_000, Platform.INSTAGRAM, parse_location("Ambon"), None
    )
    with Session(engine) as session:
        before = store_revision(session)
    load_store(  # an import adds a cheap, very strong account in the brief's city
        engine,
        store_csv(
            "instagram,ambon.kuliner.top,Ambon Kuliner Top,Kuliner,Ambon,Maluku,"
            "9000,9.5,6000,150000,95,wa 0811"
        ),
    )
    with Session(engine) as session:
        revision = store_revision(session)
        assert revision > before
        assert read_pack(session, niche="Kuliner", platform="instagram", revision=revision) is None
        cached = advise(session, brief, cache=SearchCache()).recommendation
    assert len(scans) == 1  # read from the rows, not from the older pack
    picked = {p.candidate.handle for pf in cached.portfolios.values() for p in pf.picks}
    assert "ambon.kuliner.top" in picked
    assert build_packs(engine) == EVERY_PAIR
    with Session(engine) as session:
        again = advise(session, brief, cache=SearchCache()).recommendation
        assert answer_signature(again) == answer_signature(
            advise(session, brief, cache=None).recommendation
        )
    assert len(scans) == 1  # this time from the new pack
    assert answer_signature(again) == answer_signature(cached)


def test_a_listing_made_after_packing_is_answered_fresh(
    engine: Engine, scans: list[dict[str, Any]]
) -> None:
    from bot.chat import router
    from tests.db.chat import button, call
    from tests.db.test_listings import RINA, list_account

    _load(engine, 4000)
    build_packs(engine)
    recap = list_account(engine, RINA, followers="90rb", prices=("400rb", "lewati", "150rb"))
    call(engine, router.button, RINA, button(recap, "Simpan"))
    brief = Brief(
        "Kuliner", Goal.AWARENESS, 800_000, Platform.INSTAGRAM, parse_location("Jogja"), None
    )
    with Session(engine) as session:
        cached = advise(session, brief, cache=SearchCache()).recommendation
        assert answer_signature(cached) == answer_signature(
            advise(session, brief, cache=None).recommendation
        )
    assert scans == []  # the pack still holds (a new listing moves no revision)
    picked = {p.candidate.handle for pf in cached.portfolios.values() for p in pf.picks}
    assert "rina.kuliner" in picked


def test_the_job_packs_once_the_store_holds_still(engine: Engine) -> None:
    _load(engine, 1000)
    assert pack_when_settled(engine) == 0  # first sight of this revision: wait a tick
    assert pack_when_settled(engine) == EVERY_PAIR
    assert pack_when_settled(engine) == 0  # nothing stale
    load_store(
        engine, store_csv("tiktok,kopi.baru,Kopi Baru,Kuliner,Bandung,,25000,7.0,9000,250000,90,")
    )
    assert pack_when_settled(engine) == 0  # the store just moved
    assert pack_when_settled(engine) == EVERY_PAIR
    with Session(engine) as session:
        assert set(pack_revisions(session).values()) == {store_revision(session)}


def test_searches_over_an_agency_list_read_the_rows(
    engine: Engine, scans: list[dict[str, Any]]
) -> None:
    _load(engine, 1000)
    build_packs(engine)
    brief = Brief(
        "Kuliner", Goal.SALES, 2_000_000, Platform.INSTAGRAM, parse_location("Jakarta"), None
    )
    area = area_of(brief.location, brief.business)
    with Session(engine) as session:
        read_search(session, Kind.of(brief, area, (GLOBAL_SCOPE,)))
        assert scans == []
        read_search(session, Kind.of(brief, area, (GLOBAL_SCOPE, "agency:1")))
        assert len(scans) == 1  # packs hold the global store only


def test_packing_reads_keep_no_writer_waiting(engine: Engine) -> None:
    """A read-only transaction (what packing reads in) lets a write commit meanwhile; on
    SQLite an ordinary one would hold the write lock until it ends."""
    import threading

    from models.conversations import claim_update
    from models.db import read_only, session_scope

    _load(engine, 300)
    written = threading.Event()

    def write() -> None:
        with session_scope(engine) as session:
            claim_update(session, update_id=424242)
        written.set()

    with Session(read_only(engine)) as reading:
        before = store_revision(reading)  # the read transaction is open from here
        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        assert written.wait(timeout=5), "the write waited for the read to end"
        assert store_revision(reading) == before
    writer.join()


def test_the_bots_job_packs_before_it_searches_again(engine: Engine) -> None:
    from bot.advisor.search_cache import SEARCHES, rewarm_searches

    SEARCHES.clear()
    _load(engine, 1000)
    rewarm_searches(engine)  # the first tick notes the revision
    rewarm_searches(engine)
    with Session(engine) as session:
        assert set(pack_revisions(session).values()) == {store_revision(session)}
        assert len(pack_revisions(session)) == EVERY_PAIR


def test_a_pack_in_another_layout_counts_as_stale(engine: Engine) -> None:
    from sqlalchemy import text

    _load(engine, 500)
    build_packs(engine)
    with Session(engine) as session, session.begin():
        session.execute(text("UPDATE search_pack SET format = format + 1"))
    with Session(engine) as session:
        revision = store_revision(session)
        assert read_pack(session, niche="Kuliner", platform="instagram", revision=revision) is None
        assert pack_revisions(session) == {}
    assert build_packs(engine) == EVERY_PAIR
