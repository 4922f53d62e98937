"""Old Word (.doc) and WPS (.wps) files turned into a .docx by LibreOffice, so
the reader reads them as it reads any Word file (source.py).

All of them are OLE compound files, and so are a password-protected .docx, an
old Excel or PowerPoint file. The file's streams (read with olefile) tell them
apart before LibreOffice is started:

- ``WordDocument``: the Word 97–2003 binary format. Word saves it as .doc;
  Kingsoft WPS saves its .wps files in it too. The stream's header (the FIB)
  has a flag set when a password protects the document.
- ``CONTENTS``: a Microsoft Works .wps, which LibreOffice reads with libwps.
- ``EncryptionInfo`` / ``EncryptedPackage`` (or a ``DataSpaces`` storage): a
  .docx (or .xlsx …) saved with a password; only its author can open it.
- ``Workbook`` / ``Book``: Excel; ``PowerPoint Document``: PowerPoint.

A .wps that is a zip (a .docx under another name) is no OLE file: source.py
reads it as a .docx directly.

LibreOffice runs headless on a copy of the bytes in a temporary folder with its
own throw-away profile (two conversions at once do not share one), under a time
limit; on timeout its whole process group is killed, so no soffice is left
running. The folder is removed afterwards, whatever happened.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import olefile
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Seconds one conversion may take. The seed issue with a photo converts in 3.5 s
# here, LibreOffice's start included, eight times its text in 5 s; far longer
# means LibreOffice is stuck on a damaged file.
TIMEOUT_SECONDS = 90
# How much later than TIMEOUT_SECONDS coreutils' timeout ends a conversion whose
# caller died before it could.
GUARD_MARGIN_SECONDS = 30

# The fEncrypted bit of the flags at offset 0x0A of a Word binary file's FIB
# ([MS-DOC] 2.5.2 FibBase): the document is encrypted or obfuscated.
_FIB_FLAGS = slice(0x0A, 0x0C)
_F_ENCRYPTED = 0x0100
# wIdent, the first two bytes of the FIB: Word 97–2003, Word 95, Word 6 / 2.0.
_WORD_IDENTS = {b"\xec\xa5", b"\xdc\xa5", b"\xdb\xa5"}

WORD, WORKS = "word", "works"


def _again() -> str:
    """What the editor can do about any file this module cannot read."""
    return _("请在 Word 或 WPS 中打开它，另存为 .docx 格式后再上传。")


def find_soffice() -> str | None:
    """The LibreOffice command, under either of its names."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _streams(data: bytes) -> set[str]:
    """The names of the compound file's streams and storages, each as a path
    ``a/b``; a ValidationError when the file is not a readable compound file."""
    try:
        with olefile.OleFileIO(data) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except Exception as exc:  # noqa: BLE001 - olefile raises many kinds on junk
        raise ValidationError(_("文件不完整或已损坏，无法读取。") + _again()) from exc
    return {"/".join(entry) for entry in entries}


def _word_encrypted(data: bytes) -> bool:
    with olefile.OleFileIO(data) as ole:
        fib = ole.openstream("WordDocument").read(0x20)
    if fib[:2] not in _WORD_IDENTS or len(fib) < _FIB_FLAGS.stop:
        return False
    return bool(int.from_bytes(fib[_FIB_FLAGS], "little") & _F_ENCRYPTED)


def ole_kind(data: bytes) -> str:
    """``WORD`` or ``WORKS`` for what LibreOffice can turn into a .docx; a
    ValidationError with a Chinese message for any other compound file."""
    names = _streams(data)
    locked = _(
        "这个文件设置了打开密码，无法读取。请在 Word 或 WPS 中打开它，"
        "取消密码后另存为 .docx 格式再上传。"
    )
    if (
        "EncryptionInfo" in names
        or "EncryptedPackage" in names
        or any(name.startswith("\x06DataSpaces") for name in names)
    ):
        raise ValidationError(locked)
    if "WordDocument" in names:
        try:
            encrypted = _word_encrypted(data)
        except Exception as exc:  # noqa: BLE001 - a damaged stream
            raise ValidationError(
                _("Word 文件不完整或已损坏，无法读取。") + _again()
            ) from exc
        if encrypted:
            raise ValidationError(locked)
        return WORD
    if "CONTENTS" in names:
        return WORKS
    if names & {"Workbook", "Book", "WORKBOOK", "BOOK"}:
        raise ValidationError(
            _(
                "这是 Excel 表格（.xls），不是简报。请上传简报的 Word、WPS、PDF 或文本文件。"
            )
        )
    if "PowerPoint Document" in names:
        raise ValidationError(
            _(
                "这是 PowerPoint 演示文稿（.ppt），不是简报。"
                "请上传简报的 Word、WPS、PDF 或文本文件。"
            )
        )
    raise ValidationError(
        _(
            "这个文件不是 Word（.doc）或 WPS（.wps）文件，不是简报。"
            "请上传简报的 Word、WPS、PDF 或文本文件。"
        )
    )


