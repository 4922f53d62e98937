"""The scoped lookups of stations/permissions.py: an object out of scope is a 404,
and writing needs the right role."""

import pytest
from django.http import Http404

from stations import permissions


def test_get_station_for_user_out_of_scope_is_404(personas, net):
    assert permissions.get_station_for_user(personas.worker, net.a1.pk) == net.a1
    with pytest.raises(Http404):
        permissions.get_station_for_user(personas.worker, net.a2.pk)
    with pytest.raises(Http404):
        permissions.get_station_for_user(personas.supervisor, net.a1.pk, write=True)
    assert (
        permissions.get_station_for_user(personas.reviewer, net.a1.pk, write=True)
        == net.a1
    )


def test_get_point_for_user_write_allows_head_not_worker(personas, net):
    assert (
        permissions.get_point_for_user(personas.head, net.point_a1.pk, write=True)
        == net.point_a1
    )
    assert (
        permissions.get_point_for_user(personas.worker, net.point_a1.pk) == net.point_a1
    )
    with pytest.raises(Http404):
        permissions.get_point_for_user(personas.worker, net.point_a1.pk, write=True)
    with pytest.raises(Http404):
        permissions.get_point_for_user(personas.head, net.point_a2.pk)


def test_get_worker_for_user_write_needs_network_role(personas, net):
    assert (
        permissions.get_worker_for_user(personas.head, net.worker_a1.pk)
        == net.worker_a1
    )
    with pytest.raises(Http404):
        permissions.get_worker_for_user(personas.head, net.worker_a1.pk, write=True)
    with pytest.raises(Http404):
        permissions.get_worker_for_user(
            personas.other_reviewer, net.worker_a1.pk, write=True
        )
    assert (
        permissions.get_worker_for_user(personas.editor, net.worker_a2.pk, write=True)
        == net.worker_a2
    )
