"""Backup and restore: scripts/backup.sh dumps the PostgreSQL database and
tars the media folder, both encrypted with the bureau's key file (gpg, AES-256),
deletes sets older than BACKUP_KEEP_DAYS and copies the new set to
BACKUP_COPY_TO; scripts/restore.sh checks and decrypts them into a fresh
database and folder, where the same issues, articles and photo files are found.
The round trip needs PostgreSQL (pg_dump/pg_restore); the refusal without a key
runs on every database."""

import hashlib
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from newsletter import services
from newsletter.models import Article, Issue

BASE = Path(__file__).resolve().parents[2]
BACKUP = str(BASE / "scripts/backup.sh")
RESTORE = str(BASE / "scripts/restore.sh")
PATH = "/usr/bin:/bin:/usr/local/bin"

_POSTGRES_MARKS = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump/pg_restore back up PostgreSQL; the embedded SQLite mode "
        "is backed up by copying its file",
    ),
    pytest.mark.skipif(
        shutil.which("pg_dump") is None or shutil.which("gpg") is None,
        reason="pg_dump or gpg is not installed",
    ),
    # Committed, so pg_dump (another connection) sees the data; the rows the
    # migrations wrote (activity kinds…) are put back afterwards for later tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def needs_postgres(func):
    for mark in reversed(_POSTGRES_MARKS):
        func = mark(func)
    return func


@pytest.fixture
def key(tmp_path) -> Path:
    """A key file as the README makes it (openssl rand -base64 48)."""
    path = tmp_path / "backup.key"
    path.write_text(os.urandom(36).hex() + "\n")
    path.chmod(0o600)
    return path


