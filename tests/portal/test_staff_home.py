"""The staff home as a to-do list for each role (/staff/): each role sees its own
lists, each item links to where it is dealt with, each list shows its total and
its oldest items first, nothing crosses a station's or a county's bounds, and
the page costs the same number of queries with one item of each kind as with
ten."""

import datetime
import re

import pytest
from django.utils import timezone

from activities import services as report_services
from core.todo import TODO_LIMIT
from newsletter import services as newsletter_services
from newsletter.models import Issue, PrivacyFinding, Publication
from stations import services as station_services
from stations.models import Role
from stations.models.quality import Standard
from stations.services import quality
from tests import factories
from tests.beneficiaries.conftest import (  # noqa: F401
    categories,
    make_case,
    make_file,
)
from tests.report_fixtures import at
from tests.stations.staff_helpers import _html

TODAY = timezone.localdate()


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def _section(html, heading_id):
    """The HTML of the to-do list whose heading has ``heading_id``."""
    match = re.search(
        rf'<section class="todo-list[^"]*" aria-labelledby="{heading_id}">(.*?)</section>',
        html,
        re.S,
    )
    return match.group(1) if match else None


def _count(section):
    return int(re.search(r'class="todo-count[^"]*">(\d+)<', section).group(1))


def _links(section):
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', section)


@pytest.fixture
def publication(net):
    # Set up once by an administrator in the admin: no service to go through.
    return Publication.objects.create(
        name="甲市民政简报", slug="jia", city=net.city_a, bureau="甲市民政局"
    )


@pytest.fixture
def own_worker(personas, net):
    """The worker persona is the station's worker 甲一社工, who carries cases."""
    worker = net.worker_a1
    worker.user = personas.worker
    station_services.worker_save(worker=worker, by=personas.superuser)
    return worker


def _fill(n, *, net, personas, make_report, make_file, make_case, publication, tag):  # noqa: F811
    """``n`` items of every kind on the home pages of a1's worker and head, A1's
    reviewer and supervisor and city A's editor."""
    w, reviewer = personas.worker, personas.reviewer
    for i in range(n):
        make_report(
            w, net.a1, status="returned", reviewer=reviewer, title=f"{tag}退回{i}"
        )
        make_report(w, net.a1, title=f"{tag}草稿{i}")
        make_report(w, net.a1, status="submitted", title=f"{tag}待审{i}")
        make_report(
            w, net.a1, status="approved", reviewer=reviewer, title=f"{tag}通过{i}"
        )
        beneficiary = make_file(w, net.a1, name=f"示例·{tag}{i}", opened_on=ago(200))
        make_case(w, beneficiary, title=f"{tag}个案{i}", opened_on=ago(100))
        quality.supervision_visit_record(
            station=net.a1,
            by=personas.supervisor,
            visited_on=ago(20),
            supervisors=[personas.supervisor],
            follow_ups=[{"description": f"{tag}整改{i}", "due_on": ago(i % 3)}],
        )
        station = factories.StationFactory(
            town__county=net.county_a1, town__name=f"{tag}镇{i}"
        )
        quality.standards_check_record(
            station=station,
            by=personas.supervisor,
            checked_on=ago(30 + i),
            note="",
            items={"premises": {"met": True}}
            | {value: {"met": False} for value in Standard.values[1:]},
        )
        newsletter_services.issue_create(publication=publication, by=personas.editor)
        imported = Issue.objects.create(
            publication=publication,
            year=2020,
            number=100 + i + (0 if tag == "甲" else 50),
            status=Issue.Status.DRAFT,
            source=Issue.Source.IMPORTED,
            source_name=f"{tag}{i}.docx",
        )
        PrivacyFinding.objects.create(
            issue=imported,
            where="body",
            place="第1段",
            kind="phone",
            masked="138****5678",
            value_hash=f"{tag}{i}",
        )


@pytest.fixture
def fill(net, personas, make_report, make_file, make_case, publication, own_worker):  # noqa: F811
    def _run(n, tag="甲"):
        _fill(
            n,
            net=net,
            personas=personas,
            make_report=make_report,
            make_file=make_file,
            make_case=make_case,
            publication=publication,
            tag=tag,
        )

    return _run


