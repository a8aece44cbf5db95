#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL, set up like .ci/run does, removed on exit.
#
#   bash bench/with_postgres.sh make bench
#   bash bench/with_postgres.sh .venv/bin/python bench/indices_compute.py --rows 200000
#
# Needs root (the server runs as the postgres user) and Debian's PostgreSQL server binaries
# (PG_BIN, default /usr/lib/postgresql/15/bin). The command gets DATABASE_URL.
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${PG_PORT:-55432}"
[[ $# -gt 0 ]] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
[[ -x "$PG_BIN/postgres" ]] || { echo "PostgreSQL server binaries not found in $PG_BIN" >&2; exit 1; }

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
while port_in_use "$PG_PORT"; do
    PG_PORT=$((PG_PORT + 1))
done
PG_DIR=$(mktemp -d /tmp/integritas-bench-pg.XXXXXX)
as_postgres() {
    (cd "$PG_DIR" && runuser -u postgres -- "$@")
}
cleanup() {
    if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 \
            || as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 \
            || true
    fi
    rm -rf "$PG_DIR"
}
trap cleanup EXIT
chown postgres: "$PG_DIR"
as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" --auth=trust --username=postgres \
    --encoding=UTF8 --locale=C.UTF-8 --no-instructions >/dev/null
# The same disposable server as CI: loopback only, no Unix socket, no durability work.
cat >>"$PG_DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 start >/dev/null
"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -c "CREATE ROLE integritas LOGIN CREATEDB" \
    -c "CREATE DATABASE integritas OWNER integritas"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
DATABASE_URL="postgres://integritas@127.0.0.1:$PG_PORT/integritas" "$@"
