"""An issue as a Word file in the newsletter's own layout (DESIGN.md §7), made with
python-docx: the publication name in large red type, 第N期（总第M期）(第N期
alone for a past issue whose file gave no running number), the
editing bureau and the date over a red rule, the table of contents (本期内容) by
section, then each article with its title centred, its subtitle, its paragraphs
indented two characters (``w:firstLineChars="200"``), its subheadings, and its
photos (the print rendition) with their captions.

To a government newsletter's standard: body text justified (两端对齐), the
sections in the style Heading 1 and the titles in Heading 2 (so Word's
navigation pane lists them; the styles carry the paper's fonts, sizes and
spacing), titles broken at phrase boundaries (newsletter/typesetting.py) with
line breaks, each photo kept on the page of its caption, page numbers in the
footer in the 公文 form (— 1 —), the language zh-CN, and the export's time,
the bureau and the issue's name in the file's properties.

Word is how an issue travels between bureaus, so the file must open in Word and
in LibreOffice: the OXML added by hand (the rule, the indent, the language, the
page field) is placed where the schema orders it. The importer reads this file
back (newsletter/legacy): a title's line breaks come back as lines of one title."""

from __future__ import annotations

import datetime
import io
import logging
from html.parser import HTMLParser

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from .rendering import MISSING_PHOTO_TEXT
from .typesetting import PAPER_SUBTITLE_WIDTH, PAPER_TITLE_WIDTH, title_lines

logger = logging.getLogger(__name__)

RED = RGBColor(0xC0, 0x00, 0x00)
BLACK = RGBColor(0x00, 0x00, 0x00)
RED_HEX = "C00000"
GREY = RGBColor(0x80, 0x80, 0x80)
TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
BODY_SIZE = Pt(15)  # 小三: what the bureau's Word files use for body text
TEXT_WIDTH = Mm(210 - 28 - 26)  # 156 mm, about 442 pt
TITLE_SIZE = Pt(18)  # 小二: an article's title (Heading 2)
SECTION_SIZE = Pt(16)  # 三号: a section (Heading 1) and a subtitle
SUBTITLE_SIZE = Pt(16)
CONTENTS_SIZE = Pt(14)
CONTENTS_INDENT = Pt(28)
PAGE_NUMBER_SIZE = Pt(14)  # 四号, as a 公文's page number
# Full-width characters to a line: a title's and a subtitle's are the
# typesetting module's (442 / 18 = 24, 442 / 16 = 27), shared with the print
# view; a contents line's ((442 - 28) / 14 = 29).
SUBTITLE_WIDTH = PAPER_SUBTITLE_WIDTH
CONTENTS_WIDTH = int((TEXT_WIDTH.pt - CONTENTS_INDENT.pt) // CONTENTS_SIZE.pt)
LANGUAGE = "zh-CN"
PHOTO_WIDTH = Cm(14)
PHOTO_MAX_HEIGHT = Cm(16)

# The pPr children that come after w:pBdr in the schema's sequence; the border
# is inserted before the first of them present.
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def issue_label(issue) -> str:
    """第N期（总第M期）, 第N期 alone for a past issue without a running
    number, or 草稿 for a draft."""
    if issue.number:
        return issue.number_label
    return "第　期（草稿）"


def issue_date_text(issue) -> str:
    date = issue.issue_date
    if date is None:
        return ""
    return f"{date.year}年{date.month}月{date.day}日"


def docx_filename(issue) -> str:
    # 云浮民政简报2026年第1期.docx; a draft's file carries its name:
    # 云浮民政简报2026年第2期（草稿，12月7日）.docx
    return f"{issue.publication.name}{issue.short_name}.docx"


# --- Runs and paragraphs ------------------------------------------------------------


def _font(run, name=BODY_FONT, size=None, bold=None, color=None, italic=None):
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:  # pragma: no cover - font.name always creates it
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic
    if color is not None:
        run.font.color.rgb = color
    return run


def _paragraph(doc, text="", *, align=None, font=BODY_FONT, size=BODY_SIZE, **kw):
    para = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    if text:
        _font(para.add_run(text), font, size, **kw)
    return para


def _broken(para, lines, font=None, size=None, **kw):
    """``lines`` in one paragraph, a line break (w:br) between them; the runs
    get direct formatting only when ``font`` is given (a heading's come from
    its style)."""
    for index, line in enumerate(lines):
        if index:
            para.add_run().add_break(WD_BREAK.LINE)
        run = para.add_run(line)
        if font is not None:
            _font(run, font, size, **kw)
    return para


def _heading(doc, level: int, lines) -> object:
    para = doc.add_paragraph(style=f"Heading {level}")
    return _broken(para, lines)


def _spacing(para, before=0, after=0, line=None):
    fmt = para.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line


def _indent_two_chars(para, size=BODY_SIZE):
    """First line indented two characters: ``w:firstLineChars="200"`` (which Word
    and LibreOffice honour), with ``w:firstLine`` in twips as the fallback."""
    para.paragraph_format.first_line_indent = size * 2
    ind = para._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200")


def _red_rule(para, size_eighths=18):
    """A red rule under the paragraph: its bottom border."""
    ppr = para._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), RED_HEX)
    border.append(bottom)
    ppr.insert_element_before(border, *_AFTER_PBDR)


