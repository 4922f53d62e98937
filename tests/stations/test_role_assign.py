"""role_assign: who may grant which role where, at which level, and what it does
to the cached scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stations import permissions, services
from stations.models import Role, RoleAssignment
from tests import factories
from tests.stations.scope_helpers import _names


@pytest.mark.parametrize(
    ("role", "unit_name", "levels"),
    [
        (Role.STATION_HEAD, "county_a1", "社工站"),
        (Role.SOCIAL_WORKER, "city_a", "社工站"),
        (Role.COUNTY_REVIEWER, "a1", "县（市、区）"),
        (Role.CITY_EDITOR, "county_a1", "市"),
    ],
)
def test_role_assign_refuses_role_at_wrong_level(net, role, unit_name, levels):
    user = factories.UserFactory(username="newbie")
    with pytest.raises(ValidationError) as excinfo:
        services.role_assign(user=user, role=role, unit=getattr(net, unit_name))
    assert excinfo.value.messages == [f"“{Role(role).label}”只能授权到：{levels}。"]
    assert not RoleAssignment.objects.filter(user=user).exists()


@pytest.mark.parametrize("granter", ["superuser", "editor"])
def test_station_head_on_a_county_is_refused_in_chinese(personas, net, granter):
    user = factories.UserFactory(username="newbie")
    with pytest.raises(ValidationError) as excinfo:
        services.role_assign(
            user=user,
            role=Role.STATION_HEAD,
            unit=net.county_a1,
            by=getattr(personas, granter),
        )
    assert excinfo.value.messages == ["“站长”只能授权到：社工站。"]
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_role_assign_is_idempotent(personas, net):
    user = factories.UserFactory(username="newbie")
    first = services.role_assign(
        user=user, role=Role.SOCIAL_WORKER, unit=net.a1b, by=personas.reviewer
    )
    second = services.role_assign(
        user=user, role=Role.SOCIAL_WORKER, unit=net.a1b, by=personas.reviewer
    )
    assert first.pk == second.pk
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert first.granted_by == personas.reviewer


def test_reviewer_grants_station_roles_in_own_county(personas, net):
    user = factories.UserFactory(username="newbie")
    services.role_assign(
        user=user, role=Role.STATION_HEAD, unit=net.a1b, by=personas.reviewer
    )
    assert _names(permissions.stations_with_points_manageable_by(user)) == {
        str(net.a1b)
    }


def test_reviewer_cannot_grant_roles_in_other_county(personas, net):
    user = factories.UserFactory(username="newbie")
    with pytest.raises(PermissionDenied):
        services.role_assign(
            user=user, role=Role.SOCIAL_WORKER, unit=net.a2, by=personas.reviewer
        )
    with pytest.raises(PermissionDenied):
        services.role_assign(
            user=user, role=Role.SUPERVISOR, unit=net.county_a2, by=personas.reviewer
        )
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_reviewer_cannot_grant_county_level_roles_even_in_own_county(personas, net):
    user = factories.UserFactory(username="newbie")
    with pytest.raises(PermissionDenied):
        services.role_assign(
            user=user,
            role=Role.COUNTY_REVIEWER,
            unit=net.county_a1,
            by=personas.reviewer,
        )
    # A county role on a station is the wrong level: that is explained, in Chinese.
    with pytest.raises(ValidationError, match="只能授权到"):
        services.role_assign(
            user=user, role=Role.COUNTY_REVIEWER, unit=net.a1, by=personas.reviewer
        )
    assert not RoleAssignment.objects.filter(user=user).exists()


@pytest.mark.parametrize("persona", ["worker", "head", "supervisor", "nobody"])
def test_station_level_roles_cannot_grant_roles(personas, net, persona):
    user = factories.UserFactory(username="newbie")
    with pytest.raises(PermissionDenied):
        services.role_assign(
            user=user,
            role=Role.SOCIAL_WORKER,
            unit=net.a1,
            by=getattr(personas, persona),
        )
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_editor_grants_county_roles_in_own_city_only(personas, net):
    user = factories.UserFactory(username="newbie")
    services.role_assign(
        user=user, role=Role.COUNTY_REVIEWER, unit=net.county_a2, by=personas.editor
    )
    with pytest.raises(PermissionDenied):
        services.role_assign(
            user=user, role=Role.COUNTY_REVIEWER, unit=net.county_b1, by=personas.editor
        )
    with pytest.raises(PermissionDenied):
        services.role_assign(
            user=user, role=Role.CITY_EDITOR, unit=net.city_a, by=personas.editor
        )
    assert list(
        RoleAssignment.objects.filter(user=user).values_list("county__name", flat=True)
    ) == ["甲二县"]


def test_role_assign_refreshes_the_cached_scope(personas, net):
    user = factories.UserFactory(username="newbie")
    assert not permissions.stations_visible_to(user).exists()  # caches the empty scope
    services.role_assign(
        user=user, role=Role.SOCIAL_WORKER, unit=net.a2, by=personas.editor
    )
    assert _names(permissions.stations_visible_to(user)) == {str(net.a2)}
