"""``issue_import`` on the seed: one published issue, its three sections and ten
articles matched to their county or station, the 富林镇 picture in place, the
云安 subheadings as h3; a second import is skipped; a dry run writes nothing."""

import datetime

from core.models import AuditEntry
from newsletter.models import Article, ArticlePhoto, Issue, Section
from newsletter.rendering import article_blocks, html_blocks
from newsletter.services.legacy import issue_import
from tests.newsletter.legacy.helpers import SEED_ARTICLES, docx_from_text, png


def run(publication, data, by=None, **kwargs):
    kwargs.setdefault("year", 2023)
    kwargs.setdefault("number", 3)
    return issue_import(
        publication=publication, source=data, filename="seed.txt", by=by, **kwargs
    )


def row_counts():
    return tuple(
        model.objects.count()
        for model in (Issue, Section, Article, ArticlePhoto, AuditEntry)
    )


def places(issue):
    return [
        (
            a.section.title,
            a.title,
            a.subtitle,
            a.county.name if a.county else None,
            a.station.town.name if a.station else None,
        )
        for a in Article.objects.filter(issue=issue).select_related(
            "section", "county", "station__town"
        )
    ]


def test_the_seed_becomes_a_published_issue_with_ten_matched_articles(
    publication, seed_bytes, yunfu_editor
):
    result = run(publication, seed_bytes, by=yunfu_editor)
    issue = result.issue
    assert result.ok and not result.skipped
    assert (issue.status, issue.source, issue.year, issue.number) == (
        Issue.Status.PUBLISHED,
        Issue.Source.IMPORTED,
        2023,
        3,
    )
    # Neither the date nor the running number is in the file. The date is a
    # guess, and the result says so; no running number is invented, and the
    # result says it can be added later.
    assert issue.running_number is None
    assert "文件中没有写总期号，导入后不设总期号，可以以后在简报页补上。" in (
        result.warnings
    )
    assert not any("总第" in w for w in result.warnings)
    assert issue.issue_date == datetime.date(2023, 3, 2)
    assert issue.published_at.date() == datetime.date(2023, 3, 2)
    assert any("2023-03-02" in w for w in result.warnings)
    assert (issue.source_name, len(issue.source_checksum)) == ("seed.txt", 64)
    assert issue.created_by == yunfu_editor
    assert [(s.title, s.kind, s.position) for s in issue.sections.all()] == [
        ("市级动态", "city", 0),
        ("县（市、区）动态", "county", 1),
        ("社工站（点）动态", "station", 2),
    ]
    expected_places = [
        (None, None),
        ("云城区", None),
        ("云安区", None),
        ("新兴县", None),
        ("云城区", "安塘街道"),
        ("云安区", "富林镇"),
        ("新兴县", "六祖镇"),
        ("罗定市", "泗纶镇"),
        ("郁南县", "河口镇"),
        ("郁南县", "平台镇"),
    ]
    assert places(issue) == [
        (*article, *place)
        for article, place in zip(SEED_ARTICLES, expected_places, strict=True)
    ]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert (entry.user, entry.target_id) == (yunfu_editor, str(issue.pk))


def test_the_fulin_picture_is_a_missing_photo_in_its_place(publication, seed_bytes):
    issue = run(publication, seed_bytes).issue
    fulin = Article.objects.get(issue=issue, title__startswith="云安区富林镇")
    (photo,) = fulin.photos.all()
    assert (photo.position, photo.is_missing, photo.caption) == (1, True, "image2.png")
    assert not photo.has_picture
    blocks = article_blocks(fulin)
    assert [b.kind for b in blocks] == ["paragraph"] * 5 + ["photo"]
    assert "一颗颗小树苗，更是希望在他们心中播下爱的种子" in blocks[4].text
    assert blocks[5].photo == photo
    assert html_blocks(fulin.body)[-1] == ("p", "[照片1]")


