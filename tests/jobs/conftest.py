"""Fixtures of the background-job tests."""

from pathlib import Path

import pytest

from stations import jobs
from stations.models import Job
from tests.jobs import runners


@pytest.fixture
def plug(monkeypatch):
    """plug(kind, "villages"|"refuse"): run jobs of ``kind`` with a test runner
    from tests/jobs/runners.py."""
    runners.CALLS.clear()
    runners.SEEN.clear()

    def _plug(kind=Job.Kind.NETWORK_IMPORT, name="villages"):
        monkeypatch.setitem(jobs.RUNNERS, kind, f"tests.jobs.runners.{name}")

    return _plug


@pytest.fixture
def start(personas):
    """start(by=editor, **kwargs): a job started through job_start (and, in the
    tests' sync mode, already run)."""

    def _start(by=None, kind=Job.Kind.NETWORK_IMPORT, title="测试任务", **kwargs):
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
