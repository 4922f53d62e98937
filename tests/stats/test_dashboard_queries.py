"""The dashboard runs the same number of queries whatever the number of
reports, villages, workers and trainings (pinned at two sizes of data)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection

from activities import services
from activities.models import BeneficiaryCategory
from beneficiaries.models import Beneficiary, Case
from beneficiaries.services import attendance, cases, files
from core.idcard import make_id_number
from tests import factories
from tests.activities.training_helpers import _session, _training
from tests.report_fixtures import at
from tests.stats.helpers import tiles

D = datetime.date
URL = "/staff/stats/"
PERIOD = {"from": "2023-01", "to": "2023-03"}


def _grow(net, personas, village_set, file_report, n):
    """n more approved reports of station a1, with villages, late and on time,
    each attended by a new file that is visited and has a case; more villages,
    workers and a training with attendance."""
    for i in range(n):
        village = factories.VillageFactory(town=net.a1.town, name=f"新{i}村")
        report = file_report(
            personas.worker,
            net.a1,
            "宣传",
            D(2023, 1 + i % 3, 1 + i % 27),
            submitted=at(2023, 1 + i % 3, 28) if i % 2 else at(2023, 4, 10),
            reviewer=personas.reviewer,
            reached=[village, village_set["东村"]],
            person_times=10 + i,
            households=i,
            persons=i,
        )
        person = files.beneficiary_create(
            beneficiary=Beneficiary(
                name=f"示例·新{i}",
                gender="女",
                id_number=make_id_number("445302", D(2012, 3, 4), 2 * i + 300),
                opened_on=D(2023, 1, 2),
            ),
            station=net.a1,
            by=personas.worker,
            categories=BeneficiaryCategory.objects.filter(name="困境儿童"),
        )
        files.visit_add(
            beneficiary=person, by=personas.worker, kind="home", date=D(2023, 2, 2)
        )
        attendance.attendance_set(
            report=report, beneficiaries=[person], by=personas.worker
        )
        cases.case_open(
            case=Case(beneficiary=person, title=f"个案{i}", worker=net.worker_a1),
            by=personas.worker,
        )
        worker = factories.SocialWorkerFactory(station=net.a1b, real_name=f"新社工{i}")
        training = _training(personas.editor, net.city_a, title=f"培训{i}")
        session = _session(training, personas.editor, D(2023, 2, 1 + i % 27), 2)
        services.training_attendance_set(
            session=session, workers=[worker, net.worker_a1], by=personas.editor
        )


@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # 23 = session + user + scope (role assignments) + the counties the
        # user may choose (one query; a county reviewer chooses no city) + the
        # unit's stations with points, active workers and latest six-standard
        # check (correlated subqueries, one query)
        # + reports: the sums by month and kind + the kinds' names + the sums
        #   by station + the villages of the unit with whether reached
        # + timeliness: received and on-time reports by station and month + the
        #   late reports
        # + training totals + training by station + workers by post and
        #   qualification
        # + people: the categories + files by category + distinct files in all
        #   + attendance totals + attendance by station + the visit periods in
        #   use + files by station (active, overdue, never visited) + visits
        #   by station and kind + cases by station and status
        # + the county's reports of the period, how many and when the latest
        #   changed (its snapshot's fingerprint; none kept yet: counted).
        ("reviewer", 24),
        # 25 = the reviewer's less the fingerprint (a city's snapshot is
        # counted again by its age only) + the cities the editor may choose +
        # the city's counties for the breakdown rows (the sums are by county).
        ("editor", 25),
        # 21 = as the reviewer's, with the member's stations in place of the
        # counties to choose, and no sums by station (reports, attendance):
        # one station has no breakdown; counted live, so no fingerprint.
        ("worker", 21),
    ],
)
def test_dashboard_query_count_is_fixed(
    login,
    personas,
    net,
    people_data,
    network_data,
    village_set,
    file_report,
    django_assert_num_queries,
    persona,
    queries,
):
    client = login(getattr(personas, persona))
    if persona == "editor" and connection.vendor == "postgresql":
        # A city is counted for its snapshot in a transaction that raises
        # work_mem (snapshots.COUNT_WORK_MEM): its savepoint, SET and release.
        queries += 3
    with django_assert_num_queries(queries):
        response = client.get(URL, PERIOD)
    before = tiles(response.context["board"])
    _grow(net, personas, village_set, file_report, 12)
    # The city's dashboard is a snapshot (stats/snapshots.py): drop
    # it, as its maximum age would, so that it is counted again. (The
    # county's is counted again anyway: its reports changed.)
    if persona == "editor":
        cache.clear()
    with django_assert_num_queries(queries):
        response = client.get(URL, PERIOD)
    after = tiles(response.context["board"])
    for name in ("已通过的活动报告（篇）", "不重复服务对象（人）", "入户走访（次）"):
        assert int(after[name]) == int(before[name]) + 12, name


def test_export_query_count_is_fixed(
    login,
    personas,
    net,
    people_data,
    network_data,
    village_set,
    file_report,
    django_assert_num_queries,
):
    client = login(personas.reviewer)
    # 24 = the dashboard's 23 (the late list unabridged, still one query) + the
    # audit row of the export.
    with django_assert_num_queries(24):
        client.get(URL + "export.xlsx", PERIOD)
    _grow(net, personas, village_set, file_report, 12)
    with django_assert_num_queries(24):
        client.get(URL + "export.xlsx", PERIOD)
