#!/bin/sh
# restore.sh DUMP TARGET_URL: restore a pg_dump custom-format file into an EMPTY
# database (create it first: createdb). Stop the web and worker units before
# restoring over a live database. Exits non-zero on any error.
set -eu
dump="$1"
url=$(printf '%s' "$2" | sed 's#^postgresql+psycopg://#postgresql://#; s#^postgres://#postgresql://#')
pg_restore --exit-on-error --no-owner --no-privileges --single-transaction --dbname="$url" "$dump"
echo "restored $dump"
