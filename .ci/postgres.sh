#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for the tests tagged "postgres" and prints the
# variables they read (eval its output). Installs PostgreSQL from Debian packages when it is missing.
# Usage: eval "$(.ci/postgres.sh start)"   ...   .ci/postgres.sh stop
set -euo pipefail
PORT="${COLONY_TEST_POSTGRES_PORT:-55432}"
DATA="${COLONY_TEST_POSTGRES_DIR:-/tmp/colony-ci-postgres}"

pg_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if [ -z "$(pg_bin)" ]; then
      echo "postgres: installing PostgreSQL from Debian packages" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    fi
    BIN="$(pg_bin)"
    [ -n "$BIN" ] || { echo "postgres: no pg_ctl after installing" >&2; exit 1; }
    as_postgres "$BIN/pg_ctl" -D "$DATA" stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$DATA" && mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres "$DATA"
    as_postgres "$BIN/initdb" -D "$DATA" -A trust -U colony >/dev/null
    as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=on -c max_connections=100" start >&2
    as_postgres "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U colony colony
    echo "postgres: server $("$BIN/postgres" --version) on 127.0.0.1:$PORT, data in $DATA" >&2
    echo "export COLONY_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$PORT/colony"
    echo "export COLONY_TEST_POSTGRES_USER=colony"
    ;;
  stop)
    BIN="$(pg_bin)"
    [ -n "$BIN" ] && as_postgres "$BIN/pg_ctl" -D "$DATA" stop -m fast >&2 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
