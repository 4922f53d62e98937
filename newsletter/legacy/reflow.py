"""A text copy saved from a PDF (pdftotext, or copied out of a PDF viewer) put
back into one line a paragraph, as the reader expects of a text copy.

Such a text keeps the printed lines: a paragraph is wrapped at the page's
width, a running head and a page number stand between pages (pdftotext puts a
form feed there), and the contents keep their dot leaders and page numbers. It
is told apart from a text copy of a Word file by its form feeds, its page
number lines, or its lines ending at one width while their sentences run on.

What is dropped: page numbers and running heads and footers (furniture.py).
Where a line is joined to the one before it: when that one reaches the common
width (the paragraph went on), unless this line starts a paragraph of its own:
indented two characters (two full-width spaces or four spaces), a section
heading (●市级动态), a subtitle (——…), the contents heading, or a short line
after a sentence's end (a title after a paragraph that filled its last line).
A short line ends its paragraph; a contents line ending in its page number ends
its entry, so an entry wrapped over two lines is joined and the next one is not.

Any other text is returned unchanged."""

from __future__ import annotations

import re
import unicodedata

from activities.models.reports import SUBHEADING_RE

from . import lines as L
from .furniture import furniture_lines, is_page_number

# A contents line's dot leaders and page number.
TOC_LEADER_RE = re.compile(r"(?:[.．·•_]{3,}|…{2,}|[-－]{4,}|\t)\s*\d{1,3}$")
# A paragraph's first-line indent: two full-width spaces, four spaces, a tab.
_INDENT_RE = re.compile(r"^(?:[\u3000]{1,}|[ \u00a0]{4,}|\t)")
# A line starting inside a sentence: what follows a picture in its paragraph.
_AFTER_PICTURE_RE = re.compile(r"^[，、；,;]")
# Lines this long or longer may be wrapped lines; shorter ones do not tell the
# page's width.
_MEASURED_MIN = 8
# A wrapped line ends within this many half-width columns of the common width.
_FULL_SLACK = 3
# How many lines must end at the common width for a text to be taken as wrapped.
_WRAPPED_MIN = 5


def _columns(text: str) -> int:
    """The width a line takes on the page, in half-width columns."""
    # Ambiguous characters (“ ” … —) are set full-width in a Chinese text.
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


class _Width:
    """The common width of a wrapped text: in columns (what a PDF's justified
    lines share), and in characters (what a copy wrapped by count shares)."""

    def __init__(self, columns: int, chars: int):
        self.columns = columns
        self.chars = chars

    def reaches(self, raw: str) -> bool:
        return _columns(raw) >= self.columns - _FULL_SLACK or len(raw) >= self.chars - 1


def _measure(raws: list[str]) -> _Width | None:
    """The common width when most lines end at one width and sentences run on
    across them; None for a text with one paragraph a line."""
    measured = [
        raw
        for raw in raws
        if len(raw.strip()) >= _MEASURED_MIN
        and not TOC_LEADER_RE.search(raw)
        and not is_page_number(raw)
    ]
    if len(measured) < _WRAPPED_MIN:
        return None
    edges = sorted(_columns(raw) for raw in measured)
    best, best_count = 0, 0
    for edge in set(edges):
        count = sum(1 for e in edges if edge - _FULL_SLACK <= e <= edge)
        if count > best_count or (count == best_count and edge > best):
            best, best_count = edge, count
    longer = sum(1 for e in edges if e > best + _FULL_SLACK + 1)
    if best_count < max(_WRAPPED_MIN, 0.3 * len(edges)) or longer > 0.1 * len(edges):
        return None
    at_width = [raw for raw in measured if best - _FULL_SLACK <= _columns(raw) <= best]
    run_on = sum(1 for raw in at_width if not L.ends_sentence(raw.strip()))
    if run_on < 3:
        return None
    lengths = [len(raw) for raw in at_width]
    chars = max(set(lengths), key=lambda n: (lengths.count(n), n))
    return _Width(best, chars)


def _page_numbers(raws: list[str]) -> int:
    """How many lines are page numbers printed with their frame (－ 2 －, 第2页);
    a bare number alone says too little."""
    return sum(1 for raw in raws if is_page_number(raw) and not raw.strip().isdigit())


