"""The staff service point pages: who creates, edits and deletes a point, and
which villages and names the form accepts."""

import pytest

from stations.models import ServicePoint
from tests import factories
from tests.stations.staff_helpers import INVALID_CHOICE, _html


def _point_post(village, /, **overrides):
    data = {"name": "新村服务点", "village": village.pk, "address": "", "opened_on": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["head", "reviewer", "editor", "superuser"])
def test_allowed_roles_create_point(login, personas, net, persona):
    village = factories.VillageFactory(town=net.a1.town, name="东村二")
    response = login(getattr(personas, persona)).post(
        f"/staff/stations/{net.a1.pk}/points/new/", _point_post(village)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/stations/{net.a1.pk}/"
    point = ServicePoint.objects.get(name="新村服务点")
    assert point.station == net.a1 and point.village == village


@pytest.mark.parametrize(
    "persona", ["worker", "supervisor", "other_reviewer", "other_editor"]
)
def test_other_roles_cannot_create_point(login, personas, net, persona):
    village = factories.VillageFactory(town=net.a1.town, name="东村二")
    response = login(getattr(personas, persona)).post(
        f"/staff/stations/{net.a1.pk}/points/new/", _point_post(village)
    )
    assert response.status_code == 404
    assert not ServicePoint.objects.filter(name="新村服务点").exists()


def test_head_cannot_create_point_at_other_station(login, personas, net):
    village = factories.VillageFactory(town=net.a1b.town, name="西村")
    response = login(personas.head).post(
        f"/staff/stations/{net.a1b.pk}/points/new/", _point_post(village)
    )
    assert response.status_code == 404
    assert not ServicePoint.objects.filter(name="新村服务点").exists()


def test_head_edits_own_station_point(login, personas, net):
    response = login(personas.head).post(
        f"/staff/points/{net.point_a1.pk}/edit/",
        _point_post(net.point_a1.village, name="东村党群服务点", address="东村委会"),
    )
    assert response.status_code == 302
    net.point_a1.refresh_from_db()
    assert net.point_a1.name == "东村党群服务点"
    assert net.point_a1.address == "东村委会"
    assert net.point_a1.station == net.a1


def test_worker_cannot_edit_or_delete_point(login, personas, net):
    client = login(personas.worker)
    response = client.post(
        f"/staff/points/{net.point_a1.pk}/edit/",
        _point_post(net.point_a1.village, name="改名"),
    )
    assert response.status_code == 404
    assert client.post(f"/staff/points/{net.point_a1.pk}/delete/").status_code == 404
    net.point_a1.refresh_from_db()
    assert net.point_a1.name == "东村服务点"


def test_reviewer_cannot_touch_other_county_point(login, personas, net):
    client = login(personas.reviewer)
    response = client.post(
        f"/staff/points/{net.point_a2.pk}/edit/",
        _point_post(net.point_a2.village, name="改名"),
    )
    assert response.status_code == 404
    assert client.post(f"/staff/points/{net.point_a2.pk}/delete/").status_code == 404
    net.point_a2.refresh_from_db()
    assert net.point_a2.name == "南村服务点"


@pytest.mark.parametrize("persona", ["head", "reviewer"])
def test_allowed_roles_delete_point(login, personas, net, persona):
    response = login(getattr(personas, persona)).post(
        f"/staff/points/{net.point_a1.pk}/delete/"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/stations/{net.a1.pk}/"
    assert not ServicePoint.objects.filter(pk=net.point_a1.pk).exists()


def test_point_in_village_of_another_town_is_refused(login, personas, net):
    other_village = factories.VillageFactory(town=net.a2.town, name="南村二")
    response = login(personas.reviewer).post(
        f"/staff/stations/{net.a1.pk}/points/new/", _point_post(other_village)
    )
    assert response.status_code == 200
    assert INVALID_CHOICE in str(response.context["form"].errors["village"])
    assert not ServicePoint.objects.filter(name="新村服务点").exists()


def test_point_form_offers_only_villages_of_the_station_town(login, personas, net):
    own = factories.VillageFactory(town=net.a1.town, name="东村二")
    factories.VillageFactory(town=net.a1b.town, name="西村")
    response = login(personas.head).get(f"/staff/stations/{net.a1.pk}/points/new/")
    assert set(response.context["form"].fields["village"].queryset) == {
        own,
        net.point_a1.village,
    }


def test_duplicate_point_name_is_a_form_error_not_a_500(login, personas, net):
    village = factories.VillageFactory(town=net.a1.town, name="东村二")
    response = login(personas.head).post(
        f"/staff/stations/{net.a1.pk}/points/new/",
        _point_post(village, name="东村服务点"),
    )
    assert response.status_code == 200
    assert "本站已有名为“东村服务点”的社工点。" in _html(response)
    assert ServicePoint.objects.filter(station=net.a1).count() == 1


def test_same_point_name_at_another_station_is_fine(login, personas, net):
    village = factories.VillageFactory(town=net.a1b.town, name="西村")
    response = login(personas.reviewer).post(
        f"/staff/stations/{net.a1b.pk}/points/new/",
        _point_post(village, name="东村服务点"),
    )
    assert response.status_code == 302
    assert ServicePoint.objects.filter(name="东村服务点").count() == 2


def test_editing_a_point_keeps_its_own_name(login, personas, net):
    response = login(personas.head).post(
        f"/staff/points/{net.point_a1.pk}/edit/",
        _point_post(net.point_a1.village, name="东村服务点", address="新地址"),
    )
    assert response.status_code == 302
    net.point_a1.refresh_from_db()
    assert net.point_a1.address == "新地址"
