"""Scans of the printed paper read by OCR (newsletter/legacy/ocr.py): a photo of
a page and a PDF of page images, printed in the tests from the seed issue's
text; an issue read this way is imported as a draft. OCR takes seconds a page:
each scan is read once per test process (scans.read_once)."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from newsletter.legacy import ocr
from newsletter.legacy.furniture import is_page_number
from newsletter.legacy.lines import norm
from newsletter.legacy.reader import read_issue
from newsletter.models import Issue
from newsletter.services.legacy import issue_import
from tests.newsletter.legacy import scans
from tests.newsletter.legacy.helpers import SEED_ARTICLES

NAME = "云浮民政简报2023年第3期"
SECTIONS = ["市级动态", "县（市、区）动态", "社工站（点）动态"]


# --- Reading ------------------------------------------------------------------------


def test_scanned_pdf_gives_every_section_and_title(scanned_pdf, pdf_lines):
    issue = read_issue(scanned_pdf, f"{NAME}.pdf")
    assert issue.format == "ocr"
    assert [s.title for s in issue.sections] == SECTIONS
    # OCR does not see the space inside “暖心护苗 呵护成长”: titles compare
    # without spaces, as the reader pairs them.
    assert [(s.title, norm(a.title)) for s in issue.sections for a in s.articles] == [
        (section, norm(title)) for section, title, _subtitle in SEED_ARTICLES
    ]
    first = issue.sections[0].articles[0]
    assert first.subtitle == SEED_ARTICLES[0][2]
    assert not [w for w in issue.warnings if "没有找到" in w]


def test_printed_lines_become_paragraphs_without_spaces(pdf_lines):
    texts = [line.text for line in pdf_lines]
    # A paragraph printed over three lines is one line again, and so is a
    # contents entry wrapped at the page's edge.
    assert any(
        t.startswith("为充分调动社工专业学习") and t.endswith("专业培训等。")
        for t in texts
    )
    assert any(
        t.startswith("建立健全社会工作常态化培训学习机制") and t.endswith("系列培训")
        for t in texts
    )
    # Tesseract's spaces between Chinese characters are gone.
    assert not [t for t in texts if re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", t)]
    # Both pages were read, and their numbers at the foot (— 1 —) dropped.
    assert {line.page for line in pdf_lines} == {1, 2}
    assert not [t for t in texts if is_page_number(t) or t.endswith("—")]


def test_photo_of_a_page_reads_its_contents_and_first_article(scan_photo, photo_lines):
    issue = read_issue(scan_photo, f"{NAME}.png")
    assert issue.format == "ocr"
    toc = [norm(e.title) for s in issue.toc for e in s.entries]
    assert norm("罗定市泗纶镇社工站开展“珍爱生命，远离毒品”宣传活动") in toc
    assert len(toc) == 10
    [article] = issue.articles
    assert (article.title, article.subtitle) == SEED_ARTICLES[0][1:]


def test_a_worn_paragraph_is_marked_low_confidence(worn_lines):
    worn = [line for line in worn_lines if line.low_confidence]
    assert [line for line in worn if line.text.startswith("为充分调动")]
    # The title, printed clean above it, is not.
    [title] = [
        line for line in worn_lines if line.text == "建立健全社会工作常态化培训学习机制"
    ]
    assert title.confidence >= 90 and not title.low_confidence


# --- Refusals -----------------------------------------------------------------------


def _blank_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (400, 560), 255).save(buffer, "PNG")
    return buffer.getvalue()


def test_without_tesseract_the_scan_is_refused_saying_what_to_install(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ValidationError) as refused:
        read_issue(_blank_png(), "scan.png")
    message = refused.value.messages[0]
    assert "扫描件" in message and "tesseract-ocr-chi-sim" in message


def test_without_the_chinese_model_the_scan_is_refused(monkeypatch, tmp_path):
    scans.need_ocr()
    # Tesseract looks for its models here: an empty folder has none.
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    with pytest.raises(ValidationError) as refused:
        ocr.check_available()
    assert "tesseract-ocr-chi-sim" in refused.value.messages[0]


def test_without_tesseract_nothing_is_written(
    monkeypatch, tmp_path, publication, yunfu_editor
):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ValidationError) as refused:
        issue_import(
            publication=publication,
            source=_blank_png(),
            filename=f"{NAME}.png",
            by=yunfu_editor,
        )
    assert "tesseract-ocr" in refused.value.messages[0]
    assert not Issue.objects.exists()


def test_a_picture_with_too_many_pixels_is_refused():
    # 20000 × 20000 one-bit pixels: a small file that decodes to 400 million.
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000), 1).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        read_issue(buffer.getvalue(), "scan.png")
    assert "像素过多" in refused.value.messages[0]


def test_a_scan_with_too_many_pages_is_refused():
    pages = [Image.new("L", (50, 70), 255) for _ in range(41)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:])
    with pytest.raises(ValidationError) as refused:
        read_issue(buffer.getvalue(), "scan.pdf")
    assert "一次最多识别 40 页" in refused.value.messages[0]


# --- Importing ----------------------------------------------------------------------


def test_a_scan_is_imported_as_a_draft_and_the_preview_says_so(
    scan_photo, photo_lines, publication, yunfu_editor
):
    preview = issue_import(
        publication=publication,
        source=scan_photo,
        filename=f"{NAME}.png",
        by=yunfu_editor,
        dry_run=True,
    )
    assert preview.is_scan and preview.ok
    [warning] = [w for w in preview.warnings if "扫描件" in w]
    assert "草稿" in warning and "不会直接发布" in warning
    doubtful = sum(1 for line in photo_lines if line.low_confidence)
    assert f"{doubtful} 段识别可信度低" in warning
    assert warning in preview.as_json()["warnings"]
    assert not Issue.objects.exists()

    result = issue_import(
        publication=publication,
        source=scan_photo,
        filename=f"{NAME}.png",
        by=yunfu_editor,
    )
    issue = Issue.objects.get()
    assert result.issue == issue and not result.held_back
    assert issue.status == Issue.Status.DRAFT
    assert issue.published_at is None
    assert (issue.year, issue.number) == (2023, 3)
    assert issue.articles.get().title == SEED_ARTICLES[0][1]
