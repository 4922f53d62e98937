"""The dashboard's tables as an Excel workbook: Chinese headers, the same scope
and figures as the page, every row, and an audit row for the export."""

import io
from urllib.parse import unquote

import openpyxl
import pytest

from core.models import AuditEntry
from stats.dashboard import build_dashboard
from stats.export import dashboard_workbook
from stats.scope import resolve_unit, unit_options
from tests.stats.conftest import PERIOD as P
from tests.stats.conftest import TODAY

URL = "/staff/stats/export.xlsx"
PERIOD = {"from": "2023-01", "to": "2023-03"}


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _sheet(book, name):
    sheet = book[name]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def reviewer_book(login, personas, people_data, network_data):
    return _book(login(personas.reviewer).get(URL, PERIOD))


def test_every_table_has_a_sheet_with_chinese_headers(reviewer_book):
    assert reviewer_book.sheetnames == [
        "说明",
        "活动报告-按月份",
        "活动报告-按活动类型",
        "活动报告-按社工站",
        "服务对象-服务人数：按签到与按报告填写",
        "服务对象-服务对象类别",
        "服务对象-档案更新：走访与逾期",
        "服务对象-个案",
        "村（居）覆盖-按社工站",
        "报送及时性与完整性-按社工站",
        "报送及时性与完整性-逾期报送的报告",
        "报送及时性与完整性-缺报的社工站和月份",
        "社工培训-培训与人均学时",
        "社工站与社工队伍-社工站、社工点和“六有”达标",
        "社工站与社工队伍-在岗社工：岗位类型与职业资格",
    ]
    assert _sheet(reviewer_book, "活动报告-按月份")[0] == [
        "月份",
        "报告数（篇）",
        "服务人次（人次）",
        "户数（户）",
        "人数（人）",
        "志愿者（人）",
        "服务时长（小时）",
    ]


def test_the_figures_are_the_pages_as_numbers(reviewer_book):
    months = _sheet(reviewer_book, "活动报告-按月份")
    assert months[1][:5] == ["2023年1月", 3, 140, 25, 90]
    assert months[-1][:5] == ["合计", 5, 400, 65, 90]
    villages = _sheet(reviewer_book, "村（居）覆盖-按社工站")
    assert villages[-1] == ["合计", 4, 7, 57]  # the percentage as a number
    people = _sheet(reviewer_book, "服务对象-服务人数：按签到与按报告填写")
    assert people[0][3:5] == ["不重复人数（人）", "报告填写的人数（人）"]
    assert people[-1] == ["合计", 3, 4, 3, 90]
    late = _sheet(reviewer_book, "报送及时性与完整性-逾期报送的报告")
    assert late[1][2] == "社区活动活动" and late[1][5] == 1


def test_the_about_sheet_says_what_and_how(reviewer_book):
    about = dict((row[0], row[1]) for row in _sheet(reviewer_book, "说明")[1:])
    assert about["统计范围"] == "甲市甲一区"
    assert about["统计期间"] == "2023年1月至2023年3月"
    assert about["覆盖村（居）"] == "4 / 7 = 57%"
    assert "每个社工站每月应至少报送 2 篇" in about["报送及时性与完整性"]


def test_a_county_reviewers_export_holds_only_the_county(reviewer_book):
    text = " ".join(
        str(cell)
        for name in reviewer_book.sheetnames
        for row in _sheet(reviewer_book, name)
        for cell in row
    )
    for other in ("南镇", "甲二县", "乙市", "1000", "示例"):
        assert other not in text


def test_the_export_lists_every_row_the_page_cuts(login, personas, data):
    unit, _error = resolve_unit(personas.reviewer, "", unit_options(personas.reviewer))
    page = build_dashboard(personas.reviewer, unit, P, today=TODAY, list_limit=1)
    missing = next(t for t in page.tables if t.key == "missing")
    assert (len(missing.rows), missing.more) == (1, 1)
    book = _book(login(personas.reviewer).get(URL, PERIOD))
    assert len(_sheet(book, "报送及时性与完整性-缺报的社工站和月份")) == 1 + 2


def test_the_export_is_audited_and_named(login, personas, net, data):
    response = login(personas.reviewer).get(URL, PERIOD)
    disposition = unquote(response["Content-Disposition"])
    assert "统计-甲市甲一区-202301-202303.xlsx" in disposition
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.user == personas.reviewer
    assert entry.target_label == "甲市甲一区"
    assert entry.target_id == str(net.county_a1.pk)


def test_the_editors_export_breaks_down_by_county(login, personas, data):
    book = _book(login(personas.editor).get(URL, PERIOD))
    rows = _sheet(book, "活动报告-按县（市、区）")
    assert rows[0][0] == "县（市、区）"
    assert [r[:3] for r in rows[1:]] == [
        ["甲一区", 5, 400],
        ["甲二县", 1, 1000],
        ["市民政局（本级）", 1, 500],
        ["合计", 7, 1900],
    ]
    assert "报送及时性与完整性-按县（市、区）" in book.sheetnames


def test_the_about_sheets_first_column_is_an_item_not_a_project(
    personas, people_data, network_data
):
    """ "项目" heads the about sheet's first column: in English, "Item" (the
    projects of models/projects.py are "Projects")."""
    from django.utils import translation

    options = unit_options(personas.reviewer)
    unit, _error = resolve_unit(personas.reviewer, "", options)
    with translation.override("en"):
        board = build_dashboard(personas.reviewer, unit, P, today=TODAY)
        book = openpyxl.load_workbook(
            io.BytesIO(dashboard_workbook(board, personas.reviewer))
        )
    assert next(book.worksheets[0].iter_rows(values_only=True))[0] == "Item"
