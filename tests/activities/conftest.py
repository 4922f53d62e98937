"""Report fixtures for the activities tests, built through services."""

import datetime

import pytest

from activities import services
from activities.models import ActivityKind, ActivityReport


@pytest.fixture
def kinds(db):
    return {kind.name: kind for kind in ActivityKind.objects.all()}


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
        if status in ("submitted", "approved", "returned"):
            services.report_submit(report=report, by=by)
        if status == "approved":
            services.report_approve(report=report, by=reviewer)
        if status == "returned":
            services.report_return(report=report, by=reviewer, comment="请补充活动照片")
        report.refresh_from_db()
        return report

    return _make
