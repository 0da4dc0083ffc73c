#!/usr/bin/env bash
# Runs the whole suite on SQLite, then again on PostgreSQL.
# Locally a missing PostgreSQL only skips the second run; with CI=true it is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_TEST_URL="${TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/community_test}"
bin=.venv/bin

echo "== Test suite on SQLite"
env -u TEST_DATABASE_URL "$bin/pytest" "$@"

if "$bin/python" -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then
  echo "== Test suite on PostgreSQL"
  TEST_DATABASE_URL="$PG_TEST_URL" "$bin/pytest" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is required in CI but nothing answers on 127.0.0.1:5432" >&2
  exit 1
else
  echo "PostgreSQL is not running on 127.0.0.1:5432: the PostgreSQL run was skipped"
fi
