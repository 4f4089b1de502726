"""The summary chart: a valid, small PNG of the right size for every shape of data.

Pixel checks look for the chart's colours in a panel (the PNG palette holds them, near-exactly),
so "a reach-coloured dot is drawn" or "no macro bar is drawn" can be asserted without OCR.
"""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from matplotlib.image import imread

from bot.reports.charts.canvas import (
    _CPE,
    _SLOT,
    _TREND,
    ENGAGEMENT_COLOR,
    HEIGHT_PX,
    MACRO_COLOR,
    MICRO_COLOR,
    REACH_COLOR,
    WIDTH_PX,
    render_summary_chart,
)
from bot.reports.charts.data import (
    ChartLabels,
    ChartPoint,
    compact_label,
    time_ticks,
    to_days,
    value_top,
)
from bot.reports.charts.text import Stamper
from bot.reports.report import chart_labels

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
START = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 09.00 WIB
LABELS = chart_labels(
    "Kopi Senja & <Kawan>"
)  # the product's own words; "&" must stay "&" on an image


def daily(count: int, gaps: tuple[int, ...] = ()) -> list[ChartPoint]:
    """A growing campaign, one snapshot a day, with no data on the `gaps` days."""
    return [
        ChartPoint(
            at=START + timedelta(days=i),
            reach_or_views=None if i in gaps else 4_000.0 * (i + 1),
            engagements=None if i in gaps else 310.0 * (i + 1),
        )
        for i in range(count)
    ]


def render(
    points: list[ChartPoint], micro: float | None = 1526.0, macro: float | None = 3420.0
) -> bytes:
    return render_summary_chart(points, cpe_micro=micro, cpe_macro=macro, labels=LABELS)


def pixels(png: bytes) -> np.ndarray:
    """Decoded as a phone would: RGB(A) array of the full image."""
    image = imread(io.BytesIO(png), format="png")
    assert image.shape[:2] == (HEIGHT_PX, WIDTH_PX)
    return (image[..., :3] * 255).round().astype(int)


def count(image: np.ndarray, box: tuple[int, int, int, int], colour: str) -> int:
    """Pixels of `colour` (within 4 levels a channel) inside box (left, top, right, bottom)."""
    left, top, right, bottom = box
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(image[top:bottom, left:right] - rgb).max(axis=-1) <= 4).sum())


def assert_valid(png: bytes) -> np.ndarray:
    assert png.startswith(PNG_SIGNATURE)
    assert 2_000 < len(png) < 80_000
    return pixels(png)


def test_png_is_valid_small_and_of_the_documented_size() -> None:
    png = render(daily(30, gaps=(5, 6, 20)))
    image = assert_valid(png)
    assert count(image, _TREND, REACH_COLOR) > 200
    assert count(image, _TREND, ENGAGEMENT_COLOR) > 200
    assert count(image, _CPE, MICRO_COLOR) > 1000
    assert count(image, _CPE, MACRO_COLOR) > 1000
    assert image[5, 5].tolist() == [255, 255, 255]  # pure white background


def test_example_for_a_human_to_look_at() -> None:
    """Saves /tmp/chart_example.png: a realistic week with a missing day."""
    png = render(daily(12, gaps=(4,)))
    assert_valid(png)
    Path("/tmp/chart_example.png").write_bytes(png)


def test_no_points_shows_the_no_data_text_and_no_lines() -> None:
    image = assert_valid(render([], micro=None, macro=None))
    assert count(image, _TREND, REACH_COLOR) == 0
    assert count(image, _TREND, ENGAGEMENT_COLOR) == 0
    assert count(image, _TREND, "#6b7280") > 50  # the muted no_data text


def test_points_without_any_value_count_as_no_data() -> None:
    empty = [ChartPoint(START + timedelta(days=i), None, None) for i in range(3)]
    assert render(empty) == render([])


def test_one_point_is_drawn_as_dots() -> None:
    image = assert_valid(render(daily(1)))
    assert count(image, _TREND, REACH_COLOR) > 20
    assert count(image, _TREND, ENGAGEMENT_COLOR) > 20


def test_gaps_and_isolated_points_render() -> None:
    # Day 3 has neighbours missing on both sides: it must still show (as a dot).
    png = render(daily(7, gaps=(2, 4)))
    assert_valid(png)
    assert png != render(daily(7, gaps=(2, 3, 4)))


def test_one_series_missing_entirely() -> None:
    points = [ChartPoint(START + timedelta(days=i), 1000.0 * i, None) for i in range(5)]
    image = assert_valid(render(points))
    assert count(image, _TREND, REACH_COLOR) > 100
    assert count(image, (0, 0, WIDTH_PX, HEIGHT_PX), ENGAGEMENT_COLOR) == 0  # nor its scale


