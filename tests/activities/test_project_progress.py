"""Project progress (activities/selectors/projects.py): the seed's 公益创投 project,
progress computed from linked reports (8 of 14 villages = 57%), the quotable mid-term
sentence, the pages that show them and their query counts; and the station of a
project with reports, which cannot change."""

import pytest
from django.core.exceptions import ValidationError

from activities import selectors, services
from activities.models import Project
from stations.models import Village
from tests import factories
from tests.activities.project_helpers import _html, _project, _report

SEED_SENTENCE = (
    "东镇14条行政村中目前完成了8条行政村的覆盖，覆盖率达57%；"
    "开展活动5场，服务1057人次，开展个案2个。"
)


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
        services.project_link_report(project=project, report=report, by=personas.head)
    return project, reports


def _progress(project):
    return selectors.project_progress(
        selectors.projects_with_place().get(pk=project.pk)
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
    services.project_update(project=project, by=personas.head)
    progress = _progress(project)
    # A funder's own target is not tied to the town: the village of the
    # neighbouring town that a report reached counts too.
    assert not progress.town_target
    assert (progress.villages.value, progress.villages.percent) == (9, 64)
    assert progress.summary().startswith(
        "项目计划覆盖14条行政村，目前完成了9条行政村的覆盖，覆盖率达64%；"
    )


def test_percent_rounds_halves_up_and_needs_a_target():
    assert selectors.percent(8, 14) == 57
    assert selectors.percent(1, 8) == 13  # 12.5
    assert selectors.percent(0, 14) == 0
    assert selectors.percent(15, 14) == 107
    assert selectors.percent(3, None) is None
    assert selectors.percent(3, 0) is None


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
        selectors.projects_with_place().filter(pk__in=[project.pk, other.pk])
    )
    progress = selectors.projects_progress(projects)
    assert progress[project.pk].villages.value == 8
    assert progress[other.pk].villages.value == 0
    assert progress[other.pk].villages.target == 3


# --- A project whose reports count keeps its station ----------------------------------


def test_station_of_a_project_with_reports_cannot_change(seed_project, net, personas):
    project, _reports = seed_project
    project.station = net.a1b
    with pytest.raises(ValidationError) as exc:
        services.project_update(project=project, by=personas.reviewer)
    assert "不能更换承接社工站" in str(exc.value)
    assert Project.objects.get(pk=project.pk).station == net.a1


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
            services.project_link_report(
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
        services.project_link_report(project=project, report=report, by=personas.head)
        _report(personas.worker, net.a1, kinds, status="draft")  # a candidate
    with django_assert_num_queries(8):
        response = client.get(f"/staff/projects/{project.pk}/")
    assert len(response.context["reports"]) == 17
