#!/usr/bin/env bash
# Runs the suite on SQLite and, where a PostgreSQL server answers, again on PostgreSQL.
# Says which databases ran; fails if any run fails.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
# Two workers (pytest-xdist), one per core of the machines CI runs on; each has its own
# test database. WORKERS=0 runs in one process. Tests grouped with xdist_group (the replica's,
# which start servers of their own) run on one worker together.
WORKERS=${WORKERS:-2}
mkdir -p var test-artifacts
status=0
ran=()

if [ -x /usr/bin/chromium ]; then
  echo "Browser journeys: real Chromium at /usr/bin/chromium"
else
  echo "!!! /usr/bin/chromium is missing: BROWSER JOURNEYS WILL BE SKIPPED (apt-get install -y chromium) !!!"
fi

echo "=== SafeHub tests on SQLite ==="
env -u DATABASE_URL $BIN/pytest -q -p no:cacheprovider -n "$WORKERS" --dist loadgroup "$@"; rc=$?
[ $rc -ne 0 ] && status=$rc
ran+=("SQLite (rc=$rc)")

if $BIN/python -c "import psycopg,sys; psycopg.connect('$PG_URL', connect_timeout=3).close()" 2>/dev/null; then
  echo "=== SafeHub tests on PostgreSQL ($PG_URL) ==="
  DATABASE_URL=$PG_URL $BIN/pytest -q -p no:cacheprovider -n "$WORKERS" --dist loadgroup "$@"; rc=$?
  [ $rc -ne 0 ] && status=$rc
  ran+=("PostgreSQL (rc=$rc)")
else
  echo "!!! No PostgreSQL answered at $PG_URL: the PostgreSQL run was SKIPPED !!!"
  ran+=("PostgreSQL: skipped, no server")
fi

echo "=== Databases tested: ${ran[*]} ==="
exit $status
