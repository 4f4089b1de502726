"""The influencer CSV contract, end to end into a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from bot.cli.main import main
from bot.store.bulk import import_rows
from bot.store.search import fetch_candidates
from bot.store.stream import parse_influencer_csv
from models.db import session_scope
from models.influencers import Influencer, InfluencerNiche
from models.store import count_influencers, store_is_sample_only

HEADER = "platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,price_idr,audience_quality,contact"


def _csv(*lines: str, header: str = HEADER, bom: bool = False, delimiter: str = ",") -> bytes:
    text = "\n".join([header.replace(",", delimiter), *lines]) + "\n"
    return (("\ufeff" if bom else "") + text).encode()


def test_plain_file_parses_every_field() -> None:
    parsed = parse_influencer_csv(
        _csv(
            "instagram,@Dapur_TehRina,Dapur Teh Rina,Kuliner|Gaya Hidup,Bandung,,24000,4.1,3500,750000,86,email:rina@example.com"
        )
    )
    assert parsed.errors == []
    (row,) = parsed.rows
    assert row.handle == "dapur_tehrina"
    assert row.niches == ("Kuliner", "Gaya Hidup")
    assert (row.city, row.province) == ("Bandung", "Jawa Barat")
    assert row.followers == 24000 and row.engagement_rate == pytest.approx(4.1)
    assert row.avg_views == 3500 and row.price_idr == 750_000 and row.audience_quality == 86


def test_bom_semicolons_comma_percent_and_rupiah_forms() -> None:
    data = _csv(
        "tiktok;rina.masak;Rina Masak;makanan;Jogja;;12.000;3,2%;;Rp 2.500.000;;",
        "youtube;kangdedi;Kang Dedi;otomotif;;;300000;;;500rb;70;",
        bom=True,
        delimiter=";",
    )
    parsed = parse_influencer_csv(data)
    assert parsed.errors == []
    first, second = parsed.rows
    assert first.engagement_rate == pytest.approx(3.2)
    assert first.price_idr == 2_500_000
    assert first.followers == 12_000
    assert first.city == "Yogyakarta" and first.province == "DI Yogyakarta"
    assert first.avg_views is None and first.audience_quality is None and first.contact is None
    assert second.price_idr == 500_000 and second.city is None


def test_extra_columns_are_ignored_and_order_is_free() -> None:
    header = "name,handle,platform,price_idr,followers,niches,notes"
    parsed = parse_influencer_csv(
        _csv("Rina,rina,instagram,1jt,15000,Kuliner,whatever", header=header)
    )
    assert parsed.errors == []
    assert parsed.rows[0].price_idr == 1_000_000


def test_missing_required_column_is_reported_on_the_header_line() -> None:
    parsed = parse_influencer_csv(_csv("instagram,rina", header="platform,handle"))
    assert parsed.rows == []
    assert parsed.errors[0].line == 1
    assert "name" in parsed.errors[0].reason


def test_every_bad_row_is_listed_with_its_line_number() -> None:
    parsed = parse_influencer_csv(
        _csv(
            "instagram,ok_one,OK,Kuliner,,,10000,,,500000,,",
            "myspace,bad_platform,X,Kuliner,,,10000,,,500000,,",
            "instagram,bad niche,X,Perbintangan,,,10000,,,500000,,",
            "instagram,no_price,X,Kuliner,,,10000,,,,,",
            "instagram,bad_er,X,Kuliner,,,10000,150%,,500000,,",
            "instagram,bad_quality,X,Kuliner,,,10000,,,500000,101,",
            "instagram,OK_ONE,Dup,Kuliner,,,10000,,,500000,,",
            "instagram,zero,X,Kuliner,,,0,,,500000,,",
        )
    )
    lines = {error.line: error.reason for error in parsed.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9]
    assert "platform" in lines[3]
    assert "handle" in lines[4] and "niche" in lines[4]
    assert "price_idr" in lines[5]
    assert "engagement_rate" in lines[6]
    assert "audience_quality" in lines[7]
    assert "duplicate of line 2" in lines[8]
    assert "followers" in lines[9]


def test_not_utf8_is_refused() -> None:
    parsed = parse_influencer_csv(
        HEADER.encode() + "\ninstagram,a,Caf\xe9,Kuliner,,,1000,,,50000,,\n".encode("latin-1")
    )
    assert parsed.errors and "UTF-8" in parsed.errors[0].reason


def test_upsert_adds_then_updates_by_platform_and_handle(engine) -> None:
    first = parse_influencer_csv(_csv("instagram,rina,Rina,Kuliner,Bandung,,15000,,,500000,,"))
    with session_scope(engine) as session:
        counts = import_rows(session, first.rows, source="test")
    assert (counts.added, counts.updated) == (1, 0)
    second = parse_influencer_csv(
        _csv(
            "instagram,RINA,Rina Baru,Kecantikan|Kuliner,Bandung,,16000,,,600000,,",
            "tiktok,rina,Rina TikTok,Kuliner,,,9000,,,200000,,",
        )
    )
    with session_scope(engine) as session:
        counts = import_rows(session, second.rows, source="test")
    assert (counts.added, counts.updated) == (1, 1)
    with Session(engine) as session:
        rina = session.exec(
            select(Influencer).where(
                Influencer.handle == "rina", Influencer.platform == "instagram"
            )
        ).scalar_one()
        assert rina.name == "Rina Baru" and rina.price_idr == 600_000
        links = (
            session.exec(select(InfluencerNiche).where(InfluencerNiche.influencer_id == rina.id))
            .scalars()
            .all()
        )
        assert sorted((link.niche, link.position) for link in links) == [
            ("Kecantikan", 0),
            ("Kuliner", 1),
        ]
        assert count_influencers(session) == 2
        kuliner = fetch_candidates(session, niche="Kuliner", platform="instagram")
        assert [c.handle for c in kuliner] == ["rina"]
        assert kuliner[0].niches == ("Kecantikan", "Kuliner")


def test_cli_import_is_all_or_nothing(
    empty_database_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    good = tmp_path / "good.csv"
    good.write_bytes(_csv("instagram,rina,Rina,Kuliner,Bandung,,15000,,,500000,,"))
    assert main(["import-influencers", str(good)]) == 0
    bad = tmp_path / "bad.csv"
    rows = [f"instagram,user{i},User {i},Kuliner,,,15000,,,500000,," for i in range(50)]
    rows.append("instagram,broken,Broken,Kuliner,,,15000,,,gratis,,")
    bad.write_bytes(_csv(*rows))
    assert main(["import-influencers", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 52" in err and "price_idr" in err
    from models.db import make_engine

    engine = make_engine(empty_database_url)
    with Session(engine) as session:
        assert count_influencers(session) == 1
    engine.dispose()
    assert main(["import-influencers", str(tmp_path / "missing.csv")]) == 1
    get_settings.cache_clear()


def test_seed_demo_marks_the_store_as_sample(
    empty_database_url: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    assert main(["seed-demo"]) == 0
    assert main(["seed-demo", "--if-empty"]) == 0
    from models.db import make_engine

    engine = make_engine(empty_database_url)
    with Session(engine) as session:
        assert count_influencers(session) >= 600
        assert store_is_sample_only(session)
    real = tmp_path / "real.csv"
    real.write_bytes(_csv("instagram,real_account,Real,Kuliner,Bandung,,15000,,,500000,,"))
    assert main(["import-influencers", str(real)]) == 0
    with Session(engine) as session:
        assert not store_is_sample_only(session)
    engine.dispose()
    get_settings.cache_clear()
