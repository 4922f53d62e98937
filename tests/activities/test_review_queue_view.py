"""The review queue: who may use it, what waits oldest first, its filters and
its pinned query count."""

import datetime

import pytest
from django.utils import timezone

from activities.models import ActivityReport
from tests.activities.report_view_helpers import D, _grow_reports

# --- The review queue ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker", 403),
        ("head", 403),
        ("supervisor", 403),
        ("reviewer", 200),
        ("other_reviewer", 200),
        ("editor", 200),
        ("other_editor", 200),
        ("nobody", 403),
        ("superuser", 200),
    ],
)
def test_review_queue_by_role(login, personas, persona, status):
    assert login(getattr(personas, persona)).get("/staff/review/").status_code == status


@pytest.fixture
def waiting(net, personas, make_report, kinds):
    """Submitted reports of several units, submitted one after another."""
    made = {}
    for key, by, unit, kind in [
        ("a1_old", personas.worker, net.a1, kinds["宣传"]),
        ("county", personas.reviewer, net.county_a1, kinds["会议"]),
        ("a1b", personas.superuser, net.a1b, kinds["入户走访"]),
        ("a2", personas.other_worker, net.a2, kinds["宣传"]),
        ("a1_new", personas.worker, net.a1, kinds["宣传"]),
    ]:
        made[key] = make_report(
            by, unit, status="submitted", title=key, kind=kind, start_date=D(2023, 2, 1)
        )
    make_report(personas.worker, net.a1, title="draft")
    make_report(
        personas.worker,
        net.a1,
        title="done",
        status="approved",
        reviewer=personas.editor,
    )
    # Spread the submissions over days so that "waited" differs.
    now = timezone.now()
    for days, key in enumerate(reversed(list(made))):
        ActivityReport.objects.filter(pk=made[key].pk).update(
            submitted_at=now - datetime.timedelta(days=days, hours=1)
        )
    return made


def test_review_queue_lists_what_waits_oldest_first(login, personas, waiting):
    reviewer = login(personas.reviewer).get("/staff/review/")
    # A county reviewer decides the county's station reports, not its own bureau's.
    assert [r.title for r in reviewer.context["page"]] == ["a1_old", "a1b", "a1_new"]
    html = reviewer.content.decode()
    assert "4\xa0日" in html  # how long the oldest has waited
    assert "超过 3 天" in html
    editor = login(personas.editor).get("/staff/review/")
    assert [r.title for r in editor.context["page"]] == [
        "a1_old",
        "county",
        "a1b",
        "a2",
        "a1_new",
    ]
    other = login(personas.other_reviewer).get("/staff/review/")
    assert [r.title for r in other.context["page"]] == ["a2"]
    assert (
        list(login(personas.other_editor).get("/staff/review/").context["page"]) == []
    )


def test_review_queue_filters(login, personas, net, kinds, waiting):
    client = login(personas.editor)

    def titles(**params):
        return [r.title for r in client.get("/staff/review/", params).context["page"]]

    assert titles(station=net.a1.pk) == ["a1_old", "a1_new"]
    assert titles(kind=kinds["会议"].pk) == ["county"]
    assert titles(date_from="2023-03-01") == []
    assert titles(date_from="2023-02-01", date_to="2023-02-01") == [
        "a1_old",
        "county",
        "a1b",
        "a2",
        "a1_new",
    ]
    # The queue holds submitted reports whatever "status" says.
    assert titles(status="approved") == titles()
    bad = client.get("/staff/review/", {"station": "x", "date_to": "2023-02-31"})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"station", "date_to"}


# --- Query counts ------------------------------------------------------------------------


def test_review_queue_query_count_is_fixed(
    login, personas, net, make_report, waiting, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 7 = session + user + scope + the paginator's COUNT + the page of submitted
    # reports with their units, kind and author joined + the station filter's
    # options + the kind filter's options.
    with django_assert_num_queries(7):
        response = client.get("/staff/review/")
    assert len(response.context["page"]) == 3
    _grow_reports(net, personas, make_report, 40, status="submitted")
    with django_assert_num_queries(7):
        response = client.get("/staff/review/")
    assert len(response.context["page"]) == 30
