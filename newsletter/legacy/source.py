"""A past issue's file turned into lines: a text copy (UTF-8, UTF-8 with a BOM,
UTF-16 with a BOM, GB18030), a Word file (.docx; an old .doc or a .wps is
first turned into one by LibreOffice, convert.py), a PDF with a text layer
(pdf.py) or a scan of the paper read by OCR (ocr.py). What is none of these
(empty, a binary, a spreadsheet, a file with a password) is refused with a Chinese message before anything else happens.

Each line carries the pictures before and after its text. A text copy has only
markers (``[image: image2.png]``); a .docx has the pictures' bytes, and their
place in the paragraph. A paragraph that a picture interrupted is joined again
by the reader (reader.py), whichever format it came from."""

from __future__ import annotations

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from activities.word_import.container import OLE_MAGIC
from activities.word_import.paragraphs import (
    A_BLIP,
    CONTROL_RE,
    INVISIBLE,
    NOT_IN_FLOW,
    R_EMBED,
    R_ID,
    V_IMAGEDATA,
    W_P,
    _centred,
    _walk,
)

from . import convert, ocr, pdf, scan_pages
from .pdf import SCAN, pdf_lines
from .reflow import reflow
from .structure import Line, ParsedImage

# A whole issue is larger than one report: a dozen articles with their photos.
MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_DOCX_BYTES = 60 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_ZIP_ENTRIES = 4000
MAX_IMAGES = 300

# [image: image2.png] (what Word's "save as text" tools leave), [图片] /
# [图片：xx.jpg] / [照片3] / 【图片】, and Markdown's ![alt](name.png).
IMAGE_MARKER_RE = re.compile(
    r"[\[【]\s*(?:image|img|picture|pic|图片|图像|照片|插图)\s*"
    r"(?:[:：]\s*(?P<name>[^\]】]{0,120}?)|(?P<n>\d{1,3}))?\s*[\]】]"
    r"|!\[[^\]]{0,120}\]\((?P<md>[^)\s]{1,200})\)",
    re.IGNORECASE,
)

# Whitespace that str.strip() keeps, besides the invisible characters Word leaves.
_STRIP = " \t\u3000\u00a0" + INVISIBLE

_FOREIGN = [
    (b"GIF8", _("这是图片文件，不是简报。请上传 Word（.docx）或文本（.txt）文件。")),
    (b"{\\rtf", _("这是 RTF 文件。请在 Word 中另存为 .docx 后再上传。")),
]


def clean(text: str) -> str:
    return CONTROL_RE.sub("", text).strip(_STRIP).strip()


def _not_readable() -> ValidationError:
    return ValidationError(
        _("无法读取这个文件：它既不是文本文件（.txt），也不是 Word（.docx）文件。")
    )


def read_lines(data: bytes, filename: str = "") -> tuple[str, list[Line]]:
    """``(format, lines)`` with format ``text``, ``docx``, ``pdf``, ``doc`` /
    ``wps`` (an old Word or a WPS file, read through the .docx LibreOffice makes
    of it, convert.py; ``filename`` tells a .wps saved in Word's format), or
    ``ocr`` (a scan: a PDF of page pictures, or a JPEG or PNG photo of a page,
    read by OCR, ocr.py); a ValidationError with a Chinese message for a file
    that is none of them."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ValidationError(_("文件是空的。"))
    if data.startswith(OLE_MAGIC):
        return _ole_lines(data, filename)
    if data.startswith(b"%PDF"):
        try:
            return "pdf", pdf_lines(data)
        except ValidationError as exc:
            if getattr(exc, "code", None) != SCAN:
                raise
        # Pages that are pictures: a scan of the paper (ocr.py).
        return ocr.FORMAT, ocr.read_scan(data)
    if scan_pages.is_photo(data):
        return ocr.FORMAT, ocr.read_scan(data)
    for magic, message in _FOREIGN:
        if data.startswith(magic):
            raise ValidationError(message)
    if data.startswith(b"PK\x03\x04") or zipfile.is_zipfile(io.BytesIO(data)):
        return "docx", _docx_lines(data)
    return "text", text_lines(reflow(decode(data)))


def is_scan(data: bytes) -> bool:
    """Whether ``read_lines`` would read ``data`` by OCR (a JPEG or PNG photo,
    or a PDF of page pictures, ``pdf.is_scan``), told without reading it: the
    upload screen sends a scan to a background job, since OCR takes seconds a
    page."""
    return scan_pages.is_photo(data) or (data.startswith(b"%PDF") and pdf.is_scan(data))


# --- Text ---------------------------------------------------------------------------


def decode(data: bytes) -> str:
    if len(data) > MAX_TEXT_BYTES:
        raise ValidationError(
            _("文本文件太大（上限 %(limit)s）。")
            % {"limit": filesizeformat(MAX_TEXT_BYTES)}
        )
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        # GB18030 decodes almost any bytes, so UTF-8 is tried first and a binary
        # is told apart by its control characters below.
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text
    raise _not_readable()


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    return controls > max(3, len(sample) // 200)


def _split_markers(text: str, number: int) -> tuple[list, int]:
    """The line's pieces in order: strings and ParsedImages for its markers."""
    pieces: list = []
    position = 0
    for match in IMAGE_MARKER_RE.finditer(text):
        pieces.append(text[position : match.start()])
        number += 1
        name = (match.group("name") or match.group("md") or "").strip()
        if not name and match.group("n"):
            name = match.group(0).strip("[]【】 ")
        pieces.append(ParsedImage(number=number, name=name))
        position = match.end()
    pieces.append(text[position:])
    return pieces, number


