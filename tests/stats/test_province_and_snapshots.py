"""The province's dashboard (a superuser of several cities) and the snapshots that
keep the wide dashboards (the province, a city) between counts; a county's
snapshot is in test_county_snapshots.py."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from stats import snapshots
from stats.scope import resolve_unit, unit_options
from tests import factories
from tests.stats import conftest
from tests.stats.helpers import board_for, rows, tiles
from tests.stats.test_dashboard_queries import PERIOD, URL

# reports, 人次, 户, 人, volunteers, hours (conftest.py's table): city A has
# r1, r2, r3, r6, r8, r9 and r10; city B r11.
PROVINCE_BY_CITY = {
    "甲市": ["7", "1900", "365", "890", "0", "0.0"],
    "乙市": ["1", "7", "0", "0", "0", "0.0"],
    "合计": ["8", "1907", "365", "890", "0", "0.0"],
}


def test_province_sums_every_city_broken_down_by_city(data, personas):
    board = board_for(personas.superuser, "province")
    assert board.unit.label == "全省（所有城市）"
    assert rows(board, "by_unit") == PROVINCE_BY_CITY
    assert tiles(board)["已通过的活动报告（篇）"] == "8"
    # Each city's row links to that city's own dashboard.
    links = [row[0].href for row in board.sections[0].tables[2].rows]
    assert all("unit=city%3A" in href for href in links)
    # The cities' own dashboards add up to the province's.
    cities = [board_for(personas.superuser, f"city:{c}") for c in _city_ids(data)]
    assert sum(int(tiles(b)["已通过的活动报告（篇）"]) for b in cities) == 8


def _city_ids(data):
    return {r.city_id for r in vars(data).values()}


def test_province_villages_and_timeliness_by_city(data, personas):
    board = board_for(personas.superuser, "province")
    villages = rows(board, "villages")
    assert set(villages) == {"甲市", "乙市", "合计"}
    city_a = board_for(personas.superuser, f"city:{data.r1.city_id}")
    assert villages["甲市"] == rows(city_a, "villages")["合计"]
    timely = rows(board, "timeliness_city")
    assert timely["甲市"][:-1] == rows(city_a, "timeliness_county")["合计"][:-1]
    # The page leaves the stations' rows to each city (the export has them).
    assert rows(board, "timeliness_station") == {
        "合计": rows(board, "timeliness_city")["合计"][:-1]
    }


@pytest.mark.parametrize(
    "persona", ["editor", "other_editor", "reviewer", "supervisor", "worker"]
)
def test_only_a_superuser_may_choose_the_province(login, personas, data, persona):
    client = login(getattr(personas, persona))
    page = client.get(URL, PERIOD)
    assert page.status_code == 200
    assert "province" not in {o.key for o in page.context["options"]}
    assert client.get(URL, {**PERIOD, "unit": "province"}).status_code == 404


def test_no_province_in_an_installation_of_one_city(login, db):
    city = factories.CityFactory(name="云浮市", code="445300")
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    page = login(root).get(URL, PERIOD)
    assert [o.key for o in page.context["options"]][0] == f"city:{city.pk}"
    assert login(root).get(URL, {"unit": "province"}).status_code == 404


def test_wide_dashboard_is_kept_and_says_when_it_was_counted(
    login, personas, data, file_report, django_assert_max_num_queries
):
    client = login(personas.editor)
    first = client.get(URL, PERIOD)
    assert first.context["snapshot"].live
    html = first.content.decode()
    assert "统计于" in html and "重新统计" in html
    before = tiles(first.context["board"])["已通过的活动报告（篇）"]
    # A report approved now is not in the kept figures...
    file_report(
        personas.worker,
        data.r1.station,
        "宣传",
        datetime.date(2023, 3, 9),
        reviewer=personas.reviewer,
    )
    # ...which are read back in a handful of queries (session, user, scope,
    # the units to choose), not counted again.
    with django_assert_max_num_queries(6):
        kept = client.get(URL, PERIOD)
    assert not kept.context["snapshot"].live
    assert tiles(kept.context["board"])["已通过的活动报告（篇）"] == before
    # "重新统计" counts it again, and the page shows the new report.
    done = client.post(f"{URL}?from=2023-01&to=2023-03", follow=True)
    assert "已重新统计" in done.content.decode()
    assert tiles(done.context["board"])["已通过的活动报告（篇）"] == str(
        int(before) + 1
    )


def test_old_snapshot_is_counted_again(login, personas, data, settings, monkeypatch):
    client = login(personas.editor)
    client.get(URL, PERIOD)
    later = timezone.now() + datetime.timedelta(seconds=settings.STATS_SNAPSHOT_MAX_AGE)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(URL, PERIOD).context["snapshot"].live


def test_while_one_request_counts_the_others_get_the_old_snapshot(
    login, personas, data, settings, monkeypatch
):
    client = login(personas.editor)
    client.get(URL, PERIOD)
    monkeypatch.setattr(snapshots, "max_age", lambda: 0)
    # Another request holds the lock: the old figures are served meanwhile.
    unit = resolve_unit(personas.editor, "", unit_options(personas.editor))
    key = snapshots._key(unit[0], conftest.PERIOD, timezone.localdate())
    assert cache.get(key) is not None
    cache.add(f"{key}:lock", 1)
    old = client.get(URL, PERIOD)
    assert not old.context["snapshot"].live
    refresh = client.post(f"{URL}?from=2023-01&to=2023-03", follow=True)
    assert "正在重新统计" in refresh.content.decode()


def test_unreadable_snapshot_is_counted_again(login, personas, data, monkeypatch):
    client = login(personas.editor)
    client.get(URL, PERIOD)

    def broken(key, default=None):
        raise AttributeError("a class of older code")

    monkeypatch.setattr(snapshots.cache, "get", broken)
    page = client.get(URL, PERIOD)
    assert page.status_code == 200
    assert page.context["snapshot"].live


def test_refresh_stats_counts_the_province_and_every_city(personas, data):
    cache.clear()
    call_command("refresh_stats", verbosity=0)
    today = timezone.localdate()
    from stats.period import Period
    from stats.scope import unit_options

    # Each is counted for the period its page opens on: the latest year with
    # an approved report (2023 for both cities and the province), not this year.
    period = Period(datetime.date(2023, 1, 1), datetime.date(2023, 12, 1))
    wide = [u for u in unit_options(personas.superuser) if u.wide]
    assert [u.key for u in wide][0] == "province"
    for unit in wide:
        assert cache.get(snapshots._key(unit, period, today)) is not None, unit.key


def test_province_exports_to_excel(login, personas, data):
    response = login(personas.superuser).get(
        URL + "export.xlsx", {**PERIOD, "unit": "province"}
    )
    assert response.status_code == 200
    assert "全省" in response.headers["Content-Disposition"] or (
        "%E5%85%A8%E7%9C%81" in response.headers["Content-Disposition"]
    )


def test_page_forms_are_not_nested(login, personas, data):
    """A form inside the filters' form would be dropped by the HTML parser, and
    the background export's button would send the filters instead."""
    html = login(personas.editor).get(URL, PERIOD).content.decode()
    filters = html.index('class="stats-filters"')
    filters_end = html.index("</form>", filters)
    for action in ("/staff/stats/export.xlsx?", "/staff/stats/?"):
        post = html.index(f'<form method="post" action="{action}')
        assert post > filters_end, action
