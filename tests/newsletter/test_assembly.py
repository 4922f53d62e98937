"""issue_assemble and issue_add_reports: which reports go in, into which section,
in which order, under which title."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import services as report_services
from newsletter import services
from newsletter.models import Article, ArticlePhoto, Issue, Section
from newsletter.services.assembly import county_title, station_title
from tests.newsletter.conftest import D, titles


def test_assembly_puts_each_level_in_its_section_in_order(draft, net):
    assert titles(draft) == {
        # City reports have no county: date order.
        "市级动态": ["建立常态化培训机制", "全市培训圆满结束"],
        # County order (甲一区 before 甲二县) beats the date.
        "县（市、区）动态": ["甲一区民政局组织培训", "甲二县民政局召开社工站站长会议"],
        # 甲一区's stations by date (东镇 2-10, 西镇 2-15, 东镇 2-20), then 甲二县.
        "社工站（点）动态": [
            "甲一区东镇社工站开展入户走访",
            "甲一区西镇社工站：温暖童行",
            "甲一区东镇社工站开展禁毒宣传",
            "甲二县南镇社工站开展敬老活动",
        ],
    }
    kinds = list(draft.sections.order_by("position").values_list("kind", flat=True))
    assert kinds == [Section.Kind.CITY, Section.Kind.COUNTY, Section.Kind.STATION]
    assert draft.status == Issue.Status.DRAFT and draft.number is None
    assert (draft.period_start, draft.period_end) == (D(2023, 2, 1), D(2023, 2, 28))
    assert draft.skipped_in_drafts == 0


def test_article_keeps_report_snapshot_unit_and_photos(draft, three_levels):
    report = three_levels["a1_early"]
    article = Article.objects.get(issue=draft, source_report=report)
    assert article.source_title == "东镇社工站开展入户走访"
    assert article.source_body == report.body
    assert article.body == "<p>为加强对下一代的关心、关爱，社工站开展活动。</p>"
    assert (article.county_id, article.station_id) == (
        report.county_id,
        report.station_id,
    )
    photos = list(article.photos.order_by("position"))
    assert [p.position for p in photos] == [1, 2]
    assert [p.report_photo_id for p in photos] == list(
        report.photos.order_by("position").values_list("pk", flat=True)
    )
    assert photos[0].caption == "东镇社工站开展入户走访照片1"
    assert photos[0].web_file.name == photos[0].report_photo.web.name
    city = Article.objects.get(issue=draft, source_report=three_levels["city_early"])
    assert city.subtitle == "甲市民政局举办培训"
    assert city.county is None and city.station is None


def test_report_used_in_a_published_issue_is_not_assembled_again(
    draft, assemble, three_levels, personas
):
    services.issue_publish(issue=draft, by=personas.editor)
    for report in three_levels.values():
        report.refresh_from_db()
        assert report.published_at is not None
    with pytest.raises(ValidationError, match="没有已通过且未刊登"):
        assemble()
    assert Issue.objects.count() == 1


def test_report_in_another_draft_is_skipped_and_counted(draft, assemble, approve):
    approve("a2", "开展新的活动", D(2023, 2, 26))
    second = assemble()
    assert [a.title for a in second.articles.all()] == ["甲二县南镇社工站开展新的活动"]
    assert second.skipped_in_drafts == 8
    with pytest.raises(ValidationError, match="都已在其他草稿中"):
        assemble()


def test_only_approved_unpublished_reports_of_the_city_in_range(
    approve, assemble, make_report, personas, net
):
    approve("a1", "范围内", D(2023, 2, 1))
    approve("a1", "开始日期在范围前", D(2023, 1, 31))
    approve("a1", "开始日期在范围后", D(2023, 3, 1))
    approve("city_b", "乙市的报告", D(2023, 2, 10))
    make_report(personas.worker, net.a1, title="草稿", start_date=D(2023, 2, 5))
    make_report(
        personas.worker,
        net.a1,
        status="submitted",
        title="待审",
        start_date=D(2023, 2, 5),
    )
    make_report(
        personas.worker,
        net.a1,
        status="returned",
        reviewer=personas.reviewer,
        title="退回",
        start_date=D(2023, 2, 5),
    )
    issue = assemble()
    assert [a.source_title for a in issue.articles.all()] == ["范围内"]


def test_withdrawn_report_is_not_assembled(approve, assemble, personas):
    report = approve("a1", "被撤回的报告", D(2023, 2, 5))
    approve("a1", "留下的报告", D(2023, 2, 6))
    report_services.report_withdraw(
        report=report, by=personas.reviewer, comment="数字有误"
    )
    issue = assemble()
    assert [a.source_title for a in issue.articles.all()] == ["留下的报告"]


def test_empty_range_and_bad_range_change_nothing(assemble, publication):
    with pytest.raises(ValidationError, match="没有已通过且未刊登"):
        assemble()
    with pytest.raises(ValidationError, match="截止日期不能早于"):
        assemble(start=D(2023, 3, 1), end=D(2023, 2, 1))
    # A long range is no error: dates only narrow, and there is nothing here.
    with pytest.raises(ValidationError, match="没有已通过且未刊登"):
        assemble(start=D(2021, 1, 1), end=D(2023, 2, 1))
    assert not Issue.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "worker", "other_editor", "nobody"])
def test_only_the_city_editor_assembles(three_levels, assemble, personas, who):
    with pytest.raises(PermissionDenied):
        assemble(by=getattr(personas, who))
    assert not Issue.objects.exists()


def test_superuser_assembles(three_levels, assemble, personas):
    assert assemble(by=personas.superuser).articles.count() == 8


def test_add_reports_approved_later_to_the_end_of_their_sections(
    draft, approve, personas
):
    late = approve("county_a1", "补充报道", D(2023, 3, 3))
    added = services.issue_add_reports(issue=draft, reports=[late], by=personas.editor)
    assert [a.title for a in added] == ["甲一区民政局：补充报道"]
    assert titles(draft)["县（市、区）动态"][-1] == "甲一区民政局：补充报道"
    assert added[0].position == 3
    # Twice is refused: the report is in the draft now.
    with pytest.raises(ValidationError, match="已不能加入"):
        services.issue_add_reports(issue=draft, reports=[late], by=personas.editor)
    with pytest.raises(PermissionDenied):
        services.issue_add_reports(
            issue=draft, reports=[late], by=personas.other_editor
        )


def test_issue_create_gives_the_three_standard_sections(publication, personas):
    issue = services.issue_create(publication=publication, by=personas.editor)
    assert issue.source == Issue.Source.WRITTEN
    assert list(issue.sections.values_list("title", flat=True)) == [
        "市级动态",
        "县（市、区）动态",
        "社工站（点）动态",
    ]


class _Report:
    """Enough of a report for the title rules."""

    def __init__(self, title, station=None, county=None):
        self.title, self.station, self.county = title, station, county


@pytest.mark.parametrize(
    "title, expected",
    [
        ("开展禁毒宣传活动", "甲一区东镇社工站开展禁毒宣传活动"),
        ("东镇社工站开展禁毒宣传活动", "甲一区东镇社工站开展禁毒宣传活动"),
        ("甲一区东镇社工站开展禁毒宣传", "甲一区东镇社工站开展禁毒宣传"),
        ("对服务项目进行中期总结", "甲一区东镇社工站对服务项目进行中期总结"),
        ("温暖“童”行，社工助力入园", "甲一区东镇社工站：温暖“童”行，社工助力入园"),
    ],
)
def test_station_title_prefix(net, title, expected):
    assert station_title(_Report(title, station=net.a1)) == expected


def test_county_title_prefix_unless_the_county_is_named(net):
    county = net.county_a1
    county.aliases = "甲一民政、甲区"
    county.short_name = "甲一"
    assert (
        county_title(_Report("组织开展会议", county=county))
        == "甲一区民政局组织开展会议"
    )
    assert (
        county_title(_Report("织牢保护网", county=county)) == "甲一区民政局：织牢保护网"
    )
    for named in (
        "甲一区召开会议",
        "甲一民政织牢保护网",
        "甲区开展活动",
        "甲一开展活动",
    ):
        assert county_title(_Report(named, county=county)) == named


def test_assembled_photos_follow_their_report_numbering(draft):
    assert ArticlePhoto.objects.filter(article__issue=draft).count() == 2


def test_assembly_date_is_the_start_date(approve, assemble):
    # A report that ran from January into February belongs to January's issue.
    approve("a1", "跨月活动", D(2023, 1, 30), end_date=D(2023, 2, 3))
    with pytest.raises(ValidationError):
        assemble()
    assert (
        assemble(start=D(2023, 1, 1), end=datetime.date(2023, 1, 31)).articles.count()
        == 1
    )
