"""``read_docx``: a .docx read into a title, a subtitle and body blocks in
document order (the reading rules are in the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import ActivityReport
from ..models.reports import SUBHEADING_RE
from .container import _damaged, _open, _refuse_package, logger
from .paragraphs import DocImage, _Para, _Reader

TITLE_MAX = ActivityReport._meta.get_field("title").max_length
SUBTITLE_MAX = ActivityReport._meta.get_field("subtitle").max_length
# A line of a title broken over several paragraphs is short; body paragraphs are
# not. Plain (unstyled, not centred) continuation lines must be shorter still,
# since nothing but their length tells them from the first body paragraph.
CONTINUATION_MAX = 40
PLAIN_CONTINUATION_MAX = 30
TITLE_MAX_LINES = 3
SUBHEADING_MAX = 40

# "——" written with em dashes, horizontal bars, full-width or ASCII hyphens.
SUBTITLE_DASHES_RE = re.compile(r"^[—―─－\-]{2,}\s*")
# A line ending a sentence, or introducing what follows, is body text.
SENTENCE_END_RE = re.compile(r"[。！？；：…!?;:]$")
# Lines a worker puts under the title that are not part of it.
BYLINE_RE = re.compile(
    r"(?:文\s*[/／]|图\s*[/／]|来源|供稿|作者|通讯员|编辑|"
    r"^\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$)"
)


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
