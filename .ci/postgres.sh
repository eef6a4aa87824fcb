#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and benches (Debian `postgresql` package).
#   .ci/postgres.sh start   → initdb (as the postgres user: initdb refuses root) under a temp dir,
#                             start on a free local port, print the URL (also written to $DIR/url)
#   .ci/postgres.sh stop    → stop the cluster and delete its directory
#   .ci/postgres.sh restart → stop and start the same cluster (fault tests)
#   .ci/postgres.sh url     → print the URL of the running cluster
# The cluster lives in ${ACM_PG_DIR:-/tmp/acm-pg}; it listens on 127.0.0.1 only, trust auth, so it
# is for tests on this machine, never for data. Usage in a shell:
#   export ACM_TEST_PG_URL=$(.ci/postgres.sh start) && deno task test && .ci/postgres.sh stop
set -euo pipefail
DIR=${ACM_PG_DIR:-/tmp/acm-pg}
PORT=${ACM_PG_PORT:-$(cat "$DIR/port" 2>/dev/null || echo 55432)}
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$BIN/initdb" ] || { echo "postgres.sh: no PostgreSQL found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

url() { echo "postgres://postgres@127.0.0.1:$PORT/acm_test"; }

start() {
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$DIR/initdb.log" 2>&1 ||
      { cat "$DIR/initdb.log" >&2; exit 1; }
  fi
  if ! as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    # The first free port from $PORT on (another cluster may hold it).
    while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
    echo "$PORT" >"$DIR/port"
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 start \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200" >/dev/null ||
      { cat "$DIR/server.log" >&2; exit 1; }
  fi
  as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='acm_test'" | grep -q 1 ||
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres acm_test
  url | tee "$DIR/url"
}

stop() {
  if [ -f "$DIR/data/PG_VERSION" ]; then
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w restart -l "$DIR/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200" >/dev/null ;;
  url) url ;;
  *) echo "usage: $0 start|stop|restart|url" >&2; exit 2 ;;
esac