def _run(script, *args, env, timeout=300):
    return subprocess.run(
        ["bash", script, *map(str, args)],
        env={"PATH": PATH, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _url(name: str) -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _psql(url: str, sql: str) -> list[str]:
    result = subprocess.run(
        ["psql", "--dbname", url, "-At", "-c", sql],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.splitlines()


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


ISSUES_SQL = (
    "SELECT year, number, running_number, status, "
    "(SELECT count(*) FROM newsletter_article a WHERE a.issue_id = i.id) "
    "FROM newsletter_issue i ORDER BY year, number, id"
)


def _backup(out, key, *, source, media, stamp, **extra):
    return _run(
        BACKUP,
        out,
        env={
            "DATABASE_URL": _url(source),
            "MEDIA_ROOT": str(media),
            "BACKUP_KEY_FILE": str(key),
            "BACKUP_STAMP": stamp,
            **extra,
        },
    )


def _restore(dump, tarball, key, *, target, media):
    return _run(
        RESTORE,
        dump,
        tarball,
        env={
            "DATABASE_URL": _url(target),
            "MEDIA_ROOT": str(media),
            "BACKUP_KEY_FILE": str(key),
        },
        timeout=120,
    )


@pytest.fixture
def target_db():
    """A new, empty database to restore into, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    _psql(_url("postgres"), f'CREATE DATABASE "{name}"')
    yield name
    _psql(_url("postgres"), f'DROP DATABASE IF EXISTS "{name}"')


def _public_tables(name: str) -> list[str]:
    return _psql(_url(name), "SELECT count(*) FROM pg_tables WHERE schemaname='public'")


def test_backup_refuses_to_run_without_its_key(tmp_path):
    # Runs on every database: the key is checked before anything is read.
    out = tmp_path / "backups"
    result = _run(
        BACKUP,
        out,
        env={
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "BACKUP_KEY_FILE": str(tmp_path / "missing.key"),
        },
    )
    assert result.returncode == 1
    assert "no backup key" in result.stderr
    # The message gives the command that makes one.
    assert "openssl rand -base64 48 >" in result.stderr
    assert "chmod 600" in result.stderr
    assert not out.exists() or not any(out.iterdir())


@needs_postgres
def test_encrypted_backup_restores_into_a_fresh_database(
    three_levels, assemble, personas, settings, tmp_path, key, target_db
):
    services.issue_publish(issue=assemble(), by=personas.editor)
    assert Issue.objects.filter(status=Issue.Status.PUBLISHED).count() == 1
    assert Article.objects.filter(photos__isnull=False).exists()
    media = Path(settings.MEDIA_ROOT)
    assert any(media.rglob("*.jpg"))  # the report photos' renditions

    source = connection.settings_dict["NAME"]
    out = tmp_path / "backups"
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    backup = _backup(
        out,
        key,
        source=source,
        media=media,
        stamp="test",
        BACKUP_COPY_TO=f"{offsite}/",
    )
    assert backup.returncode == 0, backup.stderr
    dump, tarball = out / "portal-test.dump.gpg", out / "media-test.tar.gz.gpg"
    names = {"portal-test.dump.gpg", "media-test.tar.gz.gpg", "backup-test.sha256"}
    assert {p.name for p in out.iterdir()} == names
    # Encrypted: gpg's symmetric packets, not pg_dump's "PGDMP" or a gzip header,
    # and no plaintext dump left anywhere in the folder.
    for path in (dump, tarball):
        data = path.read_bytes()
        assert data[:1] in {b"\x8c", b"\xc3"}, path  # OpenPGP SKESK packet
        assert b"PGDMP" not in data and not data.startswith(b"\x1f\x8b")
    assert (out / "backup-test.sha256").read_text().count(".gpg") == 2
    # And copied off the machine, the same bytes.
    assert {p.name for p in offsite.iterdir()} == names
    assert _files(offsite) == _files(out)

    restored_media = tmp_path / "restored-media"
    restore = _restore(dump, tarball, key, target=target_db, media=restored_media)
    assert restore.returncode == 0, restore.stderr

    # The same issues, with the same numbers and articles.
    assert _psql(_url(target_db), ISSUES_SQL) == _psql(_url(source), ISSUES_SQL)
    assert _psql(_url(target_db), "SELECT count(*) FROM newsletter_issue") == ["1"]
    titles = "SELECT title FROM newsletter_article ORDER BY id"
    assert _psql(_url(target_db), titles) == _psql(_url(source), titles)
    # Every media file, byte for byte.
    assert _files(restored_media) == _files(media)

    # Restoring again into the now-filled database is refused.
    again = _restore(dump, tarball, key, target=target_db, media=tmp_path / "x")
    assert again.returncode != 0
    assert "not empty" in again.stderr

    # A backup whose off-machine copy fails, fails (the set stays here).
    failed = _backup(
        out,
        key,
        source=source,
        media=media,
        stamp="nocopy",
        BACKUP_COPY_TO=str(tmp_path / "no" / "such" / "folder" / ""),
    )
    assert failed.returncode != 0
    assert "FAILED" in failed.stderr
    assert (out / "portal-nocopy.dump.gpg").exists()


@needs_postgres
def test_a_changed_or_wrongly_keyed_backup_is_refused(
    settings, tmp_path, key, target_db
):
    out = tmp_path / "backups"
    source = connection.settings_dict["NAME"]
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "a.txt").write_text("photo")
    backup = _backup(out, key, source=source, media=media, stamp="bad")
    assert backup.returncode == 0, backup.stderr
    dump, tarball = out / "portal-bad.dump.gpg", out / "media-bad.tar.gz.gpg"
    original = dump.read_bytes()

    # One byte changed, checksums left as they were: refused by the checksum.
    changed = bytearray(original)
    changed[len(changed) // 2] ^= 0x01
    dump.write_bytes(bytes(changed))
    result = _restore(dump, tarball, key, target=target_db, media=tmp_path / "m1")
    assert result.returncode != 0
    assert "checksums do not match" in result.stderr
    assert _public_tables(target_db) == ["0"]

    # Changed and its checksum recomputed (someone covering their tracks): gpg's
    # integrity check refuses it before anything is written.
    sums = out / "backup-bad.sha256"
    digest = hashlib.sha256(bytes(changed)).hexdigest()
    sums.write_text(
        f"{digest}  {dump.name}\n"
        f"{hashlib.sha256(tarball.read_bytes()).hexdigest()}  {tarball.name}\n"
    )
    result = _restore(dump, tarball, key, target=target_db, media=tmp_path / "m2")
    assert result.returncode != 0
    assert "does not decrypt" in result.stderr
    assert _public_tables(target_db) == ["0"]
    assert not (tmp_path / "m2").exists()

    # The untouched file with another key: refused too.
    dump.write_bytes(original)
    (out / "backup-bad.sha256").write_text(
        f"{hashlib.sha256(original).hexdigest()}  {dump.name}\n"
        f"{hashlib.sha256(tarball.read_bytes()).hexdigest()}  {tarball.name}\n"
    )
    other = tmp_path / "other.key"
    other.write_text("not the key\n")
    result = _restore(dump, tarball, other, target=target_db, media=tmp_path / "m3")
    assert result.returncode != 0
    assert _public_tables(target_db) == ["0"]


@needs_postgres
def test_retention_deletes_only_sets_older_than_keep_days(settings, tmp_path, key):
    out = tmp_path / "backups"
    out.mkdir()
    day = 24 * 3600
    now = time.time()
    aged = {"old": 40, "recent": 5}
    for stamp, days in aged.items():
        for name in (
            f"portal-{stamp}.dump.gpg",
            f"media-{stamp}.tar.gz.gpg",
            f"backup-{stamp}.sha256",
        ):
            path = out / name
            path.write_text(stamp)
            os.utime(path, (now - days * day, now - days * day))
    # Not the backup's: never deleted, however old.
    other = out / "notes.txt"
    other.write_text("kept")
    os.utime(other, (now - 400 * day, now - 400 * day))

    media = Path(settings.MEDIA_ROOT)
    result = _backup(
        out,
        key,
        source=connection.settings_dict["NAME"],
        media=media,
        stamp="new",
        BACKUP_KEEP_DAYS="30",
    )
    assert result.returncode == 0, result.stderr
    left = {p.name for p in out.iterdir()}
    assert not {n for n in left if "-old." in n}
    assert {n for n in left if "-recent." in n} == {
        "portal-recent.dump.gpg",
        "media-recent.tar.gz.gpg",
        "backup-recent.sha256",
    }
    assert {"portal-new.dump.gpg", "media-new.tar.gz.gpg", "backup-new.sha256"} <= left
    assert "notes.txt" in left
