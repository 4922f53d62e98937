"""Figures of the people served, by hand on conftest.py's ``people_data``:
unique persons from attendance are not person-times nor the reports' typed
persons; files by category; visits and overdue files; cases; per scope."""

from tests.stats.helpers import board_for, rows, tiles


def test_unique_persons_are_not_person_times(people_data, personas):
    board = board_for(personas.reviewer)
    # Approved reports of A1 with attendance: r1 (F1, F2), r2 (F1), r6 (F5):
    # 3 reports, 4 attendances, 3 people. r4's F3 does not count (not
    # approved). The typed persons of the same reports are 80 and 10.
    assert rows(board, "attendance") == {
        "东镇社工站": ["2", "3", "2", "80"],
        "西镇社工站": ["1", "1", "1", "10"],
        "合计": ["3", "4", "3", "90"],
    }
    assert tiles(board)["不重复服务对象（人）"] == "3"
    assert tiles(board)["服务人数（人）"] == "90"  # typed: a different figure
    assert tiles(board)["服务人次（人次）"] == "400"


def test_a_person_attending_twice_is_one_person(people_data, personas):
    board = board_for(personas.worker)
    # F1 attended r1 and r2, F2 r1: two people, three attendances.
    assert rows(board, "attendance") == {
        "甲一区东镇社工站": ["2", "3", "2", "80"],
        "合计": ["2", "3", "2", "80"],
    }


def test_the_city_counts_each_county(people_data, personas):
    board = board_for(personas.editor)
    assert rows(board, "attendance") == {
        "甲一区": ["3", "4", "3", "90"],
        "甲二县": ["1", "1", "1", "800"],
        "合计": ["4", "5", "4", "890"],
    }


def test_files_and_people_served_by_category(people_data, personas):
    by_category = rows(board_for(personas.reviewer), "categories")
    # 困境儿童: F1, F2, F5 on file and all served (attended or visited).
    assert by_category["困境儿童"] == ["3", "3"]
    assert by_category["留守儿童"] == ["1", "1"]  # F2
    assert by_category["低保对象"] == ["1", "0"]  # F3 attended an unapproved report
    assert by_category["孤儿"] == ["0", "0"]  # every category is listed
    # F2 is in two categories: one person in the total.
    assert by_category["合计"] == ["4", "3"]
    assert tiles(board_for(personas.reviewer))["在册服务对象档案（人）"] == "4"


def test_visits_and_overdue_files(people_data, personas):
    # 在册, 逾期, 从未走访, 入户, 电话, 来站, 被走访对象 (in the period).
    # a1: F1 overdue (last visit 10 Feb, 30 days asked), F3 overdue and never
    # visited; F2's home visit of 1 April is after the period.
    assert rows(board_for(personas.reviewer), "files") == {
        "东镇社工站": ["3", "2", "1", "1", "1", "0", "1"],
        "西镇社工站": ["1", "0", "0", "1", "0", "0", "1"],
        "合计": ["4", "2", "1", "2", "1", "0", "2"],
    }
    assert tiles(board_for(personas.reviewer))["入户走访（次）"] == "2"


def test_cases_opened_in_progress_and_closed(people_data, personas):
    # 期间内开案, 目前已开案, 目前服务中, 期间内结案. F2's case was opened in
    # December (before the period) and closed on 1 March.
    assert rows(board_for(personas.reviewer), "cases") == {
        "东镇社工站": ["1", "1", "0", "1"],
        "西镇社工站": ["1", "0", "1", "0"],
        "合计": ["2", "1", "1", "1"],
    }
    assert tiles(board_for(personas.reviewer))["服务中的个案（个）"] == "2"


def test_a_county_reviewer_sees_no_other_countys_people(people_data, personas):
    board = board_for(personas.other_reviewer)
    assert rows(board, "attendance")["合计"] == ["1", "1", "1", "800"]
    # F6, last visited 9 January: overdue on 20 April.
    assert rows(board, "files")["合计"] == ["1", "1", "0", "1", "0", "0", "1"]
    assert rows(board, "categories")["合计"] == ["1", "1"]


def test_the_dashboard_shows_no_names(people_data, personas, login):
    html = (
        login(personas.reviewer)
        .get("/staff/stats/", {"from": "2023-01", "to": "2023-03"})
        .content.decode()
    )
    assert "示例" not in html
    assert "4453" not in html


def test_report_page_checks_persons_against_attendance(
    people_data, personas, net, login, file_report
):
    from beneficiaries.services.attendance import attendance_set

    report = file_report(
        personas.worker,
        net.a1,
        "宣传",
        people_data.f1.opened_on,
        "submitted",
        body="本次活动共2人参加，服务5人次。",
        persons=5,
        person_times=5,
    )
    attendance_set(
        report=report,
        beneficiaries=[people_data.f1, people_data.f2],
        by=personas.worker,
    )
    response = login(personas.worker).get(f"/staff/reports/{report.pk}/")
    checks = response.context["figure_checks"]
    mention = next(m for m in checks.mentions if m.text == "2人")
    assert mention.status == "supported"
    assert mention.record.label == "按签到计算的不重复人数"