# --- What each role sees ------------------------------------------------------


def test_worker_sees_returned_reports_with_comment_oldest_first(
    login, personas, net, make_report
):
    first = make_report(
        personas.worker, net.a1, status="returned", reviewer=personas.reviewer
    )
    second = make_report(
        personas.worker,
        net.a1,
        status="returned",
        reviewer=personas.reviewer,
        title="第二篇退回",
    )
    html = _html(login(personas.worker).get("/staff/"))
    section = _section(html, "todo-returned")
    assert _count(section) == 2
    assert [href for href, _t in _links(section)] == [
        f"/staff/reports/{first.pk}/",
        f"/staff/reports/{second.pk}/",
    ]
    assert "审核意见：请补充活动照片" in section
    assert 'href="/staff/reports/?status=returned"' in section


def test_worker_sees_drafts_overdue_files_follow_ups_and_quiet_cases(
    login, personas, net, fill, settings
):
    settings.CASE_QUIET_DAYS = 30
    fill(2)
    response = login(personas.worker).get("/staff/")
    # It names the people the station serves: never kept by a browser or proxy.
    assert "no-store" in response["Cache-Control"]
    html = _html(response)
    drafts = _section(html, "todo-drafts")
    assert [t for _h, t in _links(drafts)] == ["甲草稿0", "甲草稿1"]
    overdue = _section(html, "todo-overdue")
    assert _count(overdue) == 2 and "示例·甲0" in overdue
    assert 'href="/staff/beneficiaries/overdue/"' in overdue
    follow_ups = _section(html, "todo-station-follow-ups")
    # The earliest deadline first: 整改1 was due yesterday, 整改0 today.
    assert [t for _h, t in _links(follow_ups)] == ["甲整改1", "甲整改0"]
    assert f'href="/staff/stations/{net.a1.pk}/"' in follow_ups
    assert "已逾期" in follow_ups
    cases = _section(html, "todo-cases")
    assert _count(cases) == 2 and "超过 30 天没有记录的个案" in html
    assert re.search(r'href="/staff/cases/\d+/">甲个案0<', cases)
    # A worker is no station head: no late-report list.
    assert _section(html, "todo-late") is None


def test_case_with_a_recent_note_is_not_quiet(login, personas, net, fill, settings):
    from beneficiaries.models import Case
    from beneficiaries.services import cases

    fill(1)
    case = Case.objects.get(title="甲个案0")
    cases.case_note_add(
        case=case, by=personas.worker, text="入户了解近况。", date=ago(2)
    )
    html = _html(login(personas.worker).get("/staff/"))
    assert _count(_section(html, "todo-cases")) == 0
    settings.CASE_QUIET_DAYS = 1
    html = _html(login(personas.worker).get("/staff/"))
    assert _count(_section(html, "todo-cases")) == 1


def test_worker_sees_only_own_reports_head_sees_the_station(
    login, personas, net, make_report
):
    make_report(personas.head, net.a1, title="站长的草稿")
    make_report(personas.worker, net.a1, title="社工的草稿")
    worker_html = _html(login(personas.worker).get("/staff/"))
    assert [t for _h, t in _links(_section(worker_html, "todo-drafts"))] == [
        "社工的草稿"
    ]
    head_html = _html(login(personas.head).get("/staff/"))
    assert [t for _h, t in _links(_section(head_html, "todo-drafts"))] == [
        "站长的草稿",
        "社工的草稿",
    ]


def test_head_sees_late_monthly_reports(login, personas, net, make_report, clock):
    # A report for last month, submitted the day after its due day (the 5th of
    # this month).
    last_month = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    late = make_report(
        personas.worker, net.a1, start_date=last_month, title="迟报的报告"
    )
    with clock(at(TODAY.year, TODAY.month, 6, 23)):
        report_services.report_submit(report=late, by=personas.worker)
    html = _html(login(personas.head).get("/staff/"))
    section = _section(html, "todo-late")
    if TODAY.day <= 5:
        # Last month is not due yet: nothing of it can be late.
        assert "迟报的报告" not in section
    else:
        assert f'href="/staff/reports/{late.pk}/"' in section
        assert "迟 1 天" in section
    # The months before had no reports at all: they are short.
    assert "个月报告数不足" in section
    assert f"unit=station:{net.a1.pk}" in section
    # The worker's home has no such list.
    assert _section(_html(login(personas.worker).get("/staff/")), "todo-late") is None


