"""The staff report list: what each role sees, filters, pagination, and its
pinned query counts."""

import re

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from tests.activities.report_view_helpers import D, _grow_reports


def _titles(response):
    return {report.title for report in response.context["page"]}


@pytest.fixture
def spread(net, personas, make_report):
    """One report of each unit a persona may or may not see."""
    return {
        "a1": make_report(personas.worker, net.a1, title="东镇站报告"),
        "a2": make_report(personas.other_worker, net.a2, title="南镇站报告"),
        "county": make_report(personas.reviewer, net.county_a1, title="甲一区局报告"),
        "city": make_report(personas.editor, net.city_a, title="甲市局报告"),
        "b1": make_report(personas.other_editor, net.city_b, title="乙市局报告"),
    }


# --- The list ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "titles"),
    [
        ("worker", {"东镇站报告"}),
        ("head", {"东镇站报告"}),
        ("other_worker", {"南镇站报告"}),
        ("supervisor", {"东镇站报告"}),
        ("reviewer", {"东镇站报告", "甲一区局报告"}),
        ("other_reviewer", {"南镇站报告"}),
        ("editor", {"东镇站报告", "南镇站报告", "甲一区局报告", "甲市局报告"}),
        ("other_editor", {"乙市局报告"}),
        (
            "superuser",
            {"东镇站报告", "南镇站报告", "甲一区局报告", "甲市局报告", "乙市局报告"},
        ),
    ],
)
def test_list_shows_reports_in_scope(login, personas, spread, persona, titles):
    response = login(getattr(personas, persona)).get("/staff/reports/")
    assert response.status_code == 200
    assert _titles(response) == titles


def test_list_refuses_users_without_role(login, personas, client, spread):
    assert login(personas.nobody).get("/staff/reports/").status_code == 403
    client.logout()
    response = client.get("/staff/reports/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_newest_first_with_status_badges(login, personas, net, make_report):
    make_report(personas.worker, net.a1, title="早", start_date=D(2023, 1, 5))
    make_report(
        personas.worker,
        net.a1,
        title="晚",
        start_date=D(2023, 3, 5),
        status="approved",
        reviewer=personas.reviewer,
    )
    response = login(personas.worker).get("/staff/reports/")
    assert [r.title for r in response.context["page"]] == ["晚", "早"]
    html = response.content.decode()
    assert "badge-ok" in html and "已通过" in html and "草稿" in html
    assert "已刊登" not in html


def test_a_published_report_says_so_in_the_list_and_on_its_page(
    login, personas, net, make_report, django_assert_num_queries
):
    """Approval is not the end for its worker: once an issue carries it, the
    report is marked 已刊登 wherever its state shows, at no extra query."""
    from activities.services.reports import report_mark_published

    report = make_report(
        personas.worker, net.a1, status="approved", reviewer=personas.reviewer
    )
    client = login(personas.worker)
    html = client.get("/staff/reports/").content.decode()
    assert "已刊登" not in html
    report_mark_published(reports=[report], at=timezone.now())
    html = client.get("/staff/reports/").content.decode()
    assert "已通过" in html and "已刊登" in html
    assert "已刊登" in client.get(report.get_absolute_url()).content.decode()


def test_list_filters(login, personas, net, make_report, kinds):
    make_report(personas.worker, net.a1, title="一月宣传", start_date=D(2023, 1, 10))
    make_report(
        personas.worker,
        net.a1,
        title="二月走访",
        start_date=D(2023, 2, 10),
        kind=kinds["入户走访"],
        status="submitted",
    )
    make_report(
        personas.superuser, net.a1b, title="西镇活动", start_date=D(2023, 1, 20)
    )
    client = login(personas.reviewer)

    def titles(**params):
        return _titles(client.get("/staff/reports/", params))

    assert titles() == {"一月宣传", "二月走访", "西镇活动"}
    assert titles(status="submitted") == {"二月走访"}
    assert titles(station=net.a1b.pk) == {"西镇活动"}
    assert titles(kind=kinds["入户走访"].pk) == {"二月走访"}
    assert titles(date_from="2023-02-01", date_to="2023-02-28") == {"二月走访"}
    assert titles(date_to="2023-01-15") == {"一月宣传"}


def test_list_date_range_catches_activities_that_overlap_it(
    login, personas, net, make_report
):
    make_report(
        personas.worker,
        net.a1,
        title="跨月",
        start_date=D(2023, 1, 28),
        end_date=D(2023, 2, 2),
    )
    client = login(personas.worker)
    feb = client.get("/staff/reports/", {"date_from": "2023-02-01"})
    assert _titles(feb) == {"跨月"}


@pytest.mark.parametrize(
    "params",
    [
        {"station": "abc"},
        {"station": "99999999999999999999999"},
        {"kind": "-1"},
        {"status": "bogus"},
        {"date_from": "2023-13-45"},
        {"date_from": "2023-03-01", "date_to": "2023-02-01"},
        {"page": "xyz"},
        {"page": "99999"},
        {"station": "\x00"},
    ],
)
def test_list_bad_filters_are_shown_not_crashed(login, personas, spread, params):
    response = login(personas.editor).get("/staff/reports/", params)
    assert response.status_code == 200
    form = response.context["form"]
    if set(params) - {"page"}:
        assert form.errors
        html = response.content.decode()
        assert re.search(r"[\u4e00-\u9fff]", strip_tags(str(form.errors)))
        assert "errorlist" in html


def test_list_paginates_by_30(login, personas, net, make_report):
    for n in range(31):
        make_report(personas.worker, net.a1, title=f"报告{n}")
    client = login(personas.worker)
    assert len(client.get("/staff/reports/").context["page"]) == 30
    assert len(client.get("/staff/reports/", {"page": 2}).context["page"]) == 1


def test_list_offers_filing_and_review_by_role(login, personas):
    worker = login(personas.worker).get("/staff/reports/").content.decode()
    assert "/staff/reports/new/" in worker and "/staff/review/" not in worker
    supervisor = login(personas.supervisor).get("/staff/reports/").content.decode()
    assert "/staff/reports/new/" not in supervisor
    reviewer = login(personas.reviewer).get("/staff/reports/").content.decode()
    assert "/staff/reports/new/" in reviewer and "/staff/review/" in reviewer


# --- Query counts ------------------------------------------------------------------------


def test_report_list_query_count_is_fixed(
    login, personas, net, make_report, spread, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 7 = session + user + scope (role assignments) + the paginator's COUNT + the
    # page of reports with city, county, station, town, kind and author joined +
    # the station filter's options + the kind filter's options.
    with django_assert_num_queries(7):
        response = client.get("/staff/reports/")
    assert len(response.context["page"]) == 2
    _grow_reports(net, personas, make_report, 40)
    with django_assert_num_queries(7):
        response = client.get("/staff/reports/")
    assert len(response.context["page"]) == 30


def test_report_list_query_count_for_a_worker(
    login, personas, net, make_report, django_assert_num_queries
):
    make_report(personas.worker, net.a1)
    client = login(personas.worker)
    # 6: as for the reviewer, without the station filter (a worker sees one station).
    with django_assert_num_queries(6):
        client.get("/staff/reports/")
    for i in range(12):
        make_report(personas.worker, net.a1, title=f"报告{i}")
    with django_assert_num_queries(6):
        response = client.get("/staff/reports/")
    assert len(response.context["page"]) == 13