def test_numbered_and_quoted_subheadings_are_h3(publication, seed_bytes):
    issue = run(publication, seed_bytes).issue
    yunan = Article.objects.get(issue=issue, title__startswith="云安民政")
    assert [inner for tag, inner in html_blocks(yunan.body) if tag == "h3"] == [
        "一、广泛宣传强意识",
        "二、入户走访助成长",
        "三、循循善诱暖童心",
    ]
    liuzu = Article.objects.get(issue=issue, title__startswith="新兴县六祖镇")
    assert [inner for tag, inner in html_blocks(liuzu.body) if tag == "h3"] == [
        "“义剪”——用剪刀剪去长者们的忧愁",
        "“义影”——用照片记录长者们的岁月痕迹",
    ]
    # The original text is kept, so later corrections show as a difference.
    assert yunan.source_body == yunan.body and yunan.source_title == yunan.title


def test_importing_the_same_file_twice_creates_one_issue(publication, seed_bytes):
    first = run(publication, seed_bytes)
    before = row_counts()
    for kwargs in ({}, {"number": 4}, {"dry_run": True}):
        again = run(publication, seed_bytes, **kwargs)
        assert again.skipped and not again.ok and again.issue == first.issue
        assert "已经导入过" in again.warnings[0]
    assert row_counts() == before


def test_a_dry_run_changes_nothing_and_returns_the_preview(
    publication, seed_bytes, settings, django_assert_num_queries
):
    before = row_counts()
    result = run(publication, seed_bytes, dry_run=True)
    assert row_counts() == before
    assert not (settings.MEDIA_ROOT / "newsletter").exists()
    assert result.ok and result.issue is None
    assert len(result.articles) == 10
    assert [a.title[:6] for a in result.loose] == ["新兴县民政局", "郁南县平台镇"]
    assert result.unmatched == []
    data = result.as_json()
    assert set(data) == {"sections", "warnings"}
    assert [s["title"] for s in data["sections"]] == [
        "市级动态",
        "县（市、区）动态",
        "社工站（点）动态",
    ]
    silun = data["sections"][2]["articles"][3]
    assert silun == {
        "title": "罗定市泗纶镇社工站开展“珍爱生命，远离毒品”宣传活动",
        "subtitle": "",
        "county": "罗定市",
        "station": "泗纶镇",
        "paragraphs": 5,
        "images": 0,
        "warnings": [],
    }
    fulin = data["sections"][2]["articles"][1]
    assert (fulin["images"], fulin["station"]) == (1, "富林镇")
    assert "image2.png" in fulin["warnings"][0]


def test_a_dry_run_takes_the_same_queries_whatever_the_number_of_articles(
    publication, seed_text, django_assert_num_queries
):
    # The checksum lookup; the gazetteer (counties, towns, stations); the
    # beneficiary identifiers of the city; the year-and-number lookup. The
    # seed gives no running number, and none is looked for to invent one.
    # Matching and reading run in memory.
    bigger = seed_text + "\n" + seed_text[seed_text.index("●社工站（点）动态", 500) :]
    for data in (seed_text, bigger):
        with django_assert_num_queries(6):
            result = run(publication, data.encode(), dry_run=True)
    assert len(result.articles) == 16


def test_a_word_file_imports_its_picture_with_renditions(publication, seed_text):
    picture = png(size=(120, 90))
    result = run(publication, docx_from_text(seed_text, picture=picture))
    fulin = Article.objects.get(issue=result.issue, title__startswith="云安区富林镇")
    (photo,) = fulin.photos.all()
    assert not photo.is_missing and photo.has_picture
    assert (photo.width, photo.height) == (120, 90)
    for name in ("thumb", "web", "print_image"):
        with getattr(photo, name).open("rb") as handle:
            assert handle.read(3) == b"\xff\xd8\xff"  # JPEG renditions
    assert [b.kind for b in article_blocks(fulin)][-1] == "photo"


def test_a_picture_the_pipeline_refuses_is_kept_as_missing(publication, seed_text):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("P", (40, 30), 3).save(buffer, "GIF")
    result = run(publication, docx_from_text(seed_text, picture=buffer.getvalue()))
    fulin = next(a for a in result.articles if a.title.startswith("云安区富林镇"))
    assert any("第 1 张图片无法使用" in w for w in fulin.warnings)
    (photo,) = fulin.article.photos.all()
    assert photo.is_missing
