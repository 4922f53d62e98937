"""Six-standard checks, supervision visits and follow-ups: who may record them,
what bad input gets, and what the station pages then show."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from stations.models import FollowUpItem, Standard, StandardsCheck, SupervisionVisit


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("room.png", buffer.getvalue(), content_type="image/png")


def _check_post(**overrides):
    data = {"checked_on": "2023-02-20", "note": "第一季度"}
    for value in Standard.values:
        data[f"{value}_met"] = "on"
        data[f"{value}_note"] = ""
    data.update(overrides)
    return data


def _visit_post(supervisor=None, **overrides):
    data = {
        "visited_on": "2023-03-02",
        "other_participants": "县民政局副局长",
        "findings": "设备不全",
        "requirements": "完善设备设施",
        "follow_up_1": "配齐办公设备",
        "follow_up_1_due": "2023-04-30",
    }
    if supervisor is not None:
        data["supervisors"] = [supervisor.pk]
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["supervisor", "reviewer", "editor", "superuser"])
def test_allowed_roles_record_a_standards_check(login, personas, net, persona):
    client = login(getattr(personas, persona))
    data = _check_post(equipment_met="", equipment_note="电脑不足")
    data["premises_photo"] = _png()
    response = client.post(f"/staff/stations/{net.a1.pk}/standards/new/", data)
    assert response.status_code == 302
    check = StandardsCheck.objects.get(station=net.a1)
    items = {item.standard: item for item in check.items.all()}
    assert len(items) == 6
    assert items["equipment"].met is False and items["equipment"].note == "电脑不足"
    assert items["premises"].evidence_photo.name.endswith(".png")
    assert check.checked_by == getattr(personas, persona)


@pytest.mark.parametrize(
    "persona", ["worker", "head", "other_reviewer", "other_editor"]
)
def test_other_roles_get_404_on_standards_check(login, personas, net, persona):
    client = login(getattr(personas, persona))
    assert client.get(f"/staff/stations/{net.a1.pk}/standards/new/").status_code == 404
    response = client.post(f"/staff/stations/{net.a1.pk}/standards/new/", _check_post())
    assert response.status_code == 404
    assert not StandardsCheck.objects.exists()


def test_nobody_gets_403_and_anonymous_goes_to_login(client, personas, net):
    url = f"/staff/stations/{net.a1.pk}/standards/new/"
    assert client.get(url).status_code == 302
    client.force_login(personas.nobody)
    assert client.get(url).status_code == 403


def test_bad_standards_input_is_refused_in_chinese(login, personas, net):
    client = login(personas.reviewer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    not_an_image = SimpleUploadedFile(
        "x.png", b"not an image", content_type="image/png"
    )
    response = client.post(
        f"/staff/stations/{net.a1.pk}/standards/new/",
        _check_post(checked_on=tomorrow.isoformat(), rules_photo=not_an_image),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "检查日期不能晚于今天" in html
    assert "请上传一张有效的图片" in html
    assert not StandardsCheck.objects.exists()


def test_supervisor_records_a_visit_with_follow_ups(login, personas, net):
    client = login(personas.supervisor)
    response = client.post(
        f"/staff/stations/{net.a1.pk}/visits/new/", _visit_post(personas.supervisor)
    )
    assert response.status_code == 302
    visit = SupervisionVisit.objects.get(station=net.a1)
    assert list(visit.supervisors.all()) == [personas.supervisor]
    item = visit.follow_ups.get()
    assert item.description == "配齐办公设备" and item.due_on == datetime.date(
        2023, 4, 30
    )
    page = client.get(f"/staff/stations/{net.a1.pk}/").content.decode()
    assert "配齐办公设备" in page
    assert "已逾期" in page  # due 2023-04-30, still open


def test_visit_form_offers_only_supervisors_of_the_county(login, personas, net):
    html = (
        login(personas.reviewer)
        .get(f"/staff/stations/{net.a1.pk}/visits/new/")
        .content.decode()
    )
    assert f'value="{personas.supervisor.pk}"' in html
    assert f'value="{personas.reviewer.pk}"' not in html


def test_bad_visit_input_is_refused(login, personas, net):
    client = login(personas.reviewer)
    response = client.post(
        f"/staff/stations/{net.a1.pk}/visits/new/",
        _visit_post(other_participants="", follow_up_1_due="", visited_on="2023-13-45"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写完成期限" in html
    assert "输入一个有效的日期" in html
    assert not SupervisionVisit.objects.exists()


def test_follow_up_is_closed_by_scope_only(login, personas, net):
    visit_response = login(personas.supervisor).post(
        f"/staff/stations/{net.a1.pk}/visits/new/", _visit_post(personas.supervisor)
    )
    assert visit_response.status_code == 302
    item = FollowUpItem.objects.get()
    assert (
        login(personas.other_reviewer)
        .post(f"/staff/follow-ups/{item.pk}/done/")
        .status_code
        == 404
    )
    item.refresh_from_db()
    assert item.status == FollowUpItem.Status.OPEN
    response = login(personas.reviewer).post(f"/staff/follow-ups/{item.pk}/done/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert (
        item.status == FollowUpItem.Status.DONE and item.done_on == timezone.localdate()
    )
    assert not item.is_overdue


def test_public_page_shows_latest_check_only(client, login, personas, net):
    reviewer = login(personas.reviewer)
    reviewer.post(
        f"/staff/stations/{net.a1.pk}/standards/new/",
        _check_post(checked_on="2023-01-01", rules_met=""),
    )
    reviewer.post(
        f"/staff/stations/{net.a1.pk}/standards/new/",
        _check_post(checked_on="2023-06-01"),
    )
    client.logout()
    html = client.get(f"/stations/{net.a1.pk}/").content.decode()
    assert "达标 6/6 项" in html
