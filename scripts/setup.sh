#!/usr/bin/env bash
# Create .venv and install the project (with test tools when SETUP_EXTRAS=test).
# Re-installs only when pyproject.toml changed, so starting the bot again is quick.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
extras="${SETUP_EXTRAS:-}"
target=".${extras:+[$extras]}"
stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)${extras:+-$extras}"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
if [ ! -e "$stamp" ]; then
    echo "Installing the bot into .venv (first run takes a minute)..."
    if ! .venv/bin/python -m pip install --disable-pip-version-check -q -e "$target" > .venv/install.log 2>&1; then
        cat .venv/install.log >&2
        echo "error: installation failed (log above)" >&2
        exit 1
    fi
    rm -f .venv/.installed-*
    touch "$stamp"
fi
