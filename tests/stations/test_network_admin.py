"""The admin edits stations, service points and workers through the same
services as the staff pages (scope checked there), never around them."""

import pytest

from stations import services
from stations.models import ServicePoint, Station


@pytest.fixture
def spy(monkeypatch):
    """Count the calls of the network services the admin must go through."""
    calls = []

    def wrap(name):
        real = getattr(services, name)

        def called(**kwargs):
            calls.append(name)
            return real(**kwargs)

        monkeypatch.setattr(services, name, called)

    for name in ("station_save", "point_save", "point_delete", "worker_save"):
        wrap(name)
    return calls


def _station_form(station, **changes):
    data = {
        "town": station.town_id,
        "name": station.name,
        "address": station.address,
        "phone": station.phone,
        "opened_on": "",
        "publish_head_name": "",
        "points-TOTAL_FORMS": "1",
        "points-INITIAL_FORMS": "1",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
    }
    point = station.points.get()
    data.update(
        {
            "points-0-id": point.pk,
            "points-0-station": station.pk,
            "points-0-name": point.name,
            "points-0-village": point.village_id,
            "points-0-address": point.address,
            "points-0-opened_on": "",
        }
    )
    data.update(changes)
    return data


def test_a_station_and_its_points_are_saved_by_the_services(login, personas, net, spy):
    client = login(personas.superuser)
    url = f"/admin/stations/station/{net.a1.pk}/change/"
    response = client.post(
        url, _station_form(net.a1, address="新地址1号", **{"points-0-name": "新点"})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Station.objects.get(pk=net.a1.pk).address == "新地址1号"
    assert ServicePoint.objects.get(station=net.a1).name == "新点"
    assert spy == ["station_save", "point_save"]
    spy.clear()
    response = client.post(url, _station_form(net.a1, **{"points-0-DELETE": "on"}))
    assert response.status_code == 302
    assert not ServicePoint.objects.filter(station=net.a1).exists()
    assert "point_delete" in spy


def test_a_worker_is_saved_by_the_service(login, personas, net, spy):
    worker = net.worker_a1
    client = login(personas.superuser)
    page = client.get(f"/admin/stations/socialworker/{worker.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(
        {
            "real_name": "改名社工",
            "commendations-TOTAL_FORMS": "0",
            "commendations-INITIAL_FORMS": "0",
            "commendations-MIN_NUM_FORMS": "0",
            "commendations-MAX_NUM_FORMS": "1000",
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list)}
    response = client.post(f"/admin/stations/socialworker/{worker.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    worker.refresh_from_db()
    assert worker.real_name == "改名社工" and spy == ["worker_save"]
