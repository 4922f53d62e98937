"""Past issues as PDFs with a text layer, built in the tests (pdf_fixtures.py):
paragraphs joined again across their wrapped lines and page breaks, page
numbers and running heads dropped, contents, titles over two lines, subtitles,
the masthead, pictures in place, tables as rows; a line ended early by the
line-breaking rules goes on with its paragraph, and is no centred title; the
seed laid out as a PDF reads as the seed does; bad PDFs are refused with a Chinese message and
nothing is written."""

import datetime
import io
import random
import re

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from newsletter.legacy import pdf as pdf_module
from newsletter.legacy.pdf import MAX_PDF_PAGES, pdf_lines
from newsletter.legacy.reader import read_issue
from newsletter.legacy.structure import Block
from newsletter.models import Issue
from newsletter.services.legacy import issue_import
from tests.newsletter.legacy import pdf_fixtures as F
from tests.newsletter.legacy.conftest import SEED
from tests.newsletter.legacy.helpers import SEED_ARTICLES, png, squash, titles


@pytest.fixture(scope="module")
def issue_bytes():
    return F.issue_pdf()


@pytest.fixture(scope="module")
def issue(issue_bytes):
    return read_issue(issue_bytes, "x.pdf")


def article(issue, start):
    (found,) = [a for a in issue.articles if a.title.startswith(start)]
    return found


def all_paragraphs(issue):
    return [p for a in issue.articles for p in a.paragraphs + a.subheadings]


# --- What reportlab draws, pdfplumber reads back -------------------------------------


def test_chinese_text_drawn_with_the_builtin_font_is_extracted_back():
    sheet = F.Sheet(page_number=None, running_head=None)
    sheet.line("云浮市民政局“双百工程”（MSW）2023年3月10日——●【】…")
    with pdfplumber.open(io.BytesIO(sheet.pdf())) as pdf:
        assert pdf.pages[0].extract_text() == (
            "云浮市民政局“双百工程”（MSW）2023年3月10日——●【】…"
        )


# --- The issue -----------------------------------------------------------------------


def test_sections_titles_and_subtitles(issue):
    assert issue.format == "pdf"
    assert titles(issue) == [
        ("市级动态", F.CITY_TITLE, F.CITY_SUBTITLE.lstrip("—")),
        ("县（市、区）动态", "".join(F.COUNTY_TITLE), ""),
        ("社工站（点）动态", F.STATION_TITLE, ""),
    ]
    assert [s.kind for s in issue.sections] == ["city", "county", "station"]


def test_masthead_lines_give_the_number_and_date(issue):
    masthead = issue.masthead
    assert (masthead.year, masthead.number, masthead.running_number) == (2023, 3, 45)
    assert masthead.issue_date == datetime.date(2023, 3, 10)
    assert masthead.lines[0] == "云浮民政简报"


def test_dotted_contents_are_read_one_entry_a_line_and_paired(issue):
    assert [(s.title, [e.title for e in s.entries]) for s in issue.toc] == [
        ("市级动态", [F.CITY_TITLE + F.CITY_SUBTITLE]),
        ("县（市、区）动态", ["".join(F.COUNTY_TITLE)]),
        ("社工站（点）动态", [F.STATION_TITLE]),
    ]
    assert all(a.pairing == "exact" for a in issue.articles)
    assert issue.warnings == []


def test_wrapped_lines_are_joined_and_a_paragraph_crosses_the_page_break(
    issue, issue_bytes
):
    with pdfplumber.open(io.BytesIO(issue_bytes)) as pdf:
        first_page = pdf.pages[0].extract_text()
    # The fixture really breaks that paragraph between pages 1 and 2.
    assert F.CROSSING[:12] in first_page and F.CROSSING[-10:] not in first_page
    city = issue.articles[0]
    assert city.paragraphs[-2:] == [F.CROSSING, F.CLOSING]
    assert set(city.paragraphs[:-2]) == {F.LONG}
    assert len(city.paragraphs) >= 3 and city.subheadings == []


