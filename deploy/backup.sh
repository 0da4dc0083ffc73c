#!/bin/sh
# backup.sh DIR: dump DATABASE_URL into DIR/community-YYYYmmdd-HHMMSS.dump (custom
# format) and keep the newest 30 dumps. Restore with deploy/restore.sh (see README).
set -eu
dir="$1"
url="${DATABASE_URL:?DATABASE_URL is not set}"
url=$(printf '%s' "$url" | sed 's#^postgresql+psycopg://#postgresql://#; s#^postgres://#postgresql://#')
mkdir -p "$dir"
stamp=$(date -u +%Y%m%d-%H%M%S)
pg_dump --format=custom --no-owner --no-privileges --file="$dir/community-$stamp.dump.part" "$url"
mv "$dir/community-$stamp.dump.part" "$dir/community-$stamp.dump"
ls -1t "$dir"/community-*.dump | tail -n +31 | xargs -r rm --
echo "$dir/community-$stamp.dump"
