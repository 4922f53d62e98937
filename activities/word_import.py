"""A report drafted from the Word file a station already wrote (DESIGN.md §5).

``read_docx`` turns a .docx into a title, a subtitle and body blocks in document
order; ``report_from_word`` files them as a draft with the pictures as report
photos. The worker then checks the draft on its edit page, so the reading rules
below prefer a usable guess to a refusal: only a file that is not a readable Word
document at all is refused.

How stations write (see the seed newsletter): the title comes first, often broken
over two or three lines; a subtitle starting with "——" may follow, broken too;
numbered subheadings (一、… / 1.…) sit between paragraphs; pictures sit in their
own paragraph or, pasted carelessly, in the middle of a sentence.

Choices worth knowing:

- A picture in the middle of a paragraph does not split it: the paragraph's text
  stays whole and the picture follows it, so a photo never cuts a sentence in two.
  A picture before any text of its paragraph comes before it.
- Pictures and text in tables are read in order, cell by cell; text boxes,
  headers, footers, footnotes and comments are not read.
- The subtitle is stored without its leading dashes; pages that show it put them
  back.
- A Heading-styled paragraph becomes a subheading block, but the body markup only
  recognises numbered subheadings (``SUBHEADING_RE``), so an unnumbered heading
  reads as a paragraph once saved.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import NamedTuple

import docx
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.text.paragraph import Paragraph

from . import photos, services
from .models import ActivityReport
from .models.reports import SUBHEADING_RE

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
# A .docx is a zip: a few megabytes can unpack to gigabytes (a zip bomb). Real
# reports with a dozen photos unpack to a few tens of megabytes.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
# Each picture goes through the photo pipeline (three renditions); past this many
# the upload would keep the worker waiting for pictures nobody will publish.
MAX_IMAGES = 40
TITLE_MAX = ActivityReport._meta.get_field("title").max_length
SUBTITLE_MAX = ActivityReport._meta.get_field("subtitle").max_length
# A line of a title broken over several paragraphs is short; body paragraphs are
# not. Plain (unstyled, not centred) continuation lines must be shorter still,
# since nothing but their length tells them from the first body paragraph.
CONTINUATION_MAX = 40
PLAIN_CONTINUATION_MAX = 30
TITLE_MAX_LINES = 3
SUBHEADING_MAX = 40

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# "——" written with em dashes, horizontal bars, full-width or ASCII hyphens.
SUBTITLE_DASHES_RE = re.compile(r"^[—―─－\-]{2,}\s*")
# A line ending a sentence, or introducing what follows, is body text.
SENTENCE_END_RE = re.compile(r"[。！？；：…!?;:]$")
# Lines a worker puts under the title that are not part of it.
BYLINE_RE = re.compile(
    r"(?:文\s*[/／]|图\s*[/／]|来源|供稿|作者|通讯员|编辑|"
    r"^\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$)"
)
# Characters stripped around a paragraph besides what str.strip() removes:
# zero-width spaces and byte-order marks that Word and WPS leave behind.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_V = "urn:schemas-microsoft-com:vml"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W_P = f"{{{_W}}}p"
W_T = f"{{{_W}}}t"
W_TAB = f"{{{_W}}}tab"
W_BREAKS = {f"{{{_W}}}br", f"{{{_W}}}cr"}
W_HYPHEN = f"{{{_W}}}noBreakHyphen"
A_BLIP = f"{{{_A}}}blip"
V_IMAGEDATA = f"{{{_V}}}imagedata"
R_EMBED = f"{{{_R}}}embed"
R_LINK = f"{{{_R}}}link"
R_ID = f"{{{_R}}}id"
# Not walked: paragraph and run properties; deleted or moved-away text of tracked
# changes; text boxes (their paragraphs float outside the flow, and Word writes
# each twice, once per rendering); the fallback copy of every picture written
# for old readers, which would double it.
SKIPPED = {
    f"{{{_W}}}pPr",
    f"{{{_W}}}rPr",
    f"{{{_W}}}del",
    f"{{{_W}}}moveFrom",
    f"{{{_W}}}txbxContent",
    f"{{{_MC}}}Fallback",
    W_P,
}
NOT_IN_FLOW = {f"{{{_W}}}txbxContent", f"{{{_MC}}}Fallback"}


class DocImage(bytes):
    """The bytes of a picture, with its number among the document's pictures
    (counting those that could not be read) so messages name the one the worker
    sees in Word."""

    number: int

    def __new__(cls, data: bytes, number: int):
        image = super().__new__(cls, data)
        image.number = number
        return image


@dataclass
class WordReport:
    """What ``read_docx`` found. ``blocks`` are ("subheading", text),
    ("paragraph", text) and ("image", DocImage) in document order; ``warnings``
    are Chinese notes for the worker (a picture skipped, a title cut short)."""

    title: str
    subtitle: str = ""
    blocks: list[tuple[str, str | bytes]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def images(self) -> list[DocImage]:
        return [value for kind, value in self.blocks if kind == "image"]


@dataclass
class _Para:
    lines: list[str]
    lead_images: list[DocImage]
    trail_images: list[DocImage]
    title_like: bool = False
    subtitle_style: bool = False
    heading: bool = False

    @property
    def text(self) -> str:
        return "".join(self.lines)

    @property
    def images(self) -> list[DocImage]:
        return self.lead_images + self.trail_images


# --- Reading the file ------------------------------------------------------------


def _damaged() -> ValidationError:
    return ValidationError(
        _("文件不完整或已损坏，无法读取。请在 Word 中重新保存后上传。")
    )


def _refuse_package(data: bytes) -> None:
    """Refuse, with the reason a worker can act on, what is not a .docx."""
    if not data:
        raise ValidationError(_("上传的文件是空的。"))
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("文件太大（上限 %(limit)s），请压缩图片后再上传。")
            % {"limit": filesizeformat(MAX_BYTES)}
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
    if len(entries) > MAX_ZIP_ENTRIES or (
        sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES
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


def _clean(text: str) -> str:
    return CONTROL_RE.sub("", text).strip().strip(INVISIBLE).strip()


def _centred(paragraph, style) -> bool:
    """Whether the paragraph is centred, on itself or through its styles."""
    try:
        alignment = paragraph.alignment
        # A style based on itself, in a crafted file, must not loop forever.
        for _depth in range(10):
            if alignment is not None or style is None:
                break
            alignment = style.paragraph_format.alignment
            style = style.base_style
    except (ValueError, KeyError, AttributeError):
        # An alignment python-docx does not know ("start" in newer files).
        return False
    return alignment == WD_ALIGN_PARAGRAPH.CENTER


def _style_info(paragraph) -> tuple[bool, bool, bool]:
    """(title-like, subtitle style, heading style) of a paragraph. Title-like is
    the Title or Heading 1 style, or centred."""
    style = paragraph.style
    name = (style.name or "").strip().lower() if style is not None else ""
    level = re.match(r"^(?:heading|标题)\s*(\d)$", name)
    title = name in {"title", "标题"}
    title_like = (title or (level is not None and level.group(1) == "1")) or _centred(
        paragraph, style
    )
    return title_like, name in {"subtitle", "副标题"}, title or level is not None


def _walk(element, out: list) -> None:
    """Collect the text (str) and picture references (("image", element)) of a
    paragraph in reading order."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            continue
        if tag == W_T:
            out.append(child.text or "")
        elif tag == W_TAB:
            out.append(" ")
        elif tag in W_BREAKS:
            out.append("\n")
        elif tag == W_HYPHEN:
            out.append("-")
        elif tag in (A_BLIP, V_IMAGEDATA):
            out.append(("image", child))
        else:
            _walk(child, out)


