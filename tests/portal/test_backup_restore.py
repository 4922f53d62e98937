"""Backup and restore: scripts/backup.sh dumps the
PostgreSQL database and tars the media folder; scripts/restore.sh puts both
into a fresh database and folder, where the same issues, articles and photo
files are found. PostgreSQL only (pg_dump/pg_restore)."""

import hashlib
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.db import connection

from newsletter import services
from newsletter.models import Article, Issue

BASE = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump/pg_restore back up PostgreSQL; the embedded SQLite mode "
        "is backed up by copying its file",
    ),
    pytest.mark.skipif(
        shutil.which("pg_dump") is None, reason="pg_dump is not installed"
    ),
    # Committed, so pg_dump (another connection) sees the data; the rows the
    # migrations wrote (activity kinds…) are put back afterwards for later tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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


def test_backup_restores_into_a_fresh_database(
    three_levels, assemble, personas, settings, tmp_path
):
    services.issue_publish(issue=assemble(), by=personas.editor)
    assert Issue.objects.filter(status=Issue.Status.PUBLISHED).count() == 1
    assert Article.objects.filter(photos__isnull=False).exists()
    media = Path(settings.MEDIA_ROOT)
    assert any(media.rglob("*.jpg"))  # the report photos' renditions

    source = connection.settings_dict["NAME"]
    target = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    out = tmp_path / "backups"
    restored_media = tmp_path / "restored-media"
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "BACKUP_STAMP": "test"}

    backup = subprocess.run(
        ["bash", str(BASE / "scripts/backup.sh"), str(out)],
        env={**env, "DATABASE_URL": _url(source), "MEDIA_ROOT": str(media)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert backup.returncode == 0, backup.stderr
    dump, tarball = out / "portal-test.dump", out / "media-test.tar.gz"
    assert dump.stat().st_size > 0 and tarball.stat().st_size > 0
    assert (out / "backup-test.sha256").exists()

    _psql(_url("postgres"), f'CREATE DATABASE "{target}"')
    try:
        restore = subprocess.run(
            ["bash", str(BASE / "scripts/restore.sh"), str(dump), str(tarball)],
            env={
                **env,
                "DATABASE_URL": _url(target),
                "MEDIA_ROOT": str(restored_media),
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert restore.returncode == 0, restore.stderr

        # The same issues, with the same numbers and articles.
        assert _psql(_url(target), ISSUES_SQL) == _psql(_url(source), ISSUES_SQL)
        assert _psql(_url(target), "SELECT count(*) FROM newsletter_issue") == ["1"]
        titles = "SELECT title FROM newsletter_article ORDER BY id"
        assert _psql(_url(target), titles) == _psql(_url(source), titles)
        # Every media file, byte for byte.
        assert _files(restored_media) == _files(media)

        # Restoring again into the now-filled database is refused.
        again = subprocess.run(
            ["bash", str(BASE / "scripts/restore.sh"), str(dump), str(tarball)],
            env={
                **env,
                "DATABASE_URL": _url(target),
                "MEDIA_ROOT": str(tmp_path / "x"),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert again.returncode != 0
        assert "not empty" in again.stderr
    finally:
        _psql(_url("postgres"), f'DROP DATABASE IF EXISTS "{target}"')


def test_a_damaged_backup_is_refused(settings, tmp_path):
    out = tmp_path / "backups"
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "BACKUP_STAMP": "bad"}
    source = connection.settings_dict["NAME"]
    subprocess.run(
        ["bash", str(BASE / "scripts/backup.sh"), str(out)],
        env={
            **env,
            "DATABASE_URL": _url(source),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        },
        check=True,
        capture_output=True,
        timeout=300,
    )
    dump = out / "portal-bad.dump"
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    target = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    _psql(_url("postgres"), f'CREATE DATABASE "{target}"')
    try:
        result = subprocess.run(
            [
                "bash",
                str(BASE / "scripts/restore.sh"),
                str(dump),
                str(out / "media-bad.tar.gz"),
            ],
            env={
                **env,
                "DATABASE_URL": _url(target),
                "MEDIA_ROOT": str(tmp_path / "m"),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0
        assert _psql(
            _url(target), "SELECT count(*) FROM pg_tables WHERE schemaname='public'"
        ) == ["0"]
    finally:
        _psql(_url("postgres"), f'DROP DATABASE IF EXISTS "{target}"')
