"""Timeliness and completeness worked out by hand (conftest.py's table): two
reports a month expected from each station, on time when submitted by the 5th
of the next month."""

import datetime

from django.test import override_settings

from stats.dashboard import build_dashboard
from stats.scope import resolve_unit, unit_options
from stats.timeliness import due_date, due_months
from tests.report_fixtures import at
from tests.stats.conftest import PERIOD, TODAY
from tests.stats.helpers import board_for, rows, table, tiles

D = datetime.date

# 应报, 已收到, 按时, 逾期, 缺报, 完整率, 及时率
# a1: Jan r1, r2 (r2 at 23:00 on the due day: on time); Feb r3 (late by a
# day), r4 (waiting for review: received, on time); Mar only a draft.
A1 = ["6", "4", "3", "1", "2", "67%", "50%"]
# a1b: Jan r6; Mar r7 was returned and not submitted again: not received.
A1B = ["6", "1", "1", "0", "5", "17%", "17%"]
A2 = ["6", "1", "1", "0", "5", "17%", "17%"]


def test_county_timeliness_by_station(data, personas):
    board = board_for(personas.reviewer)
    assert rows(board, "timeliness_station") == {
        "东镇社工站": A1,
        "西镇社工站": A1B,
        # 12 expected; 5 received of which 4 on time.
        "合计": ["12", "5", "4", "1", "7", "42%", "33%"],
    }
    assert tiles(board)["报送完整率"] == "5 / 12 = 42%"
    assert tiles(board)["按时报送率"] == "4 / 12 = 33%"


def test_city_timeliness_by_county_and_station(data, personas):
    board = board_for(personas.editor)
    assert rows(board, "timeliness_county") == {
        "甲一区": ["12", "5", "4", "1", "7", "42%", "33%", "2"],
        "甲二县": [*A2, "1"],
        "合计": ["18", "6", "5", "1", "12", "33%", "28%", "3"],
    }
    assert rows(board, "timeliness_station")["甲二县南镇社工站"] == A2


def test_late_reports_are_listed_with_days_late(data, personas):
    late = table(board_for(personas.reviewer), "late")
    assert len(late.rows) == 1
    station, month, title, submitted, due, days, status = late.rows[0]
    assert (station, month, str(title)) == (
        "甲一区东镇社工站",
        "2023年2月",
        "社区活动活动",
    )
    assert title.href == f"/staff/reports/{data.r3.pk}/"
    assert (submitted, due, days, status) == (
        "2023-03-06 09:00",
        "2023-03-05",
        1,
        "已通过",
    )


def test_missing_station_months_are_listed(data, personas):
    missing = table(board_for(personas.reviewer), "missing")
    assert [[str(c) for c in row] for row in missing.rows] == [
        ["东镇社工站", "1", "2", "2023年3月（收到 0/2）"],
        [
            "西镇社工站",
            "3",
            "5",
            "2023年1月（收到 1/2）、2023年2月（收到 0/2）、2023年3月（收到 0/2）",
        ],
    ]


def test_more_reports_in_a_month_do_not_make_up_for_another(
    data, personas, net, file_report
):
    for day in (2, 3, 4):
        file_report(
            personas.worker,
            net.a1,
            "宣传",
            D(2023, 1, day),
            submitted=at(2023, 1, 31),
            reviewer=personas.reviewer,
        )
    # January now has five reports: received counts them all, completeness
    # counts two (the minimum); March is still missing.
    assert rows(board_for(personas.worker), "timeliness_station")["合计"] == [
        "6",
        "7",
        "6",
        "1",
        "2",
        "67%",
        "50%",
    ]


@override_settings(STATS_MIN_REPORTS_PER_MONTH=1, STATS_REPORT_DUE_DAY=10)
def test_the_minimum_and_the_due_day_are_settings(data, personas):
    # With one report a month due by the 10th, r3 (6 March) is on time.
    assert rows(board_for(personas.worker), "timeliness_station")["合计"] == [
        "3",
        "4",
        "4",
        "0",
        "1",
        "67%",
        "67%",
    ]
    assert "次月 10 日" in next(
        s.intro for s in board_for(personas.worker).sections if s.key == "timeliness"
    )


def test_months_before_a_station_opened_are_not_expected(data, personas, net):
    net.a1b.opened_on = D(2023, 2, 10)
    net.a1b.save()
    # From February: two months of two reports; January's r6 still received.
    assert rows(board_for(personas.reviewer), "timeliness_station")["西镇社工站"] == [
        "4",
        "1",
        "1",
        "0",
        "4",
        "0%",
        "0%",
    ]


def test_months_not_yet_due_are_left_out(data, personas):
    today = D(2023, 3, 4)  # February's reports may still come on time
    assert due_months(PERIOD, today) == [D(2023, 1, 1)]
    unit, _e = resolve_unit(personas.worker, "", unit_options(personas.worker))
    board = build_dashboard(personas.worker, unit, PERIOD, today=today)
    assert rows(board, "timeliness_station")["合计"] == [
        "2",
        "2",
        "2",
        "0",
        "0",
        "100%",
        "100%",
    ]
    intro = next(s.intro for s in board.sections if s.key == "timeliness")
    assert "2023年2月、2023年3月" in intro


def test_due_date_is_the_due_day_of_the_next_month():
    assert due_date(D(2023, 1, 1)) == D(2023, 2, 5)
    assert due_date(D(2023, 12, 1)) == D(2024, 1, 5)
    assert TODAY > due_date(D(2023, 3, 1))


def test_a_back_filled_report_counts_as_received_but_not_on_time(
    data, personas, net, kinds
):
    from activities import services
    from activities.models import ActivityReport

    report = ActivityReport(
        level="station",
        station=net.a1,
        county=net.county_a1,
        city=net.city_a,
        title="历史报告",
        start_date=D(2023, 3, 20),
        kind=kinds["宣传"],
        body="旧报告。",
    )
    services.report_backfill(report=report, by=personas.reviewer)
    board = board_for(personas.worker)
    assert rows(board, "timeliness_station")["合计"][:3] == ["6", "5", "3"]
    late = table(board, "late")
    assert [str(r[2]) for r in late.rows] == ["社区活动活动", "历史报告"]
    assert late.rows[1][3] == "无（历史导入）" and late.rows[1][5] is None
