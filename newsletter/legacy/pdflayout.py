"""A PDF's printed lines turned into the paragraphs Word had, from where each
line stands on its page and the font it is set in (pdf.py reads the lines).

A PDF keeps no paragraphs, only lines. Wrapped lines of one paragraph are
joined again; a paragraph starts
- where a line is indented (the two-character first-line indent),
- after a line that ends where the next line's first piece would still have
  fitted (a short line: the last line of a paragraph, a heading, a contents
  entry), which covers a short line ending a sentence. The piece is what the
  line-breaking rules keep together: a character with the opening marks
  before it and the closing marks after it, a quote with the characters on
  both its sides, a Latin word; a line shorter than that by less was ended by
  those rules and goes on. A line starting with a comma or a closing mark
  goes on with the one above in the same font, however early that one ended;
- where the font changes (a title, a bold subheading), where the gap above is
  wider than the text's line spacing, and at what is a line of its own
  whatever its position (a section heading, 本期内容, a subtitle starting with
  ——, a contents entry ending in its page number, a table row).
Consecutive centred lines in one font are one title (or subtitle) wrapped; a
line of the body's size starting at the first-line indent is never centred.

Running heads and footers (what repeats at the same height at the top or
bottom of pages) and page numbers are dropped; pictures stand where their
top edge is, between paragraphs or inside the paragraph they interrupt.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from activities.models.reports import SUBHEADING_RE

from . import lines as L
from .furniture import furniture_lines, is_page_number
from .structure import Line, ParsedImage

# What a table's cells are joined with on the row's line.
CELL_SEPARATOR = "\u3000"

# A paragraph's first line indented at least this many characters.
INDENT_MIN = 1.2
# A gap above a line wider than the usual line spacing times this (plus a point
# for rounding) is paragraph spacing.
PARAGRAPH_GAP = 1.25
# A page with fewer lines of body text than this (a photo page with its
# caption and a few lines) is measured by the whole document's column: a few
# lines ended early would otherwise pull its right edge in.
PAGE_COLUMN_MIN_LINES = 8

# A contents entry's page number after dot leaders (the wide-gap form is told
# by position, see TextLine.toc_number).
_LEADER_NUMBER_RE = re.compile(r"[.…·．_\-]{2,}\s*\d{1,3}$")
_LEADERS_RE = re.compile(r"[.…·．_\-\s\u3000]+(\d{1,3})$")
# 报送：/ 抄送：/ 印发：/ 责任编辑： opening a line of its own.
# Marks that may hang past the right margin at a line's end.
_HANGING = "，。、；：！？”’）》」』,."
_LABEL_RE = re.compile(r"^[\u4e00-\u9fff]{2,5}[：:]")
# Characters a line cannot start with (they are pulled up with the character
# before them, so a line may end short by one of them).
_NO_START = "，。、；：！？）》」』〕】〉”’,.;:!?)]"
# Characters a line cannot end with (they go down with the character after
# them).
_NO_END = "（《「『〔【〈“‘([{"
# Quotation marks break neither before nor after (LibreOffice breaks lines by
# ICU's rules, where a quote binds to both its neighbours): "开 / 展“青春”" is
# printed so, not "开展 / “青春”".
_QUOTES = "“”‘’"
# At most this many characters of the next line (each with the marks bound to
# it) are taken as the piece that did not fit at the end of the line before.
_UNIT_CHARACTERS = 2
_BOLD_FONT_RE = re.compile(
    r"bold|black|heavy|demi|semibold|hei|biaosong|xbs", re.IGNORECASE
)


@dataclass
class TextLine:
    """One printed line of a page (or one row of a table)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    page: int = 0
    # Width of the line's first piece that cannot be broken (see _first_unit).
    first_word: float = 0.0
    # The median width of the line's Chinese characters (0 without any): the
    # character width that line-breaking tolerances are measured in.
    char_width: float = 0.0
    # Where the text after a leading 报送： label starts (a hanging indent).
    label_end: float | None = None
    # Ends in a contents entry's page number (after leaders or a wide gap).
    toc_number: bool = False
    # A table row: always a paragraph of its own.
    fixed: bool = False
    # The width of a closing mark ending the line (，。、”), which a justified
    # line may hang past the right margin (Word's and LibreOffice's default).
    hang: float = 0.0


