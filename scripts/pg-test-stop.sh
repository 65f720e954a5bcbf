#!/usr/bin/env bash
# Stops the server started by pg-test-server.sh.
[ -n "${PG_TEST_DIR:-}" ] || exit 0
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
run "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast stop >/dev/null 2>&1 || true
rm -rf "$PG_TEST_DIR"
