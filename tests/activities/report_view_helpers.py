"""Helpers shared by the staff report page tests."""

import datetime

from activities.models import Project

D = datetime.date


def _project(station, title):
    # No service files projects yet (the projects pages are another helper's);
    # the row is reference data for these tests.
    return Project.objects.create(
        title=title,
        funder="团市委公益创投",
        station=station,
        start_date=D(2023, 1, 1),
        end_date=D(2023, 12, 31),
    )


def _grow_reports(net, personas, make_report, n, status="draft"):
    # Half at a1 by its worker, half at a1b by the superuser (who files anywhere).
    for i in range(n):
        by, unit = (personas.worker, net.a1) if i % 2 else (personas.superuser, net.a1b)
        make_report(by, unit, title=f"增加的报告{i}", status=status)
