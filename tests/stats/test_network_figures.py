"""Villages reached out of the unit's villages, six-standard status, workers by
post and qualification, and training hours per worker, by hand."""

import datetime

from tests.stats.helpers import board_for, rows, tiles

D = datetime.date


def test_villages_reached_out_of_the_countys_villages(data, personas):
    board = board_for(personas.reviewer)
    # 东镇: 东村 and 北村 (r1's villages reached), 中村 (r2's place) of its 5;
    # 东村 again (r3) is not counted twice. 西镇: 西村 (r6's place) of 2.
    assert rows(board, "villages") == {
        "东镇社工站": ["3", "5", "60%"],
        "西镇社工站": ["1", "2", "50%"],
        "合计": ["4", "7", "57%"],
    }
    assert tiles(board)["覆盖村（居）"] == "4 / 7 = 57%"


def test_villages_of_the_city_by_county(data, personas):
    assert rows(board_for(personas.editor), "villages") == {
        "甲一区": ["4", "7", "57%"],
        "甲二县": ["1", "2", "50%"],  # 南村 of 南村 and the service point's
        "合计": ["5", "9", "56%"],
    }


def test_villages_of_one_station_by_town(data, personas):
    assert rows(board_for(personas.worker), "villages") == {
        "东镇": ["3", "5", "60%"],
        "合计": ["3", "5", "60%"],
    }


def test_a_village_reached_only_by_a_draft_or_another_period_does_not_count(
    data, personas, net, village_set, file_report
):
    file_report(
        personas.worker,
        net.a1,
        "宣传",
        D(2023, 3, 3),
        "draft",
        reached=[village_set["上村"]],
    )
    file_report(
        personas.worker,
        net.a1,
        "宣传",
        D(2022, 11, 3),
        reviewer=personas.reviewer,
        reached=[village_set["上村"]],
    )
    assert rows(board_for(personas.worker), "villages")["合计"] == ["3", "5", "60%"]


def test_stations_meeting_the_six_standards(data, network_data, personas):
    board = board_for(personas.reviewer)
    # a1's latest check meets all six (an older one met none); a1b's five.
    assert rows(board, "stations") == {
        "东镇社工站": ["1", "2", "6 / 6"],
        "西镇社工站": ["0", "1", "5 / 6"],
        "合计": ["1", "3", "1 / 2 站达标"],
    }
    assert tiles(board)["社工站“六有”达标"] == "1 / 2 = 50%"
    assert rows(board_for(personas.editor), "stations") == {
        # 站, 点, 在岗社工, 达标站, 已检查站
        "甲一区": ["2", "1", "3", "1", "2"],
        "甲二县": ["1", "1", "1", "0", "0"],  # never checked
        "合计": ["3", "2", "4", "1", "2"],
    }


def test_workers_by_post_type_and_qualification(data, network_data, personas):
    # Active workers of A1: two service posts without a qualification, the
    # administrative head with 社会工作师; the one who left is not counted.
    assert rows(board_for(personas.reviewer), "workers") == {
        # 无, 助理社会工作师, 社会工作师, 高级社会工作师, 合计
        "事务性岗位": ["0", "0", "1", "0", "1"],
        "服务性岗位": ["2", "0", "0", "0", "2"],
        "合计": ["2", "0", "1", "0", "3"],
    }


def test_training_hours_per_worker_in_the_period(data, network_data, personas):
    board = board_for(personas.reviewer)
    # February sessions of 4 and 3 hours; the December one is outside.
    # 东镇: 甲一社工 attended both (7 h, 2 sign-ins), 2 active workers.
    # 西镇: 西镇社工 the first (4 h).
    assert rows(board, "training") == {
        "东镇社工站": ["2", "1", "2", "7.0", "3.5"],
        "西镇社工站": ["1", "1", "1", "4.0", "4.0"],
        "合计": ["3", "2", "3", "11.0", "3.7"],
    }
    intro = next(s.intro for s in board.sections if s.key == "training")
    assert "期间内共 1 个培训、2 节课程" in intro
    assert rows(board_for(personas.editor), "training")["甲二县"] == [
        "1",
        "1",
        "1",
        "4.0",
        "4.0",
    ]
