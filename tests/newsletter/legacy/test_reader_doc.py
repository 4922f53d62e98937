"""Old Word (.doc) and WPS (.wps) files read, through the .docx LibreOffice makes
of them, as the Word file they were saved from: the same contents, sections,
titles, subtitles, paragraphs and pictures. What cannot be read (a damaged
file, one with a password, an Excel or PowerPoint file, a server without
LibreOffice, a conversion that hangs) is refused with a Chinese message; nothing
is written, no temporary file stays behind and no LibreOffice keeps running.

The .doc is the seed's Word file saved by LibreOffice (office_files.py); the
.wps is that .doc under a .wps name, which is what Kingsoft WPS's .wps files
are (LibreOffice cannot write .wps)."""

# Fixtures imported from a helper module are parameters here, by design.
# ruff: noqa: F811

import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import msoffcrypto.format.ooxml
import olefile
import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from activities.word_import.container import OLE_MAGIC
from newsletter.legacy import convert
from newsletter.legacy.reader import read_issue
from newsletter.legacy.structure import Block
from newsletter.models import ArticlePhoto, Issue
from newsletter.services.legacy import issue_import
from tests.newsletter.legacy.helpers import SEED_ARTICLES, titles
from tests.newsletter.legacy.office_files import (  # noqa: F401 (fixtures)
    needs_soffice,
    seed_doc,
    seed_docx,
)

NAME = "云浮民政简报2023年第3期"


def outline(issue) -> list:
    """What a reader of the issue relies on: the contents, then each section
    with its articles' titles, subtitles, paragraphs, subheadings and the
    pictures in their places (each as its size in pixels)."""
    toc = [(s.title, [e.title for e in s.entries]) for s in issue.toc]
    body = [
        (
            section.title,
            section.kind,
            [
                (
                    article.title,
                    article.subtitle,
                    [
                        Image.open(io.BytesIO(b.image.data)).size
                        if b.kind == Block.IMAGE
                        else (b.kind, b.text)
                        for b in article.blocks
                    ],
                )
                for article in section.articles
            ],
        )
        for section in issue.sections
    ]
    return [toc, body]


def counts(issue) -> list:
    return [
        (len(a.paragraphs), len(a.subheadings), len(a.images))
        for s in issue.sections
        for a in s.articles
    ]


def pictures(issue) -> list[Image.Image]:
    return [
        Image.open(io.BytesIO(image.data)).convert("RGB")
        for s in issue.sections
        for a in s.articles
        for image in a.images
    ]


def same_picture(a: Image.Image, b: Image.Image) -> bool:
    """Equal sizes and, pixel by pixel, colours within a JPEG's rounding."""
    if a.size != b.size:
        return False
    return all(abs(p - q) <= 8 for p, q in zip(a.tobytes(), b.tobytes(), strict=True))


