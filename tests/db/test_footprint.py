"""The bot process loads only what it uses: modules that cost resident memory for nothing
(issue 13's RSS goal) stay out of a process that has started and answered a brief."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main

ROOT = Path(__file__).resolve().parents[2]

#: module -> why the bot must not load it
UNWANTED = {
    "click": "httpx's command-line client (handlers/__init__.py keeps it out)",
    "rich": "httpx's command-line client",
    "pygments": "httpx's command-line client",
    "numpy.ma": "np.unique, np.union1d and np.median import it on their first call",
    "matplotlib": "charts are drawn in the chart worker processes",
    "alembic": "migrations run before serving, in their own step",
    "bot.data.sample_tables": "only the sample store generator needs its name tables",
}

SCRIPT = """
import sys
from bot.cli import run  # the composition root, as `python -m bot run` loads it
from handlers import app, serve
from bot.advisor.recommendations import advise
from bot.advisor.search_cache import SEARCHES
from bot.chat.formatting import rupiah
from bot.domain import Brief, Goal, Platform
from bot.language.locations import parse_location
from models.db import make_engine, session_scope

engine = make_engine(sys.argv[1])
for niche, place, budget in (("Kuliner", "Bandung", 5_000_000), ("Fashion", "Jakarta", 50_000_000)):
    brief = Brief(niche, Goal.SALES, budget, Platform.INSTAGRAM, parse_location(place), None)
    with session_scope(engine) as session:
        advice = advise(session, brief, cache=SEARCHES)
    assert advice.recommendation.portfolios, brief
    rupiah(advice.recommendation.cheapest_price or 0)
print(" ".join(sorted(name for name in sys.argv[2:] if name in sys.modules)))
"""


def test_a_bot_that_answered_briefs_has_not_loaded_what_it_does_not_use(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    try:
        assert main(["seed-demo"]) == 0
    finally:
        get_settings.cache_clear()
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, database_url, *UNWANTED],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.split()
    assert not loaded, {name: UNWANTED[name] for name in loaded}
