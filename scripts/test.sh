#!/usr/bin/env bash
# Install the project with its test tools into .venv, run the static checks (ruff lint and
# format, the import contract, mypy), then the test suite on SQLite and on a throw-away
# PostgreSQL server (Debian's packages; see scripts/postgres.sh). A failing check does not
# stop the tests; the exit status is non-zero if anything failed.
#
# The SQLite pass runs every test. The PostgreSQL pass runs the tests marked `database` (every
# test that uses a test database; tests/conftest.py marks them), since the others cannot
# depend on the backend. The two passes run at the same time (most of their time is spent
# waiting on bot processes, not computing); each one's output is shown when it ends.
#
# TEST_BACKENDS="sqlite" (or "postgresql") runs one pass only; TEST_PARALLEL=0 runs the passes
# one after the other, with their output as it comes. Arguments go to pytest in every pass.
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

read -r -a backends <<<"${TEST_BACKENDS:-sqlite postgresql}"
for backend in "${backends[@]}"; do
    case $backend in
    sqlite | postgresql) ;;
    *)
        echo "unknown backend in TEST_BACKENDS: $backend" >&2
        exit 2
        ;;
    esac
done

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do  # a pass still running (the script was interrupted): end it
        kill -TERM -- "-$pid" 2>/dev/null || true  # its own process group, bots included
    done
    if [[ -d $work/pg ]]; then
        bash scripts/postgres.sh stop "$work/pg"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

pg_url=""
if [[ " ${backends[*]} " == *" postgresql "* ]]; then
    if ! bash scripts/postgres.sh install; then
        echo "== PostgreSQL is not available: its test pass cannot run" >&2
        exit 1
    fi
    mkdir "$work/pg"
    pg_url=$(bash scripts/postgres.sh start "$work/pg")
fi

title() {
    case $1 in
    sqlite) echo "SQLite, every test" ;;
    postgresql) echo "PostgreSQL ($pg_url), the tests marked database" ;;
    esac
}

run_pass() {
    local backend=$1
    shift
    case $backend in
    sqlite) TEST_DATABASE_URL="" .venv/bin/python -m pytest "$@" ;;
    postgresql) TEST_DATABASE_URL="$pg_url" .venv/bin/python -m pytest --database-tests-only "$@" ;;
    esac
}

if [[ ${TEST_PARALLEL:-1} == 0 || ${#backends[@]} -lt 2 ]]; then
    for backend in "${backends[@]}"; do
        echo "== test pass: $(title "$backend")"
        run_pass "$backend" "$@" || status=$?
    done
    exit $status
fi

echo "== test passes at the same time: ${backends[*]} (each one's output follows when it ends)"
set -m  # each pass in a process group of its own, so that cleanup can end it whole
for backend in "${backends[@]}"; do
    run_pass "$backend" "$@" >"$work/$backend.log" 2>&1 &
    pids+=("$!")
done
set +m
for i in "${!backends[@]}"; do
    pass_status=0
    wait "${pids[$i]}" || pass_status=$?
    echo "== test pass: $(title "${backends[$i]}")"
    cat "$work/${backends[$i]}.log"
    unset "pids[$i]"
    ((pass_status == 0)) || status=$pass_status
done
exit $status
