"""role_assign and role_revoke: one audit row per grant or revoke whoever calls,
who may revoke what, what a revoke ends, and the admin writing through both."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from core.models import AuditEntry
from stations import permissions, services
from stations.models import Role, RoleAssignment
from tests import factories
from tests.stations.scope_helpers import _names

IP = "10.20.30.40"
SCOPE_MESSAGE = "请选择且只选择一个范围：市、县（市、区）或社工站。"


def _role_rows():
    return list(
        AuditEntry.objects.filter(action=AuditEntry.Action.ROLE)
        .order_by("pk")
        .values_list("username", "detail", "target_id", "target_label", "ip")
    )


@pytest.fixture
def newbie(db):
    return factories.UserFactory(username="newbie")


# --- Granting ------------------------------------------------------------------------


def test_grant_writes_one_audit_row(personas, net, newbie):
    before = len(_role_rows())
    request = RequestFactory().post("/", REMOTE_ADDR=IP)
    assignment = services.role_assign(
        user=newbie,
        role=Role.SOCIAL_WORKER,
        unit=net.a1,
        by=personas.reviewer,
        request=request,
    )
    rows = _role_rows()[before:]
    assert rows == [
        ("carol", "授予角色", str(assignment.pk), "newbie · 社工 · 东镇社工站", IP)
    ]
    assert assignment.granted_by == personas.reviewer


def test_grant_already_held_writes_no_second_row(personas, net, newbie):
    services.role_assign(
        user=newbie, role=Role.SOCIAL_WORKER, unit=net.a1, by=personas.editor
    )
    before = len(_role_rows())
    services.role_assign(
        user=newbie, role=Role.SOCIAL_WORKER, unit=net.a1, by=personas.editor
    )
    assert len(_role_rows()) == before


@pytest.mark.parametrize(
    "persona", ["worker", "head", "supervisor", "other_reviewer", "other_editor"]
)
def test_roles_without_the_station_cannot_grant_there(personas, net, newbie, persona):
    before = len(_role_rows())
    with pytest.raises(PermissionDenied):
        services.role_assign(
            user=newbie,
            role=Role.SOCIAL_WORKER,
            unit=net.a1,
            by=getattr(personas, persona),
        )
    assert not RoleAssignment.objects.filter(user=newbie).exists()
    assert len(_role_rows()) == before


@pytest.mark.parametrize(
    ("unit_name", "by"),
    [
        ("a1", "superuser"),
        ("a1", "editor"),
        ("a1", "reviewer"),
        ("county_a1", "superuser"),
        ("county_a1", "editor"),
        ("city_a", "superuser"),
    ],
)
def test_who_may_manage_roles_where(personas, net, unit_name, by):
    assert permissions.can_manage_roles_at(
        getattr(personas, by), getattr(net, unit_name)
    )


@pytest.mark.parametrize(
    ("unit_name", "by"),
    [
        ("a2", "reviewer"),  # another county's station
        ("b1", "editor"),  # another city's station
        ("county_a1", "reviewer"),  # county roles: the city's, not the county's
        ("county_b1", "editor"),
        ("city_a", "editor"),  # city editors: the superuser's
        ("a1", "worker"),
        ("a1", "head"),
        ("a1", "supervisor"),
        ("a1", "nobody"),
    ],
)
def test_who_may_not_manage_roles_where(personas, net, unit_name, by):
    assert not permissions.can_manage_roles_at(
        getattr(personas, by), getattr(net, unit_name)
    )


def test_grant_without_a_unit_is_refused_in_chinese(personas, newbie):
    with pytest.raises(ValidationError) as excinfo:
        services.role_assign(
            user=newbie, role=Role.SOCIAL_WORKER, unit=None, by=personas.superuser
        )
    assert excinfo.value.messages == [SCOPE_MESSAGE]
    assert not RoleAssignment.objects.filter(user=newbie).exists()


def test_grant_over_a_town_is_refused_in_chinese(personas, net, newbie):
    # A town is no unit a role can be held over: the same message as none.
    with pytest.raises(ValidationError) as excinfo:
        services.role_assign(
            user=newbie, role=Role.SOCIAL_WORKER, unit=net.a1.town, by=None
        )
    assert excinfo.value.messages == [SCOPE_MESSAGE]
    assert not RoleAssignment.objects.filter(user=newbie).exists()


def test_grant_of_an_unknown_role_is_refused_without_a_blank_message(net, newbie):
    with pytest.raises(ValidationError) as excinfo:
        services.role_assign(user=newbie, role="mayor", unit=net.a1)
    assert excinfo.value.messages
    assert not any("“”" in m or "mayor”只能" in m for m in excinfo.value.messages)
    assert not RoleAssignment.objects.filter(user=newbie).exists()


# --- Revoking ------------------------------------------------------------------------


def _grant_of(user):
    return RoleAssignment.objects.get(user=user)


def test_revoke_deletes_the_grant_and_writes_one_audit_row(personas, net):
    assignment = _grant_of(personas.worker)
    before = len(_role_rows())
    request = RequestFactory().post("/", REMOTE_ADDR=IP)
    assert services.role_revoke(
        assignment=assignment, by=personas.reviewer, request=request
    )
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert _role_rows()[before:] == [
        ("carol", "撤销角色", str(assignment.pk), "alice · 社工 · 东镇社工站", IP)
    ]


def test_revoking_a_grant_already_gone_writes_nothing(personas):
    assignment = _grant_of(personas.worker)
    services.role_revoke(assignment=assignment, by=personas.editor)
    before = len(_role_rows())
    assert services.role_revoke(assignment=assignment, by=personas.editor) is False
    assert len(_role_rows()) == before


@pytest.mark.parametrize(
    "persona", ["worker", "head", "supervisor", "other_reviewer", "other_editor"]
)
def test_roles_without_the_station_cannot_revoke_there(personas, persona):
    assignment = _grant_of(personas.worker)  # social worker of station a1
    before = len(_role_rows())
    with pytest.raises(PermissionDenied):
        services.role_revoke(assignment=assignment, by=getattr(personas, persona))
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert len(_role_rows()) == before


def test_reviewer_cannot_revoke_county_level_roles_of_own_county(personas):
    for holder in (personas.supervisor, personas.reviewer):
        with pytest.raises(PermissionDenied):
            services.role_revoke(assignment=_grant_of(holder), by=personas.reviewer)
    assert RoleAssignment.objects.filter(user=personas.supervisor).exists()
    assert RoleAssignment.objects.filter(user=personas.reviewer).exists()


def test_editor_revokes_county_roles_of_own_city_but_no_editor(personas, net):
    services.role_revoke(
        assignment=_grant_of(personas.other_reviewer), by=personas.editor
    )
    assert not RoleAssignment.objects.filter(user=personas.other_reviewer).exists()
    colleague = factories.UserFactory(username="colleague")
    services.role_assign(user=colleague, role=Role.CITY_EDITOR, unit=net.city_a)
    for editor in (colleague, personas.other_editor):
        with pytest.raises(PermissionDenied):
            services.role_revoke(assignment=_grant_of(editor), by=personas.editor)
    with pytest.raises(PermissionDenied):  # nor their own
        services.role_revoke(assignment=_grant_of(personas.editor), by=personas.editor)
    services.role_revoke(assignment=_grant_of(colleague), by=personas.superuser)
    assert not RoleAssignment.objects.filter(user=colleague).exists()


def test_operator_revokes_without_a_user(personas):
    assignment = _grant_of(personas.head)
    assert services.role_revoke(assignment=assignment, by=None)
    row = AuditEntry.objects.filter(action=AuditEntry.Action.ROLE).latest("pk")
    assert (row.username, row.detail) == ("", "撤销角色")


def test_revoke_ends_the_scope_held_for_the_rest_of_the_request(personas, net):
    worker = personas.worker
    assert _names(permissions.stations_visible_to(worker)) == {str(net.a1)}  # cached
    assignment = worker.role_assignments.get()
    services.role_revoke(assignment=assignment, by=personas.reviewer)
    assert not permissions.stations_visible_to(worker).exists()


def test_revoking_ones_own_role_ends_ones_own_scope_at_once(personas, net):
    reviewer = personas.reviewer
    own = services.role_assign(
        user=reviewer, role=Role.STATION_HEAD, unit=net.a1, by=reviewer
    )
    assert net.a1.pk in permissions.get_scope(reviewer).lead_stations  # cached
    # The row as a list would hold it: its user is another object than ``by``.
    services.role_revoke(assignment=RoleAssignment.objects.get(pk=own.pk), by=reviewer)
    assert net.a1.pk not in permissions.get_scope(reviewer).lead_stations


# --- The admin -----------------------------------------------------------------------


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.superuser)
    return client


@pytest.fixture
def calls(monkeypatch):
    """Counts the admin's calls into the services (the admin looks them up on
    the stations.services package at each call)."""
    counted = {"role_assign": 0, "role_revoke": 0}
    for name in counted:
        real = getattr(services, name)

        def wrapper(*args, _real=real, _name=name, **kwargs):
            counted[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(services, name, wrapper)
    return counted


def _add(client, data):
    return client.post(
        reverse("admin:stations_roleassignment_add"), data, REMOTE_ADDR=IP
    )


def _change(client, assignment, data):
    return client.post(
        reverse("admin:stations_roleassignment_change", args=[assignment.pk]),
        data,
        REMOTE_ADDR=IP,
    )


def test_admin_add_grants_through_the_service(admin_client, personas, net, calls):
    newbie = factories.UserFactory(username="newbie")
    before = len(_role_rows())
    response = _add(
        admin_client,
        {"user": newbie.pk, "role": Role.SOCIAL_WORKER, "station": net.a1.pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=newbie)
    assert (assignment.role, assignment.station, assignment.granted_by) == (
        Role.SOCIAL_WORKER,
        net.a1,
        personas.superuser,
    )
    assert _role_rows()[before:] == [
        ("root", "授予角色", str(assignment.pk), "newbie · 社工 · 东镇社工站", IP)
    ]
    assert calls == {"role_assign": 1, "role_revoke": 0}


def test_admin_change_is_a_revoke_and_a_grant(admin_client, personas, net, calls):
    old = _grant_of(personas.worker)
    before = len(_role_rows())
    response = _change(
        admin_client,
        old,
        {"user": personas.worker.pk, "role": Role.STATION_HEAD, "station": net.a1.pk},
    )
    assert response.status_code == 302
    new = _grant_of(personas.worker)
    assert new.pk != old.pk
    assert (new.role, new.station, new.granted_by) == (
        Role.STATION_HEAD,
        net.a1,
        personas.superuser,
    )
    assert _role_rows()[before:] == [
        ("root", "撤销角色", str(old.pk), "alice · 社工 · 东镇社工站", IP),
        ("root", "授予角色", str(new.pk), "alice · 站长 · 东镇社工站", IP),
    ]
    assert calls == {"role_assign": 1, "role_revoke": 1}


def test_admin_change_saved_unchanged_writes_nothing(
    admin_client, personas, net, calls
):
    old = _grant_of(personas.worker)
    before = len(_role_rows())
    response = _change(
        admin_client,
        old,
        {"user": personas.worker.pk, "role": Role.SOCIAL_WORKER, "station": net.a1.pk},
    )
    assert response.status_code == 302
    assert _grant_of(personas.worker).pk == old.pk
    assert len(_role_rows()) == before
    assert calls == {"role_assign": 0, "role_revoke": 0}


def test_admin_delete_revokes_through_the_service(admin_client, personas, calls):
    assignment = _grant_of(personas.worker)
    before = len(_role_rows())
    response = admin_client.post(
        reverse("admin:stations_roleassignment_delete", args=[assignment.pk]),
        {"post": "yes"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert _role_rows()[before:] == [
        ("root", "撤销角色", str(assignment.pk), "alice · 社工 · 东镇社工站", IP)
    ]
    assert calls == {"role_assign": 0, "role_revoke": 1}


def test_admin_bulk_delete_revokes_each_once(admin_client, personas, calls):
    doomed = list(
        RoleAssignment.objects.filter(user__username__in=["alice", "bob", "carol"])
    )
    assert len(doomed) == 3
    kept = RoleAssignment.objects.exclude(pk__in=[a.pk for a in doomed]).count()
    before = len(_role_rows())
    response = admin_client.post(
        reverse("admin:stations_roleassignment_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in doomed],
            "post": "yes",
        },
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.count() == kept
    rows = _role_rows()[before:]
    assert sorted((r[1], r[2]) for r in rows) == sorted(
        ("撤销角色", str(a.pk)) for a in doomed
    )
    assert calls == {"role_assign": 0, "role_revoke": 3}


def _errors_shown(response) -> str:
    assert response.status_code == 200  # the form again, not a redirect or a 500
    form = response.context["adminform"].form
    return " ".join(form.non_field_errors())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": Role.SOCIAL_WORKER}, SCOPE_MESSAGE),
        (
            {"role": Role.SOCIAL_WORKER, "county": "county_a1", "station": "a1"},
            SCOPE_MESSAGE,
        ),
        (
            {"role": Role.STATION_HEAD, "county": "county_a1"},
            "“站长”只能授权到：社工站。",
        ),
        (
            {"role": Role.CITY_EDITOR, "county": "county_a1"},
            "“市级编辑”只能授权到：市。",
        ),
    ],
)
def test_admin_bad_input_is_one_chinese_message_and_changes_nothing(
    admin_client, net, data, message
):
    newbie = factories.UserFactory(username="newbie")
    post = {"user": newbie.pk}
    for key, value in data.items():
        post[key] = value if key == "role" else getattr(net, value).pk
    before = (RoleAssignment.objects.count(), len(_role_rows()))
    response = _add(admin_client, post)
    shown = _errors_shown(response)
    assert shown == message  # once, and not in a database constraint's words
    assert message.encode() in response.content
    assert (RoleAssignment.objects.count(), len(_role_rows())) == before


def test_admin_add_without_a_role_says_only_that(admin_client, net):
    newbie = factories.UserFactory(username="newbie")
    response = _add(admin_client, {"user": newbie.pk, "station": net.a1.pk})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["role"] == ["这个字段是必填项。"]
    assert not form.non_field_errors()
    assert not RoleAssignment.objects.filter(user=newbie).exists()


def test_admin_duplicate_grant_is_a_chinese_message(admin_client, personas, net):
    before = (RoleAssignment.objects.count(), len(_role_rows()))
    response = _add(
        admin_client,
        {"user": personas.worker.pk, "role": Role.SOCIAL_WORKER, "station": net.a1.pk},
    )
    assert _errors_shown(response) == "该用户已在“东镇社工站”担任“社工”。"
    # A change into another grant the user already holds is refused the same way.
    head = services.role_assign(
        user=personas.worker, role=Role.STATION_HEAD, unit=net.a1
    )
    before = (RoleAssignment.objects.count(), len(_role_rows()))
    response = _change(
        admin_client,
        head,
        {"user": personas.worker.pk, "role": Role.SOCIAL_WORKER, "station": net.a1.pk},
    )
    assert _errors_shown(response) == "该用户已在“东镇社工站”担任“社工”。"
    assert (RoleAssignment.objects.count(), len(_role_rows())) == before


def test_admin_write_failing_late_is_a_message_not_an_error_page(
    admin_client, net, monkeypatch
):
    # The unit deleted between the form's check and the write, say.
    def refuse(**kwargs):
        raise ValidationError("所选社工站已不存在。")

    monkeypatch.setattr(services, "role_assign", refuse)
    newbie = factories.UserFactory(username="newbie")
    before = len(_role_rows())
    response = _add(
        admin_client,
        {"user": newbie.pk, "role": Role.SOCIAL_WORKER, "station": net.a1.pk},
    )
    assert response.status_code == 302
    page = admin_client.get(response["Location"])
    assert "所选社工站已不存在。" in page.content.decode()
    assert not RoleAssignment.objects.filter(user=newbie).exists()
    assert len(_role_rows()) == before


@pytest.fixture
def staff_editor(client, personas):
    """The city editor of 甲市 as admin staff with the model's permissions: the
    admin then refuses what the services would, in Chinese or as not allowed."""
    editor = personas.editor
    editor.is_staff = True
    editor.save()
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="stations", codename__endswith="roleassignment"
        )
    )
    client.force_login(editor)
    return client


def test_admin_refuses_a_grant_outside_the_staffs_scope(staff_editor, net):
    newbie = factories.UserFactory(username="newbie")
    response = _add(
        staff_editor,
        {"user": newbie.pk, "role": Role.SOCIAL_WORKER, "station": net.b1.pk},
    )
    assert _errors_shown(response) == "你无权管理“北镇社工站”的角色。"
    response = _add(
        staff_editor,
        {"user": newbie.pk, "role": Role.CITY_EDITOR, "city": net.city_a.pk},
    )
    assert _errors_shown(response) == "你无权管理“甲市”的角色。"
    assert not RoleAssignment.objects.filter(user=newbie).exists()
    response = _add(
        staff_editor,
        {"user": newbie.pk, "role": Role.SOCIAL_WORKER, "station": net.a1.pk},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=newbie).granted_by.username == "erin"


def test_admin_refuses_moving_a_grant_out_of_another_city(staff_editor, personas, net):
    # bob's grant at 乙市's station b1, moved by 甲市's editor to a station of theirs.
    outsider = services.role_assign(
        user=personas.other_worker, role=Role.SOCIAL_WORKER, unit=net.b1
    )
    before = (RoleAssignment.objects.count(), len(_role_rows()))
    response = _change(
        staff_editor,
        outsider,
        {
            "user": personas.other_worker.pk,
            "role": Role.SOCIAL_WORKER,
            "station": net.a1.pk,
        },
    )
    assert response.status_code == 403
    assert (RoleAssignment.objects.count(), len(_role_rows())) == before


def test_admin_bulk_delete_outside_scope_deletes_nothing(staff_editor, personas, net):
    outsider = services.role_assign(
        user=personas.other_worker, role=Role.SOCIAL_WORKER, unit=net.b1
    )
    selected = [_grant_of(personas.worker).pk, outsider.pk]
    before = (RoleAssignment.objects.count(), len(_role_rows()))
    response = staff_editor.post(
        reverse("admin:stations_roleassignment_changelist"),
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )
    assert response.status_code in (200, 403)  # the "not allowed" page
    assert (RoleAssignment.objects.count(), len(_role_rows())) == before
