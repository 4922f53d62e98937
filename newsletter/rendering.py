"""The article body format, shared by the editor, the public site, the print view,
the Word export and the legacy import.

A body is HTML sanitised with nh3 to ``p``, ``h3``, ``strong``, ``em`` and ``br``,
without attributes. ``h3`` holds a subheading (一、… or “义剪”——…). A paragraph
whose whole text is ``[照片N]`` places the article's photo N there; photos not
placed follow the last paragraph.

The editor's textarea shows the body as plain lines (``body_to_lines``): one
paragraph a line, a subheading on its own line, ``[照片N]`` lines. Inline
``<strong>``/``<em>`` stay in the line as those tags, and a line break inside a
paragraph as ``<br>``: an editor who knows no HTML never meets them unless the
text had them, and one who does can add them. A subheading that the numbering
rule would not recognise is written ``## 项目成效``. ``body_clean`` turns the
lines back into the HTML, so a round trip changes nothing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from django.utils.translation import gettext_lazy as _

from activities.models.reports import PHOTO_MARKER_RE, SUBHEADING_RE

BLOCK_TAGS = {"p", "h3"}
INLINE_TAGS = {"strong", "em", "br"}
ALLOWED_TAGS = BLOCK_TAGS | INLINE_TAGS
# The longest line taken for a subheading; a longer one that happens to start
# with "1." is a paragraph (the same rule as ActivityReport.blocks).
SUBHEADING_MAX = 40
# In the editor's lines, a subheading the rule above would not recognise (a past
# issue's "项目成效") is written with this mark in front.
SUBHEADING_MARK = "## "

_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BLOCK_TAG_RE = re.compile(r"<\s*/?\s*(p|h3|div|h[1-6]|ul|ol|li|table)\b", re.I)
# What every rendering shows where a past issue's file named a picture it did
# not hold (an ArticlePhoto with ``is_missing``).
MISSING_PHOTO_TEXT = _("原文此处有图片，未能导入")
# Word turns 【照片2】 and full-width digits into the same marker.
_MARKER_TEXT_RE = re.compile(r"^\s*[\[【]\s*照片\s*([0-9０-９]+)\s*[\]】]\s*$")


# A "<" that does not open or close an allowed inline tag is a character in a
# plain line ("a<b"), not the start of a tag for the sanitiser to swallow.
_STRAY_LT_RE = re.compile(r"<(?!\s*/?\s*(?:strong|em|br)\b)", re.I)
# Block tags other than p and h3 are boundaries too: their text becomes its own
# paragraph instead of running into its neighbour's.
_HEADING_TAG_RE = re.compile(r"<\s*(/?)\s*h[1-6]\b[^>]*>", re.I)
_OTHER_BLOCK_RE = re.compile(
    r"<\s*(/?)\s*(?:div|li|ul|ol|table|tr|td|th|blockquote|section|article)\b[^>]*>",
    re.I,
)


# Word and other editors write bold and italic as <b> and <i>.
_B_I_RE = re.compile(r"<\s*(/?)\s*(b|i)\s*>", re.I)


def _b_i(match) -> str:
    return f"<{match.group(1)}{'strong' if match.group(2).lower() == 'b' else 'em'}>"


def _sanitize(fragment: str, tags=ALLOWED_TAGS) -> str:
    fragment = _B_I_RE.sub(_b_i, fragment)
    return nh3.clean(fragment, tags=set(tags), attributes={}, strip_comments=True)


def _normalise_blocks(fragment: str) -> str:
    fragment = _HEADING_TAG_RE.sub(r"<\1h3>", fragment)
    return _OTHER_BLOCK_RE.sub(r"<\1p>", fragment)


def plain(fragment: str) -> str:
    """The text of an HTML fragment, tags dropped and entities decoded."""
    text = _TAG_RE.sub("", fragment.replace("<br>", "\n"))
    return html.unescape(text)


def photo_number(text: str) -> int | None:
    """N when ``text`` is a photo marker line ([照片N] or 【照片N】), else None."""
    match = _MARKER_TEXT_RE.match(text)
    if not match:
        return None
    digits = match.group(1).translate(
        str.maketrans("０１２３４５６７８９", "0123456789")
    )
    return int(digits)


def is_subheading(text: str) -> bool:
    text = text.strip()
    return bool(SUBHEADING_RE.match(text)) and len(text) <= SUBHEADING_MAX


# --- Parsing sanitised HTML into blocks -------------------------------------------


class _BlockParser(HTMLParser):
    """Split sanitised HTML into (tag, inner_html) top-level blocks. Inline content
    outside any block becomes a paragraph of its own."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocks: list[tuple[str, str]] = []
        self._tag: str | None = None
        self._buf: list[str] = []

    def _flush(self, tag: str | None):
        inner = "".join(self._buf).strip()
        self._buf = []
        if inner and plain(inner).strip():
            self.blocks.append((tag or "p", inner))

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._flush(self._tag)
            self._tag = tag
        elif tag == "br":
            self._buf.append("<br>")
        elif tag in INLINE_TAGS:
            self._buf.append(f"<{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._flush(self._tag)
            self._tag = None
        elif tag in INLINE_TAGS and tag != "br":
            self._buf.append(f"</{tag}>")

    def handle_data(self, data):
        self._buf.append(data)

    def handle_entityref(self, name):
        self._buf.append(f"&{name};")

    def handle_charref(self, name):
        self._buf.append(f"&#{name};")

    def close(self):
        super().close()
        self._flush(self._tag)


def html_blocks(body: str) -> list[tuple[str, str]]:
    """The sanitised body as (tag, inner_html) pairs, tag being ``p`` or ``h3``."""
    parser = _BlockParser()
    parser.feed(_sanitize(_normalise_blocks(body or "")))
    parser.close()
    return parser.blocks


def _serialise(blocks: list[tuple[str, str]]) -> str:
    return "\n".join(f"<{tag}>{inner}</{tag}>" for tag, inner in blocks)


# --- The three public functions -----------------------------------------------------


def _line_block(line: str) -> tuple[str, str] | None:
    """One plain line (inline tags allowed) as a block, or None when empty."""
    line = _B_I_RE.sub(_b_i, line.strip())
    inner = _sanitize(_STRAY_LT_RE.sub("&lt;", line), INLINE_TAGS).strip()
    # Text without a single "<br>" could be taken for nothing but whitespace.
    text = plain(inner).strip()
    if not text:
        return None
    number = photo_number(text)
    if number is not None:
        return ("p", f"[照片{number}]")
    explicit = text.startswith(SUBHEADING_MARK)
    if explicit or is_subheading(text):
        # A subheading carries no inline emphasis: it is already set apart.
        text = text.removeprefix(SUBHEADING_MARK).strip().replace("\n", " ")
        return ("h3", html.escape(text, quote=False))
    return ("p", inner)


def body_clean(text: str) -> str:
    """The body in the shared format from what an editor or an importer gives.

    Text with block tags (``<p>``, ``<h3>``, ``<div>``…) is taken as HTML and
    sanitised to the allowlist (other block tags drop, their text becomes
    paragraphs). Anything else is plain lines: one paragraph a line, subheading
    lines (``SUBHEADING_RE``) as ``h3``, ``[照片N]`` lines as markers, inline
    ``<strong>``/``<em>``/``<br>`` kept."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if _BLOCK_TAG_RE.search(text):
        blocks = []
        for tag, inner in html_blocks(text):
            number = photo_number(plain(inner))
            if number is not None:
                blocks.append(("p", f"[照片{number}]"))
            else:
                blocks.append((tag, inner))
        return _serialise(blocks)
    blocks = [block for line in text.split("\n") if (block := _line_block(line))]
    return _serialise(blocks)


def report_body_to_html(report_body: str) -> str:
    """A report's body (plain lines, ``[照片N]``/``【照片N】`` lines, subheading
    lines) in the shared format. A report is text, not markup: a "<" in it is a
    character, never a tag."""
    blocks = []
    for raw in (report_body or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        marker = PHOTO_MARKER_RE.match(line)
        if marker:
            blocks.append(("p", f"[照片{int(marker.group(1))}]"))
        elif is_subheading(line):
            blocks.append(("h3", html.escape(line, quote=False)))
        else:
            blocks.append(("p", html.escape(line, quote=False)))
    return _serialise(blocks)


def body_to_lines(body: str) -> str:
    """The body as the editor's textarea shows it: one block a line, a blank
    line between blocks so that long paragraphs stay apart when they wrap
    (``body_clean`` skips blank lines)."""
    lines = []
    for tag, inner in html_blocks(body):
        # Entities decoded for reading; body_clean escapes them again.
        line = html.unescape(inner)
        if tag == "h3" and not is_subheading(plain(inner)):
            line = SUBHEADING_MARK + line
        lines.append(line)
    return "\n\n".join(lines)


@dataclass(frozen=True)
class Block:
    """One block of an article as every renderer sees it. ``html`` is sanitised
    inner HTML (safe to output), ``text`` its plain text; a photo block carries
    the ArticlePhoto and its number."""

    kind: str  # "paragraph", "subheading" or "photo"
    html: str = ""
    text: str = ""
    photo: object = None
    number: int = 0

    @property
    def is_photo(self) -> bool:
        return self.kind == "photo"

    @property
    def is_subheading(self) -> bool:
        return self.kind == "subheading"

    @property
    def is_paragraph(self) -> bool:
        return self.kind == "paragraph"


def text_blocks(body: str) -> list[Block]:
    """The paragraphs and subheadings of a body, photo markers left out: what the
    privacy gate reads."""
    blocks = []
    for tag, inner in html_blocks(body):
        text = plain(inner)
        if photo_number(text) is not None:
            continue
        kind = "subheading" if tag == "h3" else "paragraph"
        blocks.append(Block(kind, inner, text))
    return blocks


def article_blocks(article) -> list[Block]:
    """The article in reading order: paragraphs, subheadings and photos, each
    photo where its ``[照片N]`` stands, the photos not placed after the last
    paragraph. Uses ``article.photos.all()`` (prefetch it); a marker whose photo
    is gone is dropped, and a photo is shown once."""
    photos = sorted(article.photos.all(), key=lambda p: (p.position, p.pk))
    by_number = {photo.position: photo for photo in photos}
    placed: set[int] = set()
    blocks: list[Block] = []
    for tag, inner in html_blocks(article.body):
        text = plain(inner)
        number = photo_number(text)
        if number is not None:
            photo = by_number.get(number)
            if photo is not None and photo.pk not in placed:
                placed.add(photo.pk)
                blocks.append(Block("photo", photo=photo, number=number))
            continue
        kind = "subheading" if tag == "h3" else "paragraph"
        blocks.append(Block(kind, inner, text))
    for photo in photos:
        if photo.pk not in placed:
            blocks.append(Block("photo", photo=photo, number=photo.position))
    return blocks


def renumber_markers(body: str, mapping: dict[int, int | None]) -> str:
    """The body with its ``[照片N]`` markers moved as ``mapping`` says (old number
    -> new number, or None when the photo was removed: its marker goes)."""
    blocks = []
    for tag, inner in html_blocks(body):
        number = photo_number(plain(inner))
        if number is not None and number in mapping:
            new = mapping[number]
            if new is None:
                continue
            inner = f"[照片{new}]"
        blocks.append((tag, inner))
    return _serialise(blocks)