@pytest.fixture
def temp_folder(tmp_path, monkeypatch):
    """The temporary folder the conversion works in, to see it left empty."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def refused(publication, data: bytes, filename: str) -> str:
    with pytest.raises(ValidationError) as caught:
        issue_import(publication=publication, source=data, filename=filename, by=None)
    assert not Issue.objects.exists()
    return " ".join(caught.value.messages)


def rename_stream(data: bytes, old: str, new: str) -> bytes:
    """The compound file with its stream ``old`` named ``new``: the name field
    (64 bytes, UTF-16) and its length at the start of the stream's directory
    entry."""
    field = old.encode("utf-16-le") + b"\x00\x00"
    at = data.index(field)
    assert at % 128 == 0, "not a directory entry"
    name = new.encode("utf-16-le") + b"\x00\x00"
    entry = name.ljust(64, b"\x00") + len(name).to_bytes(2, "little")
    return data[:at] + entry + data[at + 66 :]


def rewrite_stream(tmp_path: Path, data: bytes, name: str, change) -> bytes:
    """The compound file with its stream ``name`` replaced by ``change(bytes)``,
    of the same length (olefile writes streams in place)."""
    path = tmp_path / "changed.doc"
    path.write_bytes(data)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = ole.openstream(name).read()
        ole.write_stream(name, change(stream))
    return path.read_bytes()


# --- Read as the .docx ------------------------------------------------------------


@needs_soffice
def test_an_old_word_file_reads_as_the_word_file_it_was_saved_from(seed_docx, seed_doc):
    docx = read_issue(seed_docx, f"{NAME}.docx")
    doc = read_issue(seed_doc, f"{NAME}.doc")
    assert (docx.format, doc.format) == ("docx", "doc")
    assert titles(doc) == SEED_ARTICLES
    assert outline(doc) == outline(docx)
    assert counts(doc) == counts(docx)
    assert sum(n for _p, _s, n in counts(doc)) == 1
    # The photo itself came through, not a blank or a marker.
    [before], [after] = pictures(docx), pictures(doc)
    assert same_picture(before, after)
    assert (doc.masthead.year, doc.masthead.number) == (2023, 3)


@needs_soffice
def test_a_wps_file_in_words_format_reads_as_the_word_file(seed_docx, seed_doc):
    wps = read_issue(seed_doc, f"{NAME}.wps")
    assert wps.format == "wps"
    assert outline(wps) == outline(read_issue(seed_docx, f"{NAME}.docx"))


def test_a_wps_file_that_is_a_docx_reads_as_one(seed_docx):
    wps = read_issue(seed_docx, f"{NAME}.wps")
    assert outline(wps) == outline(read_issue(seed_docx, f"{NAME}.docx"))


@needs_soffice
def test_an_old_word_file_is_imported_with_its_photo(
    publication, seed_doc, temp_folder
):
    result = issue_import(
        publication=publication, source=seed_doc, filename=f"{NAME}.doc", by=None
    )
    assert result.format == "doc"
    issue = Issue.objects.get()
    assert (issue.year, issue.number, issue.source_name) == (2023, 3, f"{NAME}.doc")
    assert issue.status == Issue.Status.PUBLISHED
    [photo] = ArticlePhoto.objects.filter(article__issue=issue)
    assert not photo.is_missing and (photo.width, photo.height) == (320, 240)
    assert photo.article.title.startswith("云安区富林镇社工站")
    assert not any(temp_folder.iterdir())


# --- Refused ----------------------------------------------------------------------


def test_a_damaged_old_word_file_is_refused(publication, temp_folder):
    data = OLE_MAGIC + random.Random(7).randbytes(4000)
    message = refused(publication, data, f"{NAME}.doc")
    assert "已损坏" in message and ".docx" in message
    assert not any(temp_folder.iterdir())


@needs_soffice
def test_an_old_word_file_libreoffice_cannot_read_is_refused(
    publication, seed_doc, temp_folder, tmp_path
):
    """The compound file is sound, its Word stream is noise."""
    noise = random.Random(3)
    data = rewrite_stream(
        tmp_path, seed_doc, "WordDocument", lambda s: noise.randbytes(len(s))
    )
    message = refused(publication, data, f"{NAME}.doc")
    assert "Word（.doc）文件已损坏或无法读取，转换失败" in message
    assert "另存为 .docx" in message
    assert not any(temp_folder.iterdir())


def _encrypted_docx(seed_docx) -> bytes:
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(seed_docx)).encrypt("123456", out)
    return out.getvalue()


def _word_flagged_encrypted(seed_doc, tmp_path) -> bytes:
    """The flag Word sets in a .doc saved with a password (the text is left as
    it was: the flag is what is read)."""

    def flag(stream: bytes) -> bytes:
        flags = int.from_bytes(stream[0x0A:0x0C], "little") | 0x0100
        return stream[:0x0A] + flags.to_bytes(2, "little") + stream[0x0C:]

    return rewrite_stream(tmp_path, seed_doc, "WordDocument", flag)


@needs_soffice
@pytest.mark.parametrize("kind", ["docx", "doc"])
def test_a_file_with_a_password_is_refused_before_libreoffice_runs(
    kind, publication, seed_docx, seed_doc, temp_folder, tmp_path, monkeypatch
):
    if kind == "docx":
        data = _encrypted_docx(seed_docx)
    else:
        data = _word_flagged_encrypted(seed_doc, tmp_path)

    def never():
        raise AssertionError("LibreOffice was started")

    monkeypatch.setattr(convert, "find_soffice", never)
    message = refused(publication, data, f"{NAME}.{kind}")
    assert "设置了打开密码" in message and "取消密码" in message
    assert not any(temp_folder.iterdir())


@needs_soffice
@pytest.mark.parametrize(
    "stream, message",
    [("Workbook", "这是 Excel 表格"), ("PowerPoint Document", "这是 PowerPoint")],
)
def test_other_office_files_of_the_old_kind_are_not_an_issue(
    stream, message, publication, seed_doc
):
    """A compound file whose main stream has the name Excel or PowerPoint
    gives its own: the streams, not the file's name, tell the kinds apart."""
    data = rename_stream(seed_doc, "WordDocument", stream)
    text = refused(publication, data, f"{NAME}.doc")
    assert message in text and "不是简报" in text