def ole_format(data: bytes, filename: str = "") -> str:
    """``doc`` or ``wps``, as the import reports the file's format: a Works
    file, or a Word binary file named .wps (as Kingsoft WPS saves them), is
    ``wps``. Refuses what ``ole_kind`` refuses."""
    return _format(ole_kind(data), filename)


def _format(kind: str, filename: str) -> str:
    if kind == WORKS or (filename or "").lower().endswith(".wps"):
        return "wps"
    return "doc"


def to_docx(data: bytes, filename: str = "") -> bytes:
    """The .docx LibreOffice makes of the .doc or .wps ``data``. A
    ValidationError with a Chinese message when the file is not one (see
    ``ole_kind``), when LibreOffice is not installed, fails or takes longer
    than ``TIMEOUT_SECONDS``. ``filename`` only names the format in messages."""
    kind = ole_kind(data)
    label = "WPS（.wps）" if _format(kind, filename) == "wps" else "Word（.doc）"
    soffice = find_soffice()
    if soffice is None:
        raise ValidationError(
            _(
                "服务器上没有安装 LibreOffice，无法读取%(label)s文件。"
                "请系统管理员安装 libreoffice-writer-nogui"
                "（apt-get install libreoffice-writer-nogui）；"
                "或在 Word 或 WPS 中把文件另存为 .docx 格式后再上传。"
            )
            % {"label": label}
        )
    with tempfile.TemporaryDirectory(prefix="legacy-convert-") as folder:
        work = Path(folder)
        source = work / ("issue.wps" if kind == WORKS else "issue.doc")
        source.write_bytes(data)
        out = work / "out"
        command = [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "docx",
            "--outdir",
            str(out),
            str(source),
        ]
        # Under coreutils' timeout as well, a little later than our own limit:
        # if this process dies mid-conversion (a worker killed, a restart), the
        # orphaned timeout still ends LibreOffice instead of leaving it running.
        guard = shutil.which("timeout")
        if guard:
            limit = str(TIMEOUT_SECONDS + GUARD_MARGIN_SECONDS)
            command = [guard, "--signal=KILL", limit, *command]
        # Its own session, so that the kill on timeout reaches every process
        # LibreOffice starts (soffice starts oosplash, which starts soffice.bin).
        failed = ValidationError(
            _("这个%(label)s文件已损坏或无法读取，转换失败。") % {"label": label}
            + _again()
        )
        try:
            process = subprocess.Popen(
                command,
                cwd=folder,
                env={**os.environ, "HOME": folder},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            logger.warning("LibreOffice could not be started: %s", type(exc).__name__)
            raise ValidationError(
                _(
                    "LibreOffice 无法启动，没能读取%(label)s文件。"
                    "请系统管理员检查 libreoffice-writer-nogui 的安装；"
                    "或在 Word 或 WPS 中把文件另存为 .docx 格式后再上传。"
                )
                % {"label": label}
            ) from exc
        finished = _wait(process, TIMEOUT_SECONDS)
        # The whole group goes, stuck or done: LibreOffice may leave helpers.
        _kill_group(process)
        if not finished:
            logger.warning("LibreOffice conversion timed out (%s)", kind)
            raise ValidationError(
                _(
                    "转换这个%(label)s文件超过了 %(s)d 秒，已停止。文件可能已损坏或过大。"
                )
                % {"label": label, "s": TIMEOUT_SECONDS}
                + _again()
            )
        returncode = process.returncode
        converted = out / (source.stem + ".docx")
        if returncode != 0 or not converted.is_file():
            logger.warning(
                "LibreOffice could not convert a %s file (exit code %s)",
                kind,
                returncode,
            )
            raise failed
        return converted.read_bytes()


def _wait(process: subprocess.Popen, timeout: float) -> bool:
    """Whether the process ended within ``timeout`` seconds. It is left
    unreaped (WNOWAIT), so its pid, the id of its process group, cannot be
    given to another process before the group is killed."""
    deadline = time.monotonic() + timeout
    while True:
        flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
        if os.waitid(os.P_PID, process.pid, flags) is not None:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def _kill_group(process: subprocess.Popen) -> None:
    """Kill what is left of the process's group, then reap the process."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group has ended already
    process.wait()
