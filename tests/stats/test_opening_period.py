"""The dashboard opened without a period shows the latest year in which the
reader's unit has an approved report, and says so, instead of this year's
zeros; a unit without any approved report shows an empty state that says so.
Its query count is pinned at two sizes of data, like the dashboard's."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from stations import services as station_services
from stations.models import Role
from stats.period import Period, default_period, opening_period
from tests import factories
from tests.stats.test_dashboard_queries import URL, _grow

D = datetime.date


@pytest.mark.parametrize(
    ("latest", "today", "start", "end"),
    [
        # A past year: the whole of it.
        (D(2023, 2, 3), D(2026, 12, 7), D(2023, 1, 1), D(2023, 12, 1)),
        # This year: to this month, as before (what refresh_stats keeps).
        (D(2026, 3, 1), D(2026, 12, 7), D(2026, 1, 1), D(2026, 12, 1)),
        (D(2026, 3, 1), D(2026, 5, 20), D(2026, 1, 1), D(2026, 5, 1)),
        # An activity dated later this year, or next year: to its month.
        (D(2026, 9, 1), D(2026, 5, 20), D(2026, 1, 1), D(2026, 9, 1)),
        (D(2027, 2, 1), D(2026, 12, 7), D(2027, 1, 1), D(2027, 2, 1)),
    ],
)
def test_opening_period_is_the_latest_year_with_a_report(latest, today, start, end):
    assert opening_period(latest, today) == Period(start, end)


def test_opening_period_without_any_report_is_this_year():
    today = D(2026, 12, 7)
    assert opening_period(None, today) == default_period(today)


@pytest.fixture
def later(net, personas, data, west_worker, file_report):
    """Beside conftest.py's reports (all of 2023 or earlier): an approved report
    of station a1b in June 2025 (county A1, city A), and a report of station a1
    in 2026 that is only submitted and one that is a draft (neither counts)."""
    file_report(
        west_worker,
        net.a1b,
        "宣传",
        D(2025, 6, 10),
        reviewer=personas.reviewer,
        person_times=5,
    )
    file_report(personas.worker, net.a1, "宣传", D(2026, 5, 1), "submitted")
    file_report(personas.worker, net.a1, "宣传", D(2026, 6, 1), "draft")


@pytest.mark.parametrize(
    ("persona", "year", "latest"),
    [
        # Station a1: its latest approved report is r3 (2023-02-03); a1b's of
        # 2025 is not its own, its 2026 reports are not approved.
        ("worker", 2023, "2023年2月3日"),
        ("head", 2023, "2023年2月3日"),
        # County A1 and city A hold a1b's report of June 2025.
        ("reviewer", 2025, "2025年6月10日"),
        ("supervisor", 2025, "2025年6月10日"),
        ("editor", 2025, "2025年6月10日"),
        # County A2: r8 (2023-01-08) only.
        ("other_reviewer", 2023, "2023年1月8日"),
    ],
)
def test_page_opens_on_the_latest_year_with_data_in_scope(
    login, personas, later, persona, year, latest
):
    response = login(getattr(personas, persona)).get(URL)
    assert response.status_code == 200
    period = response.context["period"]
    assert (period.start, period.end) == (D(year, 1, 1), D(year, 12, 1))
    board = response.context["board"]
    assert board.period == period
    assert board.tiles[0].value > 0  # not a page of zeros
    html = response.content.decode()
    # It says which period it shows, why, and how to change it.
    assert f"{year}年1月至{year}年12月" in html
    assert f"最近一篇报告的活动日期为 {latest}" in html
    assert "选择开始月份和结束月份" in html
    assert f'name="from" value="{year}-01"' in html
    assert f'name="to" value="{year}-12"' in html


def test_page_opens_on_this_year_to_date_when_this_year_has_data(
    login, personas, net, data, file_report
):
    today = timezone.localdate()
    file_report(
        personas.other_worker,
        net.a2,
        "宣传",
        today.replace(day=1),
        reviewer=personas.other_reviewer,
        person_times=3,
    )
    period = login(personas.other_reviewer).get(URL).context["period"]
    assert (period.start, period.end) == (
        D(today.year, 1, 1),
        today.replace(day=1),
    )


def test_a_chosen_period_is_kept_and_not_explained(login, personas, later):
    response = login(personas.reviewer).get(URL, {"from": "2023-01", "to": "2023-03"})
    assert response.context["period"] == Period(D(2023, 1, 1), D(2023, 3, 1))
    assert "最近一篇报告的活动日期" not in response.content.decode()


@pytest.fixture
def empty_station_worker(net):
    """A worker of a station of city B that has never had a report."""
    station = factories.StationFactory(town__county=net.county_b1, town__name="空镇")
    user = factories.UserFactory(username="emma")
    station_services.role_assign(user=user, role=Role.SOCIAL_WORKER, unit=station)
    return user


def _assert_empty_state(response):
    assert response.status_code == 200
    assert response.context["asked"].empty
    assert response.context["board"] is None
    html = response.content.decode()
    assert "还没有可统计的数字" in html
    assert "还没有审核通过的活动报告" in html
    assert "<details" not in html  # no sections of zeros
    assert "导出 Excel" not in html


@pytest.mark.parametrize("persona", ["worker", "reviewer", "editor"])
def test_a_unit_without_any_approved_report_shows_an_empty_state(
    login, personas, net, file_report, persona
):
    # Reports that are not approved do not count as data.
    file_report(personas.worker, net.a1, "宣传", D(2023, 1, 5), "submitted")
    _assert_empty_state(login(getattr(personas, persona)).get(URL))


def test_a_station_without_reports_is_empty_while_others_have_data(
    login, empty_station_worker, data
):
    client = login(empty_station_worker)
    _assert_empty_state(client.get(URL))
    # A period asked for is counted all the same: the reader chose it.
    chosen = client.get(URL, {"from": "2023-01", "to": "2023-03"})
    assert chosen.context["board"] is not None
    assert "还没有可统计的数字" not in chosen.content.decode()


@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # 5 = session + user + scope (role assignments) + the counties the
        # user may choose + the latest approved report's date: nothing is
        # counted.
        ("reviewer", 5),
        # 6 = the same + the cities the editor may choose.
        ("editor", 6),
        # 5 = session + user + scope + the member's stations + the latest date.
        ("worker", 5),
    ],
)
def test_empty_state_query_count(
    login, personas, net, django_assert_num_queries, persona, queries
):
    client = login(getattr(personas, persona))
    with django_assert_num_queries(queries):
        response = client.get(URL)
    assert response.context["asked"].empty


@pytest.mark.parametrize(
    ("persona", "queries"),
    # The dashboard's counts of a chosen period (test_dashboard_queries.py)
    # + one: the latest approved report's date, which picks the period. The
    # period holds reports, so the months that do are not looked up.
    [("reviewer", 25), ("editor", 26), ("worker", 22)],
)
def test_default_page_query_count_is_fixed(
    login,
    personas,
    net,
    people_data,
    network_data,
    village_set,
    file_report,
    django_assert_num_queries,
    persona,
    queries,
):
    client = login(getattr(personas, persona))
    if persona == "editor" and connection.vendor == "postgresql":
        queries += 3  # the snapshot's transaction with its work_mem
    cache.clear()
    with django_assert_num_queries(queries):
        response = client.get(URL)
    before = response.context["board"].tiles[0].value
    assert response.context["period"].start == D(2023, 1, 1)
    _grow(net, personas, village_set, file_report, 12)
    cache.clear()
    with django_assert_num_queries(queries):
        response = client.get(URL)
    assert response.context["board"].tiles[0].value == before + 12