@pytest.mark.parametrize("form", list(F.PAGE_NUMBER_FORMS))
def test_page_numbers_and_running_heads_never_reach_a_paragraph(form):
    number = F.PAGE_NUMBER_FORMS[form]
    issue = read_issue(F.issue_pdf(page_number=number), "x.pdf")
    city = issue.articles[0]
    assert city.paragraphs[-2:] == [F.CROSSING, F.CLOSING]
    texts = all_paragraphs(issue)
    for page in (1, 2, 3):
        assert not any(t.endswith(number(page, 3)) for t in texts)
    assert not any("云浮民政简报" in t for t in texts)
    county, station = issue.articles[1:]
    assert len(county.paragraphs) == 2
    # Before and after the picture, and the table's three rows (the
    # distribution block after them is no part of the article's text).
    assert station.paragraphs[:5] == [F.STATION_BEFORE, F.STATION_AFTER] + [
        "\u3000".join(row) for row in F.TABLE
    ]


def test_a_title_over_two_lines_and_a_subheading(issue):
    county = article(issue, "云安民政")
    assert county.title == "".join(F.COUNTY_TITLE)
    assert [(b.kind, b.text) for b in county.blocks] == [
        (Block.PARAGRAPH, F.COUNTY_BODY[0]),
        (Block.SUBHEADING, F.COUNTY_BODY[1]),
        (Block.PARAGRAPH, F.COUNTY_BODY[2]),
    ]


def test_a_bold_line_is_a_subheading_of_its_own():
    # Helvetica-Bold draws Latin text only; the reader goes by the font's name.
    sheet = F.Sheet()
    sheet.line("●社工站（点）动态", size=14)
    sheet.centred(F.STATION_TITLE)
    sheet.paragraph(F.STATION_BEFORE)
    sheet.line("Part 1 Service records", font="Helvetica-Bold")
    sheet.paragraph(F.STATION_AFTER, indent=0)
    (station,) = read_issue(sheet.pdf(), "x.pdf").articles
    assert [(b.kind, b.text) for b in station.blocks] == [
        (Block.PARAGRAPH, F.STATION_BEFORE),
        (Block.SUBHEADING, "Part 1 Service records"),
        (Block.PARAGRAPH, F.STATION_AFTER),
    ]


def test_picture_between_paragraphs_stays_in_place(issue):
    station = article(issue, "罗定市泗纶镇")
    kinds = [b.kind for b in station.blocks]
    assert kinds[:3] == [Block.PARAGRAPH, Block.IMAGE, Block.PARAGRAPH]
    assert station.blocks[0].text == F.STATION_BEFORE
    assert station.blocks[2].text == F.STATION_AFTER
    image = station.blocks[1].image
    assert image.number == 1 and not image.is_missing
    with Image.open(io.BytesIO(image.data)) as picture:
        assert picture.format == "PNG" and picture.size == (120, 80)
        assert picture.convert("RGB").getpixel((10, 10)) == (40, 120, 200)


def test_a_jpeg_picture_is_kept_as_it_was_stored():
    buffer = io.BytesIO()
    Image.new("RGB", (90, 60), (200, 40, 40)).save(buffer, "JPEG")
    issue = read_issue(F.issue_pdf(picture=buffer.getvalue()), "x.pdf")
    (image,) = article(issue, "罗定市泗纶镇").images
    assert image.data == buffer.getvalue()


def test_a_logo_repeated_in_the_running_head_is_no_picture():
    logo = png(colour=(200, 0, 0), size=(40, 40))
    issue = read_issue(F.issue_pdf(logo=logo), "x.pdf")
    assert [len(a.images) for a in issue.articles] == [0, 0, 1]
    (image,) = article(issue, "罗定市泗纶镇").images
    assert image.number == 1 and image.data != logo


def test_different_photos_at_the_same_place_on_two_pages_are_both_kept():
    sheet = F.Sheet()
    sheet.line("●社工站（点）动态", size=14)
    for page, colour in enumerate([(200, 0, 0), (0, 200, 0)]):
        if page:
            sheet.new_page()
        sheet.centred(F.STATION_TITLE)
        sheet.paragraph(F.STATION_BEFORE)
        sheet.picture(png(colour=colour, size=(120, 80)))
        sheet.paragraph(F.STATION_AFTER)
    issue = read_issue(sheet.pdf(), "x.pdf")
    assert [len(a.images) for a in issue.articles] == [1, 1]


