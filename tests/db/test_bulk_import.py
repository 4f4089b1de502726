"""Big imports: streamed, staged in short transactions, switched at once, never half seen."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, func, select, update
from sqlmodel import Session

from bot.language import money
from bot.store import bulk, fast
from bot.store.bulk import ImportBusy, import_csv, recover
from bot.store.importer import _parse_row, search_entries
from bot.store.sample import write_csv
from bot.store.search import available_platforms, fetch_candidates
from models import store_import as staging
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember
from models.db import make_engine, session_scope
from models.influencers import GLOBAL_SCOPE, Influencer, InfluencerNiche
from models.store import count_influencers
from models.store_import import StoreImport
from models.users import UserAccount
from tests import testdb

HEADER = "platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,price_idr,audience_quality,contact"


def _file(lines: list[str]) -> io.BytesIO:
    return io.BytesIO(("\n".join([HEADER, *lines]) + "\n").encode())


def _rows(count: int, *, price: int = 500_000, prefix: str = "akun", start: int = 0) -> list[str]:
    return [
        f"instagram,{prefix}{i},Akun {i},Kuliner|Fashion,Bandung,,{15_000 + i},3.1,,{price},80,"
        for i in range(start, start + count)
    ]


def _import(engine: Engine, lines: list[str], *, scope: str = GLOBAL_SCOPE, batch: int = 500):
    return import_csv(engine, _file(lines), source_name="test", scope=scope, batch=batch)


def _stager(conn: Connection, import_id: int, *, source: str) -> bulk._Stager:
    """Stages batches of an import begun by hand, as import_csv does, with nothing after."""
    return bulk._Stager(
        bulk._transactions(conn),
        import_id,
        dialect=conn.dialect,
        scope=GLOBAL_SCOPE,
        source=source,
        progress=None,
    )


def _table_counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return (
            session.execute(select(func.count()).select_from(Influencer)).scalar_one(),
            session.execute(select(func.count()).select_from(InfluencerNiche)).scalar_one(),
            session.execute(select(func.count()).select_from(StoreImport)).scalar_one(),
        )


AMOUNTS = [1, 999, 1000, 25_000, 250_000, 500_000, 1_000_000, 1_250_000, 1_500_000, 2_345_000]
AMOUNTS += [12_000_000, 100_000_000, 999_999_000]


@pytest.mark.parametrize("value", AMOUNTS)
def test_every_fast_price_form_reads_as_the_chat_parser_does(value: int) -> None:
    forms = [
        str(value),
        f"{value:,}".replace(",", "."),
        f"Rp {value:,}".replace(",", "."),
        f"Rp{value:,}".replace(",", "."),
        f"rp. {value:,}".replace(",", "."),
        f"{value / 1000:g}rb".replace(".", ","),
        f"{value / 1000:g} rb",
        f"{value / 1000:g}k",
        f"{value / 1_000_000:g}jt".replace(".", ","),
        f"{value / 1_000_000:g}jt",
        f"{value / 1_000_000:g} juta",
        f"Rp {value / 1000:g}rb",
    ]
    for form in forms:
        quick = fast.fast_amount(form)
        assert quick is None or quick == money.parse_amount(form), form
        counted = fast.fast_count(form)
        assert counted is None or counted == money.parse_count(form), form
    # the forms the contract names always take the fast path
    assert fast.fast_amount(f"Rp {value:,}".replace(",", ".")) == value
    if value % 1000 == 0:
        assert fast.fast_amount(f"{value // 1000}rb") == value
    if value % 1_000_000 == 0:
        assert fast.fast_amount(f"{value // 1_000_000}jt") == value


@pytest.mark.parametrize("form", ["1.500rb", "12,5", "1,2345jt", "Rp -5.000", "5 juta rupiah", ""])
def test_unusual_forms_are_left_to_the_chat_parser(form: str) -> None:
    assert fast.fast_amount(form) is None


def test_fast_rows_equal_the_full_parser(tmp_path: Path) -> None:
    """The sample generator's rows, plus every price as an owner might type it."""
    path = tmp_path / "sample.csv"
    write_csv(path, 3000, seed=11)
    text = path.read_text().splitlines()
    header = text[0].split(",")
    lines = [text[0]]
    for i, line in enumerate(text[1:]):
        cells = line.split(",") if '"' not in line else None
        if cells is None:
            lines.append(line)
            continue
        price = int(cells[header.index("price_idr")])
        cells[header.index("price_idr")] = (
            f"Rp {price:,}".replace(",", ".")
            if i % 3 == 0
            else (f"{price // 1000}rb" if price % 1000 == 0 else str(price))
        )
        lines.append(",".join(cells))
    from bot.store.stream import read_influencers

    fast_rows: list = []
    outcome = read_influencers(io.BytesIO("\n".join(lines).encode()), fast_rows.extend)
    assert outcome.errors == [] and len(fast_rows) == 3000
    import csv

    reader = csv.reader(io.StringIO("\n".join(lines)))
    names = [cell.strip().lower() for cell in next(reader)]
    for row, cells in zip(fast_rows, reader, strict=True):
        slow, reasons = _parse_row(
            row.line, dict(zip(names, (c.strip() for c in cells), strict=False))
        )
        assert not reasons and slow == row
        side, primary, secondary = fast.entry_figures(
            row.platform,
            row.followers,
            row.engagement_rate,
            row.avg_views,
            row.price_idr,
            row.audience_quality,
        )
        for entry in search_entries(row):
            values = primary if entry["position"] == 0 else secondary
            assert entry["side"] == side
            assert (
                entry["value_awareness"],
                entry["value_engagement"],
                entry["value_sales"],
            ) == values


