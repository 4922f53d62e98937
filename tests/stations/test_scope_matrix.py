"""The scope module (stations/permissions.py): which stations, workers and service
points each persona sees and manages (DESIGN.md §4), and other shapes of scope."""

import pytest
from django.contrib.auth.models import AnonymousUser

from stations import permissions, services
from stations.models import Role
from tests import factories
from tests.stations.scope_helpers import _names

STATIONS = ("a1", "a1b", "a2", "b1")
ALL = set(STATIONS)
NONE = set()

# The matrix, one row per persona: the stations (by net attribute) it sees, the
# ones whose record and workers it manages, and the ones whose points it manages.
MATRIX = {
    #                 visible                  manageable               points manageable
    "worker":         ({"a1"},                 NONE,                    NONE),
    "head":           ({"a1"},                 NONE,                    {"a1"}),
    "other_worker":   ({"a2"},                 NONE,                    NONE),
    "supervisor":     ({"a1", "a1b"},          NONE,                    NONE),
    "reviewer":       ({"a1", "a1b"},          {"a1", "a1b"},           {"a1", "a1b"}),
    "other_reviewer": ({"a2"},                 {"a2"},                  {"a2"}),
    "editor":         ({"a1", "a1b", "a2"},    {"a1", "a1b", "a2"},     {"a1", "a1b", "a2"}),
    "other_editor":   ({"b1"},                 {"b1"},                  {"b1"}),
    "nobody":         (NONE,                   NONE,                    NONE),
    "superuser":      (ALL,                    ALL,                     ALL),
    "anonymous":      (NONE,                   NONE,                    NONE),
}  # fmt: skip

# Each station's worker and service point in the ``net`` fixture.
WORKER_OF = {"a1": "甲一社工", "a1b": "西镇社工", "a2": "甲二社工", "b1": "乙一社工"}
POINT_OF = {"a1": "东村服务点", "a2": "南村服务点"}


def _user(personas, name):
    return AnonymousUser() if name == "anonymous" else getattr(personas, name)


def _station_names(net, keys):
    return {str(getattr(net, key)) for key in keys}


def _workers(keys):
    return {WORKER_OF[key] for key in keys}


def _points(keys):
    return {POINT_OF[key] for key in keys if key in POINT_OF}


@pytest.mark.parametrize("persona", MATRIX)
def test_stations_visible_to_each_role(personas, net, persona):
    visible, _manage, _points_manage = MATRIX[persona]
    user = _user(personas, persona)
    assert _names(permissions.stations_visible_to(user)) == _station_names(net, visible)


@pytest.mark.parametrize("persona", MATRIX)
def test_stations_manageable_by_each_role(personas, net, persona):
    _visible, manage, _points_manage = MATRIX[persona]
    user = _user(personas, persona)
    assert _names(permissions.stations_manageable_by(user)) == _station_names(
        net, manage
    )


@pytest.mark.parametrize("persona", MATRIX)
def test_stations_with_points_manageable_by_each_role(personas, net, persona):
    _visible, _manage, points_manage = MATRIX[persona]
    user = _user(personas, persona)
    assert _names(
        permissions.stations_with_points_manageable_by(user)
    ) == _station_names(net, points_manage)


@pytest.mark.parametrize("persona", MATRIX)
def test_workers_visible_to_each_role(personas, net, persona):
    visible, _manage, _points_manage = MATRIX[persona]
    user = _user(personas, persona)
    assert _names(permissions.workers_visible_to(user)) == _workers(visible)


@pytest.mark.parametrize("persona", MATRIX)
def test_workers_manageable_by_each_role(personas, net, persona):
    _visible, manage, _points_manage = MATRIX[persona]
    user = _user(personas, persona)
    assert _names(permissions.workers_manageable_by(user)) == _workers(manage)


@pytest.mark.parametrize("persona", MATRIX)
def test_points_visible_to_each_role(personas, net, persona):
    visible, _manage, _points_manage = MATRIX[persona]
    user = _user(personas, persona)
    assert _names(permissions.points_visible_to(user)) == _points(visible)


@pytest.mark.parametrize("persona", MATRIX)
def test_points_manageable_by_each_role(personas, net, persona):
    _visible, _manage, points_manage = MATRIX[persona]
    user = _user(personas, persona)
    assert _names(permissions.points_manageable_by(user)) == _points(points_manage)


def test_worker_cannot_see_other_station_worker(personas, net):
    visible = permissions.workers_visible_to(personas.worker)
    assert net.worker_a1 in visible
    assert net.worker_a1b not in visible
    assert net.worker_a2 not in visible


def test_reviewer_cannot_manage_other_county_station(personas, net):
    assert (
        not permissions.stations_manageable_by(personas.reviewer)
        .filter(pk=net.a2.pk)
        .exists()
    )
    assert (
        not permissions.workers_manageable_by(personas.reviewer)
        .filter(pk=net.worker_a2.pk)
        .exists()
    )


