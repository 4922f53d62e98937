"""The print view of the demo's published issue (the seed, as load_demo
imports it), printed by chromium to an A4 PDF and read back with poppler and pdfplumber:
page 1 holds the masthead and the whole of 本期内容; every article opens a page
with its title set in the paper's lines; every photo is on the page of its
caption. On a 390 px phone the same page is a column with no sideways scroll,
on a desktop an A4 sheet. The PDF, its page 1 as a picture and the screenshots
are kept under test-artifacts/e2e/<test>/."""

from __future__ import annotations

import io
import os
import re
import subprocess

import pdfplumber
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from newsletter import demo, selectors
from newsletter.models import ArticlePhoto, Issue
from newsletter.templatetags.newsletter_print import PAPER_SUBTITLE_WIDTH
from newsletter.typesetting import PAPER_TITLE_WIDTH, title_lines

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MM = 72 / 25.4  # PDF points in a millimetre
A4 = (210 * MM, 297 * MM)
PHOTOS_PER_ARTICLE = 3
# A subtitle's dash (——) may come out of the PDF as one glyph or two: lines
# are compared without it.
DASHES = " \t\n—⸺"


def _flat(text: str) -> str:
    """Text as compared here: without white space (a PDF's text has line
    breaks where the lines fall, and spaces where letter-spacing is wide)."""
    return re.sub(r"\s+", "", text)


def _jpeg(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, "JPEG", quality=80)
    return out.getvalue()


@pytest.fixture
def seed_issue():
    """The seed issue with three captioned photos at the end of each article:
    three 4:3 photos (about 12 cm each with their captions) never fit the rest
    of one page, so every article has photos that meet a page break."""
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    issue = Issue.objects.select_related("publication").get(
        publication__slug=demo.PUBLICATION["slug"],
        year=demo.SEED_YEAR,
        number=demo.SEED_NUMBER,
        status=Issue.Status.PUBLISHED,
    )
    sections = [s for s in selectors.issue_contents(issue) if s.articles.all()]
    articles = [a for s in sections for a in s.articles.all()]
    captions = []
    colours = ["#3a7d44", "#3070b0", "#b04030"]
    for index, article in enumerate(articles):
        for position in range(1, PHOTOS_PER_ARTICLE + 1):
            caption = f"图注{index + 1:02d}之{position}：社工入户走访现场"
            photo = ArticlePhoto(
                article=article,
                position=position,
                caption=caption,
                width=800,
                height=600,
            )
            photo.web.save(
                "photo.jpg", ContentFile(_jpeg(colours[position - 1])), save=False
            )
            photo.save()
            captions.append(caption)
    return issue, sections, articles, captions


def _print_url(issue) -> str:
    return f"/issues/{issue.publication.slug}/{issue.year}/{issue.number}/print/"


def _pdf_text(path) -> list[str]:
    """Each page's text, by pdftotext in the order it was drawn. Not
    pdfplumber's: Noto CJK shares some glyphs between a character and a
    radical (民 and ⺠), and chromium's PDF names the glyph by the radical;
    poppler reads it back as the character."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split("\f")[:-1]


def _pdf_words(path) -> list[list[tuple[str, float]]]:
    """Each page's words (pdftotext -bbox) with the middle of their height, in
    points from the top of the page."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    word = re.compile(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        [(text, (float(y0) + float(y1)) / 2) for y0, y1, text in word.findall(page)]
        for page in out.split("<page ")[1:]
    ]


def _line_lengths(pdf_page, size: float) -> list[int]:
    """How many characters each line of text at ``size`` points holds (the
    dash left out), top to bottom: how the page broke a title or subtitle."""
    lines: dict[int, int] = {}
    for char in pdf_page.chars:
        if abs(char["size"] - size) < 0.2 and char["text"].strip(DASHES):
            top = round(char["top"])
            lines[top] = lines.get(top, 0) + 1
    return [lines[top] for top in sorted(lines)]


def _widths(lines: list[str]) -> list[int]:
    return [len(_flat(line).strip(DASHES)) for line in lines]


