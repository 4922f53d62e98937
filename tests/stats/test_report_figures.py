"""Report figures worked out by hand on the data of conftest.py, per scope:
which reports count, the three counts summed apart, by month, kind and unit."""

from stats.reports import approved_reports, report_figures
from stats.scope import resolve_unit, unit_options
from tests.stats.conftest import PERIOD
from tests.stats.helpers import board_for, rows, tiles

# 月份: reports, 人次, 户, 人, volunteers, hours
COUNTY_A1_MONTHS = {
    "2023年1月": ["3", "140", "25", "90", "0", "0.0"],  # r1, r2, r6
    "2023年2月": ["2", "260", "40", "0", "0", "0.0"],  # r3, r9 (the county bureau)
    "2023年3月": ["0", "0", "0", "0", "0", "0.0"],  # r5 is a draft, r7 returned
    "合计": ["5", "400", "65", "90", "0", "0.0"],
}


def test_county_reviewer_sees_the_county_by_month(data, personas):
    board = board_for(personas.reviewer)
    assert board.unit.label == "甲市甲一区"
    assert rows(board, "by_month") == COUNTY_A1_MONTHS


def test_only_approved_reports_of_the_period_count(data, personas, net):
    unit, _e = resolve_unit(personas.reviewer, "", unit_options(personas.reviewer))
    counted = set(approved_reports(personas.reviewer, unit, PERIOD))
    # Not r4 (waiting for review), r5 (draft), r7 (returned), r12 (December),
    # r8 (another county), r10 (the city bureau), r11 (another city).
    assert counted == {data.r1, data.r2, data.r3, data.r6, data.r9}


def test_county_by_kind_and_by_station(data, personas):
    board = board_for(personas.reviewer)
    by_kind = rows(board, "by_kind")
    assert by_kind["宣传"] == ["2", "110", "25", "60"]  # r1 + r6
    assert by_kind["入户走访"] == ["1", "30", "0", "30"]
    assert by_kind["社区活动"] == ["1", "200", "40", "0"]
    assert by_kind["会议"] == ["1", "60", "0", "0"]
    assert by_kind["个案"] == ["0", "0", "0", "0"]  # every kind is listed
    assert by_kind["合计"] == ["5", "400", "65", "90"]
    assert rows(board, "by_unit") == {
        "东镇社工站": ["3", "330", "60", "80", "0", "0.0"],
        "西镇社工站": ["1", "10", "5", "10", "0", "0.0"],
        "县（市、区）民政局（本级）": ["1", "60", "0", "0", "0", "0.0"],
        "合计": ["5", "400", "65", "90", "0", "0.0"],
    }


def test_person_times_households_and_persons_are_never_added(data, personas):
    figures = report_figures(
        personas.reviewer,
        resolve_unit(personas.reviewer, "", unit_options(personas.reviewer))[0],
        PERIOD,
    )
    total = figures.total
    assert (total.person_times, total.households, total.persons) == (400, 65, 90)
    # Blank counts add nothing and are counted apart: r2 and r9 gave no 户,
    # r3 and r9 no 人.
    assert (total.blank("households"), total.blank("persons")) == (2, 2)
    board = board_for(personas.reviewer)
    assert tiles(board)["服务人次（人次）"] == "400"
    assert tiles(board)["服务户数（户）"] == "65"
    assert tiles(board)["服务人数（人）"] == "90"
    assert "2 篇未填户数，2 篇未填人数" in next(
        t.note for t in board.tables if t.key == "by_month"
    )


def test_city_editor_sees_the_city_by_county(data, personas):
    board = board_for(personas.editor)
    assert board.unit.label == "甲市"
    assert rows(board, "by_unit") == {
        "甲一区": ["5", "400", "65", "90", "0", "0.0"],
        "甲二县": ["1", "1000", "300", "800", "0", "0.0"],
        "市民政局（本级）": ["1", "500", "0", "0", "0", "0.0"],
        "合计": ["7", "1900", "365", "890", "0", "0.0"],
    }
    assert rows(board, "by_month")["2023年3月"][:2] == ["1", "500"]  # r10


def test_city_editor_may_choose_a_county(data, personas, net):
    board = board_for(personas.editor, f"county:{net.county_a2.pk}")
    assert rows(board, "by_month")["合计"] == ["1", "1000", "300", "800", "0", "0.0"]


def test_station_member_sees_the_station_by_month_only(data, personas):
    board = board_for(personas.worker)
    assert board.unit.label == "甲一区东镇社工站"
    assert rows(board, "by_month")["合计"] == ["3", "330", "60", "80", "0", "0.0"]
    assert "by_unit" not in {t.key for t in board.tables}


def test_supervisor_of_a_county_sees_its_stations_reports_only(data, personas):
    # A supervisor reads station reports, not the county bureau's own (r9).
    board = board_for(personas.supervisor)
    assert rows(board, "by_month")["合计"] == ["4", "340", "65", "90", "0", "0.0"]
    assert "县（市、区）民政局（本级）" not in rows(board, "by_unit")


def test_the_other_city_is_apart(data, personas):
    board = board_for(personas.other_editor)
    assert board.unit.label == "乙市"
    assert rows(board, "by_month")["合计"] == ["1", "7", "0", "0", "0", "0.0"]


def test_a_report_counts_in_the_month_its_activity_started(
    data, personas, net, file_report
):
    # Ran from 31 January to 2 February, approved in March: January's.
    file_report(
        personas.worker,
        net.a1,
        "宣传",
        data.r1.start_date.replace(day=31),
        reviewer=personas.reviewer,
        end_date=data.r3.start_date.replace(day=2),
        person_times=5,
    )
    board = board_for(personas.worker)
    assert rows(board, "by_month")["2023年1月"][:2] == ["3", "135"]
    assert rows(board, "by_month")["2023年2月"][:2] == ["1", "200"]


def test_supervisor_of_single_stations_sees_them_together(data, net):
    from stations import services as station_services
    from stations.models import Role
    from tests import factories

    user = factories.UserFactory(username="sue")
    for station in (net.a1, net.a2):
        station_services.role_assign(user=user, role=Role.SUPERVISOR, unit=station)
    board = board_for(user)
    assert board.unit.key == "assigned"
    assert board.unit.label == "督导的社工站（2 个）"
    # a1's r1, r2, r3 and a2's r8, never a1b's r6 nor the county bureau's r9.
    assert rows(board, "by_unit") == {
        "甲一区东镇社工站": ["3", "330", "60", "80", "0", "0.0"],
        "甲二县南镇社工站": ["1", "1000", "300", "800", "0", "0.0"],
        "合计": ["4", "1330", "360", "880", "0", "0.0"],
    }
