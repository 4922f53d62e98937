"""Attendance of beneficiaries at reported activities: recorded by the
reporting station from its own active files, and shown on the report page as
the persons computed from attendance."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from beneficiaries.models import Attendance
from beneficiaries.services import attendance
from beneficiaries.services import files as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas, net, make_report):
    return make_report(personas.worker, net.a1, persons=5)


def test_record_attendance_through_the_page(login, personas, net, report, make_file):
    files = [make_file(personas.worker, net.a1, name=f"示例·参加{i}") for i in range(3)]
    client = login(personas.head)
    page = client.get(f"/staff/reports/{report.pk}/attendance/").content.decode()
    assert all(f.name in page for f in files)
    response = client.post(
        f"/staff/reports/{report.pk}/attendance/",
        {"beneficiaries": [f.pk for f in files[:2]]},
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(report=report).count() == 2
    page = client.get(f"/staff/reports/{report.pk}/")
    # The beneficiaries app's panel on the report page (activities.panels).
    [(template, panel)] = page.context["panels"]
    assert template == "beneficiaries/staff/_report_attendance.html"
    assert panel["attendance"] == {"persons": 2} and panel["can_record"]
    html = page.content.decode()
    assert "按参与记录计算：2 名建档服务对象参加（服务人数 2 人）" in html
    # Unticking one removes it.
    client.post(
        f"/staff/reports/{report.pk}/attendance/", {"beneficiaries": [files[0].pk]}
    )
    assert list(
        Attendance.objects.filter(report=report).values_list("beneficiary", flat=True)
    ) == [files[0].pk]


def test_report_page_invites_the_station_to_record(login, personas, report):
    html = login(personas.worker).get(f"/staff/reports/{report.pk}/").content.decode()
    assert f"/staff/reports/{report.pk}/attendance/" in html
    html = login(personas.reviewer).get(f"/staff/reports/{report.pk}/").content.decode()
    assert "/attendance/" not in html


def test_files_of_another_station_cannot_attend(login, personas, report, file_a2):
    response = login(personas.worker).post(
        f"/staff/reports/{report.pk}/attendance/", {"beneficiaries": [file_a2.pk]}
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()
    with pytest.raises(ValidationError):
        attendance.attendance_set(
            report=report, beneficiaries=[file_a2], by=personas.worker
        )


def test_closed_files_are_not_offered_nor_added(personas, report, file_a1):
    services.beneficiary_set_status(
        beneficiary=file_a1, status="closed", reason="已成年", by=personas.worker
    )
    file_a1.refresh_from_db()
    with pytest.raises(ValidationError):
        attendance.attendance_set(
            report=report, beneficiaries=[file_a1], by=personas.worker
        )


def test_only_station_reports_take_attendance(personas, net, make_report, file_a1):
    county_report = make_report(personas.reviewer, net.county_a1)
    with pytest.raises(PermissionDenied):
        attendance.attendance_set(
            report=county_report, beneficiaries=[file_a1], by=personas.worker
        )
    with pytest.raises(PermissionDenied):
        attendance.attendance_set(
            report=county_report, beneficiaries=[], by=personas.reviewer
        )
