"""The staff station pages: who creates and edits a station, what bad input gets,
and what the detail page shows each role."""

import datetime

import pytest

from stations import services
from stations.models import Station
from tests import factories
from tests.stations.staff_helpers import INVALID_CHOICE, _html, _station_post


@pytest.mark.parametrize("persona", ["reviewer", "editor", "superuser"])
def test_network_managers_create_station_in_county(login, personas, net, persona):
    town = factories.TownFactory(county=net.county_a1, name="新镇")
    response = login(getattr(personas, persona)).post(
        "/staff/stations/new/", _station_post(town)
    )
    station = Station.objects.get(town=town)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/stations/{station.pk}/"
    assert station.name == "新镇社工站"
    assert station.phone == "0766-1234567"
    assert station.opened_on == datetime.date(2024, 3, 1)


@pytest.mark.parametrize("persona", ["worker", "head", "supervisor"])
def test_station_roles_cannot_create_station(login, personas, net, persona):
    town = factories.TownFactory(county=net.county_a1, name="新镇")
    response = login(getattr(personas, persona)).post(
        "/staff/stations/new/", _station_post(town)
    )
    assert response.status_code == 403
    assert not Station.objects.filter(town=town).exists()


def test_reviewer_cannot_create_station_in_other_county(login, personas, net):
    town = factories.TownFactory(county=net.county_a2, name="新镇")
    response = login(personas.reviewer).post(
        "/staff/stations/new/", _station_post(town)
    )
    assert response.status_code == 200
    assert INVALID_CHOICE in str(response.context["form"].errors["town"])
    assert not Station.objects.filter(town=town).exists()


def test_station_form_offers_only_free_towns_in_scope(login, personas, net):
    free = factories.TownFactory(county=net.county_a1, name="新镇")
    factories.TownFactory(county=net.county_a2, name="外县镇")
    response = login(personas.reviewer).get("/staff/stations/new/")
    assert list(response.context["form"].fields["town"].queryset) == [free]
    response = login(personas.reviewer).get(f"/staff/stations/{net.a1.pk}/edit/")
    assert set(response.context["form"].fields["town"].queryset) == {free, net.a1.town}


def test_reviewer_edits_station_in_own_county(login, personas, net):
    response = login(personas.reviewer).post(
        f"/staff/stations/{net.a1b.pk}/edit/",
        _station_post(net.a1b.town, name="西镇综合社工站", publish_head_name="on"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/stations/{net.a1b.pk}/"
    net.a1b.refresh_from_db()
    assert net.a1b.name == "西镇综合社工站"
    assert net.a1b.address == "新镇大道 1 号"
    assert net.a1b.publish_head_name is True


def test_reviewer_cannot_edit_other_county_station(login, personas, net):
    response = login(personas.reviewer).post(
        f"/staff/stations/{net.a2.pk}/edit/",
        _station_post(net.a2.town, address="越权地址"),
    )
    assert response.status_code == 404
    net.a2.refresh_from_db()
    assert net.a2.address != "越权地址"


def test_bad_phone_is_refused_in_chinese(login, personas, net):
    response = login(personas.reviewer).post(
        f"/staff/stations/{net.a1.pk}/edit/", _station_post(net.a1.town, phone="abc!!")
    )
    assert response.status_code == 200
    assert "电话号码只能包含数字、空格和 + - ( )。" in _html(response)
    net.a1.refresh_from_db()
    assert net.a1.phone == ""
    assert net.a1.address == ""


def test_town_that_already_has_a_station_is_refused(login, personas, net):
    before = Station.objects.count()
    response = login(personas.reviewer).post(
        "/staff/stations/new/", _station_post(net.a1b.town)
    )
    assert response.status_code == 200
    assert INVALID_CHOICE in _html(response)
    assert Station.objects.count() == before
    # Moving a station onto another station's town is refused the same way.
    response = login(personas.reviewer).post(
        f"/staff/stations/{net.a1.pk}/edit/", _station_post(net.a1b.town)
    )
    assert response.status_code == 200
    assert INVALID_CHOICE in _html(response)
    net.a1.refresh_from_db()
    assert net.a1.town_id != net.a1b.town_id


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"town": ""}, "town", "这个字段是必填项。"),
        ({"town": "abc"}, "town", INVALID_CHOICE),
        ({"opened_on": "2024-13-45"}, "opened_on", "输入一个有效的日期。"),
        ({"name": "站" * 61}, "name", "确保该变量包含不超过 60 字符"),
        ({"phone": "1" * 21}, "phone", "确保该变量包含不超过 20 字符"),
    ],
)
def test_bad_station_input_is_refused_in_chinese(
    login, personas, net, overrides, field, message
):
    town = factories.TownFactory(county=net.county_a1, name="新镇")
    response = login(personas.reviewer).post(
        "/staff/stations/new/", _station_post(town, **overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Station.objects.filter(town=town).exists()


def test_station_detail_shows_points_workers_and_edit_links_to_manager(
    login, personas, net
):
    services.worker_save(
        worker=_with_phone(net.worker_a1, "13912345678"), by=personas.superuser
    )
    html = _html(login(personas.reviewer).get(f"/staff/stations/{net.a1.pk}/"))
    assert "甲一区东镇社工站" in html
    assert "东村服务点" in html and "甲一社工" in html
    assert f'href="/staff/stations/{net.a1.pk}/edit/"' in html
    assert f'href="/staff/points/{net.point_a1.pk}/edit/"' in html
    assert f'href="/staff/workers/{net.worker_a1.pk}/edit/"' in html
    assert "13912345678" in html
    assert "南村服务点" not in html and "甲二社工" not in html


def test_station_head_sees_point_controls_but_not_station_or_worker_controls(
    login, personas, net
):
    services.worker_save(
        worker=_with_phone(net.worker_a1, "13912345678"), by=personas.superuser
    )
    html = _html(login(personas.head).get(f"/staff/stations/{net.a1.pk}/"))
    assert f'href="/staff/points/{net.point_a1.pk}/edit/"' in html
    assert f'href="/staff/stations/{net.a1.pk}/points/new/"' in html
    assert f'href="/staff/stations/{net.a1.pk}/edit/"' not in html
    assert f'href="/staff/workers/{net.worker_a1.pk}/edit/"' not in html
    assert "13912345678" not in html  # a worker's phone is for the managers only


def test_worker_sees_station_without_any_controls(login, personas, net):
    html = _html(login(personas.worker).get(f"/staff/stations/{net.a1.pk}/"))
    assert "东村服务点" in html
    assert "/edit/" not in html
    assert "/points/new/" not in html
    assert "/delete/" not in html


def _with_phone(worker, phone):
    worker.phone = phone
    return worker
