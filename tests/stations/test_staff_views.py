"""The staff pages of the station network (stations/views/staff.py) and the staff
home: who may use each page, that an object out of scope is a 404, what bad input
gets, what the lists show, and how many queries each page costs."""

import datetime
import re

import pytest
from django.utils.html import strip_tags

from stations import quality_services, services
from stations.models import Role, ServicePoint, SocialWorker, Standard, Station
from tests import factories

INVALID_CHOICE = "选择一个有效的选项"
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


def _html(response):
    return response.content.decode()


def _station_post(town, /, **overrides):
    data = {
        "town": town.pk,
        "name": "",
        "address": "新镇大道 1 号",
        "phone": "0766-1234567",
        "opened_on": "2024-03-01",
    }
    data.update(overrides)
    return data


def _worker_post(station, /, **overrides):
    data = {
        "real_name": "新社工",
        "gender": SocialWorker.Gender.FEMALE,
        "station": station.pk,
        "post_type": SocialWorker.PostType.SERVICE,
        "qualification": SocialWorker.Qualification.ASSISTANT,
        "hire_date": "2023-05-01",
        "phone": "13800000000",
        "status": SocialWorker.Status.ACTIVE,
    }
    data.update(overrides)
    return data


def _point_post(village, /, **overrides):
    data = {"name": "新村服务点", "village": village.pk, "address": "", "opened_on": ""}
    data.update(overrides)
    return data


# --- Who gets in ----------------------------------------------------------------------


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


# --- Stations -------------------------------------------------------------------------


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


# --- Service points -------------------------------------------------------------------


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


# --- Workers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "station"), [("reviewer", "a1b"), ("editor", "a2"), ("superuser", "b1")]
)
def test_network_managers_add_worker_in_scope(login, personas, net, persona, station):
    station = getattr(net, station)
    response = login(getattr(personas, persona)).post(
        "/staff/workers/new/", _worker_post(station)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/stations/{station.pk}/"
    worker = SocialWorker.objects.get(real_name="新社工")
    assert worker.station == station
    assert worker.qualification == SocialWorker.Qualification.ASSISTANT


def test_worker_form_offers_only_stations_in_scope(login, personas, net):
    response = login(personas.reviewer).get("/staff/workers/new/")
    assert set(response.context["form"].fields["station"].queryset) == {net.a1, net.a1b}
    html = _html(response)
    assert "甲一区东镇社工站" in html and "甲一区西镇社工站" in html
    assert f'<option value="{net.a2.pk}"' not in html
    assert f'<option value="{net.b1.pk}"' not in html


def test_new_worker_page_preselects_station(login, personas, net):
    response = login(personas.reviewer).get(f"/staff/workers/new/?station={net.a1b.pk}")
    assert f'<option value="{net.a1b.pk}" selected>' in _html(response)


def test_reviewer_cannot_add_worker_to_other_county_station(login, personas, net):
    response = login(personas.reviewer).post(
        "/staff/workers/new/", _worker_post(net.a2)
    )
    assert response.status_code == 200
    assert INVALID_CHOICE in str(response.context["form"].errors["station"])
    assert not SocialWorker.objects.filter(real_name="新社工").exists()


def test_reviewer_cannot_move_worker_out_of_county(login, personas, net):
    response = login(personas.reviewer).post(
        f"/staff/workers/{net.worker_a1.pk}/edit/",
        _worker_post(net.a2, real_name="甲一社工"),
    )
    assert response.status_code == 200
    assert INVALID_CHOICE in str(response.context["form"].errors["station"])
    net.worker_a1.refresh_from_db()
    assert net.worker_a1.station == net.a1
    assert net.worker_a1.phone == ""


def test_reviewer_moves_worker_within_county(login, personas, net):
    response = login(personas.reviewer).post(
        f"/staff/workers/{net.worker_a1.pk}/edit/",
        _worker_post(net.a1b, real_name="甲一社工"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/stations/{net.a1b.pk}/"
    net.worker_a1.refresh_from_db()
    assert net.worker_a1.station == net.a1b
    assert net.worker_a1.phone == "13800000000"


def test_editor_moves_worker_across_counties_of_own_city(login, personas, net):
    response = login(personas.editor).post(
        f"/staff/workers/{net.worker_a1.pk}/edit/",
        _worker_post(net.a2, real_name="甲一社工"),
    )
    assert response.status_code == 302
    net.worker_a1.refresh_from_db()
    assert net.worker_a1.station == net.a2


def test_editor_cannot_move_worker_to_other_city(login, personas, net):
    response = login(personas.editor).post(
        f"/staff/workers/{net.worker_a1.pk}/edit/",
        _worker_post(net.b1, real_name="甲一社工"),
    )
    assert response.status_code == 200
    assert INVALID_CHOICE in str(response.context["form"].errors["station"])
    net.worker_a1.refresh_from_db()
    assert net.worker_a1.station == net.a1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"real_name": "甲一社工"}, "包含 所属社工站 和 姓名 的 社工 已经存在。"),
        ({"phone": "abc!!"}, "电话号码只能包含数字、空格和 + - ( )。"),
        ({"station": ""}, "这个字段是必填项。"),
        ({"gender": "未知"}, INVALID_CHOICE),
        ({"hire_date": "昨天"}, "输入一个有效的日期。"),
    ],
)
def test_bad_worker_input_is_refused_in_chinese(
    login, personas, net, overrides, message
):
    before = SocialWorker.objects.count()
    response = login(personas.reviewer).post(
        "/staff/workers/new/", _worker_post(net.a1, **overrides)
    )
    assert response.status_code == 200
    assert message in _html(response)
    assert SocialWorker.objects.count() == before


