"""A picture's caption: the short line printed under it, centred (as the
portal's Word export and most bureaus' Word files have it) or opening with a
cue (图为, 图：, ▲ …) in any format, is read as that picture's caption, never
as the title of a new article nor as a paragraph; the import writes it on the
photo. A title that happens to follow a picture stays a title: with contents,
a line that resembles a contents line is a title."""

import io
import json

from django.core.management import call_command
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from newsletter.legacy.reader import read_issue
from newsletter.models import Article
from newsletter.services.legacy import issue_import
from tests.newsletter.legacy import pdf_fixtures as P
from tests.newsletter.legacy.helpers import (
    SEED_ARTICLES,
    docx_from_text,
    png,
    titles,
    without_toc,
)

# Where a test puts a picture: a line of its own in the text it builds, turned
# into an image marker (.txt) or a centred picture paragraph (.docx).
PICTURE = "PICTURE_HERE"

# The first words of seed lines a picture (and its caption) is put after.
SILUN_PARAGRAPH = "村民的目光被这样一段对话吸引了过去"  # inside the 泗纶镇 article
HEKOU_PARAGRAPH = "在走访过程中，社工们对本辖区内"  # inside the 河口镇 article
LIUZU_PARAGRAPH = "剪完头发的长者们在社工的指引下"  # inside the 六祖镇 article
LIUZU_LAST = "爱心在传递、义剪暖人心"  # the 六祖镇 article's last paragraph
SILUN_LAST = "通过这次禁毒宣传活动"  # the 泗纶镇 article's last paragraph
FULIN_LAST = "，更是希望在他们心中播下爱的种子"  # the 富林镇 article's last paragraph

# Captions with the words of a title (开展, 宣传, 社工站 …): only their place
# under a picture tells them from one.
SILUN_CAPTION = "社工在泗纶镇圩日摆摊开展禁毒宣传"
HEKOU_CAPTION = "▲社工入户了解困难家庭情况"
LIUZU_CAPTION = "图：志愿者为长者拍照。"


def _insert(text: str, after: dict[str, list[str]]) -> str:
    """``text`` with the lines of ``after[prefix]`` put after the line that
    starts with ``prefix``."""
    lines = text.splitlines()
    out = []
    for line in lines:
        out.append(line)
        for prefix, extra in after.items():
            if line.strip(" \u3000").startswith(prefix):
                out.extend(extra)
    for prefix in after:
        assert any(ln.strip(" \u3000").startswith(prefix) for ln in lines), prefix
    return "\n".join(out) + "\n"


def _as_text(text: str) -> bytes:
    """The text copy of a file: each picture an image marker on its own line."""
    lines = text.split("\n")
    number = 0
    for i, line in enumerate(lines):
        if line == PICTURE:
            number += 1
            lines[i] = f"[image: photo{number}.jpg]"
    return "\n".join(lines).encode()


def _as_docx(text: str, centred: set[str]) -> bytes:
    """The Word file: the seed's titles centred (helpers.docx_from_text), each
    picture a centred paragraph of its own, the lines in ``centred`` centred."""
    doc = Document(io.BytesIO(docx_from_text(text)))
    for paragraph in doc.paragraphs:
        if paragraph.text == PICTURE:
            paragraph.runs[0].text = ""
            paragraph.add_run().add_picture(io.BytesIO(png()))
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif paragraph.text in centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _article(issue, start: str):
    return next(a for a in issue.articles if a.title.startswith(start))


def _shape(issue):
    """Each article's title, subtitle and paragraph count."""
    return [(a.title, a.subtitle, len(a.paragraphs)) for a in issue.articles]


def _captions(article) -> list[str]:
    return [image.caption for image in article.images]


# --- Text files: a cue makes a caption ---------------------------------------------


def test_a_cued_line_under_a_marker_is_the_pictures_caption_in_a_text_file(
    seed_text,
):
    text = _insert(
        seed_text,
        {
            SILUN_PARAGRAPH: [PICTURE, "图为" + SILUN_CAPTION],
            HEKOU_PARAGRAPH: [PICTURE, HEKOU_CAPTION],
            LIUZU_PARAGRAPH: [PICTURE, LIUZU_CAPTION],
        },
    )
    plain = read_issue(seed_text.encode(), "seed.txt")
    issue = read_issue(_as_text(text), "seed.txt")
    # The same articles in the same sections (▲ is also a section bullet: the
    # caption does not open a section), none with a caption for a paragraph.
    assert titles(issue) == titles(plain)
    assert _shape(issue) == _shape(plain)
    silun = _article(issue, "罗定市泗纶镇")
    assert _captions(silun) == ["图为" + SILUN_CAPTION]
    assert _captions(_article(issue, "郁南县河口镇")) == [HEKOU_CAPTION]
    assert _captions(_article(issue, "新兴县六祖镇")) == [LIUZU_CAPTION]
    # The picture stays where it stood: after the paragraph it follows.
    kinds = [(b.kind, b.text[:8]) for b in silun.blocks]
    at = kinds.index(("paragraph", SILUN_PARAGRAPH[:8]))
    assert kinds[at + 1][0] == "image"
    assert silun.blocks[at + 2].text.startswith(SILUN_LAST)


