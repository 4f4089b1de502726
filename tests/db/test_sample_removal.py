"""Sample accounts are marked per candidate, and `remove-sample` takes them out safely.

Through the command line, as an operator runs it: seed the bundled sample, import real rows,
run campaigns, then remove the sample.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot.campaigns.members import add_member
from bot.campaigns.plans import create_campaign
from bot.cli.main import main
from bot.domain import Platform
from bot.reports.report import campaign_report
from bot.store.search import available_platforms, fetch_candidates, fetch_candidates_by_ids
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot
from models.db import make_engine, session_scope
from models.influencers import SAMPLE_SOURCE, Influencer, InfluencerNiche
from models.store import count_influencers, store_is_sample_only

HEADER = "platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,price_idr,audience_quality,contact"
# A real account that a Kuliner / Instagram / Bandung sales brief wants: local, cheap for its
# reach, a strong audience.
REAL_ROW = (
    'instagram,@Warung.Bu_Tini,Warung Bu Tini ,kuliner,bandung,,42.000,"2,1%",6800,Rp 650.000,91,'
)
OWNER = 777_001


@pytest.fixture
def cli_engine(empty_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An empty database the command line works on, and an engine to inspect it."""
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    assert main(["seed-demo"]) == 0
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def _import(tmp_path: Path, *rows: str) -> None:
    path = tmp_path / "real.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    assert main(["import-influencers", str(path)]) == 0


