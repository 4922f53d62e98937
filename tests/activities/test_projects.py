"""Funded projects (activities/trainings.py and its pages): the seed's 公益创投
project, progress computed from linked reports (8 of 14 villages = 57%), the
quotable mid-term sentence, linking reports, who may use each page, bad input,
and query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import services, trainings
from activities.models import ActivityReport, Project
from stations.models import Role, Village
from stations.services import role_assign
from tests import factories

ROLE_PERSONAS = [
    "worker",
    "head",
    "other_worker",
    "supervisor",
    "reviewer",
    "other_reviewer",
    "editor",
    "other_editor",
    "superuser",
]
READERS = {"worker", "head", "supervisor", "reviewer", "editor", "superuser"}
MANAGERS = {"head", "reviewer", "editor", "superuser"}
SEED_SENTENCE = (
    "东镇14条行政村中目前完成了8条行政村的覆盖，覆盖率达57%；"
    "开展活动5场，服务1057人次，开展个案2个。"
)


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
    return trainings.project_create(project=Project(**data), by=by)


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
    if status in ("submitted", "approved", "returned"):
        services.report_submit(report=report, by=by)
    if status == "approved":
        services.report_approve(report=report, by=reviewer)
    if status == "returned":
        services.report_return(report=report, by=reviewer, comment="请补充")
    report.refresh_from_db()
    return report


@pytest.fixture
def villages(net):
    """Fourteen villages in station a1's town (its service point's village is the
    first), and one in the neighbouring town."""
    town = net.a1.town
    for n in range(13):
        factories.VillageFactory(town=town, name=f"东{n:02d}村")
    own = list(Village.objects.filter(town=town).order_by("pk"))
    assert len(own) == 14
    return own, factories.VillageFactory(town=net.a1b.town, name="西镇外村")


@pytest.fixture
def seed_project(net, personas, kinds, villages):
    """The seed's project: five counted activities reaching 8 of the town's 14
    villages, 1057 person-times, 2 cases; plus reports that must not count."""
    own, outside = villages
    worker, reviewer = personas.worker, personas.reviewer
    project = _project(personas.head, net.a1)
    reports = [
        _report(
            worker,
            net.a1,
            kinds,
            reviewer=reviewer,
            person_times=952,
            reached=own[0:5],
            village=own[0],
            town=net.a1.town,
        ),
        _report(
            worker,
            net.a1,
            kinds,
            reviewer=reviewer,
            kind=kinds["个案"],
            person_times=2,
            village=own[5],
            town=net.a1.town,
        ),
        _report(
            worker,
            net.a1,
            kinds,
            status="submitted",
            kind=kinds["个案"],
            person_times=3,
            reached=[own[6], own[7], outside],
        ),
        _report(
            worker,
            net.a1,
            kinds,
            status="submitted",
            kind=kinds["社区活动"],
            person_times=100,
            reached=own[1:3],
        ),
        _report(worker, net.a1, kinds, reviewer=reviewer, kind=kinds["慰问"]),
        # Not counted: still a draft, or returned for changes.
        _report(
            worker, net.a1, kinds, status="draft", person_times=500, reached=own[8:12]
        ),
        _report(
            worker,
            net.a1,
            kinds,
            status="returned",
            reviewer=reviewer,
            kind=kinds["个案"],
            person_times=40,
            reached=own[12:14],
        ),
    ]
    for report in reports:
        trainings.project_link_report(project=project, report=report, by=personas.head)
    return project, reports


def _progress(project):
    return trainings.project_progress(
        trainings.projects_with_place().get(pk=project.pk)
    )


# --- Progress ----------------------------------------------------------------------


def test_seed_project_progress(seed_project):
    project, _reports = seed_project
    progress = _progress(project)
    assert (progress.villages.value, progress.villages.target) == (8, 14)
    assert progress.villages.percent == 57
    assert progress.town_target
    assert (progress.activities.value, progress.activities.approved) == (5, 3)
    assert (progress.activities.target, progress.activities.percent) == (10, 50)
    assert (progress.person_times.value, progress.person_times.approved) == (1057, 954)
    assert progress.person_times.percent == 53  # 1057 / 2000 = 52.85
    assert (progress.cases.value, progress.cases.approved) == (2, 1)
    assert progress.cases.percent == 50
    assert progress.villages.approved == 6  # the approved reports reached 6
    assert len(progress.villages_covered) == 8
    assert "西镇外村" not in progress.villages_covered


def test_seed_project_mid_term_sentence(seed_project):
    project, _reports = seed_project
    assert _progress(project).summary() == SEED_SENTENCE


def test_explicit_village_target_counts_every_village_reached(seed_project, personas):
    project, _reports = seed_project
    project.target_villages = 14
    trainings.project_update(project=project, by=personas.head)
    progress = _progress(project)
    # A funder's own target is not tied to the town: the village of the
    # neighbouring town that a report reached counts too.
    assert not progress.town_target
    assert (progress.villages.value, progress.villages.percent) == (9, 64)
    assert progress.summary().startswith(
        "项目计划覆盖14条行政村，目前完成了9条行政村的覆盖，覆盖率达64%；"
    )


def test_percent_rounds_halves_up_and_needs_a_target():
    assert trainings.percent(8, 14) == 57
    assert trainings.percent(1, 8) == 13  # 12.5
    assert trainings.percent(0, 14) == 0
    assert trainings.percent(15, 14) == 107
    assert trainings.percent(3, None) is None
    assert trainings.percent(3, 0) is None


def test_project_without_reports_has_zero_progress(net, personas, villages):
    project = _project(personas.head, net.a1, target_activities=None)
    progress = _progress(project)
    assert (progress.villages.value, progress.villages.target) == (0, 14)
    assert progress.villages.percent == 0
    assert progress.activities.percent is None
    assert progress.summary() == (
        "东镇14条行政村中目前完成了0条行政村的覆盖，覆盖率达0%；"
        "开展活动0场，服务0人次，开展个案0个。"
    )


def test_a_town_with_communities_says_villages_and_communities(net, personas, villages):
    own, _outside = villages
    factories.VillageFactory(town=net.a1.town, kind=Village.Kind.COMMUNITY)
    project = _project(personas.head, net.a1)
    assert (
        _progress(project)
        .summary()
        .startswith("东镇15个村（居）中目前完成了0个村（居）的覆盖")
    )


def test_progress_of_many_projects_is_computed_together(seed_project, net, personas):
    project, _reports = seed_project
    other = _project(personas.reviewer, net.a1b, target_villages=3)
    projects = list(
        trainings.projects_with_place().filter(pk__in=[project.pk, other.pk])
    )
    progress = trainings.projects_progress(projects)
    assert progress[project.pk].villages.value == 8
    assert progress[other.pk].villages.value == 0
    assert progress[other.pk].villages.target == 3


# --- Linking reports ----------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("head", True),
        ("reviewer", True),
        ("editor", True),
        ("superuser", True),
        ("worker", False),
        ("supervisor", False),
        ("other_reviewer", False),
        ("other_editor", False),
    ],
)
def test_who_may_link_a_report(net, personas, kinds, persona, allowed):
    project = _project(personas.head, net.a1)
    report = _report(personas.worker, net.a1, kinds, status="draft")
    by = getattr(personas, persona)
    if allowed:
        trainings.project_link_report(project=project, report=report, by=by)
        assert ActivityReport.objects.get(pk=report.pk).project == project
        trainings.project_unlink_report(project=project, report=report, by=by)
        assert ActivityReport.objects.get(pk=report.pk).project is None
    else:
        with pytest.raises(PermissionDenied):
            trainings.project_link_report(project=project, report=report, by=by)
        assert ActivityReport.objects.get(pk=report.pk).project is None


def test_deputy_head_manages_the_stations_projects(net, personas, kinds):
    deputy = factories.UserFactory(username="dora")
    role_assign(user=deputy, role=Role.DEPUTY_HEAD, unit=net.a1)
    project = _project(deputy, net.a1)
    report = _report(personas.worker, net.a1, kinds, status="draft")
    trainings.project_link_report(project=project, report=report, by=deputy)
    assert project.reports.count() == 1


def test_link_refuses_another_stations_report(net, personas, kinds):
    project = _project(personas.reviewer, net.a1)
    report = _report(personas.other_worker, net.a2, kinds, status="draft")
    with pytest.raises(ValidationError) as exc:
        trainings.project_link_report(
            project=project, report=report, by=personas.editor
        )
    assert "只能关联本项目承接社工站" in exc.value.messages[0]
    county = _report(personas.reviewer, net.county_a1, kinds, status="draft")
    with pytest.raises(ValidationError):
        trainings.project_link_report(
            project=project, report=county, by=personas.editor
        )
    assert not ActivityReport.objects.filter(project__isnull=False).exists()


def test_link_refuses_a_report_outside_the_period(net, personas, kinds):
    project = _project(personas.head, net.a1)
    report = _report(
        personas.worker,
        net.a1,
        kinds,
        status="draft",
        start_date=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        trainings.project_link_report(project=project, report=report, by=personas.head)
    assert "不在项目周期" in exc.value.messages[0]
    assert ActivityReport.objects.get(pk=report.pk).project is None


def test_link_refuses_a_report_of_another_project(net, personas, kinds):
    first = _project(personas.head, net.a1, title="项目一")
    second = _project(personas.head, net.a1, title="项目二")
    report = _report(personas.worker, net.a1, kinds, status="draft")
    trainings.project_link_report(project=first, report=report, by=personas.head)
    with pytest.raises(ValidationError) as exc:
        trainings.project_link_report(project=second, report=report, by=personas.head)
    assert "已关联到其他项目" in exc.value.messages[0]
    assert ActivityReport.objects.get(pk=report.pk).project == first
    # Linking twice to the same project changes nothing.
    trainings.project_link_report(project=first, report=report, by=personas.head)


def test_unlink_refuses_a_report_not_linked(net, personas, kinds):
    project = _project(personas.head, net.a1)
    report = _report(personas.worker, net.a1, kinds, status="draft")
    with pytest.raises(ValidationError):
        trainings.project_unlink_report(
            project=project, report=report, by=personas.head
        )


# --- Create and edit ------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("head", True),
        ("reviewer", True),
        ("editor", True),
        ("worker", False),
        ("supervisor", False),
        ("other_reviewer", False),
        ("other_editor", False),
    ],
)
def test_who_may_create_a_project(net, personas, persona, allowed):
    by = getattr(personas, persona)
    if allowed:
        _project(by, net.a1)
        assert Project.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            _project(by, net.a1)
        assert not Project.objects.exists()


def test_project_dates_out_of_order_are_refused(net, personas):
    with pytest.raises(ValidationError) as exc:
        _project(personas.head, net.a1, end_date=datetime.date(2022, 1, 1))
    assert "结束日期不能早于开始日期" in str(exc.value)
    assert not Project.objects.exists()


def test_station_of_a_project_with_reports_cannot_change(seed_project, net, personas):
    project, _reports = seed_project
    project.station = net.a1b
    with pytest.raises(ValidationError) as exc:
        trainings.project_update(project=project, by=personas.reviewer)
    assert "不能更换承接社工站" in str(exc.value)
    assert Project.objects.get(pk=project.pk).station == net.a1


def _project_post(station, /, **overrides):
    data = {
        "title": "关爱困境儿童项目",
        "funder": "团市委公益创投",
        "station": station.pk,
        "start_date": "2023-01-01",
        "end_date": "2023-12-31",
        "target_villages": "",
        "target_activities": "12",
        "target_person_times": "",
        "target_cases": "",
        "description": "",
    }
    data.update(overrides)
    return data


def test_create_project_through_the_page(login, personas, net):
    response = login(personas.head).post("/staff/projects/new/", _project_post(net.a1))
    project = Project.objects.get()
    assert response.status_code == 302
    assert response.url == f"/staff/projects/{project.pk}/"
    assert (project.station, project.target_activities) == (net.a1, 12)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"end_date": "2022-12-31"}, "结束日期不能早于开始日期。"),
        ({"target_activities": "-1"}, "0"),
        ({"target_villages": "abc"}, "整数"),
        ({"start_date": "2023-02-30"}, "日期"),
        ({"title": ""}, "必填"),
    ],
)
def test_bad_project_input_changes_nothing(login, personas, net, overrides, message):
    response = login(personas.head).post(
        "/staff/projects/new/", _project_post(net.a1, **overrides)
    )
    assert response.status_code == 200
    assert message in _html(response)
    assert not Project.objects.exists()


def test_head_cannot_start_a_project_for_another_station(login, personas, net):
    response = login(personas.head).post("/staff/projects/new/", _project_post(net.a1b))
    assert response.status_code == 200
    assert "选择一个有效的选项" in _html(response)
    assert not Project.objects.exists()


def test_link_and_unlink_through_the_page(login, personas, net, kinds):
    project = _project(personas.head, net.a1)
    report = _report(personas.worker, net.a1, kinds, status="submitted")
    client = login(personas.head)
    page = client.get(f"/staff/projects/{project.pk}/")
    assert report in page.context["linkable"]
    response = client.post(f"/staff/projects/{project.pk}/link/", {"report": report.pk})
    assert response.status_code == 302
    assert ActivityReport.objects.get(pk=report.pk).project == project
    response = client.post(f"/staff/projects/{project.pk}/unlink/{report.pk}/")
    assert response.status_code == 302
    assert ActivityReport.objects.get(pk=report.pk).project is None


def test_linking_another_stations_report_through_the_page_is_refused(
    login, personas, net, kinds
):
    project = _project(personas.reviewer, net.a1)
    report = _report(personas.other_worker, net.a2, kinds, status="draft")
    client = login(personas.editor)
    for value in (report.pk, "abc", "", "99999999999999999999"):
        response = client.post(
            f"/staff/projects/{project.pk}/link/", {"report": value}, follow=True
        )
        assert response.status_code == 200
        assert "message-error" in _html(response)
    assert ActivityReport.objects.get(pk=report.pk).project is None


def test_unlinking_a_report_not_linked_is_404(login, personas, net, kinds):
    project = _project(personas.head, net.a1)
    report = _report(personas.worker, net.a1, kinds, status="draft")
    response = login(personas.head).post(
        f"/staff/projects/{project.pk}/unlink/{report.pk}/"
    )
    assert response.status_code == 404


# --- Who gets in ---------------------------------------------------------------------


@pytest.fixture
def linked(net, personas, kinds):
    project = _project(personas.head, net.a1)
    report = _report(personas.worker, net.a1, kinds, status="draft")
    trainings.project_link_report(project=project, report=report, by=personas.head)
    spare = _report(personas.worker, net.a1, kinds, status="draft", title="备用")
    return project, report, spare


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_project_page_is_404_outside_scope(login, personas, linked, persona):
    project, _report_, _spare = linked
    response = login(getattr(personas, persona)).get(f"/staff/projects/{project.pk}/")
    assert response.status_code == (200 if persona in READERS else 404)
    if persona in READERS:
        assert response.context["can_manage"] == (persona in MANAGERS)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize("page", ["edit", "link", "unlink"])
def test_project_edit_pages_are_for_managers_only(
    login, personas, linked, page, persona
):
    project, report, spare = linked
    client = login(getattr(personas, persona))
    if page == "edit":
        response = client.get(f"/staff/projects/{project.pk}/edit/")
        expected = 200
    elif page == "link":
        response = client.post(
            f"/staff/projects/{project.pk}/link/", {"report": spare.pk}
        )
        expected = 302
    else:
        response = client.post(f"/staff/projects/{project.pk}/unlink/{report.pk}/")
        expected = 302
    assert response.status_code == (expected if persona in MANAGERS else 404)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_new_project_page_is_for_station_leads_reviewers_and_editors(
    login, personas, persona
):
    response = login(getattr(personas, persona)).get("/staff/projects/new/")
    allowed = {"head", "reviewer", "other_reviewer", "editor", "other_editor"}
    assert response.status_code == (200 if persona in allowed | {"superuser"} else 403)


@pytest.mark.parametrize(
    "persona, visible",
    [
        ("worker", True),
        ("head", True),
        ("supervisor", True),
        ("reviewer", True),
        ("editor", True),
        ("other_worker", False),
        ("other_reviewer", False),
        ("other_editor", False),
        ("superuser", True),
    ],
)
def test_project_list_shows_only_visible_projects(
    login, personas, linked, persona, visible
):
    project, _report_, _spare = linked
    response = login(getattr(personas, persona)).get("/staff/projects/")
    assert response.status_code == 200
    assert [r.project for r in response.context["rows"]] == (
        [project] if visible else []
    )


@pytest.mark.parametrize(
    "url", ["/staff/projects/", "/staff/projects/new/", "/staff/projects/1/"]
)
def test_project_pages_refuse_no_role_and_anonymous(login, client, personas, url):
    assert client.get(url).status_code == 302
    assert login(personas.nobody).get(url).status_code == 403


def test_methods_other_than_post_are_refused_on_link(login, personas, linked):
    project, report, _spare = linked
    client = login(personas.head)
    assert client.get(f"/staff/projects/{project.pk}/link/").status_code == 405
    assert (
        client.get(f"/staff/projects/{project.pk}/unlink/{report.pk}/").status_code
        == 405
    )


# --- Pages show the figures ----------------------------------------------------------


def test_project_page_shows_progress_and_sentence(login, personas, seed_project):
    project, reports = seed_project
    response = login(personas.supervisor).get(f"/staff/projects/{project.pk}/")
    html = _html(response)
    assert SEED_SENTENCE in html
    assert "57%" in html
    assert list(response.context["reports"]) == sorted(
        reports, key=lambda r: (r.start_date, r.pk)
    )
    assert response.context["linkable"] == []  # a supervisor only reads
    assert "关联到本项目" not in html


def test_project_list_shows_progress(login, personas, seed_project):
    response = login(personas.reviewer).get("/staff/projects/")
    html = _html(response)
    assert "8/14" in html and "57%" in html
    assert "1057/2000" in html


# --- Query counts --------------------------------------------------------------------


def _grow(net, personas, kinds, n):
    """n more projects of station a1, each with two linked approved reports."""
    for i in range(n):
        project = _project(personas.head, net.a1, title=f"项目{i}")
        for _r in range(2):
            report = _report(
                personas.worker,
                net.a1,
                kinds,
                reviewer=personas.reviewer,
                person_times=10,
                reached=[factories.VillageFactory(town=net.a1.town)],
            )
            trainings.project_link_report(
                project=project, report=report, by=personas.head
            )


def test_project_list_query_count_is_fixed(
    login, personas, net, kinds, seed_project, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 7 = session + user + scope + the paginator's COUNT + the page of projects
    # with station, place and the town's village counts (subqueries) + the
    # counts of all their linked reports (one grouped query) + the villages those
    # reports reached (one UNION query).
    with django_assert_num_queries(7):
        response = client.get("/staff/projects/")
    assert len(response.context["rows"]) == 1
    _grow(net, personas, kinds, 10)
    with django_assert_num_queries(7):
        response = client.get("/staff/projects/")
    assert len(response.context["rows"]) == 11


def test_project_page_query_count_is_fixed(
    login, personas, net, kinds, seed_project, django_assert_num_queries
):
    project, _reports = seed_project
    client = login(personas.head)
    # 8 = session + user + scope + the project with its place and village counts
    # + the linked reports' counts (one grouped query) + the villages they reached
    # (one UNION query) + the linked reports with kinds + the reports a manager
    # may still link (the select's options). Who may manage comes from the scope.
    with django_assert_num_queries(8):
        client.get(f"/staff/projects/{project.pk}/")
    for _i in range(10):
        report = _report(
            personas.worker,
            net.a1,
            kinds,
            reviewer=personas.reviewer,
            person_times=10,
            reached=[factories.VillageFactory(town=net.a1.town)],
        )
        trainings.project_link_report(project=project, report=report, by=personas.head)
        _report(personas.worker, net.a1, kinds, status="draft")  # a candidate
    with django_assert_num_queries(8):
        response = client.get(f"/staff/projects/{project.pk}/")
    assert len(response.context["reports"]) == 17
