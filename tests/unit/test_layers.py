"""The import contract (pyproject `[tool.importlinter]`) as a test, so no run can skip it.

Telegram stays in `handlers`, and dependencies point one way: handlers > bot > models.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _LINT, "--no-cache", "--no-logo"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_code_keeps_the_import_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)  # strings and lists of strings are valid TOML in JSON syntax


def _write_contract(project: Path) -> None:
    """The project's own contract, copied into a scratch project."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = ["[tool.importlinter]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in config.items() if k != "contracts"]
    for contract in config["contracts"]:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in contract.items()]
    (project / "pyproject.toml").write_text("\n".join(lines) + "\n")


def _module(project: Path, name: str, source: str = "") -> None:
    path = project / (name.replace(".", "/") + ".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)


def test_the_contract_catches_telegram_in_bot_and_upward_imports(tmp_path: Path) -> None:
    """Guards the configuration itself: a contract that matches nothing would always pass."""
    _write_contract(tmp_path)
    for package in ("bot", "bot.cli", "handlers", "models"):
        _module(tmp_path, f"{package}.__init__")
    _module(tmp_path, "handlers.serve", "import telegram\n")
    _module(tmp_path, "bot.cli.run", "from handlers import serve\n")  # the composition root
    _module(tmp_path, "bot.domain")
    _module(tmp_path, "bot.feature", "from telegram import Update\n")
    _module(tmp_path, "bot.upward", "import handlers.serve\n")
    _module(tmp_path, "models.store", "from bot.domain import Candidate\n")

    result = _lint(tmp_path)

    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "2 broken" in out
    assert "bot.feature -> telegram" in out
    assert "bot.upward -> handlers.serve" in out
    assert "models.store -> bot.domain" in out
    assert "bot.cli.run -> handlers.serve" not in out
