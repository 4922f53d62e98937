"""Fixtures of the background-job tests."""

from dataclasses import replace
from pathlib import Path

import pytest

from core import jobs
from core.jobs import registry
from stations.jobs import NETWORK_IMPORT
from tests.jobs import runners


@pytest.fixture
def plug(monkeypatch):
    """plug(kind, "villages"|"refuse"): run jobs of ``kind`` with a test runner
    from tests/jobs/runners.py."""
    runners.CALLS.clear()
    runners.SEEN.clear()

    def _plug(kind=NETWORK_IMPORT, name="villages"):
        # The kind as its app registered it, run by the test runner instead.
        registered = registry.get_kind(kind)
        monkeypatch.setitem(
            registry._KINDS, kind, replace(registered, runner=getattr(runners, name))
        )

    return _plug


@pytest.fixture
def start(personas):
    """start(by=editor, **kwargs): a job started through job_start (and, in the
    tests' sync mode, already run)."""

    def _start(by=None, kind=NETWORK_IMPORT, title="测试任务", **kwargs):
        return jobs.job_start(
            kind=kind, by=by or personas.editor, title=title, **kwargs
        )

    return _start


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run this folder's transactional tests after every other test. Each ends
    by flushing every table, the rows the data migrations seeded (activity kinds,
    categories) included, and a later transactional test elsewhere that relies
    on those rows would find them gone."""
    here = Path(__file__).parent

    def flushes(item):
        marker = item.get_closest_marker("django_db")
        return (
            marker is not None
            and marker.kwargs.get("transaction")
            and here in Path(item.path).parents
        )

    last = [item for item in items if flushes(item)]
    if last:
        items[:] = [item for item in items if not flushes(item)] + last
