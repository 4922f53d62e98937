"""``read_scan``: a scan of the printed paper (a PDF of page images, or a photo
of a page) read by OCR into lines, one paragraph a line, as the other formats
give them (source.py), with the page each came from and how sure the OCR was.

Tesseract (Debian's ``tesseract-ocr`` and ``tesseract-ocr-chi-sim``) is run on
each page (scan_pages.py renders them) with the simplified Chinese model alone:
adding the English one read fewer characters right on a page of the seed issue
and took four times as long (bench/README.md). Its TSV output gives
each word's box and confidence; from them:

- the words of a printed line are joined without the spaces Tesseract puts
  between Chinese characters (a space stays between two Latin words or numbers);
- the printed lines become paragraphs as a reader of the page sees them: a line
  indented from the text's left edge, one whose first word would have fitted
  on the line before, one after a wider gap, a section heading or a centred
  line opens a paragraph; the others continue it, also across a page break;
- page numbers, running heads and footers are dropped (furniture.py);
- each paragraph keeps the lowest mean confidence of its printed lines, so one
  badly read line flags its paragraph (``Line.low_confidence``).

An issue read this way is imported as a draft for an editor to check against
the pages (newsletter/services/legacy.py). The result is kept in the cache for a
day under the file's SHA-256, so the import confirmed after its preview does
not read the pages again."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import lines as L
from . import scan_pages
from .furniture import furniture_lines
from .structure import Line

FORMAT = "ocr"
LANGUAGE = "chi_sim"
# Seconds for one page; a clean A4 page takes about 8 on one core.
PAGE_TIMEOUT = 120
# Page segmentation: one column of text of varying sizes, as the paper prints
# it. The automatic layout (3) cut paragraphs beside a bold title into columns.
PSM = "4"
CACHE_FOR = 24 * 60 * 60
_CACHE_VERSION = 1


@dataclass
class Printed:
    """One printed line of a page as Tesseract read it: its text and box."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    # Mean confidence of its words (0-100), weighted by their characters.
    confidence: float
    # The width its first Latin word or number takes (it cannot be cut), when
    # it starts with one; for a Chinese start the layout's character width.
    lead: float | None = None

    @property
    def height(self) -> int:
        return self.bottom - self.top


def _missing() -> ValidationError:
    return ValidationError(
        _(
            "这是扫描件（图片），需要文字识别（OCR）才能读取，但服务器上没有安装"
            "文字识别程序或它的简体中文模型。请系统管理员安装 tesseract-ocr 和 "
            "tesseract-ocr-chi-sim 两个软件包后再导入；也可以上传这一期的 Word 或"
            "文本文件。"
        ),
        code="ocr_missing",
    )