def test_damaged_copies_never_crash_the_reader(issue_bytes):
    rng = random.Random(7)
    for _copy in range(12):
        data = bytearray(issue_bytes)
        for _byte in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            read_issue(bytes(data), "x.pdf")
        except ValidationError as exc:
            assert exc.messages and all(m.strip() for m in exc.messages)


def test_a_table_is_kept_as_rows(issue):
    station = article(issue, "罗定市泗纶镇")
    rows = ["\u3000".join(row) for row in F.TABLE]
    assert station.paragraphs[2:5] == rows


def test_distribution_block_lines_stay_apart_from_the_text(issue_bytes, issue):
    texts = [line.text for line in pdf_lines(issue_bytes)]
    # The 报送 line wraps under its own text (a hanging indent) and is one line.
    assert texts[-3:] == F.DISTRIBUTION
    for text in all_paragraphs(issue):
        for label in ("报送：", "抄送：", "印发："):
            assert label not in text or text.startswith(label)


def test_hints_centred_and_heading_as_a_word_file_gives_them(issue_bytes):
    lines = {line.text: line for line in pdf_lines(issue_bytes)}
    assert lines["云浮民政简报"].centred and lines["云浮民政简报"].heading
    assert lines[F.CITY_TITLE].centred and lines[F.CITY_TITLE].heading
    assert lines["".join(F.COUNTY_TITLE)].centred
    assert not lines[F.CLOSING].centred and not lines[F.CLOSING].heading
    assert not lines[F.LONG].centred


def test_the_issue_imports_with_its_picture(publication):
    result = issue_import(
        publication=publication, source=F.issue_pdf(), filename="x.pdf", by=None
    )
    issue = result.issue
    assert result.ok and (issue.year, issue.number, issue.running_number) == (
        2023,
        3,
        45,
    )
    station = issue.articles.get(title=F.STATION_TITLE)
    (photo,) = station.photos.all()
    assert not photo.is_missing


# --- Lines ended early by the line-breaking rules -------------------------------------

# Text without punctuation, to fill a line up to where a case needs it to end.
FILLER = (
    "为更好维护未成年人合法权益切实保障未成年人身心健康成长近日云安区民政局"
    "充分发挥社工积极作用组织社工开展宣传教育入户走访等活动"
)
# Characters of a full first line, after its two-character indent.
FIRST_LINE = int((F.Sheet().column - 2 * F.BODY) / F.BODY)


def early_end(end: str, start: str, short: int, *, indent_next=False):
    """A page with a paragraph before and after, and between them a paragraph
    (or two) whose first line ends with ``end``, ``short`` characters before a
    full line would, and whose next line starts with ``start``. Returns the
    PDF and the paragraph's text as its lines give it."""
    first = FILLER[: FIRST_LINE - short - len(end)] + end
    assert len(first) == FIRST_LINE - short
    sheet = F.Sheet()
    rest = start + FILLER + "。"
    sheet.line("●县（市、区）动态", size=14)
    sheet.centred("".join(F.COUNTY_TITLE))
    sheet.paragraph(F.LONG)
    if indent_next:
        sheet.broken([first])
        sheet.broken(sheet.wrap(rest, sheet.column - 2 * F.BODY, sheet.column))
    else:
        sheet.broken([first, *sheet.wrap(rest, sheet.column, sheet.column)])
    sheet.paragraph(F.CLOSING)
    return sheet.pdf(), first + rest


