#!/usr/bin/env bash
# Install the project with its test tools into .venv and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_EXTRAS=test source scripts/setup.sh
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