@dataclass
class Picture:
    page: int
    top: float
    image: ParsedImage


@dataclass
class PageItems:
    """What pdf.py read from one page: its text lines and pictures."""

    number: int
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)


# --- Lines from characters -------------------------------------------------------


def _is_bold(fontname: str) -> bool:
    # "ABCDEF+SimHei" → the name after the subset prefix.
    return bool(_BOLD_FONT_RE.search(fontname.split("+")[-1]))


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def text_lines(chars: list[dict], page: int) -> list[TextLine]:
    """A page's characters (pdfplumber's char dicts) grouped into lines: the
    characters whose vertical middles lie within half a character of each
    other, read left to right."""
    chars = [c for c in chars if c.get("upright", True) and c["text"]]
    chars.sort(key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"]))
    groups: list[list[dict]] = []
    middle = 0.0
    for ch in chars:
        mid = (ch["top"] + ch["bottom"]) / 2
        if groups and abs(mid - middle) <= max(ch["size"], 1) * 0.5:
            groups[-1].append(ch)
            continue
        groups.append([ch])
        middle = mid
    out = []
    for group in groups:
        line = _line_of(sorted(group, key=lambda c: c["x0"]), page)
        if line is not None:
            out.append(line)
    return out


def _line_of(chars: list[dict], page: int) -> TextLine | None:
    visible = [c for c in chars if c["text"].strip()]
    if not visible:
        return None
    sizes = Counter()
    bold = Counter()
    for c in visible:
        sizes[round(c["size"] * 2) / 2] += 1
        bold[_is_bold(c.get("fontname", ""))] += 1
    size = sizes.most_common(1)[0][0] or 1.0
    text = ""
    previous = None
    wide_gap_before_last_number = False
    for c in chars:
        ch = c["text"]
        if previous is not None and ch.strip() and text and text[-1] != " ":
            gap = c["x0"] - previous["x1"]
            if gap > 1.5 * size:
                text += "\u3000"
                if ch.isdigit():
                    wide_gap_before_last_number = True
            elif gap > 0.3 * size and _is_ascii_word(ch) and _is_ascii_word(text[-1]):
                text += " "
        if ch.strip() and not ch.isdigit():
            wide_gap_before_last_number = False
        text += ch
        if ch.strip():
            previous = c
    text = text.strip(" \u3000\u00a0")
    first = visible[0]
    first_word = _first_unit(visible)
    widths = sorted(c["x1"] - c["x0"] for c in visible if _is_cjk(c["text"]))
    char_width = widths[len(widths) // 2] if widths else 0.0
    label = _LABEL_RE.match(text)
    label_end = None
    if label:
        colon = next((c for c in visible if c["text"] in "：:"), None)
        label_end = colon["x1"] if colon is not None else None
    toc_number = bool(re.search(r"\d$", text)) and (
        wide_gap_before_last_number or bool(_LEADER_NUMBER_RE.search(text))
    )
    if toc_number:
        # The leaders only fill the line: "title…… 3", as a contents line of a
        # text copy has it (reader.py drops the number with its leaders).
        text = _LEADERS_RE.sub(r"…… \1", text)
    last = visible[-1]
    hang = 0.0
    if len(visible) > 1 and last["text"] in _HANGING:
        hang = max(0.0, last["x1"] - visible[-2]["x1"])
    return TextLine(
        text=text,
        x0=first["x0"],
        x1=last["x1"],
        hang=hang,
        top=min(c["top"] for c in visible),
        bottom=max(c["bottom"] for c in visible),
        size=size,
        bold=bold[True] > bold[False],
        page=page,
        first_word=first_word,
        char_width=char_width,
        label_end=label_end,
        toc_number=toc_number,
    )


def _first_unit(visible: list[dict]) -> float:
    """The width of the line's first piece that could not be broken: what the
    line before would have had to take to fit any of this line's text. A
    Chinese character takes the opening marks before it and the closing marks
    after it (“各镇 / （街）社工站”: “（街）” goes down whole), a quote binds
    the character on its other side too (“开 / 展“青春”” and “理发 / 店”就”),
    a run of Latin letters or digits is one piece; at most _UNIT_CHARACTERS
    characters are taken."""
    i = 0
    count = len(visible)
    taken = 0
    while i < count:
        while i < count and visible[i]["text"] in _NO_END:
            i += 1
        if i == count:
            break
        if _is_ascii_word(visible[i]["text"]):
            while i < count and _is_ascii_word(visible[i]["text"]):
                i += 1
        else:
            i += 1
        taken += 1
        while i < count and visible[i]["text"] in _NO_START:
            i += 1
        if taken >= _UNIT_CHARACTERS or i == count:
            break
        if visible[i - 1]["text"] not in _QUOTES and visible[i]["text"] not in _QUOTES:
            break
    last = visible[max(i, 1) - 1]
    return last["x1"] - visible[0]["x0"]


def row_line(cells: list, bbox: tuple, page: int, size: float) -> TextLine | None:
    """A table row as one line: its cells' text joined with "　"."""
    texts = [re.sub(r"\s+", "", cell or "") for cell in cells]
    if not any(texts):
        return None
    x0, top, x1, bottom = bbox
    return TextLine(
        text=CELL_SEPARATOR.join(texts),
        x0=x0,
        x1=x1,
        top=top,
        bottom=bottom,
        size=size,
        page=page,
        fixed=True,
    )


# --- The page's text column ---------------------------------------------------------


@dataclass
class Column:
    left: float
    right: float
    body_size: float
    body_bold: bool
    pitch: float
    # The body font's character width (a Chinese character's), in points.
    char: float = 0.0
    # The body's first-line indent, in points from ``left``.
    indent: float = 0.0

    @property
    def middle(self) -> float:
        return (self.left + self.right) / 2


def _body_size(lines: list[TextLine]) -> float:
    sizes = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 12.0


def _column_of(lines: list[TextLine], body_size: float, fallback: Column | None):
    body = [ln for ln in lines if not ln.fixed and abs(ln.size - body_size) <= 0.5]
    if len(body) < PAGE_COLUMN_MIN_LINES and fallback is not None:
        return fallback
    if not body:
        body = [ln for ln in lines if not ln.fixed] or lines
    lefts = Counter(round(ln.x0) for ln in body)
    usual = lefts.most_common(1)[0][0]
    left = min(
        min(ln.x0 for ln in body if round(ln.x0) == usual),
        min(ln.x0 for ln in body) + body_size / 2,
    )
    # Where the lines' text ends, a mark hanging past the margin left out.
    rights = sorted(ln.x1 - ln.hang for ln in body)
    right = rights[int(0.9 * (len(rights) - 1))]
    widths = sorted(ln.char_width for ln in body if ln.char_width)
    char = widths[len(widths) // 2] if widths else body_size
    indents = Counter(
        round(ln.x0 - left)
        for ln in body
        if INDENT_MIN * char < ln.x0 - left < 4 * char
    )
    indent = indents.most_common(1)[0][0] if indents else 2 * char
    bold = Counter()
    for ln in body:
        bold[ln.bold] += len(ln.text)
    pitches = Counter()
    ordered = sorted(body, key=lambda ln: (ln.page, ln.top))
    for a, b in zip(ordered, ordered[1:], strict=False):
        step = b.top - a.top
        if a.page == b.page and 0 < step < 3 * body_size:
            pitches[round(step)] += 1
    pitch = (
        pitches.most_common(1)[0][0]
        if pitches
        else (fallback.pitch if fallback else 1.5 * body_size)
    )
    return Column(
        left,
        max(right, left + body_size),
        body_size,
        bold[True] > bold[False],
        pitch,
        char=char,
        indent=indent,
    )


def _centred(line: TextLine, column: Column) -> bool:
    """Standing in the middle of the column: about as far from its left edge
    as from its right. A line of the body's size that fills the column is
    justified text; a larger one is a centred title that fills it. A line of
    the body's size (bold or not) that starts at the first-line indent is a
    paragraph's first line ended early (“…简易的“理发” / “店”就…”) or a
    subheading, never a title, however near the middle it happens to end."""
    if line.fixed:
        return False
    if line.x0 < column.left + line.size and line.size < column.body_size + 0.5:
        return False
    if line.size < column.body_size + 1 and _at_indent(line, column):
        return False
    # Lines of Chinese text that are not stretched (LibreOffice's) end on a
    # whole character: the column's true right edge may lie up to a character
    # beyond the edge its lines show, and its middle half of one.
    off = (line.x0 + line.x1) / 2 - column.middle
    slack = max(0.3 * line.size, 2.0)
    return -slack <= off <= slack + column.char / 2


def _title_font(line: TextLine, column: Column) -> bool:
    """Larger than the body, or bold in a body that is not."""
    return line.size >= column.body_size + 1 or (line.bold and not column.body_bold)


def _at_indent(line: TextLine, column: Column) -> bool:
    """Starting at a first-line indent: the body's own, or two characters of
    the line's font (a contents entry in a smaller size)."""
    offset = line.x0 - column.left
    char = line.char_width or line.size
    return (
        abs(offset - column.indent) <= 0.3 * column.char
        or abs(offset - 2 * char) <= 0.3 * char
    )


def _full_width(line: TextLine, column: Column) -> bool:
    return (
        line.x0 <= column.left + 0.5 * line.size
        and line.x1 >= column.right - 1.5 * line.size
    )


# --- Running heads, footers and page numbers ---------------------------------------


def drop_furniture(pages: list[PageItems]) -> None:
    """Drop page numbers and running heads and footers (furniture.py finds
    them among each page's lines read from the top and from the bottom). A
    repeated line is furniture only when it stands at the same height on
    another page too, and a section or contents heading never is."""
    ordered = [
        sorted((ln for ln in p.lines if not ln.fixed), key=lambda ln: ln.top)
        for p in pages
    ]
    found = furniture_lines([[ln.text for ln in lines] for lines in ordered])
    dropped = [(n, ordered[n][i]) for n, i in found]
    heights: dict[str, list[tuple[int, float]]] = {}
    for n, line in dropped:
        heights.setdefault(_shape(line.text), []).append((n, line.top))
    drop = set()
    for n, line in dropped:
        if not is_page_number(line.text):
            if L.section_heading(line.text) or L.is_toc_heading(line.text):
                continue
            places = heights[_shape(line.text)]
            if not any(m != n and abs(top - line.top) <= 6 for m, top in places):
                continue
        drop.add(id(line))
    for page in pages:
        page.lines = [ln for ln in page.lines if id(ln) not in drop]


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


# --- Paragraphs -------------------------------------------------------------------


@dataclass
class _Paragraph:
    first: TextLine
    centred: bool
    text: str = ""
    images_after: list[ParsedImage] = field(default_factory=list)
    blank_before: bool = False

    def add(self, line: TextLine) -> None:
        # Latin words wrap at their spaces; Chinese text wraps anywhere.
        if self.text and _is_latin(self.text[-1]) and _is_latin(line.text[0]):
            self.text += " "
        self.text += line.text


def _structural(text: str) -> bool:
    """A line of its own wherever it stands."""
    return bool(
        L.section_heading(text) or L.is_toc_heading(text) or L.is_subtitle_start(text)
    )


def _continues(
    para: _Paragraph,
    prev: TextLine,
    line: TextLine,
    columns: dict[int, Column],
    across_pictures: bool,
) -> bool:
    """Whether ``line`` goes on with the paragraph whose last line is ``prev``."""
    if prev.fixed or line.fixed or prev.toc_number:
        return False
    if abs(line.size - prev.size) > 0.75 or line.bold != prev.bold:
        return False
    if (
        across_pictures
        and L.CONTINUATION_START_RE.match(line.text)
        and not L.ends_sentence(prev.text)
    ):
        # "…小树苗" [picture] "，更是…": the picture stood inside the sentence.
        return True
    if (
        _structural(line.text)
        or L.section_heading(prev.text)
        or L.is_toc_heading(prev.text)
    ):
        return False
    column = columns[line.page]
    same_page = line.page == prev.page
    if same_page and not across_pictures:
        if line.top - prev.top > PARAGRAPH_GAP * max(column.pitch, line.size) + 1:
            return False
    if same_page and line.top < prev.top:
        return False
    if L.CONTINUATION_START_RE.match(line.text):
        # No paragraph starts with a comma or a closing mark: a line that does
        # goes on with the one before, however early that one ended.
        return True
    line_centred = _centred(line, column)
    if para.centred or line_centred:
        # A centred title or subtitle wrapped over lines: each line centred in
        # the same font (the first may fill the column), none ending a sentence.
        return (
            line_centred
            and not across_pictures
            and not L.ends_sentence(prev.text)
            and not L.is_byline(line.text)
            and (para.centred or _full_width(prev, columns[prev.page]))
        )
    prev_column = columns[prev.page]
    room = prev_column.right - prev.x1
    char = _char(line, column)
    if room > max(line.first_word + 0.5 * char, 1.5 * char):
        # Its first piece would have fitted on the line before: that line was
        # ended on purpose. Shorter by no more than that piece, it was ended
        # by the line-breaking rules (a closing mark may not start a line, an
        # opening one may not end it, a quote binds both its neighbours).
        return False
    if line.x0 > column.left + INDENT_MIN * char:
        # A hanging indent under 报送：'s text goes on with it.
        label_end = para.first.label_end
        return label_end is not None and abs(line.x0 - label_end) <= 0.6 * char
    if L.ends_sentence(prev.text) and room > 1.5 * char:
        return False
    if (
        SUBHEADING_RE.match(prev.text)
        and len(prev.text) <= L.SUBHEADING_MAX
        and room > char
    ):
        return False
    return True


def _char(line: TextLine, column: Column) -> float:
    """The width of one character of ``line``'s font: the body's when the line
    is in the body's size, else its own Chinese characters' (its size without
    any)."""
    if abs(line.size - column.body_size) <= 0.5 and column.char:
        return column.char
    return line.char_width or line.size


def paragraphs(pages: list[PageItems]) -> list[Line]:
    """The pages' lines and pictures as Lines, one per paragraph."""
    drop_furniture(pages)
    all_lines = [ln for page in pages for ln in page.lines]
    if not all_lines:
        return [
            Line(text="", images_before=[p.image]) for pg in pages for p in pg.pictures
        ]
    body_size = _body_size(all_lines)
    overall = _column_of(all_lines, body_size, None)
    columns = {p.number: _column_of(p.lines, body_size, overall) for p in pages}
    out: list[Line] = []
    para: _Paragraph | None = None
    prev: TextLine | None = None
    pending: list[Picture] = []

    def flush() -> None:
        if para is not None:
            out.append(_line_from(para, columns[para.first.page]))

    for page in pages:
        items: list[tuple[float, int, object]] = [
            (ln.top, 1, ln) for ln in page.lines
        ] + [(pic.top, 0, pic) for pic in page.pictures]
        items.sort(key=lambda item: (item[0], item[1]))
        for _top, _kind, item in items:
            if isinstance(item, Picture):
                pending.append(item)
                continue
            line = item
            if (
                para is not None
                and prev is not None
                and _continues(para, prev, line, columns, bool(pending))
            ):
                for picture in pending:
                    picture.image.offset = len(para.text)
                    para.images_after.append(picture.image)
                para.add(line)
            else:
                flush()
                out.extend(Line(text="", images_before=[p.image]) for p in pending)
                gap = (
                    prev is not None
                    and prev.page == line.page
                    and line.top - prev.top
                    > PARAGRAPH_GAP * max(columns[line.page].pitch, line.size) + 1
                )
                para = _Paragraph(
                    first=line,
                    centred=_centred(line, columns[line.page]),
                    blank_before=bool(gap or pending),
                )
                para.add(line)
            pending = []
            prev = line
    flush()
    out.extend(Line(text="", images_before=[p.image]) for p in pending)
    return out


def _line_from(para: _Paragraph, column: Column) -> Line:
    first = para.first
    heading = not first.fixed and _title_font(first, column)
    return Line(
        text=para.text,
        blank_before=para.blank_before,
        images_after=para.images_after,
        centred=para.centred,
        heading=heading,
    )
