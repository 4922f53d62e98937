"""Query counts pinned for the file list, the file page, the overdue list, the
caseload, the case list and the case page, at two sizes of data: the same number
whatever the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Partner
from beneficiaries.services import cases
from beneficiaries.services import files as services

pytestmark = pytest.mark.django_db
D = datetime.date


def _grow(personas, net, make_file, make_case, n, start):
    """n more files at a1, each with two visits, a case with a note and a
    referral, and attendance on one report."""
    women = Partner.objects.get(name="妇联")
    for i in range(start, start + n):
        b = make_file(
            personas.worker,
            net.a1,
            ("困境儿童", "留守儿童"),
            name=f"示例·增{i}",
            opened_on=D(2022, 1, 1),
        )
        for day in (3, 20):
            services.visit_add(
                beneficiary=b, by=personas.worker, kind="home", date=D(2022, 2, day)
            )
        case = make_case(personas.worker, b, title=f"个案{i}")
        cases.case_note_add(case=case, by=personas.worker, text="记录")
        cases.referral_add(case=case, by=personas.worker, partner=women, purpose="转介")


def _count(client, url, method="get"):
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url)
    assert response.status_code == 200
    return len(ctx), response


@pytest.fixture
def small(personas, net, make_file, make_case):
    _grow(personas, net, make_file, make_case, 2, 0)


def _twice(personas, net, make_file, make_case, client, url, expected, method="get"):
    """The count at the small size, then again after ten more files."""
    first, _r = _count(client, url, method)
    _grow(personas, net, make_file, make_case, 10, 100)
    second, response = _count(client, url, method)
    assert (first, second) == (expected, expected)
    return response


def test_file_list_query_count_is_fixed(
    login, personas, net, make_file, make_case, small
):
    client = login(personas.reviewer)
    # 8 = session + user + role assignments (scope) + the pager's count + the
    # page of files with station, town, county and village joined and the
    # latest visit as a subquery + their categories (one prefetch) + the
    # filter's station list and category list (a reviewer sees several
    # stations).
    response = _twice(
        personas, net, make_file, make_case, client, "/staff/beneficiaries/", 8
    )
    assert len(response.context["page"]) == 12


def test_file_page_query_count_is_fixed(
    login, personas, net, make_file, make_case, small, file_a1
):
    client = login(personas.worker)
    url = f"/staff/beneficiaries/{file_a1.pk}/"
    for day in (1, 2):
        services.visit_add(
            beneficiary=file_a1, by=personas.worker, kind="home", date=D(2023, 3, day)
        )
    # 12 = session + user + scope + the file with station, place, village and
    # creator joined + the audit row (the view) + categories + visits with
    # their workers + cases with their workers + transfers with both
    # stations + attendance with its reports + the visit form's worker list +
    # the user's own worker record (the form's default worker).
    first, _r = _count(client, url)
    for day in range(3, 13):
        services.visit_add(
            beneficiary=file_a1, by=personas.worker, kind="phone", date=D(2023, 3, day)
        )
    second, response = _count(client, url)
    assert (first, second) == (12, 12)
    assert len(response.context["visits"]) == 12


def test_overdue_list_query_count_is_fixed(
    login, personas, net, make_file, make_case, small
):
    client = login(personas.head)
    # 6 = session + user + scope + the visit periods in use + the pager's count
    # + the page of overdue files (latest visit and shortest period as
    # subqueries, station and village joined). A head sees one station: no
    # station filter list.
    response = _twice(
        personas, net, make_file, make_case, client, "/staff/beneficiaries/overdue/", 6
    )
    assert len(response.context["page"]) == 12


def test_caseload_query_count_is_fixed(
    login, personas, net, make_file, make_case, small
):
    client = login(personas.editor)
    # 7 = session + user + scope + the pager's count + the station filter's
    # list + the page of workers with their station and both counts as
    # subqueries + their active cases with the beneficiary joined (one
    # prefetch).
    response = _twice(
        personas, net, make_file, make_case, client, "/staff/cases/caseload/", 7
    )
    loads = {w.real_name: len(w.active_cases) for w in response.context["page"]}
    assert loads[net.worker_a1.real_name] == 12


def test_case_list_query_count_is_fixed(
    login, personas, net, make_file, make_case, small
):
    client = login(personas.supervisor)
    # 6 = session + user + scope + the pager's count + the station filter's
    # list + the page of cases with beneficiary, station, town, county and
    # worker joined.
    _twice(personas, net, make_file, make_case, client, "/staff/cases/", 6)


def test_case_page_query_count_is_fixed(login, personas, net, case_a1):
    client = login(personas.worker)
    url = f"/staff/cases/{case_a1.pk}/"
    first, _r = _count(client, url)
    for i in range(8):
        cases.case_note_add(case=case_a1, by=personas.worker, text=f"记录{i}")
        cases.referral_add(
            case=case_a1, by=personas.worker, partner_other=f"单位{i}", purpose="转介"
        )
    second, response = _count(client, url)
    # 9 = session + user + scope + the case with beneficiary, station, place,
    # worker and opener joined + the audit row (the view) + notes + referrals
    # with their partners + the note form's "corrects" list + the referral
    # form's partner list.
    assert (first, second) == (9, 9)
    assert len(response.context["notes"]) == 8
