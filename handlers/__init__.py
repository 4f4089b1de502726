"""Thin Telegram handlers: translate updates to domain calls and replies back."""

import sys

# httpx imports its command-line client (click, rich, pygments: 4 MB resident) whenever
# those happen to be installed (a developer's environment has them for other tools); the
# bot never runs it. A None entry makes that import fail, and httpx then skips its CLI.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
