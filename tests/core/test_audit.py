"""The audit log is append-only in the application and keeps rows at least 180 days."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEntry, AuditLogImmutable
from stations import services
from stations.models import Role
from tests import factories


@pytest.fixture
def entry(db):
    user = factories.UserFactory(username="auditor")
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    return audit_record(
        actor=user,
        action=AuditEntry.Action.VIEW,
        target=user,
        request=request,
        label="某对象",
        detail="查看",
    )


def test_record_keeps_who_what_and_where(entry):
    entry.refresh_from_db()
    assert entry.username == "auditor"
    assert entry.ip == "10.1.2.3"
    assert entry.target_type == "auth.user"
    assert entry.target_label == "某对象"
    assert entry.at is not None


def test_rows_cannot_be_changed_or_deleted(entry):
    entry.detail = "改过"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="改过")
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.detail == "查看"


def test_prune_never_deletes_rows_younger_than_180_days(entry, settings):
    settings.AUDIT_RETENTION_DAYS = 30  # below the legal minimum: ignored
    now = timezone.now()
    assert AuditEntry.objects.prune(now=now + timedelta(days=179)) == 0
    assert AuditEntry.objects.prune(now=now + timedelta(days=181)) == 1
    assert not AuditEntry.objects.exists()


def test_prune_honours_a_longer_retention(entry, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    now = timezone.now()
    assert AuditEntry.objects.prune(now=now + timedelta(days=200)) == 0
    call_command("prune_audit", stdout=open("/dev/null", "w"))
    assert AuditEntry.objects.count() == 1


def test_admin_offers_no_add_change_or_delete(entry, client, personas):
    client.force_login(personas.superuser)
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    page = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert page.status_code == 200  # the view page, read-only
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_granting_a_role_is_audited(personas, net):
    user = factories.UserFactory(username="newcomer")
    services.role_assign(
        user=user, role=Role.SOCIAL_WORKER, unit=net.a1, by=personas.editor
    )
    row = AuditEntry.objects.get(action=AuditEntry.Action.ROLE, username="erin")
    assert "newcomer" in row.target_label


def test_the_log_names_each_target_as_its_app_registered_it(client, personas, net):
    """Core names no app: each registers its audited models from its ready(),
    and the admin shows and filters rows by their names for people."""
    from core.audit import audit_target_choices, audit_target_label

    services.role_assign(
        user=factories.UserFactory(username="newcomer"),
        role=Role.SOCIAL_WORKER,
        unit=net.a1,
        by=personas.editor,
    )
    registered = dict(audit_target_choices())
    assert registered["beneficiaries.beneficiary"] == "服务对象档案"
    assert registered["stations.roleassignment"] == audit_target_label(
        "stations.roleassignment"
    )
    assert audit_target_label("gone.model") == "gone.model"
    client.force_login(personas.superuser)
    page = client.get("/admin/core/auditentry/").content.decode()
    label = audit_target_label("stations.roleassignment")
    # The row's column and the filter say 角色授权; the type is only in the
    # filter's links.
    assert f'<td class="field-target_kind">{label}</td>' in page
    assert f'?target_type=stations.roleassignment">{label}</a>' in page
    rows = client.get("/admin/core/auditentry/?target_type=stations.roleassignment")
    assert rows.status_code == 200 and "newcomer" in rows.content.decode()