def test_station_in_a_new_town_of_the_county_joins_the_reviewers_scope(personas, net):
    new = factories.StationFactory(town__county=net.county_a1, town__name="新镇")
    assert new in permissions.stations_visible_to(personas.reviewer)
    assert new in permissions.stations_manageable_by(personas.reviewer)
    assert new in permissions.stations_visible_to(personas.supervisor)
    assert new not in permissions.stations_visible_to(personas.other_reviewer)


def test_supervisor_assigned_single_station_sees_only_that_station(net):
    user = factories.UserFactory(username="sid")
    services.role_assign(user=user, role=Role.SUPERVISOR, unit=net.a2)
    assert _names(permissions.stations_visible_to(user)) == {str(net.a2)}
    assert _names(permissions.workers_visible_to(user)) == {"甲二社工"}
    assert _names(permissions.points_visible_to(user)) == {"南村服务点"}
    assert not permissions.stations_manageable_by(user).exists()
    assert not permissions.stations_with_points_manageable_by(user).exists()


def test_deputy_head_manages_own_station_points_only(net):
    user = factories.UserFactory(username="dina")
    services.role_assign(user=user, role=Role.DEPUTY_HEAD, unit=net.a2)
    assert _names(permissions.stations_with_points_manageable_by(user)) == {str(net.a2)}
    assert _names(permissions.points_manageable_by(user)) == {"南村服务点"}
    assert not permissions.stations_manageable_by(user).exists()
    assert not permissions.workers_manageable_by(user).exists()


def test_several_roles_add_up(personas, net):
    user = personas.other_reviewer  # county A2
    services.role_assign(user=user, role=Role.SOCIAL_WORKER, unit=net.b1)
    user = type(user).objects.get(pk=user.pk)  # a fresh object: no cached scope
    assert _names(permissions.stations_visible_to(user)) == _station_names(
        net, {"a2", "b1"}
    )
    # Membership of b1 gives no right to manage it.
    assert _names(permissions.stations_manageable_by(user)) == _station_names(
        net, {"a2"}
    )
    assert _names(permissions.workers_visible_to(user)) == {"甲二社工", "乙一社工"}


def test_inactive_user_has_empty_scope(personas, net):
    personas.reviewer.is_active = False
    personas.reviewer.save()
    user = type(personas.reviewer).objects.get(pk=personas.reviewer.pk)
    assert permissions.get_scope(user) == permissions.EMPTY_SCOPE
    assert not permissions.stations_visible_to(user).exists()


def test_worker_without_station_is_visible_only_to_superuser(personas, net):
    factories.SocialWorkerFactory(station=None, real_name="市督导")
    assert "市督导" in _names(permissions.workers_visible_to(personas.superuser))
    assert "市督导" not in _names(permissions.workers_visible_to(personas.reviewer))
    assert "市督导" not in _names(permissions.workers_manageable_by(personas.reviewer))


@pytest.mark.parametrize(
    ("persona", "manages_network", "manages_points", "is_staff_member"),
    [
        ("worker", False, False, True),
        ("head", False, True, True),
        ("supervisor", False, False, True),
        ("reviewer", True, True, True),
        ("editor", True, True, True),
        ("nobody", False, False, False),
        ("superuser", True, True, True),
        ("anonymous", False, False, False),
    ],
)
def test_scope_flags(
    personas, persona, manages_network, manages_points, is_staff_member
):
    scope = permissions.get_scope(_user(personas, persona))
    assert scope.manages_network is manages_network
    assert scope.manages_points is manages_points
    assert scope.is_staff_member is is_staff_member


def test_scope_costs_one_query_and_is_cached_on_the_user(
    personas, django_assert_num_queries
):
    user = type(personas.reviewer).objects.get(pk=personas.reviewer.pk)
    with django_assert_num_queries(1):
        first = permissions.get_scope(user)
        second = permissions.get_scope(user)
    assert first is second


def test_counties_towns_villages_manageable(personas, net):
    village = factories.VillageFactory(town=net.a2.town, name="南村二")
    assert set(permissions.counties_manageable_by(personas.reviewer)) == {net.county_a1}
    assert set(permissions.counties_manageable_by(personas.editor)) == {
        net.county_a1,
        net.county_a2,
    }
    assert not permissions.counties_manageable_by(personas.head).exists()
    # Only the city level edits the divisions' own records.
    assert not permissions.counties_editable_by(personas.reviewer).exists()
    assert set(permissions.counties_editable_by(personas.editor)) == {
        net.county_a1,
        net.county_a2,
    }
    assert set(permissions.towns_manageable_by(personas.reviewer)) == {
        net.a1.town,
        net.a1b.town,
    }
    assert village in permissions.villages_manageable_by(personas.other_reviewer)
    assert village not in permissions.villages_manageable_by(personas.reviewer)
