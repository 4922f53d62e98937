"""The Word file to a government newsletter's standard, checked with
python-docx on the seed issue (imported as the demo imports it) and on the
demo's draft with photos: justified body text, the sections in Heading 1 and
the titles in Heading 2 (so Word's navigation pane lists them), the language
zh-CN, page numbers — 1 — as a PAGE field, the export's dates in the file's
properties, titles broken at phrase boundaries with no line of one or two
characters, photos kept with their captions; and LibreOffice's PDF of it has
the whole table of contents on its first page."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from newsletter import selectors, services
from newsletter.demo import SEED, SEED_NUMBER, SEED_YEAR
from newsletter.models import Publication
from newsletter.services.legacy import issue_import
from newsletter.typesetting import PAPER_TITLE_WIDTH, text_width
from newsletter.word_export import (
    CONTENTS_WIDTH,
    SUBTITLE_WIDTH,
    build_docx,
)
from stations.models import City
from tests.newsletter.legacy.conftest import DIVISIONS
from tests.newsletter.legacy.office_files import SOFFICE, libreoffice_convert

BUREAU = "云浮市民政局"

# The seed is imported once per session (seed_word); the mark makes the test
# run set up the database even when only these tests are chosen.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def seed_word(django_db_setup, django_db_blocker, tmp_path_factory):
    """(sections, docx bytes, the time of the export) of the seed issue:
    ``sections`` is [(section title, [(title, subtitle, full title)])]. Imported
    and exported once, inside a transaction that is rolled back."""
    folder = tmp_path_factory.mktemp("word_standard")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=folder / "media"),
        transaction.atomic(),
    ):
        call_command("load_divisions", str(DIVISIONS), stdout=io.StringIO())
        publication = Publication.objects.create(
            name="云浮民政简报",
            slug="yunfu",
            city=City.objects.get(code="445300"),
            bureau=BUREAU,
        )
        issue = issue_import(
            publication=publication,
            source=SEED.read_bytes(),
            filename=SEED.name,
            by=None,
            year=SEED_YEAR,
            number=SEED_NUMBER,
        ).issue
        contents = selectors.issue_contents(issue, reader=selectors.UNSCOPED)
        sections = [
            (
                section.title,
                [(a.title, a.subtitle, a.full_title) for a in section.articles.all()],
            )
            for section in contents
            if section.articles.all()
        ]
        before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        data = build_docx(issue, contents)
        transaction.set_rollback(True)
    return sections, data, before


@pytest.fixture
def seed(seed_word):
    sections, data, before = seed_word
    return sections, Document(io.BytesIO(data)), before


def _titles(sections):
    return [article for _title, articles in sections for article in articles]


def _lines(paragraph):
    """A paragraph's lines: python-docx reads a w:br as a newline."""
    return paragraph.text.split("\n")


def test_the_seed_has_its_ten_titles(seed):
    sections, _doc, _before = seed
    assert len(_titles(sections)) == 10
    assert [title for title, _articles in sections] == [
        "市级动态",
        "县（市、区）动态",
        "社工站（点）动态",
    ]


def test_body_paragraphs_are_justified(seed):
    _sections, doc, _before = seed
    body = [
        p
        for p in doc.paragraphs
        if p._p.pPr is not None
        and p._p.pPr.find(qn("w:ind")) is not None
        and p._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    ]
    assert len(body) > 30
    for paragraph in body:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY, paragraph.text
        # JUSTIFY is w:jc w:val="both" (两端对齐), not "distribute".
        assert paragraph._p.pPr.find(qn("w:jc")).get(qn("w:val")) == "both"
    # A title's line break does not stretch a justified line in Word.
    compat = doc.settings.element.find(qn("w:compat"))
    assert compat.find(qn("w:doNotExpandShiftReturn")) is not None


def test_sections_are_heading_1_and_titles_heading_2(seed):
    sections, doc, _before = seed
    paragraphs = doc.paragraphs
    by_style = {}
    for paragraph in paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph)
    assert [p.text for p in by_style["Heading 1"]] == [
        f"●{title}" for title, _articles in sections
    ]
    assert [p.text.replace("\n", "") for p in by_style["Heading 2"]] == [
        title for title, _subtitle, _full in _titles(sections)
    ]
    # The masthead and the contents stay as they were: not headings.
    before = paragraphs[: paragraphs.index(by_style["Heading 1"][0])]
    assert before[0].text == "云浮民政简报"
    assert "本 期 内 容" in [p.text for p in before]
    assert all(p.style.name == "Normal" for p in before)


def _style_check(style, size, centred, outline):
    element = style.element
    assert element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == outline
    rfonts = element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "宋体"
    assert rfonts.get(qn("w:ascii")) == "宋体"
    assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win
    assert style.font.size.pt == size
    assert style.font.bold
    assert str(style.font.color.rgb) == "000000"
    assert style.font.color.theme_color is None
    fmt = style.paragraph_format
    assert fmt.keep_with_next
    assert (fmt.alignment == WD_ALIGN_PARAGRAPH.CENTER) is centred


