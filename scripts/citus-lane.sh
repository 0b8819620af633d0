#!/usr/bin/env bash
# The Citus lane: a coordinator and two workers on loopback, for
# test/integration/citus.test.ts, from a Citus already installed into a
# PostgreSQL (its citus.so in `pg_config --pkglibdir`). Building Citus is not
# part of this project; see the README's "Scaling out with Citus".
#
#   eval "$(scripts/citus-lane.sh up)"   starts the three servers and prints
#       CITUS_URL (the coordinator's lane database, the workers added) and
#       RLSGEN_CITUS_LANE_DIR. Progress goes to stderr.
#   scripts/citus-lane.sh down [DIR]     stops the lane's servers (by their
#       data folders) and removes its temp folder.
#   scripts/citus-lane.sh test [RUNS]    up, the Citus suite RUNS times in a
#       row (default 1; it stops at the first failure), down.
#
# PG_CONFIG names the PostgreSQL (default: Debian's 15). As root, the servers
# run as the `postgres` OS user. Every server listens on 127.0.0.1 only, on a
# free port, with trust authentication for loopback connections.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
MARKER=rlsgen-citus-lane
DB=rlsgen_lane

log() { printf 'citus lane: [%3d s] %s\n' "$SECONDS" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Runs a command as the servers' OS user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

psql_at() {
  local port="$1"; shift
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"
}

up() {
  [ -x "$PG_CONFIG" ] || die "no pg_config at $PG_CONFIG (set PG_CONFIG)"
  BIN="$("$PG_CONFIG" --bindir)"
  local lib
  lib="$("$PG_CONFIG" --pkglibdir)"
  [ -f "$lib/citus.so" ] || die "Citus is not installed into $("$PG_CONFIG" --version) ($lib/citus.so is missing)"
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/rlsgen-citus-lane.XXXXXX")"
  touch "$dir/$MARKER"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  local ports=()
  for node in coordinator worker1 worker2; do
    local port
    port="$(free_port)"
    ports+=("$port")
    as_pg "$BIN/initdb" -D "$dir/$node" -U postgres --auth=trust --no-sync >/dev/null
    cat >>"$dir/$node/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
shared_preload_libraries = 'citus'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    as_pg "$BIN/pg_ctl" -D "$dir/$node" -l "$dir/$node.log" -w -t 60 start >/dev/null
    log "$node on 127.0.0.1:$port"
    psql_at "$port" -d postgres -c "CREATE DATABASE $DB"
    psql_at "$port" -d "$DB" -c 'CREATE EXTENSION citus'
  done
  psql_at "${ports[0]}" -d "$DB" -c "SELECT citus_set_coordinator_host('127.0.0.1', ${ports[0]})" \
    -c "SELECT citus_add_node('127.0.0.1', ${ports[1]})" -c "SELECT citus_add_node('127.0.0.1', ${ports[2]})" >/dev/null
  log "$(psql_at "${ports[0]}" -d "$DB" -At -c "SELECT citus_version()"), two workers added"
  printf 'export CITUS_URL=%q\n' "postgres://postgres@127.0.0.1:${ports[0]}/$DB"
  printf 'export RLSGEN_CITUS_LANE_DIR=%q\n' "$dir"
}

down() {
  local dir="${1:-${RLSGEN_CITUS_LANE_DIR:-}}"
  [ -n "$dir" ] || die 'no lane folder (give DIR or set RLSGEN_CITUS_LANE_DIR)'
  [ -f "$dir/$MARKER" ] || die "$dir is not a Citus lane folder"
  BIN="$("$PG_CONFIG" --bindir)"
  for node in coordinator worker1 worker2; do
    [ -f "$dir/$node/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$dir/$node" -m fast -w stop >/dev/null || true
  done
  rm -rf "$dir"
  log "stopped, $dir removed"
}

run_tests() {
  local runs="${1:-1}" passed=0 status=0
  eval "$(up)"
  trap 'down "$RLSGEN_CITUS_LANE_DIR"' EXIT
  cd "$ROOT"
  for ((i = 1; i <= runs; i++)); do
    if npx vitest run test/integration/citus.test.ts >"$RLSGEN_CITUS_LANE_DIR/run-$i.log" 2>&1 && ! grep -q 'skipped' "$RLSGEN_CITUS_LANE_DIR/run-$i.log"; then
      passed=$((passed + 1))
      log "run $i/$runs passed"
    else
      cat "$RLSGEN_CITUS_LANE_DIR/run-$i.log" >&2
      log "run $i/$runs failed"
      status=1
      break
    fi
  done
  log "$passed of $runs runs passed in a row"
  return "$status"
}

case "${1:-}" in
  up) up ;;
  down) down "${2:-}" ;;
  test) run_tests "${2:-1}" ;;
  *) echo "usage: $0 up | down [DIR] | test [RUNS]" >&2; exit 2 ;;
esac
