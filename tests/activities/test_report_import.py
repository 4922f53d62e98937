"""The report import (activities/resources/backfill.py): it back-fills approved
historical reports within the importing user's review scope, row by row with Chinese
messages, and writes nothing unless the whole file is clean."""

import datetime

import pytest

from activities.models import ActivityReport, ReportTransition, Status
from activities.resources import BACKFILL_COMMENT, import_reports
from core.sheets import read_dataset
from tests.activities.report_resource_helpers import HEADERS, counts, csv_bytes, row


def dataset(rows, headers=HEADERS):
    return read_dataset("reports.csv", csv_bytes(rows, headers))


def test_import_backfills_approved_reports_with_a_transition(net, personas, kinds):
    rows = [
        row(),
        row(
            **{
                "填报层级": "县（市、区）民政局",
                "镇（街道）": "",
                "标题": "召开社工站工作推进会",
                "开始日期": "2022/11/02",
                "结束日期": "2022年11月02日",
                "活动类型": "会议",
                "服务对象类别": "社工",
                "合作单位": "",
            }
        ),
    ]
    report = import_reports(dataset(rows), user=personas.reviewer, dry_run=False)
    assert report.ok, (report.file_errors, [r.errors for r in report.rows])
    assert report.count("new") == 2

    station = ActivityReport.objects.get(title="开展敬老爱老活动")
    assert station.status == Status.APPROVED
    assert (station.level, station.station, station.county, station.city) == (
        "station",
        net.a1,
        net.county_a1,
        net.city_a,
    )
    assert station.town == net.a1.town
    assert station.author == station.approved_by == personas.reviewer
    assert station.approved_at is not None
    assert station.published_at is None
    assert station.kind == kinds["社区活动"]
    assert [c.name for c in station.categories.all()] == ["老年人", "独居/空巢老人"]
    assert [p.name for p in station.partners.all()] == ["村委"]
    assert station.other_partners == "某某志愿协会"
    assert (station.person_times, station.persons, station.volunteers) == (30, 12, 5)
    assert str(station.service_hours) == "6.5"
    [transition] = station.transitions.all()
    assert (transition.action, transition.from_status, transition.to_status) == (
        ReportTransition.Action.CREATE,
        "",
        Status.APPROVED,
    )
    assert transition.by == personas.reviewer
    assert transition.comment == BACKFILL_COMMENT

    county = ActivityReport.objects.get(title="召开社工站工作推进会")
    assert (county.level, county.county, county.station) == (
        "county",
        net.county_a1,
        None,
    )
    assert county.end_date == datetime.date(2022, 11, 2)
    assert county.transitions.count() == 1


def test_city_editor_backfills_city_reports_with_the_city_taken_from_the_role(
    net, personas
):
    rows = [
        row(
            **{
                "填报层级": "市民政局",
                "县（市、区）": "",
                "镇（街道）": "",
                "标题": "举办全市社工培训",
                "活动类型": "培训",
            }
        ),
        row(**{"县（市、区）": "甲二县", "镇（街道）": "南镇", "标题": "南镇活动"}),
    ]
    report = import_reports(dataset(rows), user=personas.editor, dry_run=False)
    assert report.ok, [r.errors for r in report.rows]
    city = ActivityReport.objects.get(title="举办全市社工培训")
    assert (city.level, city.city, city.county) == ("city", net.city_a, None)
    assert ActivityReport.objects.get(title="南镇活动").station == net.a2


def test_dry_run_writes_nothing(net, personas):
    before = counts()
    report = import_reports(dataset([row()]), user=personas.reviewer, dry_run=True)
    assert report.ok
    assert report.count("new") == 1
    assert counts() == before


