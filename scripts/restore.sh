#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an empty
# (or new) media folder.
#
#   createdb -h host -U user portal_restored
#   DATABASE_URL=postgres://user@host:5432/portal_restored \
#   MEDIA_ROOT=/srv/portal/media-restored \
#     scripts/restore.sh /backups/portal/portal-STAMP.dump /backups/portal/media-STAMP.tar.gz
#
# Checks the checksums when backup-STAMP.sha256 lies beside the files, refuses a
# database that already has tables and a media folder that is not empty, and
# stops at the first error (pg_restore --exit-on-error). Then point the site's
# DATABASE_URL and MEDIA_ROOT at what was restored and run
# `manage.py migrate` (a no-op for a backup of the same version).
set -euo pipefail

usage() { echo "usage: DATABASE_URL=postgres://… [MEDIA_ROOT=…] $0 DUMP MEDIA_TAR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
dump=$1
tarball=$2
: "${DATABASE_URL:?DATABASE_URL must name the (empty) PostgreSQL database to restore into}"
here=$(cd "$(dirname "$0")/.." && pwd)
media=${MEDIA_ROOT:-$here/media}

[[ -f "$dump" ]] || { echo "no such dump: $dump" >&2; exit 1; }
[[ -f "$tarball" ]] || { echo "no such media archive: $tarball" >&2; exit 1; }

stamp=$(basename "$dump" .dump)
stamp=${stamp#portal-}
sums="$(dirname "$dump")/backup-$stamp.sha256"
if [[ -f "$sums" ]]; then
  (cd "$(dirname "$dump")" && sha256sum --check --quiet "backup-$stamp.sha256")
fi

tables=$(psql --dbname="$DATABASE_URL" -At -c \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [[ "$tables" != "0" ]]; then
  echo "the target database is not empty ($tables tables): restore into a new one" >&2
  exit 1
fi
if [[ -d "$media" ]] && [[ -n "$(ls -A "$media")" ]]; then
  echo "the media folder $media is not empty: restore into a new one" >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$dump"
mkdir -p "$media"
tar -C "$media" -xzf "$tarball"
echo "restored $dump and $tarball"