class _Reader:
    def __init__(self, document):
        self.document = document
        self.related = document.part.related_parts
        self.image_count = 0
        self.too_many = False
        self.warnings: list[str] = []

    def image(self, element) -> DocImage | None:
        self.image_count += 1
        number = self.image_count
        rid = element.get(R_EMBED) if element.tag == A_BLIP else element.get(R_ID)
        part = self.related.get(rid) if rid else None
        blob = getattr(part, "blob", None)
        if not blob:
            if element.tag == A_BLIP and element.get(R_LINK):
                self.warnings.append(
                    _(
                        "第 %(n)d 张图片是链接到电脑上的文件，没有保存在文档里，已跳过。"
                        "请单独上传这张照片。"
                    )
                    % {"n": number}
                )
            else:
                self.warnings.append(
                    _("第 %(n)d 张图片无法读取，已跳过。") % {"n": number}
                )
            return None
        if number > MAX_IMAGES:
            if not self.too_many:
                self.too_many = True
                self.warnings.append(
                    _("文件中的图片超过 %(max)d 张，第 %(n)d 张起已跳过。")
                    % {"max": MAX_IMAGES, "n": number}
                )
            return None
        return DocImage(blob, number)

    def paragraphs(self):
        body = self.document.element.body
        for p in body.iter(W_P):
            if any(a.tag in NOT_IN_FLOW for a in p.iterancestors()):
                continue
            pieces: list = []
            _walk(p, pieces)
            lines: list[str] = []
            lead: list[DocImage] = []
            trail: list[DocImage] = []
            current = ""
            for piece in pieces:
                if isinstance(piece, tuple):
                    image = self.image(piece[1])
                    if image is None:
                        continue
                    has_text = any(lines) or _clean(current)
                    (trail if has_text else lead).append(image)
                elif piece == "\n":
                    lines.append(_clean(current))
                    current = ""
                else:
                    current += piece
            lines.append(_clean(current))
            lines = [line for line in lines if line]
            if not lines and not lead and not trail:
                continue
            title_like, subtitle, heading = _style_info(Paragraph(p, self.document))
            yield _Para(
                lines=lines,
                lead_images=lead,
                trail_images=trail,
                title_like=title_like,
                subtitle_style=subtitle,
                heading=heading,
            )


