"""The seed issue as a text saved from its PDF gives it (pdftotext, or a copy
out of a PDF viewer): paragraphs wrapped at the page's width with a two
full-width space indent, a masthead, dotted contents with page numbers, a
running head and a page number between pages (a form feed after each page),
and the distribution block (报送/抄送/印发) at the end."""

import re

from newsletter.legacy.source import IMAGE_MARKER_RE
from tests.newsletter.legacy.helpers import TITLE_LINES, body_start

# Page numbers as Chinese documents print them; {n} the page, {total} the count.
PAGE_NUMBER_FORMS = [
    "－ {n} －",
    "— {n} —",
    "- {n} -",
    "–{n}–",
    "第{n}页",
    "第 {n} 页 共 {total} 页",
    "{n}/{total}",
    "{n}",
]

MASTHEAD = ["云浮民政简报", "云浮市民政局编　　　　　　2023年3月10日"]
CLOSING = [
    "报送：省民政厅，市委办公室，市政府办公室。",
    "抄送：各县（市、区）民政局，市直有关单位，各镇（街道）社工站，"
    "全市“双百工程”社工督导团队。",
    "云浮市民政局办公室　　　　　　　　2023年3月10日印发",
]
INDENT = "\u3000\u3000"


def _pieces(text: str) -> list[str]:
    """The text's characters, a picture marker kept whole (a picture is not
    cut by a line break)."""
    pieces: list[str] = []
    position = 0
    for match in IMAGE_MARKER_RE.finditer(text):
        pieces.extend(text[position : match.start()])
        pieces.append(match.group(0))
        position = match.end()
    pieces.extend(text[position:])
    return pieces


def wrap(text: str, width: int, first: str = "") -> list[str]:
    """``text`` wrapped at ``width`` characters, the first line after ``first``."""
    lines: list[str] = []
    current = first
    for piece in _pieces(text):
        if len(current) + (1 if len(piece) > 1 else len(piece)) > width and current:
            lines.append(current)
            current = ""
        current += piece
    if current:
        lines.append(current)
    return lines


def _plain_lines(seed_text: str) -> tuple[list[str], list[str]]:
    """The seed's contents lines and body lines, stripped, blank lines left out."""
    start = body_start(seed_text)
    clean = [
        line.strip(" \u3000")
        for line in seed_text[:start].splitlines()
        if line.strip(" \u3000")
    ]
    body = [
        line.strip(" \u3000")
        for line in seed_text[start:].splitlines()
        if line.strip(" \u3000")
    ]
    return clean, body


def _contents(lines: list[str], width: int) -> list[str]:
    out: list[str] = []
    page = 1
    for number, line in enumerate(lines):
        if line.replace(" ", "") == "本期内容" or line.startswith("●"):
            out.append(line)
            continue
        page += number % 2
        wrapped = wrap(line, width)
        last = wrapped[-1]
        leaders = "…" * max(2, width - len(last) - len(str(page)))
        out += wrapped[:-1] + [f"{last}{leaders}{page}"]
    return out


def _body(lines: list[str], width: int, title_width: int, indent: bool) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.startswith("●"):
            out.append(line)
        elif line in TITLE_LINES or line.startswith("——"):
            out += wrap(line, title_width)
        elif line.startswith("，"):
            # Goes on with the paragraph a picture interrupted.
            out += wrap(line, width)
        else:
            out += wrap(line, width, INDENT if indent else "")
    return out


def paged_text(
    seed_text: str,
    *,
    page_number: str = PAGE_NUMBER_FORMS[0],
    width: int = 38,
    title_width: int | None = None,
    page_lines: int = 40,
    head: str = "云浮民政简报",
    indent: bool = True,
    form_feed: bool = True,
    masthead: list[str] | None = None,
    closing: list[str] | None = None,
) -> str:
    """The seed laid out on pages of ``page_lines`` lines, as pdftotext gives
    it (``form_feed=False``: as a PDF viewer copies it, without form feeds)."""
    contents, body = _plain_lines(seed_text)
    lines = (
        list(MASTHEAD if masthead is None else masthead)
        + _contents(contents, width)
        + _body(body, width, title_width or width, indent)
        + list(CLOSING if closing is None else closing)
    )
    pages = [lines[i : i + page_lines] for i in range(0, len(lines), page_lines)]
    total = len(pages)
    out: list[str] = []
    for n, page in enumerate(pages, start=1):
        top = [head, ""] if head and n > 1 else []
        foot = ["", page_number.format(n=n, total=total)]
        out.append("\n".join(top + page + foot) + "\n")
    return ("\f" if form_feed else "").join(out)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
