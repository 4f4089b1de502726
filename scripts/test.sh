#!/usr/bin/env bash
# Install the project with its test tools into .venv, run the static checks (ruff lint and
# format, the import contract, mypy), then the whole test suite twice: on SQLite, then on a
# throw-away PostgreSQL server (Debian's packages; see scripts/postgres.sh). A failing check
# does not stop the tests; the exit status is non-zero if anything failed.
# TEST_BACKENDS="sqlite" (or "postgresql") runs one pass only; arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_EXTRAS=test source scripts/setup.sh

status=0
check() {
    echo "== $*"
    "$@" || status=1
}
check .venv/bin/ruff check .
check .venv/bin/ruff format --check .
check .venv/bin/lint-imports --no-logo
check .venv/bin/mypy

backends=${TEST_BACKENDS:-sqlite postgresql}
for backend in $backends; do
    case $backend in
    sqlite)
        echo "== test pass: SQLite"
        TEST_DATABASE_URL="" .venv/bin/python -m pytest "$@" || status=$?
        ;;
    postgresql)
        if ! bash scripts/postgres.sh install; then
            echo "== PostgreSQL is not available: its test pass cannot run" >&2
            exit 1
        fi
        pgdir=$(mktemp -d)
        chmod 755 "$pgdir"
        trap 'bash scripts/postgres.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
        url=$(bash scripts/postgres.sh start "$pgdir")
        echo "== test pass: PostgreSQL ($url)"
        TEST_DATABASE_URL="$url" .venv/bin/python -m pytest "$@" || status=$?
        ;;
    *)
        echo "unknown backend in TEST_BACKENDS: $backend" >&2
        exit 2
        ;;
    esac
done
exit $status
