"""A county's dashboard is kept as a snapshot for those who read all of the
county (stats/snapshots.py): counted again at once when its reports of the
period change, by its age or "重新统计" otherwise, and never shared with a
reader who reads part of it."""

import datetime

from beneficiaries.models import Visit
from beneficiaries.services import files
from tests.stats.helpers import tiles
from tests.stats.test_dashboard_queries import PERIOD, URL

REPORTS = "已通过的活动报告（篇）"
HOME_VISITS = "入户走访（次）"


def test_county_dashboard_is_kept_and_says_when_it_was_counted(
    login, personas, data, django_assert_num_queries
):
    client = login(personas.reviewer)
    first = client.get(URL, PERIOD)
    assert first.context["snapshot"].live
    html = first.content.decode()
    assert "统计于" in html and "重新统计" in html
    assert "报告有变动（填报、提交、审核、退回、修改）时自动重新统计" in html
    # Read back in five queries: session, user, scope, the counties to choose,
    # and the county's reports of the period (the fingerprint), which have
    # not changed.
    with django_assert_num_queries(5):
        kept = client.get(URL, PERIOD)
    assert not kept.context["snapshot"].live
    assert tiles(kept.context["board"]) == tiles(first.context["board"])


def test_a_report_approved_shows_at_once(login, personas, data, file_report):
    client = login(personas.reviewer)
    before = tiles(client.get(URL, PERIOD).context["board"])[REPORTS]
    file_report(
        personas.worker,
        data.r1.station,
        "宣传",
        datetime.date(2023, 3, 9),
        reviewer=personas.reviewer,
    )
    after = client.get(URL, PERIOD)
    assert after.context["snapshot"].live
    assert tiles(after.context["board"])[REPORTS] == str(int(before) + 1)


def test_a_report_sent_back_shows_at_once(login, personas, data):
    from activities.services import report_return

    client = login(personas.reviewer)
    before = tiles(client.get(URL, PERIOD).context["board"])[REPORTS]
    report_return(report=data.r4, by=personas.reviewer, comment="请补充照片")
    # r4 was waiting: the approved figures stay, but the county was counted
    # again (timeliness counts it no more).
    after = client.get(URL, PERIOD)
    assert after.context["snapshot"].live
    assert tiles(after.context["board"])[REPORTS] == before


def test_a_visit_waits_for_the_age_or_count_again(
    login, personas, people_data, settings, monkeypatch
):
    client = login(personas.reviewer)
    before = tiles(client.get(URL, PERIOD).context["board"])[HOME_VISITS]
    files.visit_add(
        beneficiary=people_data.f3,
        by=personas.worker,
        kind=Visit.Kind.HOME,
        date=datetime.date(2023, 2, 20),
    )
    kept = client.get(URL, PERIOD)
    assert not kept.context["snapshot"].live
    assert tiles(kept.context["board"])[HOME_VISITS] == before
    done = client.post(f"{URL}?from=2023-01&to=2023-03", follow=True)
    assert "已重新统计" in done.content.decode()
    assert tiles(done.context["board"])[HOME_VISITS] == str(int(before) + 1)


def test_the_editor_reads_the_reviewers_snapshot(login, personas, data):
    login(personas.reviewer).get(URL, PERIOD)
    unit = {"unit": f"county:{data.r1.county_id}", **PERIOD}
    page = login(personas.editor).get(URL, unit)
    assert not page.context["snapshot"].live


def test_a_supervisor_is_counted_live_and_never_kept(login, personas, data):
    # The supervisor reads the county's station reports only: figures of
    # their own, neither kept nor read from the reviewer's snapshot.
    login(personas.reviewer).get(URL, PERIOD)
    client = login(personas.supervisor)
    page = client.get(URL, PERIOD)
    assert page.context["snapshot"] is None
    assert "统计于" not in page.content.decode()
    # POST does nothing for them but come back.
    response = client.post(f"{URL}?from=2023-01&to=2023-03")
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?from=2023-01&to=2023-03"