def test_unknown_cpe_is_an_empty_slot_not_a_bar() -> None:
    image = assert_valid(render(daily(5), micro=850.0, macro=None))
    assert count(image, _CPE, MICRO_COLOR) > 1000
    assert count(image, _CPE, MACRO_COLOR) == 0
    assert count(image, _CPE, _SLOT) > 1000


def test_all_cpe_unknown() -> None:
    image = assert_valid(render(daily(5), micro=None, macro=None))
    assert count(image, _CPE, MICRO_COLOR) == 0
    assert count(image, _CPE, MACRO_COLOR) == 0
    assert count(image, _CPE, _SLOT) > 2000


def test_odd_values_do_not_crash() -> None:
    points = [
        ChartPoint(START, float("nan"), float("inf")),
        ChartPoint(START + timedelta(hours=1), -5.0, 0.0),
        ChartPoint(START + timedelta(hours=1), 3.0, 1.0),  # same timestamp twice
        ChartPoint(START + timedelta(minutes=70), 2e12, 7e10),
    ]
    assert_valid(render(points, micro=0.0, macro=float("nan")))


def test_long_labels_are_cut_not_overflowing() -> None:
    long = ChartLabels(*(["Kata yang sangat panjang sekali " * 6] * 9))
    png = render_summary_chart(daily(10), cpe_micro=1.0, cpe_macro=2.0, labels=long)
    assert_valid(png)
    stamper = Stamper()
    lines = stamper.fit(long.title, "tick", 120, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(stamper.fonts["tick"].getlength(line) <= 120 for line in lines)


def test_order_of_points_does_not_matter_and_output_is_deterministic() -> None:
    points = daily(9, gaps=(3,))
    assert render(points) == render(list(reversed(points))) == render(points)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        render([ChartPoint(datetime(2026, 11, 20, 9, 0), 1.0, 1.0)])


def test_two_threads_at_once_produce_the_same_valid_pngs() -> None:
    jobs = [
        (daily(n, gaps=(n // 2,)), float(n * 100), None if n % 3 else 999.0) for n in range(1, 9)
    ]
    expected = [render(points, micro, macro) for points, micro, macro in jobs]
    results: dict[tuple[int, int], bytes] = {}
    barrier = threading.Barrier(2)

    def work(worker: int) -> None:
        barrier.wait()
        for _ in range(3):
            for index, (points, micro, macro) in enumerate(jobs):
                results[(worker, index)] = render(points, micro, macro)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 2 * len(jobs)
    for (_, index), png in results.items():
        assert png.startswith(PNG_SIGNATURE)
        assert png == expected[index]


def test_dates_are_the_owners_local_days_in_indonesian() -> None:
    # 18.00 UTC on 30 Nov is already 1 Des in Jakarta (UTC+7), still 30 Nov in UTC.
    at = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    jakarta = to_days(at.astimezone(ZoneInfo("Asia/Jakarta")))
    assert time_ticks(jakarta, jakarta) == [(jakarta, ("1 Des",))]
    week = [text for _, text in time_ticks(jakarta, jakarta + 6)]
    assert week == [("2 Des",), ("4 Des",), ("6 Des",)]  # on local midnights, at most 4
    utc = to_days(at)
    assert time_ticks(utc, utc)[0][1] == ("30 Nov",)


def test_short_campaign_gets_hour_ticks_with_the_date_once() -> None:
    first = to_days(datetime(2026, 11, 27, 9, 20))
    labels = [text for _, text in time_ticks(first, first + 0.3)]
    assert labels[0] == ("10.00", "27 Nov")
    assert all(len(text) == 1 for text in labels[1:])
    assert len(labels) <= 4


def test_value_scale_is_nice_and_compact() -> None:
    assert value_top([89_000.0, float("nan")]) == 100_000
    assert [compact_label(100_000 * i / 4) for i in range(5)] == [
        "0",
        "25 rb",
        "50 rb",
        "75 rb",
        "100 rb",
    ]
    assert value_top([3.0]) == 4  # whole-number steps for tiny counts
    assert value_top([float("nan")]) is None
    assert compact_label(12_500) == "12,5 rb" and compact_label(1_200_000) == "1,2 jt"


def test_labels_are_plain_text_for_the_image() -> None:
    assert LABELS.title == "Kopi Senja & <Kawan>"
    assert LABELS.micro_label == "Mikro" and LABELS.unknown == "belum ada"
