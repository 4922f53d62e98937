"""Editing a draft: articles written, changed, moved, dropped; photos chosen and
reordered; sections added, renamed, moved, removed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from newsletter import services
from newsletter.models import Article, ArticlePhoto, Section
from tests.newsletter.conftest import titles


def _section(issue, kind):
    return issue.sections.get(kind=kind)


def test_article_update_cleans_the_body(draft, personas):
    article = draft.articles.first()
    services.article_update(
        article=article,
        by=personas.editor,
        title=" 新标题 ",
        subtitle="副题",
        body="第一段<script>x</script>\n一、小标题\n<b>第二段</b>",
    )
    article.refresh_from_db()
    assert article.title == "新标题" and article.subtitle == "副题"
    assert article.body == (
        "<p>第一段&lt;script&gt;x&lt;/script&gt;</p>\n<h3>一、小标题</h3>\n<p><strong>第二段</strong></p>"
    )
    # The snapshot of the report stays as it was.
    assert article.source_title != "新标题"


def test_photo_choice_reorders_drops_and_renumbers_markers(
    draft, personas, three_levels
):
    article = draft.articles.get(source_report=three_levels["a1_early"])
    first, second = article.photos.order_by("position")
    article.body = "<p>甲</p>\n<p>[照片1]</p>\n<p>乙</p>\n<p>[照片2]</p>"
    article.save()
    services.article_update(
        article=article,
        by=personas.editor,
        title=article.title,
        body="甲\n[照片1]\n乙\n[照片2]",
        photos=[services.PhotoChoice(photo=second, caption="第二张改为第一张")],
    )
    article.refresh_from_db()
    assert article.body == "<p>甲</p>\n<p>乙</p>\n<p>[照片1]</p>"
    [kept] = article.photos.all()
    assert (kept.pk, kept.position, kept.caption) == (second.pk, 1, "第二张改为第一张")
    # The dropped photo can be taken back from the report.
    services.article_update(
        article=article,
        by=personas.editor,
        title=article.title,
        body=article.body,
        photos=[
            services.PhotoChoice(photo=first.report_photo, caption="加回"),
            services.PhotoChoice(photo=kept, caption=kept.caption),
        ],
    )
    article.refresh_from_db()
    assert [
        (p.report_photo_id, p.position) for p in article.photos.order_by("position")
    ] == [
        (first.report_photo_id, 1),
        (second.report_photo_id, 2),
    ]
    assert article.body == "<p>甲</p>\n<p>乙</p>\n<p>[照片2]</p>"


def test_photo_of_another_article_or_report_is_refused(draft, personas, three_levels):
    article = draft.articles.get(source_report=three_levels["a1_early"])
    other = draft.articles.exclude(pk=article.pk).first()
    foreign = ArticlePhoto.objects.filter(article=article).first()
    with pytest.raises(ValidationError, match="不属于"):
        services.article_update(
            article=other,
            by=personas.editor,
            title=other.title,
            photos=[services.PhotoChoice(photo=foreign)],
        )
    with pytest.raises(ValidationError, match="来源报告"):
        services.article_update(
            article=other,
            by=personas.editor,
            title=other.title,
            photos=[services.PhotoChoice(photo=foreign.report_photo)],
        )
    assert ArticlePhoto.objects.filter(article=other).count() == 0


def test_empty_title_is_refused_and_nothing_changes(draft, personas):
    article = draft.articles.first()
    before = article.title
    with pytest.raises(ValidationError):
        services.article_update(article=article, by=personas.editor, title=" ")
    article.refresh_from_db()
    assert article.title == before


def test_move_up_down_and_between_sections(draft, personas):
    station = _section(draft, Section.Kind.STATION)
    county = _section(draft, Section.Kind.COUNTY)
    last = station.articles.order_by("position").last()
    services.article_move(article=last, section=station, position=1, by=personas.editor)
    assert titles(draft)["社工站（点）动态"][0] == "甲二县南镇社工站开展敬老活动"
    services.article_move(
        article=last, section=county, position=1000, by=personas.editor
    )
    assert titles(draft)["县（市、区）动态"][-1] == "甲二县南镇社工站开展敬老活动"
    assert list(
        station.articles.order_by("position").values_list("position", flat=True)
    ) == [1, 2, 3]
    assert list(
        county.articles.order_by("position").values_list("position", flat=True)
    ) == [1, 2, 3]


def test_move_to_a_section_of_another_issue_is_refused(draft, personas, publication):
    other = services.issue_create(publication=publication, by=personas.editor)
    article = draft.articles.first()
    with pytest.raises(ValidationError):
        services.article_move(
            article=article,
            section=other.sections.first(),
            position=1,
            by=personas.editor,
        )


def test_delete_renumbers_and_frees_the_report(draft, personas, assemble, three_levels):
    station = _section(draft, Section.Kind.STATION)
    first = station.articles.order_by("position").first()
    services.article_delete(article=first, by=personas.editor)
    assert list(
        station.articles.order_by("position").values_list("position", flat=True)
    ) == [1, 2, 3]
    again = assemble()
    assert [a.source_report_id for a in again.articles.all()] == [
        three_levels["a1_early"].pk
    ]


def test_article_create_writes_from_scratch(draft, personas, net):
    section = _section(draft, Section.Kind.CITY)
    article = services.article_create(
        issue=draft,
        section=section,
        by=personas.editor,
        title="编辑部来稿",
        body="一段\n二、小标题",
        station=net.a1,
    )
    assert article.position == 3 and article.county == net.county_a1
    assert article.body == "<p>一段</p>\n<h3>二、小标题</h3>"
    assert article.source_report is None
    with pytest.raises(ValidationError):
        services.article_create(
            issue=draft,
            section=section,
            by=personas.editor,
            title="乙市",
            station=net.b1,
        )


def test_sections_add_rename_move_and_remove(draft, personas):
    extra = services.section_create(issue=draft, title="工作简讯", by=personas.editor)
    assert extra.position == 4 and extra.kind == Section.Kind.OTHER
    services.section_rename(section=extra, title="简讯", by=personas.editor)
    services.section_move(section=extra, position=1, by=personas.editor)
    assert list(
        draft.sections.order_by("position").values_list("title", flat=True)
    ) == [
        "简讯",
        "市级动态",
        "县（市、区）动态",
        "社工站（点）动态",
    ]
    with pytest.raises(ValidationError, match="还有文章"):
        services.section_delete(
            section=_section(draft, Section.Kind.CITY), by=personas.editor
        )
    services.section_delete(section=extra, by=personas.editor)
    assert list(draft.sections.values_list("position", flat=True)) == [1, 2, 3]
    with pytest.raises(ValidationError, match="栏目名称"):
        services.section_create(issue=draft, title="  ", by=personas.editor)


@pytest.mark.parametrize("who", ["reviewer", "other_editor", "worker", "nobody"])
def test_only_the_editor_edits(draft, personas, who):
    user = getattr(personas, who)
    article = draft.articles.first()
    section = article.section
    calls = [
        lambda: services.article_update(article=article, by=user, title="改"),
        lambda: services.article_move(
            article=article, section=section, position=2, by=user
        ),
        lambda: services.article_delete(article=article, by=user),
        lambda: services.article_create(
            issue=draft, section=section, by=user, title="新"
        ),
        lambda: services.section_create(issue=draft, title="新栏目", by=user),
        lambda: services.section_rename(section=section, title="新名", by=user),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Article.objects.filter(pk=article.pk, title=article.title).exists()