def test_heading_styles_carry_the_papers_formatting(seed):
    _sections, doc, _before = seed
    _style_check(doc.styles["Heading 1"], 16, False, "0")
    _style_check(doc.styles["Heading 2"], 18, True, "1")
    title = doc.styles["Heading 2"].paragraph_format
    assert (title.space_before.pt, title.space_after.pt) == (18, 12)
    # Headings take their look from the style: no direct fonts on their runs.
    for paragraph in doc.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            assert all(run.font.name is None for run in paragraph.runs)


def test_document_language_is_zh_cn(seed):
    _sections, doc, _before = seed
    styles = doc.styles.element
    default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    normal = doc.styles["Normal"].element.rPr
    for lang in (
        default.find(qn("w:rPr")).find(qn("w:lang")),
        normal.find(qn("w:lang")),
    ):
        assert lang.get(qn("w:val")) == "zh-CN"
        assert lang.get(qn("w:eastAsia")) == "zh-CN"
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    assert theme.get(qn("w:val")) == theme.get(qn("w:eastAsia")) == "zh-CN"
    assert doc.core_properties.language == "zh-CN"


def test_footer_numbers_pages_in_the_official_form(seed):
    _sections, doc, _before = seed
    footer = doc.sections[0].footer
    assert not footer.is_linked_to_previous
    (paragraph,) = [p for p in footer.paragraphs if p.text.strip()]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # — PAGE —: an em dash, a space, the field (its last value 1), a space, a dash.
    assert paragraph.text == "\u2014 1 \u2014"
    p = paragraph._p
    kinds = [f.get(qn("w:fldCharType")) for f in p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    (instruction,) = [i.text for i in p.iter(qn("w:instrText"))]
    assert instruction.strip() == "PAGE"


def test_core_properties_are_the_exports(seed):
    _sections, doc, before = seed
    props = doc.core_properties
    for stamp in (props.created, props.modified):
        stamp = stamp.replace(tzinfo=datetime.UTC)
        assert stamp.year != 2013
        assert before <= stamp <= before + datetime.timedelta(minutes=5)
    assert props.author == props.last_modified_by == BUREAU
    assert props.title == f"云浮民政简报 {SEED_YEAR}年第{SEED_NUMBER}期"
    assert "python-docx" not in (props.comments or "")


def test_titles_break_at_phrases_with_no_line_of_one_or_two_characters(seed):
    sections, doc, _before = seed
    titles = [p for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert len(titles) == 10
    broken = 0
    for paragraph in titles:
        lines = _lines(paragraph)
        broken += len(lines) > 1
        for line in lines:
            # Each line fits the paper's title width, so Word breaks it nowhere
            # else, and none is a lone character or two.
            assert 2 < text_width(line) <= PAPER_TITLE_WIDTH, lines
    assert broken >= 3  # the seed has titles longer than a line
    texts = [line for p in doc.paragraphs for line in _lines(p)]
    assert "为未成年人健康成长保驾护航" in texts
    assert not any(t.endswith(("系列培", "保驾护")) or t in ("训", "航") for t in texts)
    # Subtitles and the contents lines are broken the same way, at their widths.
    subtitles = [p for p in doc.paragraphs if p.text.startswith("——")]
    assert subtitles
    contents = [
        p
        for p in doc.paragraphs
        if p.style.name == "Normal"
        and p.text.replace("\n", "") in {full for _t, _s, full in _titles(sections)}
    ]
    assert len(contents) == 10
    for paragraph, width in [(p, SUBTITLE_WIDTH) for p in subtitles] + [
        (p, CONTENTS_WIDTH) for p in contents
    ]:
        for line in _lines(paragraph):
            assert 2 < text_width(line) <= width, _lines(paragraph)


@pytest.fixture
def published(draft, personas):
    services.issue_publish(issue=draft, by=personas.editor)
    return draft


def test_a_photo_keeps_its_caption_on_its_page(published):
    data = build_docx(published, selectors.issue_contents(published))
    paragraphs = Document(io.BytesIO(data)).paragraphs
    pictures = [
        i for i, p in enumerate(paragraphs) if p._p.findall(f".//{qn('w:drawing')}")
    ]
    assert len(pictures) == 2
    for index in pictures:
        caption = paragraphs[index + 1]
        assert caption.text.endswith(("照片1", "照片2"))
        assert paragraphs[index].paragraph_format.keep_with_next
        assert caption.paragraph_format.keep_together


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed here: the Word file cannot be "
    "laid out on pages (apt-get install libreoffice-writer-nogui fonts-noto-cjk).",
)
def test_libreoffice_sets_the_whole_contents_on_page_one(seed_word, tmp_path):
    import pdfplumber

    sections, data, _before = seed_word
    source = tmp_path / "seed.docx"
    source.write_bytes(data)
    pdf = libreoffice_convert(source, "pdf", tmp_path / "out")
    with pdfplumber.open(pdf) as document:
        pages = [page.extract_text() or "" for page in document.pages[:2]]
    first = "".join(pages[0].split())
    assert "本期内容" in first
    missing = [
        full
        for _title, _subtitle, full in _titles(sections)
        if "".join(full.split()) not in first
    ]
    assert not missing, f"not on page 1: {missing}"
    # The footer's field is set: — 1 — on the first page, — 2 — on the next.
    assert first.endswith("—1—")
    assert "".join(pages[1].split()).endswith("—2—")
