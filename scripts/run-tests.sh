#!/usr/bin/env bash
# Runs the whole suite on SQLite, then again on PostgreSQL, each in parallel
# (pytest-xdist, one database per worker: TEST_WORKERS, default one per core).
# Locally a missing PostgreSQL only skips the second run; with CI=true it is a failure.
# Tests that bring their own database whatever the run's (marker `postgres`: outage,
# backup, PostgreSQL migrations; `own_sqlite`: SQLite migrations, the single head) run
# once, in the run of their database, not twice; tests that touch no database at all
# (`no_database`, set in tests/conftest.py: the maths, parsers, catalogues) once, in
# the SQLite run.
set -euo pipefail
cd "$(dirname "$0")/.."

# One test database per checkout, so two clones (or CI beside a developer) never collide;
# each xdist worker adds its id (…_gw0, …_gw1).
checkout_id=$(pwd | md5sum | cut -c1-8)
PG_TEST_URL="${TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/community_test_${checkout_id}}"
export TEST_MIGRATIONS_DATABASE_URL="${TEST_MIGRATIONS_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/community_migrations_${checkout_id}}"
bin=.venv/bin
workers="${TEST_WORKERS:-auto}"
parallel=(-n "$workers" --dist loadfile)
[ "$workers" = "0" ] && parallel=()

start=$SECONDS
echo "== Test suite on SQLite"
env -u TEST_DATABASE_URL "$bin/pytest" "${parallel[@]}" -m "not postgres" "$@"
echo "== SQLite run: $((SECONDS - start)) s"

if "$bin/python" -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then
  start=$SECONDS
  echo "== Test suite on PostgreSQL"
  TEST_DATABASE_URL="$PG_TEST_URL" "$bin/pytest" "${parallel[@]}" -m "not own_sqlite and not no_database" "$@"
  echo "== PostgreSQL run: $((SECONDS - start)) s"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is required in CI but nothing answers on 127.0.0.1:5432" >&2
  exit 1
else
  echo "PostgreSQL is not running on 127.0.0.1:5432: the PostgreSQL run was skipped"
fi
