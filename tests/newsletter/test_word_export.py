"""The Word file: opened again with python-docx it holds the masthead, the table
of contents and every article title in order, in the newsletter's layout; it
converts to PDF in LibreOffice; ``export_issue`` writes it."""

import io
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from docx.oxml.ns import qn

from newsletter import selectors, services
from newsletter.word_export import build_docx


@pytest.fixture
def published(draft, personas):
    services.issue_publish(issue=draft, by=personas.editor)
    return draft


def _docx(issue):
    return build_docx(issue, selectors.issue_contents(issue))


def _texts(doc):
    return [p.text for p in doc.paragraphs]


def test_docx_has_masthead_contents_and_titles_in_order(published):
    doc = Document(io.BytesIO(_docx(published)))
    texts = _texts(doc)
    assert texts[0] == "甲市民政简报"
    assert texts[1] == f"第{published.number}期（总第{published.running_number}期）"
    assert texts[2].startswith("甲市民政局编\t")
    contents = texts.index("本 期 内 容")
    article_titles = [
        a.title
        for s in published.sections.order_by("position")
        for a in s.articles.order_by("position")
    ]
    # The table of contents lists each section and its titles (with subtitles).
    toc = texts[contents + 1 : contents + 1 + 3 + len(article_titles)]
    assert toc[0] == "●市级动态"
    assert toc[1] == "建立常态化培训机制——甲市民政局举办培训"
    assert [t for t in toc if not t.startswith("●")][1:] == article_titles[1:]
    # Then the articles, titles in the same order after the contents.
    body = texts[contents + 1 + len(toc) :]
    positions = [body.index(title) for title in article_titles]
    assert positions == sorted(positions)
    assert "——甲市民政局举办培训" in body


def test_docx_layout_red_masthead_rule_indent_and_properties(published):
    doc = Document(io.BytesIO(_docx(published)))
    name_run = doc.paragraphs[0].runs[0]
    assert str(name_run.font.color.rgb) == "C00000" and name_run.font.bold
    assert name_run.font.size.pt >= 36
    bottom = doc.paragraphs[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "C00000"
    body = next(p for p in doc.paragraphs if p.text.startswith("为加强对下一代"))
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    title = next(p for p in doc.paragraphs if p.text == "建立常态化培训机制")
    # Centred through its style, Heading 2 (Word's navigation pane lists it).
    assert title.style.name == "Heading 2"
    assert (title.alignment or title.style.paragraph_format.alignment) == 1
    props = doc.core_properties
    assert props.title == f"甲市民政简报 {published.year}年第1期（总第1期）"
    assert props.author == "甲市民政局"
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_docx_has_the_photos_with_captions(published):
    doc = Document(io.BytesIO(_docx(published)))
    assert len(doc.inline_shapes) == 2
    assert "东镇社工站开展入户走访照片1" in _texts(doc)


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed here: the PDF conversion "
    "cannot be tried; the .docx structure is still checked by the tests above.",
)
def test_libreoffice_converts_the_docx_to_pdf(published, tmp_path):
    source = tmp_path / "issue.docx"
    source.write_bytes(_docx(published))
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "issue.pdf"
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 5000


def test_export_issue_command_writes_the_file(published, tmp_path):
    out = tmp_path / "out.docx"
    call_command(
        "export_issue",
        "--publication",
        "jia",
        str(published.year),
        str(published.number),
        "-o",
        str(out),
    )
    doc = Document(str(out))
    assert _texts(doc)[0] == "甲市民政简报"
    with pytest.raises(CommandError, match="找不到"):
        call_command(
            "export_issue", "--publication", "jia", "1999", "1", "-o", str(out)
        )


def test_a_draft_exports_with_a_draft_label(draft):
    doc = Document(io.BytesIO(_docx(draft)))
    assert _texts(doc)[1] == "第　期（草稿）"