def test_a_short_uncued_line_under_a_marker_stays_text_in_a_text_file(seed_text):
    # A text file does not say what is centred: without a cue the line is
    # read as before, here a paragraph of the article.
    line = "禁毒宣传现场一角"
    text = _insert(seed_text, {SILUN_PARAGRAPH: [PICTURE, line]})
    issue = read_issue(_as_text(text), "seed.txt")
    silun = _article(issue, "罗定市泗纶镇")
    assert _captions(silun) == [""]
    assert line in silun.paragraphs


# --- Word files: centred or cued --------------------------------------------------


def test_a_centred_line_under_a_picture_is_its_caption_in_a_word_file(seed_text):
    text = _insert(
        seed_text,
        {
            SILUN_PARAGRAPH: [PICTURE, SILUN_CAPTION],
            # A cue without centring, and a picture without a caption.
            LIUZU_PARAGRAPH: [PICTURE, LIUZU_CAPTION, PICTURE],
        },
    )
    plain = read_issue(docx_from_text(seed_text), "seed.docx")
    issue = read_issue(_as_docx(text, {SILUN_CAPTION}), "seed.docx")
    assert titles(issue) == titles(plain)
    assert _shape(issue) == _shape(plain)
    assert _captions(_article(issue, "罗定市泗纶镇")) == [SILUN_CAPTION]
    assert _captions(_article(issue, "新兴县六祖镇")) == [LIUZU_CAPTION, ""]
    assert all(image.data for image in _article(issue, "新兴县六祖镇").images)


def test_without_contents_a_centred_line_under_a_picture_is_its_caption(seed_text):
    body = without_toc(seed_text)
    text = _insert(body, {SILUN_PARAGRAPH: [PICTURE, SILUN_CAPTION]})
    plain = read_issue(docx_from_text(body), "seed.docx")
    issue = read_issue(_as_docx(text, {SILUN_CAPTION}), "seed.docx")
    # Without contents a centred line reading like a title (开展, 宣传) opens
    # an article; under a picture it is the picture's caption.
    assert titles(issue) == titles(plain)
    assert _shape(issue) == _shape(plain)
    assert _captions(_article(issue, "罗定市泗纶镇")) == [SILUN_CAPTION]


def test_a_centred_line_ending_a_sentence_under_a_picture_stays_a_paragraph(
    seed_text,
):
    sentence = "走访工作仍在继续。"
    text = _insert(seed_text, {HEKOU_PARAGRAPH: [PICTURE, sentence]})
    issue = read_issue(_as_docx(text, {sentence}), "seed.docx")
    hekou = _article(issue, "郁南县河口镇")
    assert _captions(hekou) == [""]
    assert sentence in hekou.paragraphs


# --- Titles under a picture stay titles -------------------------------------------


def test_a_title_under_a_picture_stays_a_title_when_the_contents_list_it(seed_text):
    # Each article ends with a picture; the next title stands centred right
    # under it, on one line (六祖镇) or broken over two (泗纶镇, 河口镇).
    text = _insert(
        seed_text,
        {FULIN_LAST: [PICTURE], LIUZU_LAST: [PICTURE], SILUN_LAST: [PICTURE]},
    )
    issue = read_issue(_as_docx(text, set()), "seed.docx")
    assert [t[1:] for t in titles(issue)] == [(t, s) for _s, t, s in SEED_ARTICLES]
    for start in ("云安区富林镇", "新兴县六祖镇", "罗定市泗纶镇"):
        # Counting the seed's own marker in the 富林镇 article.
        images = _article(issue, start).images
        assert images and not any(image.caption for image in images)


def test_a_caption_then_the_next_title_under_a_picture(seed_text):
    # The picture ending an article has its caption, then the next article's
    # title follows: the caption goes with the picture, the title opens the
    # article (the caption and the title together also resemble the contents
    # line; the caption adds nothing to it).
    caption = "志愿者与长者合影"
    text = _insert(seed_text, {LIUZU_LAST: [PICTURE, caption]})
    plain = read_issue(docx_from_text(seed_text), "seed.docx")
    issue = read_issue(_as_docx(text, {caption}), "seed.docx")
    assert titles(issue) == titles(plain)
    assert _shape(issue) == _shape(plain)
    assert _captions(_article(issue, "新兴县六祖镇")) == [caption]


def test_without_contents_a_title_broken_over_centred_lines_stays_a_title(
    seed_text,
):
    body = without_toc(seed_text)
    # 泗纶镇's title is two centred lines, 河口镇's too.
    text = _insert(body, {LIUZU_LAST: [PICTURE], SILUN_LAST: [PICTURE]})
    plain = read_issue(docx_from_text(body), "seed.docx")
    issue = read_issue(_as_docx(text, set()), "seed.docx")
    assert titles(issue) == titles(plain)
    assert _shape(issue) == _shape(plain)


