"""Who gets into the staff pages of the station network: an object out of scope
is a 404, no role is a 403, anonymous users are sent to log in."""

import pytest

from stations.models import ServicePoint
from tests.stations.staff_helpers import _html, _station_post

ROLE_PERSONAS = [
    "worker",
    "head",
    "other_worker",
    "supervisor",
    "reviewer",
    "other_reviewer",
    "editor",
    "other_editor",
    "superuser",
]

# Each object page, addressed for station a1 (or its point or worker), with the
# personas that may use it; every other persona with a role gets a 404.
OBJECT_PAGES = {
    "station_detail": (
        lambda net: f"/staff/stations/{net.a1.pk}/",
        "get",
        {"worker", "head", "supervisor", "reviewer", "editor", "superuser"},
    ),
    "station_edit": (
        lambda net: f"/staff/stations/{net.a1.pk}/edit/",
        "get",
        {"reviewer", "editor", "superuser"},
    ),
    "point_new": (
        lambda net: f"/staff/stations/{net.a1.pk}/points/new/",
        "get",
        {"head", "reviewer", "editor", "superuser"},
    ),
    "point_edit": (
        lambda net: f"/staff/points/{net.point_a1.pk}/edit/",
        "get",
        {"head", "reviewer", "editor", "superuser"},
    ),
    "point_delete": (
        lambda net: f"/staff/points/{net.point_a1.pk}/delete/",
        "post",
        {"head", "reviewer", "editor", "superuser"},
    ),
    "worker_edit": (
        lambda net: f"/staff/workers/{net.worker_a1.pk}/edit/",
        "get",
        {"reviewer", "editor", "superuser"},
    ),
}


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_object_page_is_404_outside_scope(login, personas, net, page, persona):
    url, method, allowed = OBJECT_PAGES[page]
    client = login(getattr(personas, persona))
    response = getattr(client, method)(url(net))
    if persona in allowed:
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_anonymous_is_sent_to_login_from_object_page(client, net, page):
    url, method, _allowed = OBJECT_PAGES[page]
    response = getattr(client, method)(url(net))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/")
    assert ServicePoint.objects.filter(pk=net.point_a1.pk).exists()


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_user_without_role_gets_403_on_object_page(login, personas, net, page):
    url, method, _allowed = OBJECT_PAGES[page]
    response = getattr(login(personas.nobody), method)(url(net))
    assert response.status_code == 403
    assert ServicePoint.objects.filter(pk=net.point_a1.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/staff/stations/999999/",
        "/staff/stations/999999/edit/",
        "/staff/stations/999999/points/new/",
        "/staff/points/999999/edit/",
        "/staff/workers/999999/edit/",
        "/staff/stations/99999999999999999999999/",
    ],
)
def test_unknown_id_is_404_even_for_superuser(login, personas, url):
    assert login(personas.superuser).get(url).status_code == 404


def test_worker_cannot_see_other_station(login, personas, net):
    client = login(personas.worker)
    assert client.get(f"/staff/stations/{net.a1.pk}/").status_code == 200
    assert client.get(f"/staff/stations/{net.a1b.pk}/").status_code == 404
    assert client.get(f"/staff/stations/{net.b1.pk}/").status_code == 404


def test_station_head_cannot_edit_own_station_record(login, personas, net):
    client = login(personas.head)
    assert client.get(f"/staff/stations/{net.a1.pk}/edit/").status_code == 404
    response = client.post(
        f"/staff/stations/{net.a1.pk}/edit/",
        _station_post(net.a1.town, address="站长改的"),
    )
    assert response.status_code == 404
    net.a1.refresh_from_db()
    assert net.a1.address != "站长改的"


@pytest.mark.parametrize("url", ["/staff/stations/", "/staff/workers/"])
@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_every_role_may_open_the_lists(login, personas, persona, url):
    assert login(getattr(personas, persona)).get(url).status_code == 200


@pytest.mark.parametrize("url", ["/staff/stations/", "/staff/workers/"])
def test_user_without_role_gets_403_on_lists(login, personas, url):
    assert login(personas.nobody).get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/staff/",
        "/staff/stations/",
        "/staff/workers/",
        "/staff/stations/new/",
        "/staff/workers/new/",
    ],
)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_user_without_role_may_open_staff_home_which_says_so(login, personas):
    response = login(personas.nobody).get("/staff/")
    assert response.status_code == 200
    html = _html(response)
    assert "您的账号还没有被授予任何角色" in html
    assert 'href="/staff/stations/"' not in html


@pytest.mark.parametrize("url", ["/staff/stations/new/", "/staff/workers/new/"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker", 403),
        ("head", 403),
        ("supervisor", 403),
        ("nobody", 403),
        ("reviewer", 200),
        ("other_reviewer", 200),
        ("editor", 200),
        ("other_editor", 200),
        ("superuser", 200),
    ],
)
def test_new_pages_are_for_network_managers(login, personas, url, persona, status):
    assert login(getattr(personas, persona)).get(url).status_code == status


def test_point_delete_refuses_get(login, personas, net):
    response = login(personas.head).get(f"/staff/points/{net.point_a1.pk}/delete/")
    assert response.status_code == 405
    assert ServicePoint.objects.filter(pk=net.point_a1.pk).exists()