@pytest.mark.parametrize(
    ("end", "start", "short"),
    [
        # An opening bracket may not end a line: “（街）” went down whole.
        ("各镇", "（街）社工站的优秀社工进行表彰", 1),
        ("各镇", "（街）社工站的优秀社工进行表彰", 2),
        ("大学", "（UOS）访问学者贺志峰等知名学者", 2),
        # A quote binds its neighbours: “展“青” went down together.
        ("开", "展“青春同行，向阳而生”关爱重点青少年", 2),
        # A closing mark may not start a line: it took the character before it.
        ("简易的“理发", "店”就搭建好了", 1),
        ("组织社工开展宣", "传，入户走访等活动", 1),
        # A line that starts with a closing mark or a comma all the same.
        ("拿起“爱心剪", "”，伴随着咔嚓咔嚓的声音", 2),
        ("一缕缕银丝滑落在地", "，陆续呈现出一个个干净利落的短发", 2),
    ],
    ids=[
        "1 short before （",
        "2 short before （",
        "2 short before （Latin）",
        "2 short before a quote",
        "1 short before ”",
        "1 short before ，",
        "2 short, next starts with ”",
        "2 short, next starts with ，",
    ],
)
def test_a_line_ended_early_by_the_line_breaking_rules_goes_on(end, start, short):
    data, text = early_end(end, start, short)
    lines = {line.text: line for line in pdf_lines(data)}
    assert text in lines, "the paragraph was cut where its first line ended"
    assert not lines[text].centred


def test_a_line_ended_earlier_than_the_rules_explain_ends_its_paragraph():
    # Four characters short: “（街）” would have fitted, so the line was ended
    # on purpose (here the next paragraph is not indented).
    data, text = early_end("各镇", "（街）社工站的优秀社工进行表彰", 4)
    texts = [line.text for line in pdf_lines(data)]
    assert text not in texts
    first, second = text[: FIRST_LINE - 4], text[FIRST_LINE - 4 :]
    assert texts[texts.index(first) + 1] == second


def test_a_sentence_ended_short_before_an_unindented_line_ends_its_paragraph():
    data, text = early_end("活动。", "本次活动共服务群众一百余人次", 2)
    texts = [line.text for line in pdf_lines(data)]
    first = text[: FIRST_LINE - 2]
    assert texts[texts.index(first) + 1] == text[FIRST_LINE - 2 :]


def test_an_indented_line_after_one_ended_early_starts_a_paragraph():
    data, text = early_end(
        "各镇", "（街）社工站的优秀社工进行表彰", 1, indent_next=True
    )
    texts = [line.text for line in pdf_lines(data)]
    first = text[: FIRST_LINE - 1]
    assert texts[texts.index(first) + 1] == text[FIRST_LINE - 1 :]


def test_a_first_line_ended_early_near_the_middle_is_no_title():
    # Its margins are nearly equal (the indent on the left, the room “店”就”
    # needed on the right), but it is the first line of a paragraph: the
    # article goes on, no article starts at it.
    data, text = early_end("简易的“理发", "店”就搭建好了", 1)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        (line,) = [
            ln
            for ln in pdf.pages[0].extract_text_lines()
            if ln["text"].endswith("理发")
        ]
    page_middle = (F.Sheet().left + F.Sheet().right) / 2
    assert abs((line["x0"] + line["x1"]) / 2 - page_middle) < 4
    (county,) = read_issue(data, "x.pdf").articles
    assert county.title == "".join(F.COUNTY_TITLE)
    assert county.paragraphs == [F.LONG, text, F.CLOSING]


# --- The seed laid out as a PDF ------------------------------------------------------


@pytest.fixture(scope="module")
def seed_pdf_issue():
    return read_issue(F.seed_pdf(SEED.read_text("utf-8")), "seed.pdf")


def test_the_seed_as_a_pdf_reads_as_the_seed(seed_pdf_issue, seed_bytes):
    from_text = read_issue(seed_bytes, "seed.txt")
    issue = seed_pdf_issue
    assert titles(issue) == SEED_ARTICLES == titles(from_text)
    assert [(s.title, s.kind, len(s.entries)) for s in issue.toc] == [
        (s.title, s.kind, len(s.entries)) for s in from_text.toc
    ]

    def counts(parsed):
        return [
            (len(a.paragraphs), len(a.subheadings), len(a.images))
            for a in parsed.articles
        ]

    assert counts(issue) == counts(from_text)
    # The same text (a no-break space of the seed is a space in the PDF).
    assert [[squash(p) for p in a.paragraphs] for a in issue.articles] == [
        [squash(p) for p in a.paragraphs] for a in from_text.articles
    ]
    assert [a.pairing for a in issue.articles] == [
        a.pairing for a in from_text.articles
    ]