def test_reviewer_sees_waiting_reports_with_age_and_resubmission(
    login, personas, net, make_report
):
    fresh = make_report(personas.worker, net.a1, status="submitted", title="新提交")
    again = make_report(
        personas.worker,
        net.a1,
        status="returned",
        reviewer=personas.reviewer,
        title="再次提交的报告",
    )
    report_services.report_submit(report=again, by=personas.worker)
    html = _html(login(personas.reviewer).get("/staff/"))
    section = _section(html, "todo-waiting")
    assert _count(section) == 2
    # Oldest submission first: the fresh one was submitted before the other's
    # second submission.
    hrefs = [href for href, _t in _links(section)]
    assert hrefs == [
        f"/staff/reports/{fresh.pk}/",
        f"/staff/reports/{again.pk}/#changes-title",
    ]
    assert section.count("再次提交</span>") == 1
    assert "今天提交" in section
    assert 'href="/staff/review/"' in section


def test_supervisor_sees_follow_ups_due_and_stations_below_standards(
    login, personas, net
):
    quality.supervision_visit_record(
        station=net.a1,
        by=personas.supervisor,
        visited_on=ago(20),
        supervisors=[personas.supervisor],
        follow_ups=[
            {"description": "逾期整改", "due_on": ago(3)},
            {"description": "即将到期", "due_on": TODAY + datetime.timedelta(days=2)},
            {"description": "远期整改", "due_on": TODAY + datetime.timedelta(days=60)},
        ],
    )
    quality.standards_check_record(
        station=net.a1,
        by=personas.supervisor,
        checked_on=ago(10),
        note="",
        items={value: {"met": value != "rules"} for value in Standard.values},
    )
    html = _html(login(personas.supervisor).get("/staff/"))
    follow_ups = _section(html, "todo-follow-ups")
    assert [t for _h, t in _links(follow_ups)] == ["逾期整改", "即将到期"]
    standards = _section(html, "todo-standards")
    # a1b was never checked: it comes first; a1 met five of six.
    assert [h for h, _t in _links(standards)] == [
        f"/staff/stations/{net.a1b.pk}/",
        f"/staff/stations/{net.a1.pk}/",
    ]
    assert "达标 5/6" in standards and "尚未检查" in standards
    # A supervisor files no reports and keeps no station's files.
    assert _section(html, "todo-drafts") is None
    assert _section(html, "todo-overdue") is None


def test_editor_sees_approved_reports_drafts_findings_and_imports(
    login, personas, net, fill
):
    fill(2)
    html = _html(login(personas.editor).get("/staff/"))
    approved = _section(html, "todo-approved")
    assert [t for _h, t in _links(approved)] == ["甲通过0", "甲通过1"]
    assert 'href="/staff/issues/assemble/"' in approved
    drafts = _section(html, "todo-issue-drafts")
    assert _count(drafts) == 2
    assert re.search(r'href="/staff/issues/\d+/"', drafts)
    findings = _section(html, "todo-findings")
    assert _count(findings) == 2 and "138****5678" in findings
    imported = _section(html, "todo-imported")
    assert _count(imported) == 2 and "甲0.docx" in imported


def test_report_in_a_draft_is_no_longer_waiting_for_an_issue(
    login, personas, net, make_report, publication
):
    make_report(personas.worker, net.a1, status="approved", reviewer=personas.reviewer)
    newsletter_services.issue_assemble(publication=publication, by=personas.editor)
    html = _html(login(personas.editor).get("/staff/"))
    assert _count(_section(html, "todo-approved")) == 0


