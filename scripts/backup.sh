#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the
# media folder (a tar), each encrypted, side by side in OUTDIR with their
# checksums; then delete old sets and copy the new one off the machine.
#
#   DATABASE_URL=postgres://portal@127.0.0.1:5432/portal MEDIA_ROOT=/var/lib/portal/media \
#     scripts/backup.sh /var/backups/portal
#
# In production portal-backup.service runs it nightly (deploy/systemd/), with
# the settings of /etc/portal/portal.env:
#   BACKUP_KEY_FILE   the key, default /etc/portal/backup.key (required: without
#                     it nothing is written). Make one with
#                     `openssl rand -base64 48 > /etc/portal/backup.key; chmod 600 /etc/portal/backup.key`
#                     and keep a copy off the server: without it no backup can be read.
#   BACKUP_KEEP_DAYS  sets older than this many days are deleted (default 30)
#   BACKUP_COPY_TO    an rsync destination (backup@host:/path/) the new set is
#                     copied to; a failed copy fails the backup (exit 1)
#
# Writes OUTDIR/portal-STAMP.dump.gpg, OUTDIR/media-STAMP.tar.gz.gpg and
# OUTDIR/backup-STAMP.sha256 (the checksums of the two encrypted files).
# Encryption: gpg, symmetric AES-256 with the key file as passphrase; gpg's
# integrity check (MDC) makes restore.sh refuse a file changed afterwards. The
# plaintext dump is never written to disk: pg_dump's output goes straight into
# gpg. Safe while the site runs: pg_dump reads one consistent snapshot; media
# files are only ever added under new random names (a photo deleted during the
# tar may be missing from it, never half-written).
# Restore with scripts/restore.sh.
set -euo pipefail

usage() { echo "usage: DATABASE_URL=postgres://… [MEDIA_ROOT=…] [BACKUP_KEY_FILE=…] $0 OUTDIR" >&2; exit 2; }
fail() { echo "backup.sh: $*" >&2; exit 1; }
[[ $# -eq 1 ]] || usage
out=$1
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database (postgres://…)}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh backs up PostgreSQL only; DATABASE_URL is not a postgres:// URL" >&2; exit 2 ;;
esac

key=${BACKUP_KEY_FILE:-/etc/portal/backup.key}
if [[ ! -f "$key" || ! -r "$key" || ! -s "$key" ]]; then
  cat >&2 <<EOF
backup.sh: no backup key at $key (BACKUP_KEY_FILE): nothing was backed up.
Backups are encrypted with a key file the bureau keeps. Make one (once), then keep
a copy OFF this server (without it no backup can ever be read):
    openssl rand -base64 48 > $key; chmod 600 $key
(owned by the user the backup runs as: chown portal:portal $key)
EOF
  exit 1
fi
keep=${BACKUP_KEEP_DAYS:-30}
[[ "$keep" =~ ^[0-9]+$ && "$keep" -ge 1 ]] || fail "BACKUP_KEEP_DAYS must be a whole number of days (1 or more), not '$keep'"
command -v gpg >/dev/null || fail "gpg is not installed (apt install gnupg)"
command -v pg_dump >/dev/null || fail "pg_dump is not installed (apt install postgresql-client)"

here=$(cd "$(dirname "$0")/.." && pwd)
media=${MEDIA_ROOT:-$here/media}
stamp=${BACKUP_STAMP:-$(date +%Y%m%d-%H%M%S)}

umask 077
mkdir -p "$out"
dump="$out/portal-$stamp.dump.gpg"
tarball="$out/media-$stamp.tar.gz.gpg"
sums="$out/backup-$stamp.sha256"

# gpg's own folder: empty and temporary (no keyring is used, only the key file).
GNUPGHOME=$(mktemp -d)
export GNUPGHOME
cleanup() {
  gpgconf --kill gpg-agent >/dev/null 2>&1 || true
  rm -rf "$GNUPGHOME"
  rm -f "$dump.part" "$tarball.part"
}
trap cleanup EXIT

encrypt() {  # stdin → $1, AES-256; the inputs are compressed already
  gpg --batch --quiet --no-tty --yes --pinentry-mode loopback --no-symkey-cache \
    --symmetric --cipher-algo AES256 --compress-algo none \
    --passphrase-file "$key" --output "$1"
}

pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" | encrypt "$dump.part"
mv "$dump.part" "$dump"

if [[ -d "$media" ]]; then
  tar -C "$media" -czf - . | encrypt "$tarball.part"
else
  # No media yet: an empty archive keeps the pair complete.
  tar -czf - -T /dev/null | encrypt "$tarball.part"
fi
mv "$tarball.part" "$tarball"

(cd "$out" && sha256sum "$(basename "$dump")" "$(basename "$tarball")" > "$(basename "$sums")")
echo "$dump"
echo "$tarball"

# Retention: sets (the three files) older than BACKUP_KEEP_DAYS, by their time
# of writing; the set just written is never among them.
find "$out" -maxdepth 1 -type f \
  \( -name 'portal-*.dump.gpg' -o -name 'media-*.tar.gz.gpg' -o -name 'backup-*.sha256' \) \
  -mmin +$((keep * 24 * 60)) -print -delete | sed 's/^/deleted (older than '"$keep"' days): /'

# Off the machine.
if [[ -n "${BACKUP_COPY_TO:-}" ]]; then
  if ! rsync --archive --timeout=600 "$dump" "$tarball" "$sums" "$BACKUP_COPY_TO"; then
    fail "the copy to $BACKUP_COPY_TO FAILED: this set is only on this machine ($out)"
  fi
  echo "copied to $BACKUP_COPY_TO"
fi