def test_the_seed_picture_stands_inside_its_sentence(seed_pdf_issue):
    fulin = article(seed_pdf_issue, "云安区富林镇")
    assert [b.kind for b in fulin.blocks] == [Block.PARAGRAPH] * 5 + [Block.IMAGE]
    image = fulin.blocks[5].image
    assert not image.is_missing
    assert fulin.blocks[4].text[: image.offset].endswith("小树苗")


# --- Bad PDFs ------------------------------------------------------------------------


def small_pdf(
    pages=1, pagesize=(595, 842), text="云浮民政简报第一页的文字内容"
) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=pagesize)
    for _page in range(pages):
        c.setFont(F.FONT, 12)
        c.drawString(90, 700, text)
        c.showPage()
    c.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for _page in range(2):
        c.drawImage(ImageReader(io.BytesIO(png(size=(200, 280)))), 50, 50, 495, 742)
        c.showPage()
    c.save()
    return buffer.getvalue()


def damaged() -> bytes:
    data = F.issue_pdf()
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: F.issue_pdf(encrypt="pw"), "设置了密码"),
        (damaged, "已损坏"),
        (lambda: b"%PDF-1.4\n" + bytes(range(256)) * 20, "已损坏"),
        (lambda: small_pdf(pages=300), f"超过 {MAX_PDF_PAGES} 页"),
        (lambda: small_pdf(pagesize=(20000, 20000)), "页面尺寸异常"),
    ],
    ids=["encrypted", "cut short", "garbage", "300 pages", "huge page"],
)
def test_bad_pdfs_are_refused_and_nothing_is_written(make, message, publication):
    data = make()
    with pytest.raises(ValidationError) as caught:
        read_issue(data, "x.pdf")
    assert message in caught.value.messages[0]
    with pytest.raises(ValidationError):
        issue_import(publication=publication, source=data, filename="x.pdf", by=None)
    assert not Issue.objects.exists()


def test_a_pdf_without_a_text_layer_is_told_apart_as_a_scan():
    # source.py hands such a file to OCR (ocr.py) on this error's code.
    with pytest.raises(ValidationError) as caught:
        pdf_lines(scanned_pdf())
    assert caught.value.code == pdf_module.SCAN
    assert "扫描件" in caught.value.messages[0]


def test_a_huge_declared_page_count_is_refused_before_pages_are_read(monkeypatch):
    data = small_pdf()
    bomb = re.sub(rb"/Count 1\b", b"/Count 2000000000", data)
    assert bomb != data

    def never(*args, **kwargs):
        raise AssertionError("pages were read")

    monkeypatch.setattr(pdf_module, "_check_page", never)
    with pytest.raises(ValidationError) as caught:
        pdf_lines(bomb)
    assert "超过 200 页" in caught.value.messages[0]


def test_a_page_whose_content_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PAGE_CONTENT", 200)
    with pytest.raises(ValidationError) as caught:
        pdf_lines(small_pdf(text="云浮" * 200))
    assert "页面内容过大" in caught.value.messages[0]


def test_a_picture_declared_enormous_is_left_out_as_missing(issue_bytes):
    # The picture's header says 90000×8000000 pixels: it is not decoded.
    assert issue_bytes.count(b"/Height 80") == 1
    bomb = issue_bytes.replace(b"/Height 80", b"/Height 8000000").replace(
        b"/Width 120", b"/Width 90000"
    )
    issue = read_issue(bomb, "x.pdf")
    (image,) = article(issue, "罗定市泗纶镇").images
    assert image.is_missing and "过大" in image.name
    assert article(issue, "罗定市泗纶镇").paragraphs[:2] == [
        F.STATION_BEFORE,
        F.STATION_AFTER,
    ]
