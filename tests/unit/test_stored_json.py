"""Rows stored by earlier versions still load, and load back to the very same JSON.

Types may gain fields with defaults since: a dump then holds every old key with its old
value, plus the new keys (checked by `_keeps`).

fixtures/stored_json_v1.json was written by the hand-written to_dict methods that the
pydantic shapes replaced: four saved recommendations (with the owner's own results, one
where nothing fits), six campaign reports (every goal, a non-UTC time) and three
locations. Do not regenerate it: its point is to be old.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.advisor.learning import OWN_RESULTS_JSON
from bot.advisor.view import candidates_csv, main_view, strategies_view
from bot.domain import BRIEF_JSON, LOCATION_JSON, Goal, Platform, Strategy, Tier
from bot.reports.kpi.report import REPORT_JSON

STORED = json.loads((Path(__file__).parent / "fixtures" / "stored_json_v1.json").read_text())


def _keeps(old: Any, new: Any) -> bool:
    """Whether `new` holds everything of `old` unchanged (dicts may have gained keys)."""
    if isinstance(old, dict):
        return isinstance(new, dict) and all(k in new and _keeps(v, new[k]) for k, v in old.items())
    if isinstance(old, list):
        return (
            isinstance(new, list)
            and len(old) == len(new)
            and all(_keeps(a, b) for a, b in zip(old, new, strict=True))
        )
    return bool(old == new)


@pytest.mark.parametrize("row", STORED["recommendations"], ids=lambda row: row["brief"]["goal"])
def test_old_recommendation_rows_load_and_dump_unchanged(row: dict[str, Any]) -> None:
    result = row["result"]
    rec = RECOMMENDATION_JSON.load(result)
    dumped = RECOMMENDATION_JSON.dump(rec)
    assert _keeps({k: v for k, v in result.items() if k != "own_results"}, dumped)
    assert RECOMMENDATION_JSON.load(dumped) == rec
    assert BRIEF_JSON.load(row["brief"]) == rec.brief
    assert _keeps(row["brief"], BRIEF_JSON.dump(rec.brief))

    # Enums, tuples, sets and nested dataclasses come back as the engine builds them.
    assert isinstance(rec.brief.goal, Goal) and isinstance(rec.brief.platform, Platform)
    assert isinstance(rec.brief.location.cities, frozenset)
    assert rec.chosen is None or isinstance(rec.chosen, Strategy)
    assert set(rec.portfolios) == set(Strategy)
    assert all(isinstance(k, Strategy) for k in rec.portfolios)
    assert isinstance(rec.others, tuple)
    picks = [p for portfolio in rec.portfolios.values() for p in portfolio.picks]
    for pick in [*picks, *rec.others]:
        assert isinstance(pick.tier, Tier) and isinstance(pick.candidate.niches, tuple)
        assert isinstance(pick.candidate.platform, Platform)
    assert all(isinstance(p.picks, tuple) for p in rec.portfolios.values())

    if rec.chosen is not None:  # the views a button press rebuilds from the row
        assert main_view(1, rec, sample_data=False, saved=True).text
        assert strategies_view(1, rec, sample_data=False).text
        assert candidates_csv(rec)

    own = result["own_results"]
    if own is not None:
        loaded = OWN_RESULTS_JSON.load(own)
        assert all(isinstance(t, Tier) for t in loaded.rates)
        assert _keeps(own, OWN_RESULTS_JSON.dump(loaded))
        assert OWN_RESULTS_JSON.load(OWN_RESULTS_JSON.dump(loaded)) == loaded


def test_the_fixture_covers_what_can_be_stored() -> None:
    results = [row["result"] for row in STORED["recommendations"]]
    assert any(r["chosen"] is None for r in results)
    assert any(r["own_results"] is not None for r in results)
    picks = [p for r in results for p in r["others"]]
    picks += [
        p for r in results for portfolio in r["portfolios"].values() for p in portfolio["picks"]
    ]
    candidates = [pick["candidate"] for pick in picks]
    assert any(c["contact"] for c in candidates)
    assert any(c["engagement_rate"] is None for c in candidates)
    assert any(c["city"] is None for c in candidates)


@pytest.mark.parametrize("stored", STORED["reports"], ids=lambda r: f"{r['goal']}-{r['at']}")
def test_old_report_rows_load_and_dump_unchanged(stored: dict[str, Any]) -> None:
    report = REPORT_JSON.load(stored)
    dumped = REPORT_JSON.dump(report)
    # Coverage came later: old rows gain it empty (ratios then carry no coverage note).
    for kpis in (dumped["overall"], *dumped["per_member"].values(), *dumped["per_side"].values()):
        assert (kpis.pop("accounts"), kpis.pop("coverage"), kpis.pop("cost_basis")) == (0, {}, {})
    # members gained `own` (the owner's own account) later: old rows read as from the store
    assert all(m.pop("own") is False for m in dumped["members"].values())
    assert dumped == stored
    assert report.at == datetime.fromisoformat(stored["at"])
    assert report.at.tzinfo == datetime.fromisoformat(stored["at"]).tzinfo
    assert all(isinstance(mid, int) for mid in (*report.per_member, *report.members))
    assert report.goal is None or isinstance(report.goal, Goal)
    assert all(isinstance(m.tier, Tier) for m in report.members.values())
    assert report.suggestion.params == stored["suggestion"]["params"]


def test_old_locations_load_and_dump_unchanged() -> None:
    for stored in STORED["locations"]:
        location = LOCATION_JSON.load(stored)
        assert isinstance(location.cities, frozenset)
        assert LOCATION_JSON.dump(location) == stored


def test_a_location_without_place_lists_loads_empty() -> None:
    location = LOCATION_JSON.load({"kind": "national", "name": "Seluruh Indonesia"})
    assert location.cities == frozenset() and location.provinces == frozenset()