BAD_ROWS = [
    ({"镇（街道）": "不存在镇"}, "镇（街道）：未知的镇（街道）：“不存在镇”"),
    ({"县（市、区）": "不存在区"}, "县（市、区）：未知的县（市、区）：“不存在区”"),
    ({"活动类型": "跳舞"}, "活动类型：未知的活动类型：“跳舞”"),
    ({"活动类型": ""}, "活动类型：“活动类型”不能为空"),
    ({"开始日期": "2022-13-04"}, "开始日期：日期“2022-13-04”无法识别"),
    ({"开始日期": ""}, "开始日期："),
    ({"结束日期": "2022-10-01"}, "结束日期：结束日期不能早于开始日期"),
    ({"服务人次": "-3"}, "服务人次：“服务人次”不能为负数"),
    ({"人数": "1.5"}, "人数：“人数”应为整数，“1.5”不是整数"),
    ({"户数": "许多"}, "户数：“户数”应为数字，“许多”不是数字"),
    ({"服务时长": "-2"}, "服务时长：“服务时长”不能为负数"),
    ({"服务时长": "1.25"}, "服务时长：“服务时长”最多保留一位小数"),
    ({"服务对象类别": "外星人"}, "服务对象类别：未知的服务对象类别：“外星人”"),
    ({"填报层级": "乡政府"}, "填报层级：“乡政府”无效"),
    ({"填报层级": ""}, "填报层级：“填报层级”不能为空"),
    ({"标题": ""}, "标题："),
    ({"县（市、区）": ""}, "县（市、区）：社工站填报的报告须填写县（市、区）"),
    (
        # Two cities in the installation and none named on the row.
        {"填报层级": "市民政局", "县（市、区）": "", "镇（街道）": ""},
        "市：市民政局填报的报告须填写“市”",
    ),
    ({"镇（街道）": ""}, "镇（街道）：社工站填报的报告须填写社工站所在的镇（街道）"),
    (
        {"填报层级": "市民政局", "镇（街道）": ""},
        "县（市、区）：市民政局填报的报告不填县（市、区）",
    ),
]


@pytest.mark.parametrize("changes,message", BAD_ROWS)
def test_bad_row_gets_a_chinese_message_and_nothing_is_written(
    changes, message, net, personas
):
    before = counts()
    # A good row first: one bad row stops the whole file.
    rows = [row(**{"标题": "好的一行"}), row(**changes)]
    report = import_reports(dataset(rows), user=personas.reviewer, dry_run=False)
    assert not report.ok
    [bad] = report.error_rows
    assert bad.line == 3
    assert any(e.startswith(message) for e in bad.errors), bad.errors
    assert counts() == before


def test_row_repeating_another_row_or_a_stored_report_is_refused(
    net, personas, reports
):
    rows = [
        row(),
        row(**{"结束日期": "2022-10-05"}),  # same unit, title and start date
        row(**{"标题": "东镇关爱活动", "开始日期": "2023-02-25"}),  # already stored
        row(**{"镇（街道）": "西镇"}),  # another station: not a repeat
    ]
    before = counts()
    report = import_reports(dataset(rows), user=personas.reviewer, dry_run=False)
    errors = {r.line: r.errors for r in report.error_rows}
    assert errors == {
        3: ["标题：与第 2 行重复（同一填报单位、标题和开始日期）"],
        4: ["标题：系统中已有这份报告（同一填报单位、标题和开始日期）"],
    }
    assert counts() == before


def test_rows_outside_the_importers_review_scope_are_refused(net, personas):
    outside = [
        row(**{"县（市、区）": "甲二县", "镇（街道）": "南镇"}),  # another county
        row(
            **{
                "填报层级": "县（市、区）民政局",
                "县（市、区）": "甲二县",
                "镇（街道）": "",
            }
        ),
        row(
            **{
                "填报层级": "市民政局",
                "市": "甲市",
                "县（市、区）": "",
                "镇（街道）": "",
            }
        ),
        row(**{"县（市、区）": "乙一区", "镇（街道）": "北镇"}),  # another city
    ]
    before = counts()
    report = import_reports(dataset(outside), user=personas.reviewer, dry_run=False)
    assert len(report.error_rows) == 4
    for bad in report.error_rows:
        assert any("不在您的管理范围内" in e for e in bad.errors), bad.errors
    # A worker files for the station but does not review it: no back-filling.
    for user in (personas.worker, personas.supervisor, personas.nobody):
        report = import_reports(dataset([row()]), user=user, dry_run=False)
        assert "不在您的管理范围内" in report.error_rows[0].errors[0]
    assert counts() == before


@pytest.mark.parametrize(
    "headers,message",
    [
        ([h for h in HEADERS if h != "活动类型"], "缺少列：活动类型"),
        (HEADERS + ["备注"], "无法识别的列：备注"),
    ],
)
def test_file_with_wrong_columns_is_refused(headers, message, net, personas):
    rows = [[c for h, c in zip(HEADERS, row(), strict=True) if h in headers]]
    rows[0] += [""] * (len(headers) - len(rows[0]))
    before = counts()
    report = import_reports(
        dataset(rows, headers), user=personas.reviewer, dry_run=False
    )
    assert any(message in e for e in report.file_errors), report.file_errors
    assert counts() == before
