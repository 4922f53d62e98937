"""The staff worker pages: who adds and moves a worker where, and what bad input
gets."""

import pytest

from stations.models import SocialWorker
from tests.stations.staff_helpers import INVALID_CHOICE, _html


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
