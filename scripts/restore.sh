#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an empty
# (or new) media folder.
#
#   createdb -h 127.0.0.1 -U postgres -O portal portal_restored
#   DATABASE_URL=postgres://portal@127.0.0.1:5432/portal_restored \
#   MEDIA_ROOT=/var/lib/portal/media-restored BACKUP_KEY_FILE=/etc/portal/backup.key \
#     scripts/restore.sh /var/backups/portal/portal-STAMP.dump.gpg \
#                        /var/backups/portal/media-STAMP.tar.gz.gpg
#
# Checks the two files against backup-STAMP.sha256 (which must lie beside
# them), refuses a database that already has tables and a media folder that is
# not empty, checks that both decrypt with the key and are unchanged (gpg's
# integrity check) before writing anything, then restores the database in one
# transaction (pg_restore --single-transaction --exit-on-error: all or nothing)
# and unpacks the media. The decrypted dump is never written to disk. Then point
# the site's DATABASE_URL and MEDIA_ROOT at what was restored and run
# `manage.py migrate` (a no-op for a backup of the same version).
set -euo pipefail

usage() { echo "usage: DATABASE_URL=postgres://… [MEDIA_ROOT=…] [BACKUP_KEY_FILE=…] $0 DUMP.gpg MEDIA_TAR.gpg" >&2; exit 2; }
fail() { echo "restore.sh: $*" >&2; exit 1; }
[[ $# -eq 2 ]] || usage
dump=$1
tarball=$2
: "${DATABASE_URL:?DATABASE_URL must name the (empty) PostgreSQL database to restore into}"
here=$(cd "$(dirname "$0")/.." && pwd)
media=${MEDIA_ROOT:-$here/media}
key=${BACKUP_KEY_FILE:-/etc/portal/backup.key}

[[ -f "$dump" ]] || fail "no such dump: $dump"
[[ -f "$tarball" ]] || fail "no such media archive: $tarball"
[[ -f "$key" && -r "$key" && -s "$key" ]] || fail "no backup key at $key (BACKUP_KEY_FILE): the key the backup was made with is needed to read it"
command -v gpg >/dev/null || fail "gpg is not installed (apt install gnupg)"

stamp=$(basename "$dump" .dump.gpg)
stamp=${stamp#portal-}
dir=$(cd "$(dirname "$dump")" && pwd)
sums="backup-$stamp.sha256"
[[ -f "$dir/$sums" ]] || fail "no checksums $dir/$sums beside the dump: copy the whole set (three files)"
[[ "$(cd "$(dirname "$tarball")" && pwd)" == "$dir" ]] || fail "the dump and the media archive must lie in the same folder, beside $sums"
(cd "$dir" && sha256sum --check --quiet "$sums") || fail "checksums do not match: the backup is damaged or was changed; nothing was restored"

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

GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT

decrypt() {  # $1 → stdout; fails on a wrong key or a changed file (MDC)
  gpg --batch --quiet --no-tty --pinentry-mode loopback --no-symkey-cache \
    --passphrase-file "$key" --decrypt "$1"
}

# First a full read of each file, so a wrong key or a changed file stops here,
# before anything is written.
decrypt "$dump" > /dev/null || fail "$dump does not decrypt with $key (wrong key, or the file was changed); nothing was restored"
decrypt "$tarball" > /dev/null || fail "$tarball does not decrypt with $key (wrong key, or the file was changed); nothing was restored"

decrypt "$dump" | pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL"
mkdir -p "$media"
decrypt "$tarball" | tar -C "$media" -xzf -
echo "restored $dump and $tarball"