@needs_soffice
def test_without_libreoffice_the_message_says_what_to_install(
    publication, seed_doc, temp_folder, monkeypatch
):
    monkeypatch.setattr("shutil.which", lambda name, *a, **k: None)
    message = refused(publication, seed_doc, f"{NAME}.wps")
    assert "没有安装 LibreOffice" in message and "WPS（.wps）" in message
    assert "libreoffice-writer-nogui" in message
    assert not any(temp_folder.iterdir())


def _state(pid: int) -> str:
    """A process's state (R, S, Z …), or "" when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return ""
    return stat.rsplit(")", 1)[1].split()[0]


@needs_soffice
def test_a_conversion_that_hangs_is_stopped_with_everything_it_started(
    publication, seed_doc, temp_folder, tmp_path, monkeypatch
):
    """A stand-in for LibreOffice that hangs, as it does on some damaged
    files, and has started a helper of its own, as soffice starts soffice.bin."""
    pids = tmp_path / "pids"
    hanging = tmp_path / "soffice"
    hanging.write_text(f'#!/bin/sh\nsleep 300 &\necho $! $$ > "{pids}"\nwait\n')
    hanging.chmod(0o755)
    monkeypatch.setattr(convert, "find_soffice", lambda: str(hanging))
    # Long enough for the stand-in to start its helper on a loaded machine
    # (at 1 s it was sometimes stopped before it had), short enough to wait for.
    monkeypatch.setattr(convert, "TIMEOUT_SECONDS", 4)
    message = refused(publication, seed_doc, f"{NAME}.doc")
    assert "超过了 4 秒，已停止" in message and "另存为 .docx" in message
    started = [int(pid) for pid in pids.read_text().split()]
    assert len(started) == 2
    # Killed, not yet reaped: a loaded machine may take a moment to end them.
    assert _wait_for(lambda: all(_state(pid) in ("", "Z") for pid in started), 5)
    assert not any(temp_folder.iterdir())


def _wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


@needs_soffice
def test_a_conversion_outlives_no_caller_that_died(seed_doc, tmp_path):
    """A worker killed in the middle of a conversion (SIGKILL: nothing of its
    own runs) leaves LibreOffice under coreutils' timeout, which ends it."""
    pids = tmp_path / "pids"
    hanging = tmp_path / "soffice"
    hanging.write_text(f'#!/bin/sh\nsleep 300 &\necho $! $$ > "{pids}"\nwait\n')
    hanging.chmod(0o755)
    source = tmp_path / "issue.doc"
    source.write_bytes(seed_doc)
    script = (
        "import django; django.setup()\n"
        "from pathlib import Path\n"
        "from newsletter.legacy import convert\n"
        f"convert.find_soffice = lambda: {str(hanging)!r}\n"
        # Our own wait would stop it after a minute; the guard after 3 s.
        "convert.TIMEOUT_SECONDS = 60\n"
        "convert.GUARD_MARGIN_SECONDS = -57\n"
        f"convert.to_docx(Path({str(source)!r}).read_bytes(), 'issue.doc')\n"
    )
    caller = subprocess.Popen(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        cwd=Path(__file__).resolve().parents[3],
    )
    try:
        assert _wait_for(lambda: pids.exists() and pids.read_text().strip(), 30)
        started = [int(pid) for pid in pids.read_text().split()]
        os.kill(caller.pid, signal.SIGKILL)
        caller.wait()
        assert _wait_for(lambda: all(_state(p) in ("", "Z") for p in started), 15)
    finally:
        if caller.poll() is None:
            caller.kill()
