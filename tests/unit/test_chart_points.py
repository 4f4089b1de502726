"""The chart's running totals in one pass equal the report's "as of" totals at each moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import Platform
from bot.reports.kpi.figures import FIGURE_FIELDS, Figures, Snapshot, latest_per_post
from bot.reports.kpi.rates import Member
from bot.reports.report import MAX_POINTS, chart_points

START = datetime(2026, 11, 1, 3, tzinfo=UTC)
MEMBERS = [
    Member(
        id=i,
        handle=f"akun{i}",
        name="",
        platform=Platform.INSTAGRAM,
        followers=10_000,
        fee_idr=500_000,
        tier=None,
    )
    for i in (1, 2, 3)
]

figures = st.builds(
    Figures,
    **{name: st.one_of(st.none(), st.integers(0, 50_000)) for name in FIGURE_FIELDS},
)
snapshots = st.lists(
    st.builds(
        Snapshot,
        member_id=st.sampled_from([1, 2, 3, 9]),  # 9: a member removed since
        post_key=st.sampled_from(["", "https://ig/p/1", "https://ig/p/2"]),
        recorded_at=st.integers(0, 80).map(lambda h: START + timedelta(hours=h)),
        figures=figures,
    ),
    max_size=120,
)


def _reference(
    snaps: list[Snapshot], until: datetime
) -> list[tuple[datetime, float | None, float | None]]:
    """The previous implementation: totals recomputed as of every moment."""
    ids = {m.id for m in MEMBERS}
    moments = sorted(
        {s.recorded_at for s in snaps if s.member_id in ids and s.recorded_at <= until}
    )
    out = []
    for moment in moments[-MAX_POINTS:]:
        totals = [f for (mid, _), f in latest_per_post(snaps, at=moment).items() if mid in ids]
        reach = [
            v
            for f in totals
            if (v := f.reach if f.reach is not None else f.impressions) is not None
        ]
        eng = [e for f in totals if (e := f.engagements) is not None]
        out.append((moment, float(sum(reach)) if reach else None, float(sum(eng)) if eng else None))
    return out


@settings(max_examples=150, deadline=None)
@given(snaps=snapshots, cut=st.integers(0, 90))
def test_one_pass_equals_totals_as_of_each_moment(snaps: list[Snapshot], cut: int) -> None:
    until = START + timedelta(hours=cut)
    got = [
        (p.at, p.reach_or_views, p.engagements) for p in chart_points(MEMBERS, snaps, until=until)
    ]
    assert got == _reference(snaps, until)


def test_chart_workers_draw_the_same_png_as_this_process() -> None:
    from bot.reports.report import ChartJob, chart_labels, draw_chart
    from bot.summaries.drawing import ChartDrawer

    snaps = [
        Snapshot(1, "", START + timedelta(days=d), Figures(reach=1000 * (d + 1), likes=50 * d))
        for d in range(5)
    ]
    job = ChartJob(
        points=tuple(chart_points(MEMBERS, snaps, until=START + timedelta(days=9))),
        cpe_micro=1200.0,
        cpe_macro=None,
        labels=chart_labels("Promo Sambal"),
        timezone="Asia/Makassar",
    )
    drawer = ChartDrawer(workers=2)
    try:
        assert drawer.draw_now(job) == draw_chart(job)
    finally:
        drawer.close()
