"""The .docx as a file: what is not a readable Word document is refused, with a
reason the worker can act on, before anything is parsed; then it is opened."""

from __future__ import annotations

import io
import logging
import zipfile

import docx
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The upload limits are set in the package's __init__, where the upload view
# reads them too, and looked up there on each call, so that one value (or a
# test's patch of it) holds for both.
from .. import word_import as limits

# One logger for the package: a log line names activities.word_import whichever
# step wrote it.
logger = logging.getLogger(__package__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _damaged() -> ValidationError:
    return ValidationError(
        _("文件不完整或已损坏，无法读取。请在 Word 中重新保存后上传。")
    )


def _refuse_package(data: bytes) -> None:
    """Refuse, with the reason a worker can act on, what is not a .docx."""
    if not data:
        raise ValidationError(_("上传的文件是空的。"))
    if len(data) > limits.MAX_BYTES:
        raise ValidationError(
            _("文件太大（上限 %(limit)s），请压缩图片后再上传。")
            % {"limit": filesizeformat(limits.MAX_BYTES)}
        )
    if data.startswith(OLE_MAGIC):
        # Both .doc files and password-protected .docx files are OLE containers.
        raise ValidationError(
            _(
                "这是旧版 Word（.doc）文件或设置了密码的文件，无法读取。"
                "请在 Word 中取消密码，另存为 .docx 格式后再上传。"
            )
        )
    not_word = _("这不是 Word（.docx）文件，请上传用 Word 或 WPS 保存的 .docx 文件。")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        # A zip cut short loses its directory, kept at the end; its start is intact.
        if data.startswith(b"PK\x03\x04"):
            raise _damaged()
        raise ValidationError(not_word)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _damaged() from exc
    if "[Content_Types].xml" in names and not any(
        name.startswith("word/") for name in names
    ):
        if any(name.startswith("xl/") for name in names):
            raise ValidationError(_("这是 Excel 表格，不是 Word 文件。"))
        if any(name.startswith("ppt/") for name in names):
            raise ValidationError(_("这是 PowerPoint 演示文稿，不是 Word 文件。"))
    if "[Content_Types].xml" not in names or not any(
        name.startswith("word/") for name in names
    ):
        raise ValidationError(not_word)
    if len(entries) > limits.MAX_ZIP_ENTRIES or (
        sum(entry.file_size for entry in entries) > limits.MAX_UNPACKED_BYTES
    ):
        raise ValidationError(_("文件内容过大，无法读取。"))


def _open(data: bytes):
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        # python-docx says "file ... is not a Word file, content type is ..." for
        # macro-enabled documents, templates and Excel or PowerPoint files.
        logger.info("word upload refused: %s", exc)
        raise ValidationError(
            _(
                "这不是 Word 文档（可能是模板、带宏的文档或其他 Office 文件），"
                "请另存为普通的 .docx 文件后再上传。"
            )
        ) from exc
    except Exception as exc:  # noqa: BLE001 - any failure on a foreign file
        # A damaged upload can fail anywhere inside the zip and XML readers
        # (KeyError, BadZipFile, XMLSyntaxError, EOFError ...); all mean the same
        # to the worker.
        logger.info("word upload unreadable: %r", exc)
        raise _damaged() from exc
