#!/usr/bin/env bash
# Install the project with its test tools into .venv, run the static checks (ruff lint and
# format, the import contract, mypy), then the test suite on SQLite and on a throw-away
# PostgreSQL server (Debian's packages; see scripts/postgres.sh). A failing check does not
# stop the tests; the exit status is non-zero if anything failed.
#
# The SQLite pass runs every test. The PostgreSQL pass runs the tests marked `database` (every
# test that uses a test database; tests/conftest.py marks them), since the others cannot
# depend on the backend. The passes run at the same time, each as two halves (its e2e tests,
# and the rest): most of the e2e time goes to waiting on bot processes and real-time limits,
# not to computing. Each job's output is shown when it ends.
#
# TEST_BACKENDS="sqlite" (or "postgresql") runs one pass only; TEST_PARALLEL=0 runs the passes
# one after the other, whole, with their output as it comes. Arguments go to pytest in every
# job.
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

# A job: a backend and the pytest options that pick its share of the tests.
title() {
    local what=" every test"
    [[ $1 == postgresql ]] && what=" the tests marked database"
    case $2 in
    --e2e=only) what+=", the end-to-end half" ;;
    --e2e=skip) what+=", all but the end-to-end half" ;;
    esac
    case $1 in
    sqlite) echo "SQLite,$what" ;;
    postgresql) echo "PostgreSQL ($pg_url),$what" ;;
    esac
}

run_job() {
    local backend=$1 part=$2
    shift 2
    local options=()
    [[ $backend == postgresql ]] && options+=(--database-tests-only)
    [[ -n $part ]] && options+=("$part")
    local url=""
    [[ $backend == postgresql ]] && url=$pg_url
    local job_status=0
    TEST_DATABASE_URL="$url" .venv/bin/python -m pytest "${options[@]}" "$@" || job_status=$?
    # A half that the arguments leave empty (say, a path under tests/db) has nothing to run.
    if [[ -n $part && $job_status == 5 ]]; then
        echo "(nothing of this half was selected)"
        job_status=0
    fi
    return $job_status
}

if [[ ${TEST_PARALLEL:-1} == 0 ]]; then
    for backend in "${backends[@]}"; do
        echo "== test pass: $(title "$backend" "")"
        run_job "$backend" "" "$@" || status=$?
    done
    exit $status
fi

# Each pass as two halves: its e2e tests (mostly waiting on bot processes and real-time
# limits) and the rest (mostly computing), so that the four jobs keep two cores busy.
todo=()
for backend in "${backends[@]}"; do
    todo+=("$backend:--e2e=skip" "$backend:--e2e=only")
done
echo "== ${#todo[@]} test jobs at the same time (each one's output follows when it ends):"
set -m  # each job in a process group of its own, so that cleanup can end it whole
for i in "${!todo[@]}"; do
    echo "   $(title "${todo[$i]%%:*}" "${todo[$i]#*:}")"
    run_job "${todo[$i]%%:*}" "${todo[$i]#*:}" "$@" >"$work/job$i.log" 2>&1 &
    pids+=("$!")
done
set +m
for i in "${!todo[@]}"; do
    job_status=0
    wait "${pids[$i]}" || job_status=$?
    unset "pids[$i]"
    echo "== test pass: $(title "${todo[$i]%%:*}" "${todo[$i]#*:}")"
    cat "$work/job$i.log"
    ((job_status == 0)) || status=$job_status
done
exit $status
