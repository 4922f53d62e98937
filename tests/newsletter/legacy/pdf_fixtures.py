"""PDFs of past issues built in the tests with reportlab, laid out as Word lays
out a newsletter: A4 pages, a text column, titles centred and larger, body
paragraphs with a two-character first-line indent, wrapped at the column and
justified (their last line not), page breaks where the column is full, a
running head and a page number on every page, dotted contents with page
numbers, pictures and ruled tables. STSong-Light is reportlab's built-in
Chinese font (no font file needed)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from newsletter.legacy.source import IMAGE_MARKER_RE
from tests.newsletter.legacy.helpers import TITLE_LINES, png

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BODY = 12
LEADING = 21
TITLE = 16
NO_START = "，。、；：！？）》」』”’,.;:!?)"

# The page number forms bureaus' files print, by the page's number and count.
PAGE_NUMBER_FORMS: dict[str, Callable[[int, int], str]] = {
    "fullwidth dashes": lambda n, total: f"－ {n} －",
    "em dashes": lambda n, total: f"— {n} —",
    "hyphens": lambda n, total: f"- {n} -",
    "第N页": lambda n, total: f"第{n}页",
    "第 N 页 共 M 页": lambda n, total: f"第 {n} 页 共 {total} 页",
    "bare number": lambda n, total: str(n),
}


def width(text: str, size: float = BODY) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


class Sheet:
    """A newsletter laid out on A4 pages. Each method puts one thing below the
    last; ``pdf()`` draws the running heads and page numbers (which need the
    page count) and returns the file's bytes."""

    def __init__(
        self,
        *,
        page_number: Callable[[int, int], str] | None = PAGE_NUMBER_FORMS[
            "fullwidth dashes"
        ],
        running_head: str | None = "云浮民政简报",
        encrypt: str | None = None,
        logo: bytes | None = None,
        left: float = 90,
        right: float = 90,
    ):
        self.buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self.buffer, pagesize=A4, encrypt=encrypt)
        self.page_width, self.page_height = A4
        self.left = left
        self.right = self.page_width - right
        self.top = self.page_height - 80
        self.bottom = 80
        self.page_number = page_number
        self.running_head = running_head
        # A picture in the running head, on every page after the first.
        self.logo = logo
        # Drawing calls of each page, replayed in pdf() with the furniture.
        self.pages: list[list[Callable[[canvas.Canvas], None]]] = [[]]
        self.y = self.top

    # --- Placing ---------------------------------------------------------------

    @property
    def column(self) -> float:
        return self.right - self.left

    def _draw(self, call: Callable[[canvas.Canvas], None]) -> None:
        self.pages[-1].append(call)

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.top

    def _room(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def space(self, points: float) -> None:
        self.y -= points

    def _text(
        self, x: float, text: str, size: float, char_space=0.0, colour=None, font=FONT
    ):
        y = self.y

        def draw(c: canvas.Canvas) -> None:
            t = c.beginText(x, y)
            t.setFont(font, size)
            t.setCharSpace(char_space)
            if colour:
                t.setFillColorRGB(*colour)
            t.textOut(text)
            c.drawText(t)

        self._draw(draw)

    def line(
        self, text: str, *, size=BODY, indent=0.0, leading=None, colour=None, font=FONT
    ):
        """One left-aligned line, as it is."""
        leading = leading or (LEADING if size == BODY else size * 1.6)
        self._room(leading)
        self.y -= leading
        self._text(self.left + indent, text, size, colour=colour, font=font)

    def centred(self, text: str, *, size=TITLE, leading=None, colour=None):
        leading = leading or size * 1.6
        self._room(leading)
        self.y -= leading
        x = self.left + (self.column - width(text, size)) / 2
        self._text(x, text, size, colour=colour)

    def spread(self, left: str, right: str, *, size=BODY):
        """Two texts on one line, at the column's two ends (主办单位 and date)."""
        self._room(LEADING)
        self.y -= LEADING
        self._text(self.left, left, size)
        self._text(self.right - width(right, size), right, size)

    def rule(self, colour=(0, 0, 0), thickness=1.0):
        self.y -= 6
        y = self.y

        def draw(c: canvas.Canvas) -> None:
            c.setStrokeColorRGB(*colour)
            c.setLineWidth(thickness)
            c.line(self.left, y, self.right, y)
            c.setStrokeColorRGB(0, 0, 0)

        self._draw(draw)

    def wrap(self, text: str, first: float, rest: float, size=BODY) -> list[str]:
        """The text broken into lines as Word breaks Chinese text: at any
        character, never before a closing mark (it takes the character before
        it along)."""
        lines: list[str] = []
        current = ""
        room = first
        for ch in text:
            if width(current + ch, size) <= room:
                current += ch
                continue
            if ch in NO_START and current:
                carried = current[-1]
                lines.append(current[:-1])
                current = carried + ch
            else:
                lines.append(current)
                current = ch
            room = rest
        lines.append(current)
        return lines

    def paragraph(self, text: str, *, indent=2, size=BODY, hanging=0.0):
        """A body paragraph: first line indented ``indent`` characters, the
        lines after it at ``hanging`` points, justified but for the last."""
        first = indent * size
        broken = self.wrap(text, self.column - first, self.column - hanging, size)
        for number, piece in enumerate(broken):
            x = first if number == 0 else hanging
            self._room(LEADING)
            self.y -= LEADING
            spare = self.column - x - width(piece, size)
            last = number == len(broken) - 1
            char_space = 0.0 if last or len(piece) < 2 else spare / (len(piece) - 1)
            self._text(self.left + x, piece, size, char_space)

    def broken(self, pieces: list[str], *, indent=2, size=BODY):
        """A paragraph broken where ``pieces`` end, as a word processor's
        line-breaking rules broke it: the first line indented ``indent``
        characters, a line that comes within a character of the right margin
        justified to it, a line ended earlier (or the last) left as it is."""
        for number, piece in enumerate(pieces):
            x = indent * size if number == 0 else 0.0
            self._room(LEADING)
            self.y -= LEADING
            spare = self.column - x - width(piece, size)
            full = spare < size and number < len(pieces) - 1
            char_space = spare / (len(piece) - 1) if full and len(piece) > 1 else 0.0
            self._text(self.left + x, piece, size, char_space)

    def contents_entry(self, title: str, page: int, size=BODY):
        """A contents line: the title, dot leaders and its page number at the
        right margin (a long title wraps, the leaders follow its end)."""
        number = f" {page}"
        tail = width(number, size) + width("……", size)
        broken = self.wrap(title, self.column, self.column, size)
        if width(broken[-1], size) > self.column - tail:
            broken.append("")
        for piece in broken[:-1]:
            self.paragraph_line(piece, size)
        last = broken[-1]
        dots = "…" * int((self.column - width(last + number, size)) / width("…", size))
        self._room(LEADING)
        self.y -= LEADING
        self._text(self.left, last + dots, size)
        self._text(self.right - width(number, size), number, size)

    def paragraph_line(self, piece: str, size=BODY):
        """A full line, justified to both margins."""
        self._room(LEADING)
        self.y -= LEADING
        spare = self.column - width(piece, size)
        self._text(self.left, piece, size, spare / max(len(piece) - 1, 1))

    def picture(self, data: bytes | None = None, *, w=240, h=160, centred=True):
        data = data or png(size=(120, 80))
        self._room(h + 12)
        self.y -= h + 12
        x = self.left + ((self.column - w) / 2 if centred else 0)
        y = self.y + 6

        def draw(c: canvas.Canvas) -> None:
            c.drawImage(ImageReader(io.BytesIO(data)), x, y, w, h)

        self._draw(draw)

    def table(self, rows: list[list[str]], widths: list[float]):
        """A ruled table, one cell per column, each row one line high."""
        height = LEADING + 4
        self._room(height * len(rows))
        xs = [self.left]
        for w in widths:
            xs.append(xs[-1] + w)
        top = self.y - 4
        ys = [top - height * i for i in range(len(rows) + 1)]
        self._draw(lambda c, xs=xs, ys=ys: c.grid(xs, ys))
        for row, y in zip(rows, ys, strict=False):
            for cell, x in zip(row, xs, strict=False):
                baseline = y - height + 8
                self._draw(
                    lambda c, cell=cell, x=x, b=baseline: (
                        c.setFont(FONT, BODY - 1),
                        c.drawString(x + 4, b, cell),
                    )
                )
        self.y = ys[-1] - 4

    # --- The file ---------------------------------------------------------------

    def pdf(self) -> bytes:
        total = len(self.pages)
        c = self.canvas
        for number, calls in enumerate(self.pages, start=1):
            for call in calls:
                call(c)
            if self.running_head and number > 1:
                c.setFont(FONT, 9)
                c.drawCentredString(
                    self.page_width / 2, self.page_height - 45, self.running_head
                )
                c.line(
                    self.left, self.page_height - 50, self.right, self.page_height - 50
                )
            if self.logo and number > 1:
                c.drawImage(
                    ImageReader(io.BytesIO(self.logo)),
                    self.left,
                    self.page_height - 72,
                    40,
                    40,
                )
            if self.page_number:
                c.setFont(FONT, 10.5)
                c.drawCentredString(
                    self.page_width / 2, 40, self.page_number(number, total)
                )
            c.showPage()
        c.save()
        return self.buffer.getvalue()


# --- An issue with every kind of thing on it ------------------------------------

LONG = (
    "为充分调动社工专业学习的积极性和主动性，云浮市民政局顺利举办全市“双百工程”系列培训，"
    "此次培训包含岗前培训和社会工作专业培训等，有效提升社工的专业素质和为民服务能力，"
    "为广大困难群众和特殊群体解决“急难愁盼”问题奠定了坚实的基础。"
)
CROSSING = (
    "本次系列培训在云浮市委党校举办，累计共开展5期，先后邀请了东莞理工学院社会工作专业硕士（MSW）"
    "教育中心副主任、广东医科大学社会工作系专任教师和北京师范大学副教授等知名学者和行业专家授课，"
    "授课方式多样，重视学员的课堂反应，回应学员的提问，能激发学员对学习和运用社会工作的兴趣，"
    "培训质量高。据统计，此次参加培训的“双百”社工共465人，累计培训时长为390小时，"
    "参与培训人次达3260人次，学员普遍反映收获很大。"
)
CLOSING = "接下来，云浮市民政局将持续为“双百”社工提供常态化、专业化培训。"
COUNTY_TITLE = ("云安民政织牢织密保护网，为未成年人", "健康成长保驾护航")
COUNTY_BODY = [
    "为更好维护未成年人合法权益，云安区民政局组织“双百”社工开展宣传教育、入户走访等活动。",
    "一、广泛宣传强意识",
    "2月23日，镇安镇社工站在镇安镇社区开展《未成年人保护法》宣传活动，社工细心向群众讲解相关知识。",
]
STATION_TITLE = "罗定市泗纶镇社工站开展“珍爱生命，远离毒品”宣传活动"
STATION_BEFORE = "3月1日，泗纶镇社工站走进泗纶中学，向学生讲解新型毒品的种类和危害，发放宣传单张200余份。"
STATION_AFTER = (
    "活动结束后，社工还向学生们介绍了社工站的服务内容，鼓励大家遇到困难时主动求助。"
)
TABLE = [
    ["镇街", "活动场次", "服务人次"],
    ["泗纶镇", "3", "120"],
    ["太平镇", "2", "86"],
]
DISTRIBUTION = [
    "报送：省民政厅社会工作处，市委办、市政府办，市委组织部、宣传部、政法委，市直各有关单位。",
    "抄送：各县（市、区）民政局。",
    "印发：云浮市民政局办公室。",
]
CITY_TITLE = "建立健全社会工作常态化培训学习机制"
CITY_SUBTITLE = "——云浮市民政局顺利举办全市2022年度“双百工程”系列培训"


def issue_pdf(*, page_number=PAGE_NUMBER_FORMS["fullwidth dashes"], picture=None, **kw):
    """A three-section issue of three pages: masthead, dotted contents, a title
    with a subtitle, a paragraph carried over a page break, a title on two
    lines, a subheading, a picture between paragraphs, a table, and the
    distribution block at the foot of the last page."""
    sheet = Sheet(page_number=page_number, **kw)
    sheet.centred("云浮民政简报", size=30, colour=(0.85, 0, 0))
    sheet.centred("2023年第3期（总第45期）", size=BODY)
    sheet.spread("云浮市民政局主办", "2023年3月10日")
    sheet.rule(colour=(0.85, 0, 0), thickness=2)
    sheet.centred("本期内容", size=14)
    sheet.line("●市级动态")
    sheet.contents_entry(CITY_TITLE + CITY_SUBTITLE, 1)
    sheet.line("●县（市、区）动态")
    sheet.contents_entry("".join(COUNTY_TITLE), 2)
    sheet.line("●社工站（点）动态")
    sheet.contents_entry(STATION_TITLE, 3)
    sheet.space(10)
    sheet.line("●市级动态", size=14)
    sheet.centred(CITY_TITLE)
    split = CITY_SUBTITLE.index("2022")
    sheet.centred(CITY_SUBTITLE[:split], size=14)
    sheet.centred(CITY_SUBTITLE[split:], size=14)
    sheet.paragraph(LONG)
    # The next paragraph starts near the foot of the page and goes on overleaf.
    per_long = len(sheet.wrap(LONG, sheet.column - 2 * BODY, sheet.column))
    while (sheet.y - sheet.bottom) / LEADING >= per_long + 2:
        sheet.paragraph(LONG)
    sheet.paragraph(CROSSING)
    sheet.paragraph(CLOSING)
    sheet.line("●县（市、区）动态", size=14)
    for part in COUNTY_TITLE:
        sheet.centred(part)
    for text in COUNTY_BODY:
        sheet.paragraph(text)
    sheet.new_page()
    sheet.line("●社工站（点）动态", size=14)
    sheet.centred(STATION_TITLE)
    sheet.paragraph(STATION_BEFORE)
    sheet.picture(picture)
    sheet.paragraph(STATION_AFTER)
    sheet.table(TABLE, [120, 120, 120])
    sheet.space(sheet.y - sheet.bottom - 5 * LEADING)
    sheet.rule()
    sheet.paragraph(DISTRIBUTION[0], indent=0, hanging=width("报送："))
    sheet.paragraph(DISTRIBUTION[1], indent=0)
    sheet.paragraph(DISTRIBUTION[2], indent=0)
    sheet.rule()
    return sheet.pdf()


# --- The seed issue laid out -------------------------------------------------------


def seed_pdf(seed_text: str, *, page_number=PAGE_NUMBER_FORMS["fullwidth dashes"]):
    """The seed issue as a bureau's PDF would have it: its contents with dot
    leaders and page numbers, titles centred and larger, each other line a
    paragraph indented two characters, the picture where its marker stands
    (the text after it goes on with the paragraph)."""
    sheet = Sheet(page_number=page_number)
    lines = [ln.strip(" \u3000") for ln in seed_text.splitlines()]
    body_at = lines.index("●市级动态", lines.index("●市级动态") + 1)
    entry = 0
    for text in lines[:body_at]:
        if not text:
            continue
        if text.replace(" ", "") == "本期内容":
            sheet.centred(text, size=18)
        elif text.startswith("●"):
            sheet.line(text, size=14)
        else:
            entry += 1
            sheet.contents_entry(text, 1 + entry // 3)
    subtitle = False
    for text in lines[body_at:]:
        if not text:
            continue
        subtitle = text.startswith("——") or (subtitle and text in TITLE_LINES)
        if text.startswith("●"):
            sheet.line(text, size=14)
        elif text in TITLE_LINES:
            sheet.centred(text, size=14 if subtitle else TITLE)
        else:
            marker = IMAGE_MARKER_RE.search(text)
            if marker:
                before, after = text[: marker.start()], text[marker.end() :]
                sheet.paragraph(before)
                sheet.picture()
                if after:
                    sheet.paragraph(after, indent=0)
                continue
            sheet.paragraph(text, indent=0 if re.match("^[，。]", text) else 2)
    return sheet.pdf()
