"""Every workflow transition, role change and sensitive view lands in the audit
log with user, time and address. Publication, corrections and
overrides are covered in tests/newsletter (test_publishing, test_corrections,
test_privacy); beneficiary views in tests/beneficiaries."""

import pytest
from django.urls import reverse

from activities.models import Status
from core.models import AuditEntry
from stations.models import Role, RoleAssignment
from tests import factories

IP = "10.20.30.40"


def _rows(target):
    return list(
        AuditEntry.objects.filter(
            target_type=target._meta.label_lower, target_id=str(target.pk)
        )
        .order_by("at", "pk")
        .values_list("action", "username", "ip", "detail", "reason")
    )


def test_report_round_trip_is_audited_with_user_time_and_address(
    login, personas, report_at
):
    report = report_at("station", "draft")
    worker = login(personas.worker)
    worker.post(
        reverse("activities_staff:report_submit", args=[report.pk]), REMOTE_ADDR=IP
    )
    reviewer = login(personas.reviewer)
    reviewer.post(
        reverse("activities_staff:report_return", args=[report.pk]),
        {"comment": "请补充照片"},
        REMOTE_ADDR=IP,
    )
    worker = login(personas.worker)
    worker.post(
        reverse("activities_staff:report_submit", args=[report.pk]), REMOTE_ADDR=IP
    )
    reviewer = login(personas.reviewer)
    reviewer.post(
        reverse("activities_staff:report_approve", args=[report.pk]), REMOTE_ADDR=IP
    )
    reviewer.post(
        reverse("activities_staff:report_withdraw", args=[report.pk]),
        {"comment": "数字有误"},
        REMOTE_ADDR=IP,
    )
    report.refresh_from_db()
    assert report.status == Status.RETURNED

    rows = _rows(report)
    # Created by the fixture (no request: no address), then five steps over HTTP.
    assert [r[0] for r in rows] == ["create"] + ["transition"] * 5
    assert [r[1] for r in rows] == [
        "alice",
        "alice",
        "carol",
        "alice",
        "carol",
        "carol",
    ]
    assert all(r[2] == IP for r in rows[1:])
    assert [r[3].split(":")[0] for r in rows[1:]] == [
        "submit",
        "return",
        "submit",
        "approve",
        "withdraw",
    ]
    assert rows[2][4] == "请补充照片"
    assert rows[5][4] == "数字有误"
    assert all(
        e.at is not None
        for e in AuditEntry.objects.filter(target_id=str(report.pk), ip=IP)
    )


def test_a_refused_transition_writes_no_audit_row(login, personas, report_at):
    report = report_at("station", "draft")
    before = AuditEntry.objects.count()
    # The reviewer cannot approve a draft; another station's worker gets 404.
    login(personas.reviewer).post(
        reverse("activities_staff:report_approve", args=[report.pk])
    )
    login(personas.other_worker).post(
        reverse("activities_staff:report_submit", args=[report.pk])
    )
    assert AuditEntry.objects.count() == before


def test_role_changes_in_the_admin_are_audited(client, personas, net):
    client.force_login(personas.superuser)
    newcomer = factories.UserFactory(username="newcomer")
    response = client.post(
        reverse("admin:stations_roleassignment_add"),
        {"user": newcomer.pk, "role": Role.SOCIAL_WORKER, "station": net.a1.pk},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = RoleAssignment.objects.get(user=newcomer)
    response = client.post(
        reverse("admin:stations_roleassignment_change", args=[assignment.pk]),
        {"user": newcomer.pk, "role": Role.STATION_HEAD, "station": net.a1.pk},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    # A change ends the old grant and makes a new one (stations/admin.py says why).
    head = RoleAssignment.objects.get(user=newcomer)
    response = client.post(
        reverse("admin:stations_roleassignment_delete", args=[head.pk]),
        {"post": "yes"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=newcomer).exists()
    rows = _rows(assignment) + _rows(head)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("role", "root", IP, "授予角色"),
        ("role", "root", IP, "撤销角色"),
        ("role", "root", IP, "授予角色"),
        ("role", "root", IP, "撤销角色"),
    ]
    labels = AuditEntry.objects.filter(
        target_type="stations.roleassignment",
        target_id__in=[str(assignment.pk), str(head.pk)],
    ).values_list("target_label", flat=True)
    assert all("newcomer" in label for label in labels)


def test_bulk_role_deletion_in_the_admin_is_audited(client, personas):
    client.force_login(personas.superuser)
    doomed = list(RoleAssignment.objects.filter(user__username__in=["alice", "bob"]))
    assert len(doomed) == 2
    response = client.post(
        reverse("admin:stations_roleassignment_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in doomed],
            "post": "yes",
        },
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    for assignment in doomed:
        assert [r[3] for r in _rows(assignment)][-1] == "撤销角色"


def test_beneficiary_file_views_are_audited_with_the_address(login, personas, file_a1):
    client = login(personas.worker)
    url = reverse("beneficiaries_staff:beneficiary", args=[file_a1.pk])
    assert client.get(url, REMOTE_ADDR=IP).status_code == 200
    full = reverse("beneficiaries_staff:beneficiary_full", args=[file_a1.pk])
    assert client.post(full, REMOTE_ADDR=IP).status_code == 200
    rows = _rows(file_a1)
    assert [(r[0], r[1], r[2]) for r in rows[-2:]] == [
        ("view", "alice", IP),
        ("view_full", "alice", IP),
    ]
    # Nothing that identifies the person in full lands in the log.
    for entry in AuditEntry.objects.filter(target_id=str(file_a1.pk)):
        for text in (entry.target_label, entry.detail, entry.reason):
            assert file_a1.id_number not in text
            assert file_a1.phone not in text


@pytest.mark.parametrize("persona", ["editor", "reviewer", "worker"])
def test_no_role_can_reach_the_audit_log_to_change_it(login, personas, persona):
    client = login(getattr(personas, persona))
    assert client.get("/admin/core/auditentry/").status_code == 302
