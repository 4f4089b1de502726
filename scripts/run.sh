#!/usr/bin/env bash
# Set up everything on a fresh machine (virtualenv, install, migrations, sample store when empty)
# and start the bot with long polling. Settings come from the environment or .env.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
.venv/bin/python -m bot seed-demo --if-empty
exec .venv/bin/python -m bot run
