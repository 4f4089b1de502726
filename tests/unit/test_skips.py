"""Typed skips in step-by-step figures: "lupa kak" skips, a number never does."""

from __future__ import annotations

import pytest

from bot.language.skips import means_skip


@pytest.mark.parametrize(
    "text",
    ["lupa kak", "gatau", "ga tau kak", "skip", "lewati aja", "-", "belum ada", "ga inget",
     "aku lupa", "nanti aja ya kak", "Belum ada datanya.", "??"],
)  # fmt: skip
def test_skips(text: str) -> None:
    assert means_skip(text)


@pytest.mark.parametrize(
    "text", ["0", "12rb", "1,2jt", "banyak", "lupa 12rb", "", "  ", "belum ada 500", "tau"]
)
def test_not_skips(text: str) -> None:
    assert not means_skip(text)
