"""Fixtures that make reports, for every test folder (registered in
tests/conftest.py): the activity kinds the reports need, ``make_report`` for a
report moved to a status through the services (``move_report``), and
``file_report`` with ``clock`` for a report submitted at a given moment (the
statistics and the figures for writing count when reports came in)."""

import datetime
from contextlib import contextmanager

import pytest
from django.utils import timezone

from activities import services
from activities.models import ActivityKind, ActivityReport
from activities.reference_lists import reference_lists_seed


@pytest.fixture
def kinds(db):
    # A transactional test that ran before this one in the same process has
    # flushed the lists the migrations seeded: put them back first.
    reference_lists_seed()
    return {kind.name: kind for kind in ActivityKind.objects.all()}


def move_report(report, status, *, by, reviewer, comment):
    """Move a draft ``report`` to ``status`` through the services: submitted by
    ``by`` (its author), then approved by ``reviewer`` or returned by them with
    ``comment``; a draft stays as it is."""
    if status in ("submitted", "approved", "returned"):
        services.report_submit(report=report, by=by)
    if status == "approved":
        services.report_approve(report=report, by=reviewer)
    elif status == "returned":
        services.report_return(report=report, by=reviewer, comment=comment)


@pytest.fixture
def make_report(kinds):
    """make_report(by, unit, status="draft", **fields) -> ActivityReport, moved to
    ``status`` through the services (a reviewer of the unit is needed for
    approved/returned: pass ``reviewer=``)."""

    def _make(by, unit, status="draft", reviewer=None, **fields):
        data = {
            "title": "开展关爱困境儿童活动",
            "start_date": datetime.date(2023, 2, 25),
            "kind": kinds["宣传"],
            "body": "为加强对下一代的关心、关爱，社工站开展活动。",
            "person_times": 21,
        }
        data.update(fields)
        report = services.report_create(report=ActivityReport(**data), unit=unit, by=by)
        move_report(report, status, by=by, reviewer=reviewer, comment="请补充活动照片")
        report.refresh_from_db()
        return report

    return _make


def at(year, month, day, hour=10, minute=0):
    """An aware moment in the project's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.fixture
def clock(monkeypatch):
    """``with clock(moment):`` makes ``timezone.now()`` return ``moment``, so a
    report submitted through the services carries that submission time."""

    @contextmanager
    def _at(moment):
        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", lambda: moment)
            yield

    return _at


@pytest.fixture
def file_report(kinds, clock):
    """file_report(by, unit, kind, start, status="approved", submitted=moment,
    reviewer=user, reached=[villages], **fields): a report through the services,
    submitted (and approved or returned) at ``submitted``."""

    def _file(
        by,
        unit,
        kind,
        start,
        status="approved",
        *,
        submitted=None,
        reviewer=None,
        reached=(),
        **fields,
    ):
        report = services.report_create(
            report=ActivityReport(
                title=fields.pop("title", f"{kind}活动"),
                start_date=start,
                kind=kinds[kind],
                body=fields.pop("body", "社工站开展活动。"),
                **fields,
            ),
            unit=unit,
            by=by,
            villages_reached=reached,
        )
        if status == "draft":
            return report
        with clock(submitted or at(start.year, start.month, start.day)):
            move_report(report, status, by=by, reviewer=reviewer, comment="请补充")
        report.refresh_from_db()
        return report

    return _file
