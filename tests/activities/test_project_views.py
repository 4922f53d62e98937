"""The project pages: creating, linking and unlinking through the pages, bad
input, and who may use each page."""

import pytest

from activities import services
from activities.models import ActivityReport, Project
from tests.activities.project_helpers import _html, _project, _report

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


# --- Create and edit ------------------------------------------------------------------


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
    services.project_link_report(project=project, report=report, by=personas.head)
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