def _environment() -> dict:
    # One thread a page: on a shared server Tesseract's own threads make it
    # slower, not faster.
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def check_available() -> str:
    """The path of ``tesseract`` when it and its Chinese model are installed;
    a ValidationError that says what to install otherwise."""
    program = shutil.which("tesseract")
    if program is None:
        raise _missing()
    try:
        listed = subprocess.run(
            [program, "--list-langs"],
            capture_output=True,
            timeout=30,
            env=_environment(),
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise _missing() from exc
    languages = (listed.stdout + listed.stderr).decode("utf-8", "replace").split()
    if LANGUAGE not in languages:
        raise _missing()
    return program


def cache_key(data: bytes) -> str:
    """Where the lines read from ``data`` are kept for ``CACHE_FOR`` seconds."""
    return f"legacy-ocr:{_CACHE_VERSION}:{hashlib.sha256(data).hexdigest()}"


def read_scan(data: bytes, *, progress=None) -> list[Line]:
    """The scan's paragraphs, in reading order. A ValidationError with a
    Chinese message when OCR is not installed, the scan cannot be read or has
    too many pages, or a page takes too long. ``progress(done, total,
    message)``, when given, is told before each page is read (a background
    job's progress, core/jobs/)."""
    key = cache_key(data)
    cached = cache.get(key)
    if cached is not None:
        return cached
    program = check_available()
    total = scan_pages.page_count(data) if progress is not None else 0
    pages = []
    for number, image in enumerate(scan_pages.ocr_pages(data), start=1):
        if progress is not None:
            progress(
                number - 1,
                total,
                _("正在识别第 %(n)d / %(total)d 页") % {"n": number, "total": total},
            )
        pages.append(read_page(program, image, number))
    lines = lines_of(pages)
    if not lines:
        raise ValidationError(
            _(
                "没有从图片中识别出文字。请上传清晰、端正、每页完整的简报扫描件，"
                "或上传这一期的 Word、PDF 或文本文件。"
            )
        )
    cache.set(key, lines, CACHE_FOR)
    return lines


def lines_of(pages: list[list[Printed]]) -> list[Line]:
    """The paragraphs of the pages' printed lines, without page furniture."""
    dropped = furniture_lines([[p.text for p in page] for page in pages])
    return paragraphs(
        [
            [p for index, p in enumerate(page) if (number, index) not in dropped]
            for number, page in enumerate(pages)
        ]
    )


def read_page(program: str, image, number: int) -> list[Printed]:
    """The printed lines Tesseract (``program``, from ``check_available``)
    reads on one page picture; ``number`` names the page in messages."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(scan_pages.OCR_DPI, scan_pages.OCR_DPI))
    failed = ValidationError(
        _("扫描件第 %(n)d 页无法识别。请检查这一页是否清晰、完整后重新上传。")
        % {"n": number}
    )
    try:
        done = subprocess.run(
            [program, "stdin", "stdout", "-l", LANGUAGE, "--psm", PSM, "tsv"],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=PAGE_TIMEOUT,
            env=_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ValidationError(
            _(
                "扫描件第 %(n)d 页识别超时（超过 %(s)d 秒）。"
                "请上传更清晰的扫描件，或把页面裁剪到只有正文。"
            )
            % {"n": number, "s": PAGE_TIMEOUT}
        ) from exc
    except OSError as exc:
        raise _missing() from exc
    if done.returncode != 0:
        raise failed
    return printed_lines(done.stdout.decode("utf-8", "replace"))


# --- Tesseract's TSV -------------------------------------------------------------

# TSV columns: level page_num block_num par_num line_num word_num left top width
# height conf text; level 5 rows are words.
_WORD_LEVEL = "5"


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_words(words: list[str]) -> str:
    """A printed line's words as one string: no space between Chinese
    characters, one between two Latin words or numbers (``Page 2``)."""
    text = ""
    for word in words:
        if text and _is_latin(text[-1]) and _is_latin(word[0]):
            text += " "
        text += word
    return text


def printed_lines(tsv: str) -> list[Printed]:
    """The printed lines of one page from Tesseract's TSV, in its reading order."""
    grouped: dict[tuple[str, str, str], list[list[str]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != _WORD_LEVEL:
            continue
        text = "".join(cells[11].split())
        if not text:
            continue
        grouped.setdefault((cells[2], cells[3], cells[4]), []).append(cells)
    lines = []
    for cells in grouped.values():
        boxes = [[int(c) for c in row[6:10]] for row in cells]
        words = [("".join(row[11].split()), float(row[10])) for row in cells]
        text, bullet = tidy(join_words([w for w, _conf in words]))
        # The words read for a bullet do not count: the model does not know the
        # sign, and the line is right once it is put back.
        while bullet > 0 and words and len(words[0][0]) <= bullet:
            bullet -= len(words.pop(0)[0])
        weight = sum(len(w) for w, conf in words if conf >= 0)
        confidence = (
            sum(len(w) * max(conf, 0) for w, conf in words if conf >= 0) / weight
            if weight
            else 0.0
        )
        latin = _LATIN_START_RE.match(cells[0][11].strip())
        lines.append(
            Printed(
                text=text,
                left=min(b[0] for b in boxes),
                top=min(b[1] for b in boxes),
                right=max(b[0] + b[2] for b in boxes),
                bottom=max(b[1] + b[3] for b in boxes),
                confidence=confidence,
                lead=boxes[0][2] * len(latin.group(0)) / len(cells[0][11].strip())
                if latin
                else None,
            )
        )
    return lines


# --- What Tesseract misreads in this paper ----------------------------------------

_CJK = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’"
# Half-width punctuation beside a Chinese character is the full-width mark the
# paper printed; 〈 〉 are how the model reads full-width parentheses.
_HALF_WIDTH = str.maketrans(
    {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "!": "！", "?": "？"}
)
_HALF_WIDTH_RE = re.compile(rf"(?<=[{_CJK}])[():,;!?]|[():,;!?](?=[{_CJK}])")
# The subtitle's dash (——) read as hyphens or as 一 (one).
_DASHES_RE = re.compile(r"^[-—一－─]{2}(?=[^-—一－─])")
# A page number's dashes (— 2 —) read as 一 (one).
_PAGE_NUMBER_RE = re.compile(r"^[-—一－]{1,3}\s*\d{1,3}\s*[-—一－]{1,3}$")
# A section heading's bullet (●) read as one or two other characters.
_BULLET_MAX = 2


def _curly(text: str) -> str:
    """Straight double quotes beside Chinese text as the paper's curly ones:
    an opening “ unless one is open."""
    out = []
    for index, ch in enumerate(text):
        if ch == '"' and (
            re.match(rf"[{_CJK}]", text[index - 1 : index] or " ")
            or re.match(rf"[{_CJK}]", text[index + 1 : index + 2] or " ")
        ):
            opened = "".join(out).count("“") > "".join(out).count("”")
            ch = "”" if opened else "“"
        out.append(ch)
    return "".join(out)


def tidy(text: str) -> tuple[str, int]:
    """A printed line with what the model misreads in this paper put right:
    punctuation and quotes, the dashes of subtitles and page numbers and the section
    heading's bullet; and how
    many characters at its start were taken for the bullet."""
    # A vertical bar at either end is the edge of the paper or a rule.
    text = text.strip("|｜")
    text = text.replace("〈", "（").replace("〉", "）")
    text = _HALF_WIDTH_RE.sub(lambda m: m.group(0).translate(_HALF_WIDTH), text)
    text = _curly(text).replace("””", "”").replace("““", "“")
    text = _DASHES_RE.sub("——", text)
    if _PAGE_NUMBER_RE.match(text):
        return text.replace("一", "—"), 0
    if not L.section_heading(text):
        for cut in range(1, _BULLET_MAX + 1):
            rest = text[cut:]
            if len(rest) >= 2 and L.section_heading(rest):
                return "●" + rest, cut
    return text, 0


# --- Paragraphs ----------------------------------------------------------------------


# A number or Latin word at the start of a line (with its opening bracket).
_LATIN_START_RE = re.compile(r"[(（]?[A-Za-z0-9]+")
# Punctuation a Chinese line may not start with: it stays with the character
# before it when the line is broken. The model often reads a closing quote as
# an opening one, so those count too.
_NO_LINE_START = "，。、；：！？）》」』”’…,.;:!?)“‘"


@dataclass
class _Layout:
    """Where a page's text runs: its left and right edges, the width of one
    character of the body (for indents) and the usual gap between two lines."""

    left: float
    right: float
    em: float
    height: float
    gap: float

    @classmethod
    def of(cls, page: list[Printed]) -> _Layout | None:
        if not page:
            return None
        widest = max(p.right - p.left for p in page)
        # The full lines of the body run from edge to edge; first lines of
        # paragraphs are indented and last ones short, so the edges are where
        # most full lines start and end.
        full = [p for p in page if p.right - p.left >= widest * 0.75] or page
        lefts = sorted(p.left for p in full)
        rights = sorted(p.right for p in full)
        # Chinese characters are square: a full line's width over its length.
        em = statistics.median((p.right - p.left) / max(len(p.text), 1) for p in full)
        height = statistics.median(p.height for p in page) or 1
        gaps = [
            b.top - a.bottom
            for a, b in zip(page, page[1:], strict=False)
            if b.top > a.bottom
        ]
        return cls(
            left=lefts[len(lefts) // 4],
            right=rights[(len(rights) * 3) // 4],
            em=em or height,
            height=height,
            gap=statistics.median(gaps) if gaps else height * 0.5,
        )

    def indented(self, p: Printed) -> bool:
        # The paper indents a paragraph by two characters.
        return p.left > self.left + self.em * 1.2

    def ends(self, p: Printed, following: Printed, *, strict: bool = False) -> bool:
        """Whether the paragraph ends with ``p``: the start of the line after
        it (a character, with the punctuation that may not start a line; a
        Latin word or number whole) would have fitted in the room ``p`` left
        at the right edge. Text that is not justified stops short of the edge
        by less than that, and so does a justified line. ``strict``: any room
        of half a character ends it."""
        if strict:
            return self.right - p.right > self.em * 0.5
        need, start = self.em, 1
        latin = _LATIN_START_RE.match(following.text)
        if following.lead and latin:
            need, start = following.lead, len(latin.group(0))
        after = following.text[start : start + 1]
        if after and after in _NO_LINE_START:
            need += self.em
        return self.right - p.right > need + self.em * 0.3

    def centred(self, p: Printed) -> bool:
        before, after = p.left - self.left, self.right - p.right
        # Clear of both edges and about equally: a paragraph's first line,
        # indented two characters, may also stop short of the right edge, by
        # a different amount.
        return min(before, after) > self.em * 0.8 and abs(before - after) < max(
            self.em, (before + after) / 6
        )

    def blank_between(self, a: Printed, b: Printed) -> bool:
        return b.top - a.bottom > self.gap + self.height * 0.8


def _join(text: str, more: str) -> str:
    if text and more and _is_latin(text[-1]) and _is_latin(more[0]):
        return f"{text} {more}"
    return text + more


def paragraphs(pages: list[list[Printed]]) -> list[Line]:
    """Lines of text, one a paragraph, from the printed lines of each page.

    In the table of contents (after 本期内容 until the first centred title or
    a section heading it already listed) a line continues the one before only
    when that one ran to the right edge: a title there that is broken before
    the edge is joined by the reader once the body shows it (reader.py), and
    two titles joined here could not be parted again."""
    lines: list[Line] = []
    previous: Printed | None = None
    previous_layout: _Layout | None = None
    contents: set[str] | None = None  # the section headings it listed
    for number, page in enumerate(pages, start=1):
        layout = _Layout.of(page)
        for index, printed in enumerate(page):
            centred = layout.centred(printed)
            # A section heading stands on a line of its own.
            heading = L.section_heading(printed.text)
            if contents is not None and (centred or heading in contents):
                contents = None
            # The paragraph goes on from the page before when that page's last
            # line ran to its edge and this one is not indented.
            edges = previous_layout if index == 0 else layout
            blank = index > 0 and layout.blank_between(previous, printed)
            opens = (
                previous is None
                or blank
                or centred
                or heading is not None
                or layout.indented(printed)
                or L.section_heading(previous.text) is not None
                or edges.ends(previous, printed, strict=contents is not None)
            )
            if opens:
                lines.append(
                    Line(
                        text=printed.text,
                        blank_before=blank,
                        centred=centred,
                        page=number,
                        confidence=round(printed.confidence, 1),
                    )
                )
            else:
                line = lines[-1]
                line.text = _join(line.text, printed.text)
                line.confidence = min(line.confidence, round(printed.confidence, 1))
            if L.is_toc_heading(printed.text):
                contents = set()
            elif contents is not None and heading is not None:
                contents.add(heading)
            previous = printed
        if layout is not None:
            previous_layout = layout
    return lines
