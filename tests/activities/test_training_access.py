"""Who may use each training page: 404 outside scope, 403 without a role, and
the login for anonymous users."""

import pytest

from tests.activities.training_helpers import _training

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


CITY_TRAINING_READERS = {"editor", "superuser"}


COUNTY_TRAINING_READERS = {"supervisor", "reviewer", "editor", "superuser"}


COUNTY_TRAINING_MANAGERS = {"reviewer", "editor", "superuser"}


def _county_pages(training, session):
    return {
        "training_edit": (f"/staff/trainings/{training.pk}/edit/", "get"),
        "session_new": (f"/staff/trainings/{training.pk}/sessions/new/", "get"),
        "session_edit": (f"/staff/trainings/sessions/{session.pk}/edit/", "get"),
        "attendance": (f"/staff/trainings/sessions/{session.pk}/attendance/", "get"),
        "session_delete": (f"/staff/trainings/sessions/{session.pk}/delete/", "post"),
    }


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_county_training_page_is_404_outside_scope(
    login, personas, county_training, persona
):
    training, _session_ = county_training
    response = login(getattr(personas, persona)).get(f"/staff/trainings/{training.pk}/")
    assert response.status_code == (200 if persona in COUNTY_TRAINING_READERS else 404)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_city_training_page_is_404_outside_scope(login, personas, series, persona):
    training, _sessions, _workers = series
    response = login(getattr(personas, persona)).get(f"/staff/trainings/{training.pk}/")
    assert response.status_code == (200 if persona in CITY_TRAINING_READERS else 404)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize(
    "page",
    ["training_edit", "session_new", "session_edit", "attendance", "session_delete"],
)
def test_training_edit_pages_are_for_managers_only(
    login, personas, county_training, page, persona
):
    training, session = county_training
    url, method = _county_pages(training, session)[page]
    response = getattr(login(getattr(personas, persona)), method)(url)
    if persona in COUNTY_TRAINING_MANAGERS:
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_new_training_page_is_for_editors_and_reviewers(login, personas, persona):
    response = login(getattr(personas, persona)).get("/staff/trainings/new/")
    organisers = {"reviewer", "other_reviewer", "editor", "other_editor", "superuser"}
    assert response.status_code == (200 if persona in organisers else 403)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize("url", ["/staff/trainings/", "/staff/trainings/hours/"])
def test_lists_open_to_every_role(login, personas, persona, url):
    assert login(getattr(personas, persona)).get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/staff/trainings/",
        "/staff/trainings/hours/",
        "/staff/trainings/new/",
        "/staff/trainings/1/",
    ],
)
def test_user_without_role_gets_403_and_anonymous_goes_to_login(
    login, client, personas, url
):
    assert client.get(url).status_code == 302
    assert login(personas.nobody).get(url).status_code == 403


@pytest.mark.parametrize(
    "persona, titles",
    [
        ("editor", {"2022年度“双百工程”系列培训", "甲一区培训"}),
        ("reviewer", {"甲一区培训"}),
        ("supervisor", {"甲一区培训"}),
        ("other_reviewer", set()),
        ("worker", set()),
        ("other_editor", {"乙市培训"}),
    ],
)
def test_training_list_shows_only_visible_trainings(
    login, personas, net, series, county_training, persona, titles
):
    _training(personas.other_editor, net.city_b, title="乙市培训")
    response = login(getattr(personas, persona)).get("/staff/trainings/")
    assert {t.title for t in response.context["page"]} == titles
