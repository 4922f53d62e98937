"""Page furniture of a past issue that was laid out on pages (a PDF, or a text
saved from one): page numbers and the running heads and footers repeated on
every page. None of it belongs to an article, so the readers drop it before
reading the issue (reflow.py for text, pdf.py for PDF files)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

# Dashes and dots that frame a page number: － 2 －, — 2 —, - 2 -, –2–, ·2·.
_FRAME = r"[-－—–―─‒~～·•]"
_NUMERAL = r"(?:\d{1,3}|[一二三四五六七八九十百]{1,4})"
_PAGE_NUMBER_RES = [
    # — 2 — and its kin; the frame may be doubled (——2——).
    re.compile(rf"^{_FRAME}{{1,3}}\s*\d{{1,3}}\s*{_FRAME}{{1,3}}$"),
    # 第2页, 第 2 页 共 8 页, 第2页/共8页, 第2页，共8页
    re.compile(rf"^第\s*{_NUMERAL}\s*页(?:\s*[,，/、]?\s*共\s*{_NUMERAL}\s*页)?$"),
    # 共8页 第2页
    re.compile(rf"^共\s*{_NUMERAL}\s*页\s*[,，/、]?\s*第\s*{_NUMERAL}\s*页$"),
    # Page 2, Page 2 of 8, p. 2
    re.compile(r"^(?:page|p\.)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.IGNORECASE),
    # a bare 2, or (2)
    re.compile(r"^[(（]?\d{1,3}[)）]?$"),
]
# 2/8: the page is not after the last one (so 3/1 is not taken for a page).
_OF_RE = re.compile(r"^(\d{1,3})\s*/\s*(\d{1,3})$")

# How many lines at the top and at the bottom of a page may be furniture (a
# running head over two lines and a page number under it).
ZONE_DEPTH = 3
# A running head is short; a longer repeated line is text.
FURNITURE_MAX = 60


def _plain(text: str) -> str:
    """Full-width digits, letters and slashes in their ASCII form, no spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def is_page_number(text: str) -> bool:
    """Whether a line is a page number alone, in any form a Chinese document
    prints one: － 2 －, — 2 —, - 2 -, –2–, 第2页, 第 2 页 共 8 页, 2/8, a bare 2."""
    text = _plain(text)
    if not text or len(text) > 20:
        return False
    match = _OF_RE.match(text)
    if match:
        page, total = int(match.group(1)), int(match.group(2))
        return 0 < page <= total
    return any(pattern.match(text) for pattern in _PAGE_NUMBER_RES)


def _shape(text: str) -> str:
    """A line's text with its numbers masked, so that the running head
    ``云浮民政简报 — 2 —`` of one page equals ``云浮民政简报 — 3 —`` of the next."""
    text = re.sub(r"\s+", "", _plain(text))
    return re.sub(r"\d+|[一二三四五六七八九十]+(?=页)", "#", text)


def _zone(page: Sequence[str], from_bottom: bool) -> list[int]:
    """Indexes of the page's non-blank lines nearest its top (or bottom)."""
    order = range(len(page) - 1, -1, -1) if from_bottom else range(len(page))
    found: list[int] = []
    for index in order:
        if page[index].strip():
            found.append(index)
            if len(found) == ZONE_DEPTH:
                break
    return found


def furniture_lines(pages: Sequence[Sequence[str]]) -> set[tuple[int, int]]:
    """``(page, line)`` indexes of the lines to drop: page numbers, and lines
    repeated at the top or the bottom of several pages (numbers inside them may
    change from page to page).

    A page is peeled from its edge inwards and stops at the first line that is
    not furniture, so a body line that happens to open two pages is kept unless
    it is the page's first line and repeats on a third of the pages."""
    if not pages:
        return set()
    needed = max(2, math.ceil(len(pages) / 3))
    found: set[tuple[int, int]] = set()
    for from_bottom in (False, True):
        zones = [_zone(page, from_bottom) for page in pages]
        # How far each page is peeled; -1 once a line that stays was reached.
        peeled = [0] * len(pages)
        for _depth in range(ZONE_DEPTH):
            candidates: dict[int, str] = {}
            for number, zone in enumerate(zones):
                if not 0 <= peeled[number] < len(zone):
                    continue
                index = zone[peeled[number]]
                text = pages[number][index]
                if len(text.strip()) <= FURNITURE_MAX:
                    candidates[number] = _shape(text)
            counts = Counter(candidates.values())
            moved = False
            for number, shape in candidates.items():
                index = zones[number][peeled[number]]
                text = pages[number][index]
                if counts[shape] >= needed or is_page_number(text):
                    found.add((number, index))
                    peeled[number] += 1
                    moved = True
                else:
                    peeled[number] = -1
            if not moved:
                break
    return found


def drop_furniture(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """The pages without their page numbers, running heads and footers."""
    dropped = furniture_lines(pages)
    return [
        [text for index, text in enumerate(page) if (number, index) not in dropped]
        for number, page in enumerate(pages)
    ]
