#!/usr/bin/env bash
# Set up everything on a fresh machine (virtualenv, install, migrations, sample store when empty)
# and start the bot with long polling. Settings come from the environment or .env.
set -euo pipefail
cd "$(dirname "$0")/.."

# The token first: without it nothing below is any use, and installing takes a minute.
# As in the bot's settings, the environment wins over .env.
if [ -n "${TELEGRAM_BOT_TOKEN+set}" ]; then
    token=$TELEGRAM_BOT_TOKEN
elif [ -f .env ]; then
    token=$(sed -n -E 's/^[[:space:]]*(export[[:space:]]+)?TELEGRAM_BOT_TOKEN[[:space:]]*=//p' .env |
        tail -n 1 | sed -E 's/^[[:space:]]*//; s/^#.*//; s/[[:space:]]+#.*//; s/["'\'']//g; s/[[:space:]]//g')
else
    token=""
fi
if [ -z "$token" ]; then
    echo "error: TELEGRAM_BOT_TOKEN is not set: get a bot token from @BotFather in Telegram and put" \
        "TELEGRAM_BOT_TOKEN=<token> in .env (see .env.example)" >&2
    [ -f .env ] || echo "hint: cp .env.example .env, then fill in TELEGRAM_BOT_TOKEN" >&2
    exit 1
fi

source scripts/setup.sh
.venv/bin/python -m bot seed-demo --if-empty
exec .venv/bin/python -m bot run
