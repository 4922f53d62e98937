"""Scans of the printed paper made in the tests: the seed issue's text laid out
on A4 pages at 200 dpi the way the paper prints it (titles centred in a bold
face, body paragraphs indented two characters, the contents left-aligned) with
a Noto CJK font, as PNG pictures or a PDF of page images (no text layer)."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from .helpers import SEED_ARTICLES, TITLE_LINES, body_start

# A4 at 200 dpi, 2.4 cm margins; body 10.5 pt, titles 14 pt.
PAGE = (1654, 2339)
MARGIN = 190
BODY_PX = 29
TITLE_PX = 39
# The share of a worn paragraph's ink that is missing.
WORN = 0.18


def _face(family: str, style: str) -> str | None:
    """The file of a Noto CJK face that has simplified Chinese (``fc-list``)."""
    if shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "file", "family", "style"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    for row in listed.splitlines():
        if f"{family} SC" in row and style in row:
            return row.split(":", 1)[0]
    return None


@cache
def fonts() -> tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont] | None:
    """(body, title) faces: Noto Serif CJK SC and Noto Sans CJK SC Bold from
    fonts-noto-cjk, or None when they are not installed."""
    body_file = _face("Noto Serif CJK", "Regular")
    title_file = _face("Noto Sans CJK", "Bold")
    if not body_file or not title_file:
        return None
    return _sc(body_file, BODY_PX), _sc(title_file, TITLE_PX)


def _sc(path: str, size: int) -> ImageFont.FreeTypeFont:
    """The simplified Chinese face of a .ttc collection."""
    for index in range(10):
        font = ImageFont.truetype(path, size, index=index)
        if font.getname()[0].endswith(" SC"):
            return font
    return ImageFont.truetype(path, size)


def _wrap(text: str, font, width: float, indent: float) -> list[tuple[str, float]]:
    rows: list[tuple[str, float]] = []
    current, offset = "", indent
    for ch in text:
        if current and font.getlength(current + ch) > width - offset:
            rows.append((current, offset))
            current, offset = "", 0.0
        current += ch
    rows.append((current, offset))
    return rows


def layout(text: str, *, smudge: str = "", numbered: bool = True) -> list[Image.Image]:
    """``text`` (lines as in the seed) printed on pages. Title lines of the seed
    are centred in the title face; lines before the body (the contents) and
    section headings (●…) start at the margin; other lines are paragraphs. The
    paragraph starting with ``smudge`` is printed worn, part of its ink
    missing, so that OCR is unsure of it. Pages are numbered at the foot
    (— 1 —) unless ``numbered`` is false."""
    body, title = fonts()
    width = PAGE[0] - 2 * MARGIN
    pages: list[Image.Image] = []
    state = {"y": PAGE[1]}

    def room(height: int) -> ImageDraw.ImageDraw:
        if state["y"] + height > PAGE[1] - MARGIN:
            pages.append(Image.new("L", PAGE, 255))
            state["y"] = MARGIN
        return ImageDraw.Draw(pages[-1])

    # Text without contents (one ●市级动态) is all body.
    start = body_start(text) if text.count("●市级动态") > 1 else 0
    for in_body, part in ((False, text[:start]), (True, text[start:])):
        for raw in part.splitlines():
            line = raw.strip()
            if not line:
                state["y"] += BODY_PX // 2
                continue
            if in_body and line in TITLE_LINES:
                for row, _offset in _wrap(line, title, width, 0):
                    draw = room(int(TITLE_PX * 1.6))
                    x = MARGIN + (width - title.getlength(row)) / 2
                    draw.text((x, state["y"]), row, font=title, fill=0)
                    state["y"] += int(TITLE_PX * 1.6)
                continue
            paragraph = in_body and not line.startswith("●")
            indent = 2 * BODY_PX if paragraph else 0
            for row, offset in _wrap(line, body, width, indent):
                draw = room(int(BODY_PX * 1.7))
                position = (MARGIN + offset, state["y"])
                if smudge and line.startswith(smudge):
                    _smudged(pages[-1], position, row, body)
                else:
                    draw.text(position, row, font=body, fill=0)
                state["y"] += int(BODY_PX * 1.7)
            if paragraph:
                state["y"] += BODY_PX // 3
    if numbered:
        for number, page in enumerate(pages, start=1):
            footer = f"— {number} —"
            x = (PAGE[0] - body.getlength(footer)) / 2
            ImageDraw.Draw(page).text(
                (x, PAGE[1] - MARGIN + BODY_PX), footer, font=body, fill=0
            )
    return pages


def _smudged(page: Image.Image, position, row: str, font) -> None:
    """``row`` printed with a fifth of its ink missing, at random (seeded)."""
    size = (int(font.getlength(row)) + 8, int(BODY_PX * 1.5))
    patch = Image.new("L", size, 255)
    ImageDraw.Draw(patch).text((4, 0), row, font=font, fill=0)
    pixels = patch.load()
    chance = random.Random(row)
    for x in range(size[0]):
        for y in range(size[1]):
            if pixels[x, y] < 128 and chance.random() < WORN:
                pixels[x, y] = 255
    page.paste(patch, (int(position[0]) - 4, int(position[1])))


def png(page: Image.Image) -> bytes:
    buffer = io.BytesIO()
    page.save(buffer, "PNG", dpi=(200, 200))
    return buffer.getvalue()


def pdf(pages: list[Image.Image]) -> bytes:
    """The pages as a PDF of images only (Pillow's PDF writer: no text layer)."""
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=200, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def condensed_seed(seed_text: str) -> str:
    """The seed cut down to two pages: its contents, then each article's title
    and subtitle as printed and the first sentence of its first paragraph, in
    its section."""
    start = body_start(seed_text)
    contents = seed_text[:start]
    lines = [line.strip() for line in seed_text[start:].splitlines()]
    out = [contents.rstrip(), ""]
    want_paragraph = False
    for line in lines:
        if not line:
            continue
        if line.startswith("●"):
            out += [line, ""]
        elif line in TITLE_LINES:
            out.append(line)
            want_paragraph = True
        elif want_paragraph and len(line) > 50:
            first = re.split(r"(?<=[。！？])", line)[0]
            out += [first, ""]
            want_paragraph = False
    return "\n".join(out) + "\n"


SEED_TITLES = [(section, title) for section, title, _sub in SEED_ARTICLES]


# --- The scans the OCR tests read, each read once per test process ------------

SEED = Path(__file__).resolve().parents[3] / "newsletter" / "data" / "seed_issue.txt"
# The first article's first paragraph, printed worn on the photo of page 1.
SMUDGED = "为充分调动社工专业学习的积极性和主动性"
NO_FONTS = "fonts-noto-cjk is not installed: the test scans are printed in Noto CJK"
NO_OCR = "tesseract-ocr with tesseract-ocr-chi-sim is not installed"


def need_fonts() -> None:
    if fonts() is None:
        pytest.skip(NO_FONTS)


def need_ocr() -> None:
    from django.core.exceptions import ValidationError

    from newsletter.legacy import ocr

    try:
        ocr.check_available()
    except ValidationError:
        pytest.skip(NO_OCR)


@cache
def seed_photo() -> bytes:
    """Page 1 of the seed as printed: the contents, then the first article."""
    return png(layout(SEED.read_text(encoding="utf-8"))[0])


@cache
def worn_photo() -> bytes:
    """The start of the seed's first article on a page, its first paragraph
    worn."""
    text = SEED.read_text(encoding="utf-8")
    start = body_start(text)
    # The section heading, the title over three lines and two paragraphs.
    article = [line for line in text[start:].splitlines() if line.strip()][:6]
    return png(layout("\n".join(article), smudge=SMUDGED)[0])


@cache
def condensed_scan() -> bytes:
    """The condensed seed (every section and article) as a two-page PDF of
    page images."""
    return pdf(layout(condensed_seed(SEED.read_text(encoding="utf-8"))))


@cache
def _read(data: bytes) -> tuple:
    from newsletter.legacy import ocr

    return tuple(ocr.read_scan(data))


def read_once(data: bytes) -> list:
    """The lines OCR reads from ``data``, read once per test process and put in
    the cache again for each test (the cache is emptied between tests), so the
    import and its confirmation use them as they would in one session."""
    from django.core.cache import cache as django_cache

    from newsletter.legacy import ocr

    lines = list(_read(data))
    django_cache.set(ocr.cache_key(data), lines, ocr.CACHE_FOR)
    return lines


def page_url(token: str, number: int) -> str:
    """The address of page ``number``'s picture of the held scan ``token``."""
    from django.urls import reverse

    return reverse("newsletter_staff:legacy_import_page", args=[token, number])
