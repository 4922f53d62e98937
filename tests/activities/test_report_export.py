"""The report export (activities/resources/): Chinese headers, only what the user
may read, in a fixed number of queries, and a round trip through the import."""

import pytest

from activities.models import ActivityReport
from activities.resources import (
    ActivityReportResource,
    import_reports,
    reports_export_queryset,
    template_headers,
)
from core.sheets import read_dataset


def fresh(user):
    """The user as a new request would load it: no scope cached on the object."""
    return type(user).objects.get(pk=user.pk)


def test_export_headers_are_chinese():
    assert template_headers() == [
        "填报层级",
        "市",
        "县（市、区）",
        "镇（街道）",
        "标题",
        "副标题",
        "开始日期",
        "结束日期",
        "活动类型",
        "服务对象类别",
        "合作单位",
        "服务人次",
        "户数",
        "人数",
        "志愿者人数",
        "服务时长",
        "正文",
    ]


@pytest.mark.parametrize("extra", [0, 4])
def test_reviewer_export_holds_only_their_county_in_fixed_queries(
    extra, net, personas, reports, make_report, kinds, django_assert_num_queries
):
    for n in range(extra):
        report = make_report(personas.worker, net.a1, title=f"东镇活动{n}")
        report.categories.set([])
    reviewer = fresh(personas.reviewer)
    # 1 role scope, 1 count and 1 page (import-export pages a prefetching
    # export), 1 for the categories and 1 for the partners of the whole page.
    with django_assert_num_queries(5):
        data = ActivityReportResource(user=reviewer).export()
    titles = set(data["标题"])
    assert titles == {"东镇关爱活动", "东镇草稿", "甲一区会议"} | {
        f"东镇活动{n}" for n in range(extra)
    }
    first = dict(
        zip(data.headers, data[list(data["标题"]).index("东镇关爱活动")], strict=True)
    )
    assert first["填报层级"] == "社工站"
    assert first["县（市、区）"] == "甲一区"
    assert first["镇（街道）"] == "东镇"
    assert first["活动类型"] == "宣传"
    assert first["服务人次"] == 21
    assert first["状态"] == "已通过"


def test_export_of_the_editor_and_the_worker_follows_their_scope(
    net, personas, reports
):
    editor = {r.title for r in reports_export_queryset(fresh(personas.editor))}
    assert editor == {"东镇关爱活动", "东镇草稿", "甲一区会议", "南镇宣传", "甲市培训"}
    worker = {r.title for r in reports_export_queryset(fresh(personas.worker))}
    assert worker == {"东镇关爱活动", "东镇草稿"}
    assert not reports_export_queryset(fresh(personas.nobody)).exists()
    # A queryset handed in from elsewhere is still cut down to the scope.
    data = ActivityReportResource(user=fresh(personas.worker)).export(
        queryset=ActivityReport.objects.all()
    )
    assert set(data["标题"]) == {"东镇关爱活动", "东镇草稿"}


def test_export_round_trips_through_the_import(net, personas, reports):
    exported = ActivityReportResource(user=fresh(personas.reviewer)).export()
    # The reviewer's own export is already in the database: every row repeats.
    report = import_reports(
        read_dataset("export.csv", exported.csv.encode("utf-8")),
        user=personas.reviewer,
        dry_run=True,
    )
    assert not report.file_errors
    assert len(report.error_rows) == len(exported)
    assert all("系统中已有这份报告" in r.errors[0] for r in report.error_rows)
