"""The public station directory and station pages: content, privacy, and a fixed
number of queries whatever the number of stations."""

import datetime

import pytest

from stations import services
from stations.models import Role, StandardsCheck, StandardsCheckItem
from stations.models.quality import Standard
from tests import factories


def _check(station, met_count):
    check = StandardsCheck.objects.create(
        station=station, checked_on=datetime.date(2023, 2, 1)
    )
    for index, (value, _label) in enumerate(Standard.choices):
        StandardsCheckItem.objects.create(
            check_record=check, standard=value, met=index < met_count
        )
    return check


def _grow(net, n):
    """n more stations in county A1, each with a point, two workers and a check."""
    for _ in range(n):
        station = factories.StationFactory(town__county=net.county_a1)
        factories.ServicePointFactory(station=station)
        factories.SocialWorkerFactory.create_batch(2, station=station)
        _check(station, 6)


def test_directory_lists_counties_in_display_order_with_stations(client, net):
    net.county_a1.display_order, net.county_a2.display_order = 2, 1
    net.county_a1.save()
    net.county_a2.save()
    html = client.get("/stations/").content.decode()
    assert html.index("甲二县") < html.index("甲一区")
    assert "东镇社工站" in html and "南镇社工站" in html and "北镇社工站" in html
    assert f'href="/stations/{net.a1.pk}/"' in html


def test_directory_shows_standards_status(client, net):
    _check(net.a1, 6)
    _check(net.a2, 4)
    html = client.get("/stations/").content.decode()
    assert "“六有”达标</span>" in html
    assert "“六有”达标 4/6" in html
    assert "“六有”尚未检查" in html  # a1b and b1 were never checked


@pytest.mark.parametrize("extra", [0, 12])
def test_directory_query_count_is_fixed(client, net, django_assert_num_queries, extra):
    _grow(net, extra)
    # 1: counties with their city; 2: stations with place, point and worker counts
    # and the latest check's result, all as subqueries; 3: the publications'
    # footers (none while the cache keeps them). Anonymous: no session query.
    with django_assert_num_queries(3):
        response = client.get("/stations/")
    assert response.status_code == 200


def test_station_page_shows_points_workers_by_post_and_standards(client, net):
    factories.SocialWorkerFactory(station=net.a1, post_type="事务性")
    factories.SocialWorkerFactory(station=net.a1, post_type="服务性", status="离岗")
    _check(net.a1, 5)
    html = client.get(f"/stations/{net.a1.pk}/").content.decode()
    assert "甲一区东镇社工站" in html
    assert "东村服务点" in html
    # 甲一社工 (service) and one administrative worker are active; the one who left is not counted.
    assert '事务性岗位</td><td class="num">1' in html
    assert '服务性岗位</td><td class="num">1' in html
    assert "达标 5/6 项" in html


def test_station_page_has_no_personal_data(client, net):
    head = factories.UserFactory(username="headuser", first_name="王站长")
    factories.SocialWorkerFactory(
        station=net.a1, real_name="王站长", phone="13800138000", user=head
    )
    services.role_assign(user=head, role=Role.STATION_HEAD, unit=net.a1)
    html = client.get(f"/stations/{net.a1.pk}/").content.decode()
    assert "13800138000" not in html
    assert "王站长" not in html  # not published by default
    assert "甲一社工" not in html  # worker names never appear publicly
    net.a1.publish_head_name = True
    net.a1.save()
    html = client.get(f"/stations/{net.a1.pk}/").content.decode()
    assert "王站长" in html
    assert "13800138000" not in html


def test_unknown_station_is_404(client, net):
    assert client.get("/stations/999999/").status_code == 404


@pytest.mark.parametrize("extra", [0, 12])
def test_station_page_query_count_is_fixed(
    client, net, django_assert_num_queries, extra
):
    net.a1.publish_head_name = True
    net.a1.save()
    for _ in range(extra):
        factories.ServicePointFactory(station=net.a1)
        factories.SocialWorkerFactory(station=net.a1)
    _check(net.a1, 6)
    _grow(net, extra)
    # 1 station with summary, 2 points with villages, 3 workers by post type,
    # 4 latest check's items, 5 published head names, 6 the publications'
    # footers (none while the cache keeps them).
    with django_assert_num_queries(6):
        response = client.get(f"/stations/{net.a1.pk}/")
    assert response.status_code == 200


def test_directory_and_station_page_link_to_the_news_the_newsletter_registered(
    client, net
):
    """The organisation's pages name no newsletter URL: the newsletter
    registers its county and station news (stations/links.py)."""
    directory = client.get("/stations/").content.decode()
    assert f'href="/news/county/{net.county_a1.code}/"' in directory
    assert f'href="/news/station/{net.a1.pk}/"' in directory
    assert f"{net.county_a1.name}动态" in directory
    page = client.get(f"/stations/{net.a1.pk}/").content.decode()
    assert f'href="/news/station/{net.a1.pk}/"' in page
    assert f'href="/news/county/{net.county_a1.code}/"' in page