class _Runs(HTMLParser):
    """Inline HTML (strong, em, br) of a block as (text, bold, italic, br) runs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs: list[tuple[str, bool, bool, bool]] = []
        self.bold = self.italic = 0

    def handle_starttag(self, tag, attrs):
        if tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "br":
            self.runs.append(("", False, False, True))

    def handle_endtag(self, tag):
        if tag == "strong":
            self.bold = max(0, self.bold - 1)
        elif tag == "em":
            self.italic = max(0, self.italic - 1)

    def handle_data(self, data):
        if data:
            self.runs.append((data, self.bold > 0, self.italic > 0, False))


def _inline(para, inner_html: str, *, bold=False):
    parser = _Runs()
    parser.feed(inner_html)
    parser.close()
    for text, strong, italic, br in parser.runs:
        run = para.add_run()
        if br:
            run.add_break(WD_BREAK.LINE)
            continue
        run.text = text
        _font(run, BODY_FONT, BODY_SIZE, bold=bold or strong, italic=italic or None)


def read_photo(file) -> bytes | None:
    """A photo file's bytes, or None when it is gone from the storage (logged):
    the Word file and the WeChat export leave it out rather than fail."""
    try:
        with file.storage.open(file.name, "rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        # A file gone from the storage must not cost the whole export.
        logger.warning("newsletter photo missing from storage: %s", file.name)
        return None


def _photo(doc, photo):
    file = photo.print_file if photo.has_picture else None
    data = read_photo(file) if file else None
    if not data:
        return
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(para, 6, 0)
    width, height = photo.size
    run = para.add_run()
    try:
        if width and height and PHOTO_WIDTH * height / width > PHOTO_MAX_HEIGHT:
            run.add_picture(io.BytesIO(data), height=PHOTO_MAX_HEIGHT)
        else:
            run.add_picture(io.BytesIO(data), width=PHOTO_WIDTH)
    except Exception:  # noqa: BLE001 - an unreadable picture is left out, not fatal
        logger.warning("newsletter photo unreadable for Word: %s", file.name)
        return
    if photo.caption:
        # The picture stays on the page of its caption, the caption whole.
        para.paragraph_format.keep_with_next = True
        caption = _paragraph(
            doc, photo.caption, align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(12)
        )
        _spacing(caption, 0, 6)
        caption.paragraph_format.keep_together = True


def _missing_photo(doc):
    """Where a past issue's file named a picture it did not hold: a small grey
    line, so the text does not run on as if nothing stood there."""
    note = _paragraph(
        doc,
        f"〔{MISSING_PHOTO_TEXT}〕",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size=Pt(10.5),
        color=GREY,
    )
    _spacing(note, 6, 6)


# --- The document -------------------------------------------------------------------


def _page(doc):
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _heading_styles(doc)
    _page_numbers(section)


def _style_font(style, name, size, *, bold):
    """The style's font, East Asian included, in place of the template's theme
    fonts (which would win over a named font) and its blue."""
    style.font.name = name
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = BLACK


def _heading_styles(doc):
    """Heading 1 (a section: ●市级动态) and Heading 2 (an article's title) as the
    paper sets them; their outline levels (0 and 1, from the template) put them
    in Word's navigation pane."""
    section = doc.styles["Heading 1"]
    _style_font(section, TITLE_FONT, SECTION_SIZE, bold=True)
    fmt = section.paragraph_format
    fmt.space_before, fmt.space_after = Pt(12), Pt(6)
    fmt.keep_with_next = True
    title = doc.styles["Heading 2"]
    _style_font(title, TITLE_FONT, TITLE_SIZE, bold=True)
    fmt = title.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.space_before, fmt.space_after = Pt(18), Pt(12)
    fmt.keep_with_next = True
    fmt.keep_together = True


def _run_with(para, size, **children) -> None:
    run = para.add_run()
    _font(run, TITLE_FONT, size)
    for tag, attributes in children.items():
        element = OxmlElement(f"w:{tag}")
        for name, value in attributes.items():
            if name == "text":
                element.text = value
            else:
                element.set(qn(name), value)
        run._r.append(element)


def _page_numbers(section):
    """— 1 — centred in the footer: an em dash, a space, the PAGE field, a
    space, an em dash, as a 公文 numbers its pages."""
    footer = section.footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(para.add_run("— "), TITLE_FONT, PAGE_NUMBER_SIZE)
    _run_with(para, PAGE_NUMBER_SIZE, fldChar={"w:fldCharType": "begin"})
    _run_with(
        para,
        PAGE_NUMBER_SIZE,
        instrText={"xml:space": "preserve", "text": " PAGE "},
    )
    _run_with(para, PAGE_NUMBER_SIZE, fldChar={"w:fldCharType": "separate"})
    _font(para.add_run("1"), TITLE_FONT, PAGE_NUMBER_SIZE)
    _run_with(para, PAGE_NUMBER_SIZE, fldChar={"w:fldCharType": "end"})
    _font(para.add_run(" —"), TITLE_FONT, PAGE_NUMBER_SIZE)


def _language(doc):
    """zh-CN for the document's text (the defaults and Normal: spelling,
    hyphenation and the fonts Word picks), for its theme fonts, and a line
    ended by a line break (a title's, a <br> in a paragraph) not stretched
    across a justified line."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rprs = [doc.styles["Normal"].element.get_or_add_rPr()]
    if defaults is not None:
        rprs += defaults.findall(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for rpr in rprs:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)  # after rFonts and sz, the last of what is there
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    settings = doc.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)
        theme.set(qn("w:eastAsia"), LANGUAGE)
    compat = settings.find(qn("w:compat"))
    if compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is None:
        # First in w:compat's sequence of what the template has.
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))


def _masthead(doc, issue):
    publication = issue.publication
    name = _paragraph(
        doc,
        publication.name,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        font=TITLE_FONT,
        size=Pt(42),
        bold=True,
        color=RED,
    )
    _spacing(name, 12, 6)
    if publication.masthead:
        sub = _paragraph(
            doc, publication.masthead, align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(12)
        )
        _spacing(sub, 0, 6)
    number = _paragraph(
        doc, issue_label(issue), align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(16)
    )
    _spacing(number, 6, 12)
    # The bureau on the left, the date on the right, over the red rule.
    rule = doc.add_paragraph()
    rule.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _font(rule.add_run(f"{publication.bureau}编"), BODY_FONT, Pt(14))
    _font(rule.add_run(f"\t{issue_date_text(issue)}"), BODY_FONT, Pt(14))
    _spacing(rule, 0, 12)
    _red_rule(rule)
    if issue.editor_note:
        note = doc.add_paragraph()
        _font(note.add_run("编者按："), TITLE_FONT, BODY_SIZE, bold=True)
        _font(note.add_run(issue.editor_note), BODY_FONT, BODY_SIZE)
        _indent_two_chars(note)
        note.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _contents(doc, sections):
    heading = _paragraph(
        doc,
        "本 期 内 容",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        font=TITLE_FONT,
        size=Pt(18),
        bold=True,
    )
    _spacing(heading, 12, 12)
    for section in sections:
        articles = list(section.articles.all())
        if not articles:
            continue
        title = _paragraph(
            doc, f"●{section.title}", font=TITLE_FONT, size=Pt(16), bold=True
        )
        _spacing(title, 8, 2, line=1.0)
        for article in articles:
            # A long title broken where typesetting says (a contents line
            # wrapped by Word could leave 制 alone), at the contents' width.
            line = _broken(
                doc.add_paragraph(),
                title_lines(article.full_title, CONTENTS_WIDTH),
                BODY_FONT,
                CONTENTS_SIZE,
            )
            line.paragraph_format.left_indent = CONTENTS_INDENT
            # Single-spaced: an issue the seed's size keeps the whole of its
            # contents on page 1, under the masthead.
            _spacing(line, 0, 2, line=1.0)
    hidden = sum(section.hidden_count for section in sections)
    if hidden:
        note = _paragraph(doc, hidden_text(hidden), size=Pt(12), italic=True)
        _spacing(note, 8, 4)


def _article(doc, article):
    title = _heading(doc, 2, title_lines(article.title, PAPER_TITLE_WIDTH))
    if article.subtitle:
        title.paragraph_format.space_after = Pt(4)
        sub = _broken(
            doc.add_paragraph(),
            title_lines(f"——{article.subtitle}", SUBTITLE_WIDTH),
            TITLE_FONT,
            SUBTITLE_SIZE,
        )
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(sub, 0, 12)
        sub.paragraph_format.keep_with_next = True
    for block in article.blocks:
        if block.is_photo:
            if block.photo.is_missing:
                _missing_photo(doc)
            else:
                _photo(doc, block.photo)
            continue
        para = doc.add_paragraph()
        _inline(para, block.html, bold=block.is_subheading)
        _indent_two_chars(para)
        _spacing(para, 0, 0, line=1.5)
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if block.is_subheading:
            para.paragraph_format.keep_with_next = True


def _corrections(doc, issue):
    if not issue.is_published:
        return
    corrections = list(issue.corrections.order_by("at", "pk"))
    if not corrections:
        return
    heading = _paragraph(doc, "更正说明", font=TITLE_FONT, size=Pt(14), bold=True)
    _spacing(heading, 18, 4)
    for item in corrections:
        at = timezone.localtime(item.at)
        _paragraph(
            doc,
            f"{at.year}年{at.month}月{at.day}日：{item.summary}。{item.reason}",
            size=Pt(12),
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        )


def hidden_text(count: int) -> str:
    """What a county reviewer reads in place of the articles they may not."""
    return _("本期另有 %(n)d 篇其他县（市、区）或市级的文章，您无权查看。") % {
        "n": count
    }


def build_docx(issue, sections, progress=None) -> bytes:
    """The issue as .docx bytes. ``sections`` come from
    ``selectors.issue_contents`` (the articles its reader may read, with their
    ``blocks``, and each section's ``hidden_count``: the contents say how many
    were left out).
    ``progress(done, total)`` hears of each article written (a background job,
    core/jobs/)."""
    total = sum(len(section.articles.all()) for section in sections)
    done = 0
    doc = Document()
    _page(doc)
    _masthead(doc, issue)
    _contents(doc, sections)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for section in sections:
        articles = list(section.articles.all())
        if not articles:
            continue
        _heading(doc, 1, [f"●{section.title}"])
        for article in articles:
            _article(doc, article)
            done += 1
            if progress is not None:
                progress(done, total)
    _corrections(doc, issue)
    _language(doc)
    props = doc.core_properties
    publication = issue.publication
    # The export's time (in UTC, as the file records it), not the template's.
    now = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    props.created = props.modified = now
    props.title = f"{publication.name} {issue.year}年{issue_label(issue)}"
    props.author = props.last_modified_by = publication.bureau
    props.subject = publication.name
    props.comments = ""  # the template's "generated by python-docx"
    props.revision = 1
    props.language = LANGUAGE
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