def _recommend(capsys: pytest.CaptureFixture[str], *brief: str) -> dict:
    capsys.readouterr()
    assert main(["recommend", *brief, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


KULINER_BANDUNG = (
    "--niche", "kuliner", "--goal", "penjualan", "--budget", "3jt",
    "--platform", "instagram", "--location", "Bandung",
)  # fmt: skip


def test_recommend_json_marks_each_sample_pick(
    cli_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    only_sample = _recommend(capsys, *KULINER_BANDUNG)
    assert only_sample["sample_data"] is True
    assert only_sample["candidates"]
    assert all(c["sample"] is True for c in only_sample["candidates"])

    _import(tmp_path, REAL_ROW)
    mixed = _recommend(capsys, *KULINER_BANDUNG)
    assert mixed["sample_data"] is False  # the store is no longer sample only
    with Session(cli_engine) as session:
        invented = set(
            session.exec(select(Influencer.handle).where(Influencer.source == SAMPLE_SOURCE))
        )
    marks = {c["handle"]: c["sample"] for c in mixed["candidates"]}
    assert marks == {handle: handle in invented for handle in marks}
    # the case of the issue: the real account and invented ones in one portfolio
    assert marks.get("warung.bu_tini") is False, mixed["candidates"]
    assert any(marks.values()), marks


def test_every_fetch_path_knows_sample_rows(cli_engine: Engine, tmp_path: Path) -> None:
    _import(tmp_path, REAL_ROW)
    with Session(cli_engine) as session:
        found = fetch_candidates(session, niche="Kuliner", platform=Platform.INSTAGRAM)
        by_handle = {c.handle: c for c in found}
        assert by_handle["warung.bu_tini"].sample is False
        assert sum(c.sample for c in found) == len(found) - 1
        ids = [c.id for c in found]
        again = {c.handle: c.sample for c in fetch_candidates_by_ids(session, ids)}
        assert again == {c.handle: c.sample for c in found}


def test_an_import_of_a_sample_handle_makes_it_real(cli_engine: Engine, tmp_path: Path) -> None:
    with Session(cli_engine) as session:
        sample = session.exec(select(Influencer).where(Influencer.platform == "tiktok")).first()
        assert sample is not None and sample.source == SAMPLE_SOURCE
        handle, niche = sample.handle, sample.niches.split("|")[0]
    _import(tmp_path, f"tiktok,{handle},Now Real,{niche},Medan,,15000,3,4000,700000,80,")
    with Session(cli_engine) as session:
        (mine,) = [
            c
            for c in fetch_candidates(session, niche=niche, platform=Platform.TIKTOK)
            if c.handle == handle
        ]
        assert mine.sample is False and mine.name == "Now Real"


def _campaign_with_members(engine: Engine) -> tuple[int, int, int]:
    """A campaign with one sample member and one real member, both with recorded figures."""
    with session_scope(engine) as session:
        sample_handle = (
            session.execute(
                select(Influencer.handle)
                .where(Influencer.source == SAMPLE_SOURCE, Influencer.platform == "instagram")
                .order_by(Influencer.price_idr)
            )
            .scalars()
            .first()
        )
        assert sample_handle is not None
        today = date(2026, 12, 1)
        campaign = create_campaign(
            session,
            owner_id=OWNER,
            name="Promo Desember",
            budget=10_000_000,
            start=today,
            end=today + timedelta(days=14),
            goal="sales",
        )
        sample_member = add_member(
            session, campaign, handle=f"@{sample_handle}", fee=400_000, content_type="reels",
            platform=Platform.INSTAGRAM,
        )  # fmt: skip
        real_member = add_member(
            session, campaign, handle="warung.bu_tini", fee=650_000, content_type="reels",
            platform=Platform.INSTAGRAM,
        )  # fmt: skip
        for member, reach, sold in ((sample_member, 5200, 6), (real_member, 7100, 11)):
            session.add(
                PerformanceSnapshot(
                    member_id=member.id,
                    recorded_at=utcnow() - timedelta(hours=2),
                    reach=reach,
                    likes=reach // 12,
                    conversions=sold,
                    revenue_idr=sold * 85_000,
                    entry_id=f"test-{member.id}",
                )
            )
        return campaign.id, sample_member.id, real_member.id


def test_remove_sample_keeps_real_rows_campaigns_and_reports(
    cli_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(tmp_path, REAL_ROW, "tiktok,kopi.senja,Kopi Senja,Kuliner,Medan,,9000,,,150rb,,")
    campaign_id, sample_member_id, real_member_id = _campaign_with_members(cli_engine)
    with Session(cli_engine) as session:
        total = count_influencers(session)
        samples = session.exec(select(func.count()).where(Influencer.source == SAMPLE_SOURCE)).one()
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        at = utcnow()
        before = campaign_report(session, campaign, at=at)
        real_id = session.get(CampaignMember, real_member_id).influencer_id  # type: ignore[union-attr]
    assert samples == total - 2 >= 600

    capsys.readouterr()
    assert main(["remove-sample"]) == 0
    out = capsys.readouterr().out
    assert f"Removed {samples} sample influencer(s)" in out
    assert "1 campaign member(s) in 1 campaign(s)" in out

    with Session(cli_engine) as session:
        assert count_influencers(session) == 2
        assert not store_is_sample_only(session)
        left = session.exec(select(InfluencerNiche.influencer_id)).all()
        real_ids = set(session.exec(select(Influencer.id)).all())
        assert left and set(left) <= real_ids  # no search row points at a removed account
        sample_member = session.get(CampaignMember, sample_member_id)
        real_member = session.get(CampaignMember, real_member_id)
        assert sample_member is not None and real_member is not None
        assert sample_member.influencer_id is None  # detached, its copy of the account stays
        assert sample_member.fee_idr == 400_000 and sample_member.handle
        assert real_member.influencer_id == real_id  # real members stay linked
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        after = campaign_report(session, campaign, at=at)
        assert after == before
        assert available_platforms(session) == {Platform.INSTAGRAM, Platform.TIKTOK}

    # the recommendation now rests on real rows only
    rec = _recommend(capsys, *KULINER_BANDUNG)
    assert rec["sample_data"] is False
    assert [c["handle"] for c in rec["candidates"]] == ["warung.bu_tini"]
    assert rec["candidates"][0]["sample"] is False

    # running it again is fine and says nothing was there
    assert main(["remove-sample"]) == 0
    assert "nothing removed" in capsys.readouterr().out


def test_remove_sample_on_an_empty_store_and_in_help(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    assert main(["remove-sample"]) == 0
    assert "holds no sample influencers" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    assert "remove-sample" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        main(["remove-sample", "--all"])
    assert exit_.value.code == 2
    get_settings.cache_clear()
