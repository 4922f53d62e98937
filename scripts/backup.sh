#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the
# media folder (a tar), side by side in OUTDIR, with their checksums.
#
#   DATABASE_URL=postgres://user@host:5432/portal MEDIA_ROOT=/srv/portal/media \
#     scripts/backup.sh /backups/portal
#
# Writes OUTDIR/portal-STAMP.dump, OUTDIR/media-STAMP.tar.gz and
# OUTDIR/backup-STAMP.sha256. Safe while the site runs: pg_dump reads one
# consistent snapshot; media files are only ever added under new random names
# (a photo deleted during the tar may be missing from it, never half-written).
# Restore with scripts/restore.sh. Run it from cron, e.g. nightly, and copy
# OUTDIR off the machine: the dump holds beneficiary files in full, so the
# backup must be kept as carefully as the database itself (encrypted storage,
# restricted access).
set -euo pipefail

usage() { echo "usage: DATABASE_URL=postgres://… [MEDIA_ROOT=…] $0 OUTDIR" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
out=$1
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database (postgres://…)}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh backs up PostgreSQL only; DATABASE_URL is not a postgres:// URL" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")/.." && pwd)
media=${MEDIA_ROOT:-$here/media}
stamp=${BACKUP_STAMP:-$(date +%Y%m%d-%H%M%S)}

mkdir -p "$out"
umask 077
dump="$out/portal-$stamp.dump"
tarball="$out/media-$stamp.tar.gz"

pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dump.part"
mv "$dump.part" "$dump"

if [[ -d "$media" ]]; then
  tar -C "$media" -czf "$tarball.part" .
else
  # No media yet: an empty archive keeps the pair complete.
  tar -czf "$tarball.part" -T /dev/null
fi
mv "$tarball.part" "$tarball"

(cd "$out" && sha256sum "$(basename "$dump")" "$(basename "$tarball")" > "backup-$stamp.sha256")
echo "$dump"
echo "$tarball"
