#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests and benchmarks: Debian's packages, a temporary
# data directory, a free local port, run as a non-root user (PostgreSQL refuses root).
#
#   bash scripts/postgres.sh install        install Debian's postgresql when it is missing (root)
#   bash scripts/postgres.sh start DIR      start a server in DIR; prints its URL on stdout
#   bash scripts/postgres.sh stop DIR       stop it
set -euo pipefail

bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "$dir/initdb" ]] && { echo "$dir"; return 0; }
    done
    return 1
}

as_owner() {
    # Run a server command as the data directory's non-root owner.
    if [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")  # from /, which the postgres user may enter
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'EOF'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
EOF
}

case "${1:-}" in
install)
    if bindir >/dev/null; then
        exit 0
    fi
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
        echo "PostgreSQL is not installed; install Debian's 'postgresql' package" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    ;;
start)
    dir=${2:?usage: postgres.sh start DIR}
    bin=$(bindir) || { echo "PostgreSQL is not installed" >&2; exit 1; }
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
        chown postgres "$dir"
    fi
    port=$(free_port)
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    # Test settings: durability is not needed for a throw-away server, speed is.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
        "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB" \
        >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    dir=${2:?usage: postgres.sh stop DIR}
    bin=$(bindir)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: postgres.sh install | start DIR | stop DIR" >&2
    exit 2
    ;;
esac
