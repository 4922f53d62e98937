"""The document's paragraphs in reading order: their text lines and the pictures
before and after their text, walked from the XML (tables cell by cell; text
boxes, headers, footers, footnotes and comments are not read)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.text.paragraph import Paragraph

# The upload limits are set in the package's __init__, where the upload view
# reads them too, and looked up there on each call, so that one value (or a
# test's patch of it) holds for both.
from .. import word_import as limits

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
        if number > limits.MAX_IMAGES:
            if not self.too_many:
                self.too_many = True
                self.warnings.append(
                    _("文件中的图片超过 %(max)d 张，第 %(n)d 张起已跳过。")
                    % {"max": limits.MAX_IMAGES, "n": number}
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
