"""The staff lists of stations and workers: what each role sees, search, filters
and pagination, and how many queries the list and detail pages cost."""

import datetime

from stations.models import SocialWorker, Standard
from stations.services import quality as quality_services
from tests import factories
from tests.stations.staff_helpers import _html


def test_reviewer_station_list_shows_only_own_county(login, personas, net):
    html = _html(login(personas.reviewer).get("/staff/stations/"))
    assert "东镇社工站" in html and "西镇社工站" in html
    assert "南镇社工站" not in html and "北镇社工站" not in html
    assert f'href="/staff/stations/{net.a1.pk}/edit/"' in html
    assert 'href="/staff/stations/new/"' in html


def test_supervisor_station_list_has_no_edit_links(login, personas, net):
    html = _html(login(personas.supervisor).get("/staff/stations/"))
    assert "东镇社工站" in html and "西镇社工站" in html
    assert "南镇社工站" not in html
    assert "/edit/" not in html
    assert 'href="/staff/stations/new/"' not in html


def test_worker_station_list_shows_own_station_only(login, personas, net):
    html = _html(login(personas.worker).get("/staff/stations/"))
    assert "东镇社工站" in html
    assert (
        "西镇社工站" not in html
        and "南镇社工站" not in html
        and "北镇社工站" not in html
    )


def test_other_editor_station_list_shows_own_city_only(login, personas, net):
    html = _html(login(personas.other_editor).get("/staff/stations/"))
    assert "北镇社工站" in html
    assert "东镇社工站" not in html and "南镇社工站" not in html


def test_station_list_search(login, personas, net):
    html = _html(login(personas.editor).get("/staff/stations/?q=西镇"))
    assert "西镇社工站" in html
    assert "东镇社工站" not in html and "南镇社工站" not in html
    # Search stays inside the scope.
    html = _html(login(personas.editor).get("/staff/stations/?q=北镇"))
    assert "北镇社工站" not in html
    assert "没有可以查看的社工站。" in html


def test_station_list_counts_points_and_active_workers(login, personas, net):
    factories.SocialWorkerFactory(
        station=net.a1, real_name="离岗社工", status=SocialWorker.Status.LEFT
    )
    response = login(personas.reviewer).get("/staff/stations/")
    rows = {s.pk: s for s in response.context["page"]}
    assert rows[net.a1.pk].point_count == 1
    assert rows[net.a1.pk].worker_count == 1
    assert rows[net.a1b.pk].point_count == 0


def test_reviewer_worker_list_shows_only_own_county(login, personas, net):
    html = _html(login(personas.reviewer).get("/staff/workers/"))
    assert "甲一社工" in html and "西镇社工" in html
    assert "甲二社工" not in html and "乙一社工" not in html
    assert f'href="/staff/workers/{net.worker_a1.pk}/edit/"' in html


def test_worker_cannot_see_other_station_worker(login, personas, net):
    html = _html(login(personas.worker).get("/staff/workers/"))
    assert "甲一社工" in html
    assert "西镇社工" not in html and "甲二社工" not in html and "乙一社工" not in html
    assert "/edit/" not in html
    assert 'href="/staff/workers/new/"' not in html


def test_worker_list_filters_by_station_and_name(login, personas, net):
    client = login(personas.editor)
    html = _html(client.get(f"/staff/workers/?station={net.a1b.pk}"))
    assert "西镇社工" in html and "甲一社工" not in html
    html = _html(client.get("/staff/workers/?q=甲二"))
    assert "甲二社工" in html and "甲一社工" not in html
    # A station out of scope shows nothing rather than its workers.
    html = _html(client.get(f"/staff/workers/?station={net.b1.pk}"))
    assert "乙一社工" not in html
    assert "没有可以查看的社工。" in html


def _grow(net, personas, n):
    """Add ``n`` stations in county A1, each with a point and a worker, plus ``n``
    points, workers, supervision visits and standards checks at station a1."""
    for _i in range(n):
        station = factories.StationFactory(town__county=net.county_a1)
        factories.ServicePointFactory(station=station)
        factories.SocialWorkerFactory(station=station)
        factories.ServicePointFactory(station=net.a1)
        factories.SocialWorkerFactory(station=net.a1)
        _visit(net, personas)
        _check(net, personas)


def _visit(net, personas):
    quality_services.supervision_visit_record(
        station=net.a1,
        by=personas.reviewer,
        visited_on=datetime.date(2023, 3, 2),
        supervisors=[personas.supervisor, personas.reviewer],
        follow_ups=[{"description": "配齐设备", "due_on": datetime.date(2023, 4, 30)}],
    )


def _check(net, personas):
    quality_services.standards_check_record(
        station=net.a1,
        by=personas.reviewer,
        checked_on=datetime.date(2023, 2, 20),
        note="",
        items={value: {"met": True, "note": ""} for value in Standard.values},
    )


def test_station_list_query_count_is_fixed(
    login, personas, net, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 6 = session + user + the user's role assignments (scope) + the paginator's
    # COUNT + the page of stations with place and summaries (subqueries, one query)
    # + which stations on the page the user may edit.
    with django_assert_num_queries(6):
        response = client.get("/staff/stations/")
    assert len(response.context["page"]) == 2
    _grow(net, personas, 10)
    with django_assert_num_queries(6):
        response = client.get("/staff/stations/")
    assert len(response.context["page"]) == 12


def test_station_detail_query_count_is_fixed(
    login, personas, net, django_assert_num_queries
):
    _visit(net, personas)
    _check(net, personas)
    client = login(personas.reviewer)
    # 11 = session + user + scope + the station with its place + the latest
    # standards check's items + points with villages + workers + visits, then the
    # visits' follow-ups, supervisors and the supervisors' worker records (one
    # prefetch each). What the user may do there comes from the scope: no query.
    with django_assert_num_queries(11):
        client.get(f"/staff/stations/{net.a1.pk}/")
    _grow(net, personas, 10)
    with django_assert_num_queries(11):
        response = client.get(f"/staff/stations/{net.a1.pk}/")
    assert len(response.context["visits"]) == 10  # the page shows the latest ten


def test_station_detail_query_count_for_station_head(
    login, personas, net, django_assert_num_queries
):
    _visit(net, personas)
    client = login(personas.head)
    # 11, as for the reviewer. No standards check yet is still one query.
    with django_assert_num_queries(11):
        client.get(f"/staff/stations/{net.a1.pk}/")
    _grow(net, personas, 10)
    with django_assert_num_queries(11):
        client.get(f"/staff/stations/{net.a1.pk}/")


def test_worker_list_query_count_is_fixed(
    login, personas, net, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 6 = session + user + scope + the paginator's COUNT + the page of workers with
    # station, town and county joined + which workers on the page the user may edit.
    with django_assert_num_queries(6):
        response = client.get("/staff/workers/")
    assert len(response.context["page"]) == 2
    _grow(net, personas, 10)
    with django_assert_num_queries(6):
        response = client.get("/staff/workers/")
    assert len(response.context["page"]) == 22


def test_worker_list_pagination_keeps_the_station_filter(login, personas, net):
    factories.SocialWorkerFactory.create_batch(55, station=net.a1)
    html = (
        login(personas.editor)
        .get(f"/staff/workers/?station={net.a1.pk}")
        .content.decode()
    )
    assert f"?station={net.a1.pk}&amp;page=2" in html
