"""The page never contradicts itself: every figure of the summary is the figure
its section's table shows in its total row, and a table's total row is the sum
of its rows where its figures add up. Checked for each breakdown: a station
(worker), a county (reviewer), a city (editor) and the province (superuser)."""

from decimal import Decimal

import pytest

from stats.tables import Ratio
from tests import factories
from tests.stats.helpers import board_for, table, tiles


def total(board, key, header):
    """The total row's cell of a table under ``header``."""
    t = table(board, key)
    return t.total[[str(h) for h in t.headers].index(header)]


def column(board, key, header):
    t = table(board, key)
    n = [str(h) for h in t.headers].index(header)
    return [row[n] for row in t.rows]


def note(board, label):
    return next(str(t.note) for t in board.tiles if str(t.label) == label)


@pytest.fixture
def boards(personas, data, people_data, network_data):
    # A worker of no station (a county's supervisor): the stations' counts
    # leave them out, and so must every other count of workers.
    factories.SocialWorkerFactory(station=None, real_name="县督导")
    return {
        "worker": board_for(personas.worker),
        "reviewer": board_for(personas.reviewer),
        "editor": board_for(personas.editor),
        "superuser": board_for(personas.superuser),
    }


@pytest.mark.parametrize("who", ["worker", "reviewer", "editor", "superuser"])
def test_summary_figures_equal_the_tables_totals(boards, who):
    board = boards[who]
    t = tiles(board)
    keys = {tb.key for tb in board.tables}
    count_tables = ["by_month", "by_kind"] + (["by_unit"] if "by_unit" in keys else [])

    # Reports: 篇, 人次, 户, 人, in every table of counts.
    for tile, header in [
        ("已通过的活动报告（篇）", "报告数（篇）"),
        ("服务人次（人次）", "服务人次（人次）"),
        ("服务户数（户）", "户数（户）"),
        ("服务人数（人）", "人数（人）"),
    ]:
        for key in count_tables:
            assert t[tile] == str(total(board, key, header)), (tile, key)
    assert t["服务人数（人）"] == str(
        total(board, "attendance", "报告填写的人数（人）")
    )

    # People served.
    assert t["不重复服务对象（人）"] == str(
        total(board, "attendance", "不重复人数（人）")
    )
    times = total(board, "attendance", "签到人次（人次）")
    assert f"{times} 人次" in note(board, "不重复服务对象（人）")
    on_file = t["在册服务对象档案（人）"]
    assert on_file == str(total(board, "categories", "在册档案（人）"))
    assert on_file == str(total(board, "files", "在册档案（人）"))
    assert t["入户走访（次）"] == str(total(board, "files", "入户走访（次）"))
    overdue = total(board, "files", "逾期未走访（人）")
    assert f"逾期未走访档案 {overdue} 人" == note(board, "入户走访（次）")
    open_cases = total(board, "cases", "目前已开案（个）") + total(
        board, "cases", "目前服务中（个）"
    )
    assert t["服务中的个案（个）"] == str(open_cases)

    # Villages, timeliness.
    reached = total(board, "villages", "覆盖村（居）")
    in_all = total(board, "villages", "村（居）总数")
    assert t["覆盖村（居）"] == Ratio(reached, in_all).full
    assert total(board, "villages", "覆盖率（%）") == Ratio(reached, in_all)
    assert t["报送完整率"] == total(board, "timeliness_station", "完整率（%）").full
    assert t["按时报送率"] == total(board, "timeliness_station", "及时率（%）").full
    expected = total(board, "timeliness_station", "应报（篇）")
    assert note(board, "报送完整率") == f"应报 {expected} 篇"

    # Stations and workers: the summary, the stations' table, the workers'
    # table and the training table all say the same number of active workers.
    workers = t["在岗社工（人）"]
    assert workers == str(total(board, "stations", "在岗社工（人）"))
    assert workers == str(table(board, "workers").total[-1])
    assert workers == str(total(board, "training", "在岗社工（人）"))
    assert t["社工点（个）"] == str(total(board, "stations", "社工点（个）"))
    if "社工站（个）" in [str(h) for h in table(board, "stations").headers]:
        met = total(board, "stations", "“六有”达标站（个）")
        stations = total(board, "stations", "社工站（个）")
        assert t["社工站“六有”达标"] == Ratio(met, stations).full
    else:
        met, stations = t["社工站“六有”达标"].split(" = ")[0].split(" / ")
        assert total(board, "stations", "“六有”达标项") == f"{met} / {stations} 站达标"
    assert t["培训学时（小时）"] == str(total(board, "training", "学时合计（小时）"))
    trainees = total(board, "training", "参训社工（人）")
    person_times = total(board, "training", "参训人次（人次）")
    assert note(board, "培训学时（小时）") == (
        f"{trainees} 名社工参训，{person_times} 人次"
    )


@pytest.mark.parametrize("who", ["worker", "reviewer", "editor", "superuser"])
def test_totals_are_the_sums_of_their_rows(boards, who):
    """Where a figure adds up (reports' counts, files, visits, cases, villages,
    stations, workers, training hours), its total is its rows' sum. Distinct
    persons do not add up across rows and are left out (their tables say so)."""
    board = boards[who]
    additive = {
        "by_month": ["报告数（篇）", "服务人次（人次）", "户数（户）", "人数（人）"],
        "by_kind": ["报告数（篇）", "服务人次（人次）", "户数（户）", "人数（人）"],
        "by_unit": ["报告数（篇）", "服务人次（人次）", "户数（户）", "人数（人）"],
        "files": ["在册档案（人）", "逾期未走访（人）", "入户走访（次）"],
        "cases": ["期间内开案（个）", "目前已开案（个）", "目前服务中（个）"],
        "villages": ["覆盖村（居）", "村（居）总数"],
        "stations": ["社工点（个）", "在岗社工（人）"],
        "training": ["在岗社工（人）", "学时合计（小时）"],
    }
    keys = {tb.key for tb in board.tables}
    for key, headers in additive.items():
        if key not in keys:
            continue
        for header in headers:
            values = column(board, key, header)
            assert sum(values, Decimal(0)) == total(board, key, header), (key, header)


def test_the_figures_are_not_all_zero(boards):
    """The checks above compare real figures, not zeros with zeros."""
    t = tiles(boards["reviewer"])
    for label in (
        "已通过的活动报告（篇）",
        "服务人次（人次）",
        "不重复服务对象（人）",
        "在册服务对象档案（人）",
        "入户走访（次）",
        "在岗社工（人）",
        "培训学时（小时）",
    ):
        assert t[label] not in ("0", "0.0"), label


def test_the_page_shows_the_summary_and_the_tables_from_one_board(
    login, personas, data, people_data, network_data
):
    """The summary's figures on the page are the board's, each linking to the
    folded section that lists it; the first section is open, the rest folded."""
    response = login(personas.reviewer).get(
        "/staff/stats/", {"from": "2023-01", "to": "2023-03"}
    )
    html = response.content.decode()
    board = response.context["board"]
    for tile in board.tiles:
        assert (
            f'<a class="stats-tile" href="#{tile.section}">'
            f'<span class="stats-tile-value">{tile.value}</span>'
        ) in html
        assert f'id="{tile.section}"' in html
    assert html.count('<details class="stats-section" open>') == 1
    assert html.count('<details class="stats-section">') == len(board.sections) - 1
    first = html.index('<details class="stats-section" open>')
    assert html.index('id="reports"') > first