# --- Bad input never causes a 500 ----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/staff/workers/?station=²",
        "/staff/workers/?station=99999999999999999999999",
        "/staff/workers/?station=-1",
        "/staff/workers/?page=abc",
        "/staff/workers/?page=-1",
        "/staff/workers/?q=%00",
        "/staff/workers/new/?station=²",
        "/staff/workers/new/?station=99999999999999999999999",
        "/staff/stations/?page=999999",
        "/staff/stations/?q=%00",
        "/staff/stations/?q=" + "镇" * 200,
    ],
)
def test_odd_query_strings_do_not_break_pages(login, personas, url):
    assert login(personas.reviewer).get(url).status_code == 200


def test_empty_post_re_renders_forms(login, personas, net):
    client = login(personas.reviewer)
    for url in [
        "/staff/stations/new/",
        f"/staff/stations/{net.a1.pk}/edit/",
        f"/staff/stations/{net.a1.pk}/points/new/",
        f"/staff/points/{net.point_a1.pk}/edit/",
        "/staff/workers/new/",
        f"/staff/workers/{net.worker_a1.pk}/edit/",
    ]:
        assert client.post(url, {}).status_code == 200, url
    net.point_a1.refresh_from_db()
    assert net.point_a1.name == "东村服务点"


# --- Lists ----------------------------------------------------------------------------


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


# --- Query counts ---------------------------------------------------------------------


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


def test_staff_home_query_count_is_fixed(
    login, personas, net, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 6 = session + user + scope + the role assignments with their units joined +
    # the user's own worker record (for the greeting) + the count of reports
    # waiting for the user's decision (reviewers and editors only).
    with django_assert_num_queries(6):
        client.get("/staff/")
    services.role_assign(user=personas.reviewer, role=Role.SOCIAL_WORKER, unit=net.b1)
    services.role_assign(
        user=personas.reviewer, role=Role.SUPERVISOR, unit=net.county_a2
    )
    services.role_assign(user=personas.reviewer, role=Role.CITY_EDITOR, unit=net.city_b)
    with django_assert_num_queries(6):
        response = client.get("/staff/")
    assert len(response.context["assignments"]) == 4


# --- Staff home -----------------------------------------------------------------------


def _role_lines(html):
    """The "role：scope" lines of the staff home, whitespace collapsed."""
    block = re.search(r'<ul class="roles">(.*?)</ul>', html, re.S)
    if block is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    return [re.sub(r"\s+", "", strip_tags(item)) for item in items]


@pytest.mark.parametrize(
    ("persona", "lines"),
    [
        ("worker", ["社工：甲一区东镇社工站"]),
        ("head", ["站长：甲一区东镇社工站"]),
        ("other_worker", ["社工：甲二县南镇社工站"]),
        ("supervisor", ["社工督导：甲市甲一区"]),
        ("reviewer", ["县区审核员：甲市甲一区"]),
        ("other_reviewer", ["县区审核员：甲市甲二县"]),
        ("editor", ["市级编辑：甲市"]),
        ("other_editor", ["市级编辑：乙市"]),
        ("nobody", []),
        ("superuser", []),
    ],
)
def test_staff_home_greets_with_role_and_scope(login, personas, persona, lines):
    user = getattr(personas, persona)
    response = login(user).get("/staff/")
    assert response.status_code == 200
    html = _html(response)
    assert f"{user.username}，您好" in html
    assert _role_lines(html) == lines


def test_staff_home_tells_superuser_they_manage_everything(login, personas):
    html = _html(login(personas.superuser).get("/staff/"))
    assert "您是系统管理员" in html
    assert "还没有被授予任何角色" not in html
    assert 'href="/staff/import/"' in html


def test_staff_home_greets_worker_by_real_name(login, personas, net):
    worker = net.worker_a1
    worker.user = personas.worker
    services.worker_save(worker=worker, by=personas.superuser)
    html = _html(login(personas.worker).get("/staff/"))
    assert "甲一社工，您好" in html


def test_staff_home_links_by_role(login, personas):
    html = _html(login(personas.worker).get("/staff/"))
    assert 'href="/staff/stations/"' in html and 'href="/staff/workers/"' in html
    assert 'href="/staff/import/"' not in html
    assert "查看本站信息、社工点和督导记录" in html
    html = _html(login(personas.reviewer).get("/staff/"))
    assert 'href="/staff/import/"' in html
    assert "查看和维护社工站、社工点" in html
    assert 'href="/admin/"' not in html


def test_staff_home_lists_every_role_of_a_user(login, personas, net):
    services.role_assign(user=personas.reviewer, role=Role.SUPERVISOR, unit=net.a2)
    html = _html(login(personas.reviewer).get("/staff/"))
    assert _role_lines(html) == ["县区审核员：甲市甲一区", "社工督导：甲二县南镇社工站"]


def test_worker_list_pagination_keeps_the_station_filter(login, personas, net):
    factories.SocialWorkerFactory.create_batch(55, station=net.a1)
    html = (
        login(personas.editor)
        .get(f"/staff/workers/?station={net.a1.pk}")
        .content.decode()
    )
    assert f"?station={net.a1.pk}&amp;page=2" in html