def test_a_bad_line_after_many_staged_batches_leaves_nothing(engine: Engine) -> None:
    _import(engine, _rows(3, prefix="lama"))
    before = _table_counts(engine)
    lines = _rows(2600)
    lines.insert(2500, "instagram,rusak,Rusak,Kuliner,,,15000,,,gratis,,")
    lines.append(lines[10].replace("Akun 10", "Akun Sepuluh"))  # a duplicate far below
    result = _import(engine, lines)
    assert result.counts is None
    reasons = {error.line: error.reason for error in result.errors}
    assert "price_idr" in reasons[2502]
    assert "duplicate of line 12" in reasons[len(lines) + 1]
    assert _table_counts(engine) == before
    with Session(engine) as session:
        assert count_influencers(session) == 3


def test_not_utf8_halfway_refuses_the_file_and_cleans_up(engine: Engine) -> None:
    data = _file(_rows(1500)).getvalue() + "instagram,caf\xe9,X,Kuliner,,,1000,,,50000,,\n".encode(
        "latin-1"
    )
    result = import_csv(engine, io.BytesIO(data), source_name="t", batch=500)
    assert result.counts is None and "UTF-8" in result.errors[0].reason
    assert _table_counts(engine) == (0, 0, 0)


def test_readers_see_the_old_store_or_the_new_one_never_a_mix(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(engine, _rows(1200, price=500_000))
    seen: list[tuple[int, frozenset[int]]] = []

    def look() -> None:
        with Session(engine) as session:
            found = fetch_candidates(session, niche="Kuliner", platform="instagram")
            seen.append((len(found), frozenset(c.price_idr for c in found)))
            assert count_influencers(session) == len(found)

    real = bulk._transactions

    def transactions(conn):  # type: ignore[no-untyped-def]
        begin = real(conn)

        @contextlib.contextmanager
        def then_look():  # type: ignore[no-untyped-def]
            with begin() as tx:
                yield tx
            look()  # after each short transaction: staging, switch, compaction

        return then_look

    monkeypatch.setattr(bulk, "_transactions", transactions)
    result = _import(
        engine, _rows(1200, price=750_000) + _rows(400, price=750_000, prefix="baru"), batch=300
    )
    assert result.counts is not None and (result.counts.added, result.counts.updated) == (400, 1200)
    assert seen[0] == (1200, frozenset({500_000}))
    assert seen[-1] == (1600, frozenset({750_000}))
    assert set(seen) == {seen[0], seen[-1]}
    assert any(state == seen[-1] for state in seen[:-1])  # also seen during compaction


def test_ids_stay_with_their_accounts_and_members_keep_theirs(engine: Engine) -> None:
    _import(engine, _rows(900))
    with session_scope(engine) as session:
        ids = dict(session.execute(select(Influencer.handle, Influencer.id)).all())
        session.add(UserAccount(id=7))
        session.flush()
        campaign = Campaign(
            owner_user_id=7,
            name="Ramadan",
            budget_idr=5_000_000,
            start_date=date(2026, 12, 1),
            end_date=date(2026, 12, 31),
        )
        session.add(campaign)
        session.flush()
        session.add(
            CampaignMember(
                campaign_id=campaign.id,
                influencer_id=ids["akun5"],
                handle="akun5",
                name="Akun 5",
                platform="instagram",
                followers=15005,
                fee_idr=500_000,
            )
        )
    result = _import(
        engine, _rows(900, price=900_000) + _rows(50, price=900_000, prefix="baru"), batch=200
    )
    assert result.counts is not None and result.counts.updated == 900
    with Session(engine) as session:
        after = dict(session.execute(select(Influencer.handle, Influencer.id)).all())
        assert {h: after[h] for h in ids} == ids
        assert session.execute(select(CampaignMember.influencer_id)).scalar_one() == ids["akun5"]
        prices = set(session.execute(select(Influencer.price_idr)).scalars())
        assert prices == {900_000}
        marks = session.execute(
            select(func.count())
            .select_from(Influencer)
            .where(
                (Influencer.staged_by.is_not(None) & (Influencer.scope != GLOBAL_SCOPE))  # type: ignore[union-attr]
                | Influencer.superseded_by.is_not(None)  # type: ignore[union-attr]
            )
        ).scalar_one()
        assert marks == 0
        niche_ids = set(session.execute(select(InfluencerNiche.influencer_id)).scalars())
        assert niche_ids == set(after.values())


def test_a_crash_mid_staging_is_invisible_and_cleaned_up(engine: Engine) -> None:
    _import(engine, _rows(10, prefix="lama"))
    with session_scope(engine) as session:
        job = staging.begin_import(session, scope=GLOBAL_SCOPE)
        assert job is not None
        import_id = job.id
    with engine.connect() as conn:
        stager = _stager(conn, import_id, source="crash")
        from bot.store.stream import read_influencers

        def crash(rows: list) -> None:
            stager(rows)
            if stager.rows >= 1000:
                raise KeyboardInterrupt  # the process dies here: nothing else runs

        with pytest.raises(KeyboardInterrupt):
            read_influencers(
                _file(_rows(2000, price=1) + _rows(10, prefix="lama")), crash, batch=500
            )
    with Session(engine) as session:
        assert count_influencers(session) == 10
        found = fetch_candidates(session, niche="Kuliner", platform="instagram")
        assert {c.handle for c in found} == {f"lama{i}" for i in range(10)}
        assert available_platforms(session) == {"instagram"} or available_platforms(session)
    assert _table_counts(engine)[0] == 1010  # the crashed batches are still there, hidden
    with session_scope(engine) as session:
        assert staging.begin_import(session, scope=GLOBAL_SCOPE) is None  # still registered
        session.execute(
            update(StoreImport).values(heartbeat_at=utcnow() - timedelta(hours=1))  # type: ignore[arg-type]
        )
    assert recover(engine) == 1
    assert _table_counts(engine) == (10, 20, 0)
    result = _import(engine, _rows(5, prefix="baru"))  # the store takes imports again
    assert result.counts is not None and result.counts.added == 5


def test_a_second_import_of_the_same_store_waits_its_turn(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert staging.begin_import(session, scope=GLOBAL_SCOPE) is not None
    with pytest.raises(ImportBusy):
        _import(engine, _rows(3))
    result = _import(engine, _rows(3), scope="agency:1")  # another store is free
    assert result.counts is not None and result.counts.added == 3


def test_agency_lists_and_the_global_store_stay_apart(engine: Engine) -> None:
    _import(engine, _rows(700, price=500_000))
    _import(engine, _rows(300, price=200_000), scope="agency:4", batch=100)
    _import(engine, _rows(700, price=600_000))
    with Session(engine) as session:
        assert count_influencers(session) == 700
        assert count_influencers(session, scope="agency:4") == 300
        agency = fetch_candidates(
            session, niche="Kuliner", platform="instagram", scopes=("agency:4",)
        )
        assert {c.price_idr for c in agency} == {200_000}
        both = fetch_candidates(
            session, niche="Kuliner", platform="instagram", scopes=(GLOBAL_SCOPE, "agency:4")
        )
        assert len(both) == 1000


@pytest.mark.parametrize("platform", ["instagram", "tiktok", "youtube", "facebook", "x"])
@pytest.mark.parametrize("followers", [1, 999, 5_000, 42_000, 99_999, 100_000, 600_000, 2_500_000])
@pytest.mark.parametrize(
    ("er", "views", "quality"),
    [(None, None, None), (3.2, None, 55), (None, 90_000, 0), (40.0, 10, 100)],
)
def test_search_figures_equal_the_engine_for_every_kind_of_row(
    platform: str, followers: int, er: float | None, views: int | None, quality: int | None
) -> None:
    from bot.store.importer import InfluencerRow

    row = InfluencerRow(
        2, platform, "a", "A", ("Kuliner", "Fashion"), None, None, followers, er, views,
        750_000, quality, None,
    )  # fmt: skip
    side, primary, secondary = fast.entry_figures(platform, followers, er, views, 750_000, quality)
    for entry in search_entries(row):
        values = primary if entry["position"] == 0 else secondary
        assert entry["side"] == side
        assert (entry["value_awareness"], entry["value_engagement"], entry["value_sales"]) == values


def test_duplicates_across_batches_name_both_lines_once() -> None:
    from bot.store.stream import read_influencers

    lines = _rows(9)
    lines.append(lines[0].replace("Akun 0", "Lagi"))  # line 11: a copy of line 2, next batch
    lines.append("instagram,akun4,X,Kuliner,,,15000,,,gratis,,")  # line 12: bad and a copy
    lines.append("instagram,akun20,X,Perbintangan,,,15000,,,500000,,")  # line 13: bad niche
    lines += _rows(3, start=30)
    lines.append("instagram,AKUN20,Y,Kuliner,,,15000,,,500000,,")  # line 17: copy of a bad row
    written: list = []
    outcome = read_influencers(_file(lines), written.extend, batch=3)
    reasons = {error.line: error.reason for error in outcome.errors}
    assert sorted(reasons) == [11, 12, 13, 17]
    assert reasons[11] == "duplicate of line 2 (instagram @akun0)"
    assert "price_idr" in reasons[12] and "duplicate of line 6" in reasons[12]
    assert "niche" in reasons[13] and "duplicate" not in reasons[13]
    assert reasons[17] == "duplicate of line 13 (instagram @akun20)"
    assert outcome.rows == 12  # 9 + 3 valid rows; none was handed over after line 11
    assert len(written) < 12


def test_an_account_listed_while_a_first_import_runs_is_updated_not_doubled(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first import into an empty store skips looking for existing accounts; one that
    appears meanwhile (a /daftar listing) makes the key index refuse the batch, which is
    written again with the look-up."""
    _import(engine, _rows(1, start=7))  # akun7 is there, but the importer is told otherwise
    with Session(engine) as session:
        (kept,) = session.execute(select(Influencer.id)).scalars()
    monkeypatch.setattr(staging, "scope_is_empty", lambda conn, scope: True)
    result = _import(engine, _rows(20, price=650_000), batch=5)
    assert result.counts is not None
    assert (result.counts.added, result.counts.updated) == (19, 1)
    with Session(engine) as session:
        assert count_influencers(session) == 20
        row = session.execute(select(Influencer).where(Influencer.handle == "akun7")).scalar_one()
        assert row.id == kept and row.price_idr == 650_000


_IMPORTER = """
import sys, time
from bot.store import bulk
from models.db import make_engine

engine = make_engine(sys.argv[1])
with engine.connect() as conn:
    transaction = bulk._transactions(conn)
    for i in range(int(sys.argv[2])):
        with transaction() as tx:
            tx.exec_driver_sql("UPDATE store_revision SET revision = revision")
            time.sleep(0.01)  # a batch's writes hold the lock this long
        print(i, time.monotonic(), flush=True)
"""


@pytest.mark.skipif(testdb.is_postgres(), reason="SQLite's write lock has no queue")
def test_a_chat_write_gets_in_between_an_imports_batches(database_url: str) -> None:
    """An import (another process) commits batch after batch; the chat's next write waits a
    few batches at most, not for the whole import: SQLite's own busy handler, sleeping up to
    100 ms between tries, kept missing the moments between batches."""
    from models.conversations import claim_update

    batches = 150  # about 1.5 s of import
    importer = subprocess.Popen(
        [sys.executable, "-c", _IMPORTER, database_url, str(batches)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    engine = make_engine(database_url)
    try:
        assert importer.stdout is not None
        for _ in range(5):  # the import is under way
            importer.stdout.readline()
        with session_scope(engine) as session:  # a /start claims its update
            assert claim_update(session, update_id=777)
        claimed_at = time.monotonic()
        out, _ = importer.communicate(timeout=60)
    finally:
        importer.kill()
        engine.dispose()
    after = [line for line in out.splitlines() if float(line.split()[1]) > claimed_at]
    assert len(after) >= batches // 2, f"the write waited until batch {batches - len(after)}"


def test_a_staged_import_does_not_make_the_sample_store_real_until_published(
    engine: Engine,
) -> None:
    """The sample-store flag reads only what is visible: staged rows are not, yet."""
    from models.influencers import SAMPLE_SOURCE
    from models.store import store_is_sample_only

    _import(engine, _rows(5, prefix="contoh"))
    with session_scope(engine) as session:
        session.execute(update(Influencer).values(source=SAMPLE_SOURCE))
        job = staging.begin_import(session, scope=GLOBAL_SCOPE)
        assert job is not None
        import_id = job.id
    with engine.connect() as conn:
        stager = _stager(conn, import_id, source="csv:real.csv")
        from bot.store.stream import read_influencers

        read_influencers(_file(_rows(3, prefix="asli")), stager, batch=500)
    with Session(engine) as session:
        assert store_is_sample_only(session)  # the real rows are staged, not published
    with engine.begin() as conn:
        staging.publish(conn, import_id)
    with Session(engine) as session:
        assert not store_is_sample_only(session)


def test_a_real_store_is_never_searched_for_sample_rows(engine: Engine) -> None:
    """Looking for a sample row that is not there reads every row of a big real store; the
    sample probe runs only while no real row has been found."""
    from sqlalchemy import event

    from models.store import store_is_sample_only

    _import(engine, _rows(5, prefix="asli"))
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with Session(engine) as session:
            assert not store_is_sample_only(session)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert any("influencer.source !=" in s for s in statements)
    assert not any("influencer.source =" in s for s in statements), statements
