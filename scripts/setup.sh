#!/usr/bin/env bash
# Create .venv and install the project (with test tools when SETUP_EXTRAS=test) at the exact
# versions in constraints.txt (regenerate it with scripts/lock.sh). Re-installs only when
# pyproject.toml or constraints.txt changed, so starting the bot again is quick.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
extras="${SETUP_EXTRAS:-}"
target=".${extras:+[$extras]}"
digest=$(cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
stamp=".venv/.installed-$digest${extras:+-$extras}"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
installed() {
    # An install with the test tools covers the plain one too.
    if [ -n "$extras" ]; then [ -e "$stamp" ]; else compgen -G ".venv/.installed-$digest*" > /dev/null; fi
}
if ! installed; then
    echo "Installing the bot into .venv (first run takes a minute)..."
    if ! .venv/bin/python -m pip install --disable-pip-version-check -q -c constraints.txt \
        -e "$target" > .venv/install.log 2>&1; then
        cat .venv/install.log >&2
        echo "error: installation failed (log above)" >&2
        exit 1
    fi
    # Matplotlib builds its font cache on first use (seconds); build it now, not at first start.
    .venv/bin/python -c "import matplotlib.font_manager" >> .venv/install.log 2>&1 || true
    rm -f .venv/.installed-*
    touch "$stamp"
fi
