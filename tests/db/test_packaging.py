"""`pip install .` gives a working bot from any directory: templates, sample data and migrations ship."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_runs_from_another_directory(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    had_build = (ROOT / "build").exists()
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)],
            check=True,
            capture_output=True,
        )
    finally:
        if not had_build:  # setuptools builds inside the source tree; leave it as found
            shutil.rmtree(ROOT / "build", ignore_errors=True)
    (wheel,) = wheels.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/data/sample_influencers.csv" in names
    assert "models/migrations/versions/0001_advisor.py" in names
    top_level = {name.split("/")[0] for name in names if "/" in name and ".dist-info" not in name}
    assert top_level == {"bot", "handlers", "models"}  # no stray top-level package
    assert "bot/templates/recommendation.j2" in names
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL",)}
    env["PYTHONPATH"] = str(site)  # the unpacked wheel, not the source tree

    def bot(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    seeded = bot("seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    assert (elsewhere / "data" / "bot.sqlite3").exists()  # the default database under ./data/
    result = bot(
        "recommend",
        "--niche",
        "kuliner",
        "--goal",
        "penjualan",
        "--budget",
        "5jt",
        "--platform",
        "instagram",
        "--location",
        "Bandung",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["sample_data"] is True
    assert payload["totals"]["cost"] <= 5_000_000
    probe = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert probe.stdout.strip().startswith(str(site))