def _line_from_pieces(pieces: list, blank_before: bool) -> Line:
    """A Line from text and pictures in order: pictures before any text come
    before it, the others after it (a picture never cuts the text in two)."""
    line = Line(text="", blank_before=blank_before)
    text = ""
    for piece in pieces:
        if isinstance(piece, ParsedImage):
            piece.offset = len(text)
            (line.images_after if clean(text) else line.images_before).append(piece)
        else:
            text += piece
    line.text = clean(text)
    if not line.text:
        line.images_before += line.images_after
        line.images_after = []
    return line


def text_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    blank = False
    number = 0
    for raw in text.splitlines():
        raw = clean(raw)
        if not raw:
            blank = True
            continue
        pieces, number = _split_markers(raw, number)
        line = _line_from_pieces(pieces, blank)
        if line.text or line.images:
            lines.append(line)
            blank = False
    return lines


# --- Word ---------------------------------------------------------------------------


def _check_package(data: bytes) -> None:
    if len(data) > MAX_DOCX_BYTES:
        raise ValidationError(
            _("Word 文件太大（上限 %(limit)s），请压缩图片后再上传。")
            % {"limit": filesizeformat(MAX_DOCX_BYTES)}
        )
    damaged = ValidationError(
        _("Word 文件不完整或已损坏，无法读取。请在 Word 中重新保存后上传。")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise damaged from exc
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        if any(name.startswith("xl/") for name in names):
            raise ValidationError(_("这是 Excel 表格，不是简报。"))
        if any(name.startswith("ppt/") for name in names):
            raise ValidationError(_("这是 PowerPoint 演示文稿，不是简报。"))
        raise ValidationError(_("这是压缩文件，不是 Word（.docx）文件。"))
    if len(entries) > MAX_ZIP_ENTRIES or (
        sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES
    ):
        raise ValidationError(_("Word 文件内容过大，无法读取。"))


def _docx_lines(data: bytes) -> list[Line]:
    import docx
    from docx.text.paragraph import Paragraph

    _check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
        related = document.part.related_parts
        lines: list[Line] = []
        blank = False
        number = 0
        for p in document.element.body.iter(W_P):
            if any(a.tag in NOT_IN_FLOW for a in p.iterancestors()):
                continue
            pieces: list = []
            _walk(p, pieces)
            converted: list = []
            for piece in pieces:
                if isinstance(piece, tuple):
                    number += 1
                    if number > MAX_IMAGES:
                        raise ValidationError(
                            _("文件中的图片超过 %(max)d 张，无法导入。")
                            % {"max": MAX_IMAGES}
                        )
                    converted.append(_docx_image(piece[1], related, number))
                else:
                    converted.append(piece)
            paragraph = Paragraph(p, document)
            style = paragraph.style
            style_name = (style.name or "").lower() if style is not None else ""
            centred = _centred(paragraph, style)
            heading = bool(re.match(r"^(?:heading|标题|title)", style_name))
            for part in _split_breaks(converted):
                line = _line_from_pieces(part, blank)
                if not (line.text or line.images):
                    blank = True
                    continue
                line.centred = centred
                line.heading = heading
                lines.append(line)
                blank = False
            if not any(isinstance(x, ParsedImage) or clean(x) for x in converted):
                blank = True
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a foreign file
        raise ValidationError(
            _("Word 文件不完整或已损坏，无法读取。请在 Word 中重新保存后上传。")
        ) from exc
    return lines


def _ole_lines(data: bytes, filename: str) -> tuple[str, list[Line]]:
    """An old Word (.doc) or WPS (.wps) file, read through the .docx
    LibreOffice makes of it (convert.py); its pictures come with it."""
    fmt = convert.ole_format(data, filename)
    if len(data) > MAX_DOCX_BYTES:
        raise ValidationError(
            _("文件太大（上限 %(limit)s），请压缩图片后再上传。")
            % {"limit": filesizeformat(MAX_DOCX_BYTES)}
        )
    return fmt, _docx_lines(convert.to_docx(data, filename))


def _split_breaks(pieces: list) -> list[list]:
    """A paragraph's pieces split at its line breaks (Shift+Enter)."""
    parts: list[list] = [[]]
    for piece in pieces:
        if piece == "\n":
            parts.append([])
        else:
            parts[-1].append(piece)
    return parts


def _docx_image(element, related, number: int) -> ParsedImage:
    rid = element.get(R_EMBED) if element.tag == A_BLIP else element.get(R_ID)
    part = related.get(rid) if rid else None
    blob = getattr(part, "blob", None)
    name = ""
    partname = getattr(part, "partname", "")
    if partname:
        name = str(partname).rsplit("/", 1)[-1]
    elif element.tag == V_IMAGEDATA:
        name = element.get("title") or ""
    return ParsedImage(number=number, name=name, data=blob or None)