def _continues(para: _Para, styled: bool, so_far: str, limit: int) -> bool:
    """Whether ``para`` is the next line of a title (or subtitle) broken over
    several paragraphs. Styled (centred, Title, Heading 1) first lines continue
    only with styled lines; plain ones only with a short line. Neither continues
    with a sentence, a subheading, a subtitle, a byline or a picture."""
    text = para.text
    if para.images or len(para.lines) != 1 or len(so_far) + len(text) > limit:
        return False
    if SUBTITLE_DASHES_RE.match(text) or SUBHEADING_RE.match(text):
        return False
    if SENTENCE_END_RE.search(text) or BYLINE_RE.search(text):
        return False
    if re.search(r"[。！？!?]$", so_far):
        return False
    if styled:
        return (para.title_like or para.subtitle_style) and len(
            text
        ) <= CONTINUATION_MAX
    return not para.heading and len(text) <= PLAIN_CONTINUATION_MAX


def _body_blocks(paras: list[_Para]) -> list[tuple[str, str | bytes]]:
    blocks: list[tuple[str, str | bytes]] = []
    for para in paras:
        blocks += [("image", image) for image in para.lead_images]
        for line in para.lines:
            subheading = len(line) <= SUBHEADING_MAX and (
                para.heading or SUBHEADING_RE.match(line)
            )
            blocks.append(("subheading" if subheading else "paragraph", line))
        blocks += [("image", image) for image in para.trail_images]
    return blocks