def _pages(text: str) -> list[list[str]]:
    """The text's pages: split at form feeds, else after each page number."""
    if "\f" in text:
        return [page.splitlines() for page in text.split("\f")]
    pages: list[list[str]] = [[]]
    for raw in text.splitlines():
        pages[-1].append(raw)
        if is_page_number(raw):
            pages.append([])
    return pages


def looks_paged(text: str) -> bool:
    """Whether the text was saved from a PDF: form feeds between its pages,
    page number lines, or lines wrapped at one width."""
    if "\f" in text:
        return True
    raws = [raw.rstrip() for raw in text.splitlines()]
    return _page_numbers(raws) >= 2 or _measure(raws) is not None


def _indented(raw: str) -> bool:
    return bool(_INDENT_RE.match(raw)) and bool(raw.strip())


def _own_line(text: str) -> bool:
    """A line that always stands alone, whatever is around it."""
    return bool(
        L.section_heading(text)
        or L.is_toc_heading(text)
        or L.is_image_marker_only(text)
    )


def _continues(previous: str, raw: str, width: _Width | None) -> bool:
    """Whether ``raw`` goes on with the paragraph whose last line is ``previous``
    (both as printed, indentation included)."""
    before, text = previous.strip(), raw.strip()
    if _own_line(before) or TOC_LEADER_RE.search(before) or _own_line(text):
        return False
    if L.CONTINUATION_START_RE.match(text):
        # No line of its own starts with a comma or a closing quote: a title
        # wrapped short of the width (…“双百工程 / ”社工站副站长会议) goes on.
        return True
    if _indented(raw) or L.is_subtitle_start(text):
        return False
    if _AFTER_PICTURE_RE.match(before) and not L.ends_sentence(before):
        # The rest of a sentence beside an inline picture (，更是希望在他们心中播)
        # is short of the width, yet its sentence goes on below.
        return True
    if width is None or not width.reaches(previous.rstrip()):
        return False
    if L.ends_sentence(before):
        # After a sentence's end a new paragraph, subheading or title may
        # begin even without an indent; what goes on with the sentence fills
        # its line or ends a sentence itself.
        if SUBHEADING_RE.match(text):
            return False
        if not width.reaches(raw.rstrip()) and not L.ends_sentence(text):
            return False
    return True


def _short_leaders(text: str) -> str:
    """A contents line with its dot leaders cut to two (``title……3``): they
    fill the printed line, and the reader judges a contents line by length."""
    match = TOC_LEADER_RE.search(text)
    if not match:
        return text
    number = re.search(r"\d{1,3}$", text).group(0)
    return f"{text[: match.start()].rstrip()}……{number}"


def _join(before: str, after: str) -> str:
    """Two wrapped pieces of one paragraph; words of a Latin text keep their
    space, Chinese text has none to keep."""
    if re.search(r"[A-Za-z]$", before) and re.match(r"[A-Za-z]", after):
        return f"{before} {after}"
    return before + after


def reflow(text: str) -> str:
    """One line a paragraph when the text was saved from a PDF; otherwise the
    text unchanged."""
    if not looks_paged(text):
        return text
    pages = [[raw.rstrip() for raw in page] for page in _pages(text)]
    dropped = furniture_lines(pages)
    # Each kept line, and whether a blank line stands before it on its page (a
    # page break is not a paragraph break: a paragraph runs on to the next page).
    kept: list[tuple[str, bool]] = []
    for number, page in enumerate(pages):
        blank = on_page = False
        for index, raw in enumerate(page):
            if (number, index) in dropped:
                continue
            if not raw.strip():
                blank = on_page
                continue
            if is_page_number(raw) and not raw.strip().isdigit():
                continue
            kept.append((raw, blank))
            blank, on_page = False, True
    width = _measure([raw for raw, _blank in kept])
    paragraphs: list[str] = []
    previous = ""
    for raw, blank in kept:
        if paragraphs and not blank and _continues(previous, raw, width):
            paragraphs[-1] = _join(paragraphs[-1], raw.strip())
        else:
            if blank and paragraphs:
                paragraphs.append("")
            paragraphs.append(raw.strip())
        previous = raw
    return "\n".join(_short_leaders(text) for text in paragraphs) + "\n"