def test_the_print_view_prints_as_the_paper(new_page, steps, seed_issue):
    issue, sections, articles, captions = seed_issue
    page = new_page()
    assert page.goto(_print_url(issue)).status == 200
    # The photos are loaded lazily on screen; printing loads them all, as it
    # does for a reader's Ctrl+P (the count of pictures below checks it).
    pdf_path = steps.folder / "print-view.pdf"
    page.pdf(
        path=str(pdf_path),
        format="A4",
        prefer_css_page_size=True,
        print_background=True,
    )
    # Page 1 as a picture, to look at beside the screenshots.
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
        + [str(pdf_path), str(steps.folder / "pdf-page-1")],
        check=True,
    )
    assert (steps.folder / "pdf-page-1.png").exists()
    texts = [_flat(text) for text in _pdf_text(pdf_path)]

    # Page 1: the masthead and all of the contents.
    first = texts[0]
    assert first.startswith(_flat(issue.publication.name))
    assert "本期内容" in first
    for section in sections:
        assert _flat(f"●{section.title}") in first, section.title
    for article in articles:
        assert _flat(article.full_title) in first, (
            f"not on page 1: {article.full_title}"
        )

    # Each article opens a page: its section's heading (for the first of a
    # section), its title, its subtitle, nothing before them; page 2 is the
    # first article's.
    heads = {}
    for section in sections:
        for n, article in enumerate(section.articles.all()):
            head = _flat(f"●{section.title}") if n == 0 else ""
            head += _flat(article.title)
            if article.subtitle:
                head += _flat(f"——{article.subtitle}")
            heads[article.pk] = head
    openings = {}
    for number, text in enumerate(texts[1:], start=2):
        for article in articles:
            if article.pk not in openings and text.startswith(heads[article.pk]):
                openings[article.pk] = number
                break
    missing = [a.title for a in articles if a.pk not in openings]
    assert not missing, f"these do not open a page: {missing}"
    assert [openings[a.pk] for a in articles] == sorted(openings.values())
    assert openings[articles[0].pk] == 2

    with pdfplumber.open(pdf_path) as pdf:
        pages = pdf.pages
        for p in pages:
            assert abs(p.width - A4[0]) < 2 and abs(p.height - A4[1]) < 2, "not A4"
        # Titles (18 pt) and subtitles (16 pt) in the paper's lines: the
        # browser broke them nowhere else, so no line of one or two characters.
        several = 0
        for article in articles:
            opening = pages[openings[article.pk] - 1]
            expected = title_lines(article.title, PAPER_TITLE_WIDTH)
            assert _line_lengths(opening, 18) == _widths(expected), article.title
            several += len(expected) > 1
            if article.subtitle:
                expected = title_lines(f"——{article.subtitle}", PAPER_SUBTITLE_WIDTH)
                assert _line_lengths(opening, 16)[-len(expected) :] == _widths(
                    expected
                ), article.subtitle
        assert several, "the seed has titles of more than one line"

        # Photos: the n-th picture is on the page of the n-th caption, above it.
        pictures = []
        for number, pdf_page in enumerate(pages, start=1):
            shown = [im for im in pdf_page.images if im["width"] > 100]
            pictures += [
                (number, im["bottom"]) for im in sorted(shown, key=lambda im: im["top"])
            ]
    assert len(pictures) == len(captions)
    found = {}
    for number, words in enumerate(_pdf_words(pdf_path), start=1):
        for text, middle in words:
            if text in captions:
                found[text] = (number, middle)
    assert set(found) == set(captions)
    for caption, (number, bottom) in zip(captions, pictures, strict=True):
        caption_page, middle = found[caption]
        assert caption_page == number, (
            f"{caption}: the photo is on page {number}, its caption on {caption_page}"
        )
        assert bottom < middle, caption
    # The photos did meet page breaks: an article's photos are on two pages.
    assert len({number for number, _ in pictures}) > len(articles)


def test_the_print_view_is_a_column_on_a_phone_and_a_sheet_on_a_desktop(
    new_page, steps, seed_issue
):
    issue, _sections, articles, _captions = seed_issue
    long_title = next(
        a for a in articles if len(title_lines(a.title, PAPER_TITLE_WIDTH)) > 1
    )
    phone = new_page(phone=True)
    assert phone.goto(_print_url(issue)).status == 200
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"the print view is {width} px wide on a 390 px phone"
    # The plain title, wrapped by the phone; the paper's lines are not shown.
    heading = phone.locator(f"#article-{long_title.pk} .nl-title")
    assert _flat(heading.inner_text()) == _flat(long_title.title)
    assert not phone.locator(f"#article-{long_title.pk} .nl-title-paper").is_visible()
    steps.shot(phone, "phone-390")
    # Nor at any other width, on either side of where the sheet starts.
    for width in (320, 600, 768, 820, 840, 1024):
        phone.set_viewport_size({"width": width, "height": 844})
        sizes = phone.evaluate(
            "[document.scrollingElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert sizes[0] <= sizes[1], f"{sizes[0]} px wide in a {width} px window"

    desk = new_page()
    assert desk.goto(_print_url(issue)).status == 200
    sheet = desk.locator(".nl-paper").bounding_box()
    assert abs(sheet["width"] - 210 * 96 / 25.4) < 2, sheet  # 210 mm at 96 px an inch
    assert sheet["height"] >= 297 * 96 / 25.4 - 2
    assert desk.evaluate("document.scrollingElement.scrollWidth") <= 1280
    # On the sheet the title is set in the paper's lines.
    lines = (
        desk.locator(f"#article-{long_title.pk} .nl-title").inner_text().splitlines()
    )
    assert [_flat(x) for x in lines if x.strip()] == [
        _flat(x) for x in title_lines(long_title.title, PAPER_TITLE_WIDTH)
    ]
    steps.shot(desk, "desktop")