def read_docx(data: bytes) -> WordReport:
    """Read a .docx into a WordReport; a ValidationError (Chinese) for a file
    that is too large, not a .docx, damaged or encrypted, or without text."""
    _refuse_package(data)
    document = _open(data)
    reader = _Reader(document)
    try:
        paras = list(reader.paragraphs())
    except Exception as exc:  # noqa: BLE001 - see _open
        logger.info("word upload unreadable: %r", exc)
        raise _damaged() from exc

    warnings = reader.warnings
    top: list[_Para] = []
    # Pictures above the title (a letterhead, a banner) open the body.
    while paras and not paras[0].lines:
        top.append(paras.pop(0))
    if not paras:
        raise ValidationError(_("文件中没有找到文字，无法生成报告草稿。"))

    first = paras.pop(0)
    title = first.text
    if len(title) > TITLE_MAX:
        # No title line: the document opens with its first paragraph. Keep that
        # paragraph and offer its beginning as a title to be rewritten.
        paras.insert(0, first)
        title = title[: TITLE_MAX - 1] + "…"
        warnings.append(_("文件开头没有找到标题，已用第一段的开头代替，请修改标题。"))
    else:
        top.append(_Para([], first.lead_images, first.trail_images))
        lines = 1
        while (
            paras
            and lines < TITLE_MAX_LINES
            and _continues(paras[0], first.title_like, title, TITLE_MAX)
        ):
            title += paras.pop(0).text
            lines += 1

    subtitle = ""
    if paras and paras[0].lines:
        candidate = paras[0]
        dashes = SUBTITLE_DASHES_RE.match(candidate.text)
        if dashes or candidate.subtitle_style:
            paras.pop(0)
            top.append(_Para([], candidate.lead_images, candidate.trail_images))
            subtitle = candidate.text[dashes.end() if dashes else 0 :].strip()
            styled = candidate.title_like or candidate.subtitle_style
            lines = 1
            while (
                paras
                and lines < TITLE_MAX_LINES
                and _continues(paras[0], styled, subtitle, SUBTITLE_MAX)
            ):
                subtitle += paras.pop(0).text
                lines += 1
            if len(subtitle) > SUBTITLE_MAX:
                subtitle = subtitle[: SUBTITLE_MAX - 1] + "…"
                warnings.append(_("副标题太长，已截短，请核对。"))

    return WordReport(
        title=title,
        subtitle=subtitle,
        blocks=_body_blocks(top + paras),
        warnings=warnings,
    )


# --- Filing the draft --------------------------------------------------------------


class WordImportResult(NamedTuple):
    report: ActivityReport
    warnings: list[str]


def _extension(data: bytes) -> str:
    """The file extension the picture's bytes call for; the photo pipeline reads
    the content, the name only has to be honest."""
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"BM"):
        return "bmp"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "bin"


def _body(blocks, accepted: set[int]) -> str:
    """The body markup: one block a line, "[照片N]" where the N-th photo kept
    stands (N counts only the pictures the photo pipeline accepted, as the
    report's photos do)."""
    lines = []
    photo_number = 0
    for kind, value in blocks:
        if kind == "image":
            if value.number in accepted:
                photo_number += 1
                lines.append(f"[照片{photo_number}]")
        else:
            lines.append(value)
    return "\n".join(lines)


def report_from_word(*, data: bytes, unit, by, kind) -> WordImportResult:
    """File a draft for ``unit`` from a .docx: its title, subtitle and body, and
    its pictures as the report's photos in their places. The start date is today
    and the worker corrects it. Pictures the photo pipeline refuses are skipped
    and named in the warnings; a file that cannot be read, or a report that
    cannot be created, writes nothing (ValidationError / PermissionDenied)."""
    parsed = read_docx(data)
    warnings = list(parsed.warnings)
    images = parsed.images
    with transaction.atomic():
        report = ActivityReport(
            title=parsed.title,
            subtitle=parsed.subtitle,
            start_date=timezone.localdate(),
            kind=kind,
            body=_body(parsed.blocks, {image.number for image in images}),
        )
        services.report_create(report=report, unit=unit, by=by)
        accepted: set[int] = set()
        for image in images:
            file = ContentFile(
                bytes(image), name=f"word-image-{image.number}.{_extension(image)}"
            )
            try:
                # A savepoint per picture: a refused one leaves the draft intact.
                with transaction.atomic():
                    photos.report_photo_add(report=report, by=by, file=file)
            except ValidationError as exc:
                reason = "；".join(str(m) for m in exc.messages)
                warnings.append(
                    _("第 %(n)d 张图片无法使用（%(reason)s），已跳过。")
                    % {"n": image.number, "reason": reason}
                )
            else:
                accepted.add(image.number)
        if len(accepted) < len(images):
            report.body = _body(parsed.blocks, accepted)
            services.report_update(report=report, by=by)
    return WordImportResult(report, warnings)