def test_without_contents_a_title_followed_by_its_subtitle_stays_a_title(
    seed_text,
):
    body = without_toc(seed_text)
    subtitle = "——夏卢服务点社工与志愿者走进村居"
    title = SEED_ARTICLES[6][1]
    text = _insert(body, {FULIN_LAST: [PICTURE], title: [subtitle]})
    issue = read_issue(_as_docx(text, {subtitle}), "seed.docx")
    liuzu = _article(issue, "新兴县六祖镇")
    assert (liuzu.title, liuzu.subtitle) == (title, subtitle[2:])
    assert _captions(_article(issue, "云安区富林镇")) == ["", ""]


# --- PDF files ------------------------------------------------------------------


def test_a_centred_smaller_line_under_a_picture_is_its_caption_in_a_pdf():
    caption = "社工向学生讲解新型毒品的种类"
    sheet = P.Sheet(running_head=None)
    sheet.centred("云浮民政简报", size=30, colour=(0.85, 0, 0))
    sheet.centred("2023年第3期（总第45期）", size=P.BODY)
    sheet.centred("本期内容", size=14)
    sheet.line("●社工站（点）动态")
    sheet.contents_entry(P.STATION_TITLE, 1)
    sheet.contents_entry("".join(P.COUNTY_TITLE), 1)
    sheet.space(10)
    sheet.line("●社工站（点）动态", size=14)
    sheet.centred(P.STATION_TITLE)
    sheet.paragraph(P.STATION_BEFORE)
    sheet.picture()
    sheet.centred(caption, size=10.5)
    sheet.paragraph(P.STATION_AFTER)
    sheet.picture()
    # The next article's title, broken over two centred lines, right under a
    # picture without a caption.
    for part in P.COUNTY_TITLE:
        sheet.centred(part)
    sheet.paragraph(P.COUNTY_BODY[0])
    issue = read_issue(sheet.pdf(), "issue.pdf")
    assert [a.title for a in issue.articles] == [
        P.STATION_TITLE,
        "".join(P.COUNTY_TITLE),
    ]
    station = issue.articles[0]
    assert _captions(station) == [caption, ""]
    assert station.paragraphs == [P.STATION_BEFORE, P.STATION_AFTER]


# --- The import --------------------------------------------------------------------


def test_the_import_writes_the_caption_on_the_photo(publication, seed_text):
    text = _insert(
        seed_text,
        {
            SILUN_PARAGRAPH: [PICTURE, SILUN_CAPTION],
            LIUZU_PARAGRAPH: [PICTURE, LIUZU_CAPTION],
        },
    )
    result = issue_import(
        publication=publication,
        source=_as_docx(text, {SILUN_CAPTION}),
        filename="seed.docx",
        by=None,
        year=2023,
        number=3,
    )
    assert not result.errors
    silun = Article.objects.get(issue=result.issue, title__startswith="罗定市泗纶镇")
    photo = silun.photos.get()
    assert (photo.caption, photo.is_missing) == (SILUN_CAPTION, False)
    # The caption is the photo's, not a paragraph of the body.
    assert SILUN_CAPTION not in silun.body
    assert "[照片1]" in silun.body
    liuzu = Article.objects.get(issue=result.issue, title__startswith="新兴县六祖镇")
    assert liuzu.photos.get().caption == LIUZU_CAPTION


def test_a_missing_picture_keeps_its_caption_or_else_its_file_name(
    publication, seed_text
):
    # A text copy holds no picture: the caption under its marker names it;
    # the seed's own marker, without a caption, keeps its file name.
    text = _insert(seed_text, {SILUN_PARAGRAPH: [PICTURE, "图为" + SILUN_CAPTION]})
    result = issue_import(
        publication=publication,
        source=_as_text(text),
        filename="seed.txt",
        by=None,
        year=2023,
        number=3,
    )
    silun = Article.objects.get(issue=result.issue, title__startswith="罗定市泗纶镇")
    assert [(p.caption, p.is_missing) for p in silun.photos.all()] == [
        ("图为" + SILUN_CAPTION, True)
    ]
    fulin = Article.objects.get(issue=result.issue, title__startswith="云安区富林镇")
    assert [p.caption for p in fulin.photos.all()] == ["image2.png"]


def test_the_dry_run_counts_the_picture_and_not_its_caption(
    publication, seed_text, tmp_path
):
    def preview(path):
        out = io.StringIO()
        call_command(
            "import_issue",
            str(path),
            "--year",
            "2023",
            "--number",
            "3",
            "--dry-run",
            "--json",
            stdout=out,
        )
        sections = json.loads(out.getvalue())["sections"]
        return {a["title"]: a for s in sections for a in s["articles"]}

    plain = tmp_path / "plain.docx"
    plain.write_bytes(docx_from_text(seed_text))
    captioned = tmp_path / "captioned.docx"
    text = _insert(seed_text, {SILUN_PARAGRAPH: [PICTURE, SILUN_CAPTION]})
    captioned.write_bytes(_as_docx(text, {SILUN_CAPTION}))
    before, after = preview(plain), preview(captioned)
    assert list(after) == list(before)
    silun = SEED_ARTICLES[7][1]
    assert after[silun]["paragraphs"] == before[silun]["paragraphs"]
    assert after[silun]["images"] == before[silun]["images"] + 1