def test_lists_show_a_bounded_number_with_the_total(login, personas, fill):
    fill(TODO_LIMIT + 2)
    html = _html(login(personas.worker).get("/staff/"))
    drafts = _section(html, "todo-drafts")
    assert len(_links(drafts)) == TODO_LIMIT
    assert _count(drafts) == TODO_LIMIT + 2
    assert f"查看全部 {TODO_LIMIT + 2} 篇" in drafts


# --- Scope ----------------------------------------------------------------------


def test_worker_of_another_station_sees_nothing_of_a1(login, personas, fill):
    fill(2)
    html = _html(login(personas.other_worker).get("/staff/"))
    for heading in ("todo-returned", "todo-drafts", "todo-overdue", "todo-cases"):
        assert _count(_section(html, heading)) == 0
    assert _count(_section(html, "todo-station-follow-ups")) == 0
    for text in ("甲退回", "甲草稿", "示例·甲", "甲个案", "甲整改", "甲待审"):
        assert text not in html


def test_reviewer_of_another_county_sees_nothing_of_a1(login, personas, fill):
    fill(2)
    html = _html(login(personas.other_reviewer).get("/staff/"))
    assert _count(_section(html, "todo-waiting")) == 0
    assert "甲待审" not in html and "甲退回" not in html


def test_editor_of_another_city_sees_nothing_of_city_a(login, personas, fill):
    fill(2)
    html = _html(login(personas.other_editor).get("/staff/"))
    for heading in ("todo-approved", "todo-issue-drafts", "todo-findings"):
        assert _count(_section(html, heading)) == 0
    assert "甲通过" not in html


def test_user_without_a_role_sees_no_lists(login, personas):
    html = _html(login(personas.nobody).get("/staff/"))
    assert "todo-list" not in html
    assert "还没有被授予任何角色" in html


def test_staff_home_requires_login(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- What the page costs ----------------------------------------------------------

# Queries of every home: session, user, scope, role assignments with their
# units, the user's worker record (the greeting), the latest background jobs.
BASE = 6
# A station member: returned and draft reports (one each, the total a window
# over the rows), overdue files (the categories' visit periods, then the rows),
# the station's follow-ups, the quiet cases.
MEMBER = 2 + 2 + 1 + 1
# A station head besides: the stations, the timeliness grid, the late reports.
HEAD = 3
QUERIES = {
    "worker": BASE + MEMBER,
    "head": BASE + MEMBER + HEAD,
    # Returned and draft reports of the county bureau, the review queue.
    "reviewer": BASE + 2 + 1,
    # Follow-ups due and stations below the six standards.
    "supervisor": BASE + 2,
    # Returned and draft reports of the city bureau, the review queue, then
    # approved reports in no issue, draft issues, findings, imported drafts.
    "editor": BASE + 2 + 1 + 4,
}


@pytest.mark.parametrize("persona", sorted(QUERIES))
def test_query_count_does_not_grow_with_the_lists(
    login, personas, fill, persona, django_assert_num_queries
):
    client = login(getattr(personas, persona))
    fill(1)
    with django_assert_num_queries(QUERIES[persona]):
        small = client.get("/staff/")
    fill(9, tag="乙")
    with django_assert_num_queries(QUERIES[persona]):
        large = client.get("/staff/")
    assert small.status_code == large.status_code == 200
    # The second size really is larger: some list grew.
    assert _html(large) != _html(small)


def test_home_of_every_role_lists_its_sections(login, personas):
    expected = {
        "worker": {"todo-station"},
        "head": {"todo-station"},
        "reviewer": {"todo-review", "todo-own-reports"},
        "supervisor": {"todo-supervision"},
        "editor": {"todo-editor", "todo-review", "todo-own-reports"},
    }
    for persona, sections in expected.items():
        html = _html(login(getattr(personas, persona)).get("/staff/"))
        found = set(
            re.findall(r'<section class="todo-section" aria-labelledby="([^"]+)"', html)
        )
        assert found == sections, persona


def test_a_head_who_also_supervises_sees_both(login, personas, net):
    station_services.role_assign(
        user=personas.head, role=Role.SUPERVISOR, unit=net.county_a2
    )
    html = _html(login(personas.head).get("/staff/"))
    assert _section(html, "todo-late") is not None
    assert _section(html, "todo-standards") is not None
