"""Projects and reports built through the services, shared by the project test
modules."""

import datetime

from activities import services
from activities.models import ActivityReport, Project
from tests.report_fixtures import move_report


def _html(response):
    return response.content.decode()


def _project(by, station, **fields):
    data = {
        "title": "“青春同行，向阳而生”关爱重点青少年群体服务项目",
        "funder": "团市委公益创投",
        "station": station,
        "start_date": datetime.date(2022, 10, 1),
        "end_date": datetime.date(2023, 9, 30),
        "target_activities": 10,
        "target_person_times": 2000,
        "target_cases": 4,
    }
    data.update(fields)
    return services.project_create(project=Project(**data), by=by)


def _report(by, unit, kinds, *, status="approved", reviewer=None, reached=(), **f):
    """A report through the services, with the villages it reached."""
    data = {
        "title": "开展禁毒宣传活动",
        "start_date": datetime.date(2023, 2, 25),
        "kind": kinds["宣传"],
        "body": "社工站到各村开展宣传。",
    }
    data.update(f)
    report = services.report_create(
        report=ActivityReport(**data), unit=unit, by=by, villages_reached=reached
    )
    move_report(report, status, by=by, reviewer=reviewer, comment="请补充")
    report.refresh_from_db()
    return report
