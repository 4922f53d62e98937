"""Who may use each file and case page (DESIGN.md §4): the keeping station
writes; supervisors, the county reviewer, the city editor and the superuser
read; other stations, counties and cities get 404; a user without a role gets
403 and the public is sent to the login."""

import pytest

pytestmark = pytest.mark.django_db

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
MEMBERS = {"worker", "head"}
READERS_OF_A1 = MEMBERS | {"supervisor", "reviewer", "editor", "superuser"}
STATION_MEMBERS = MEMBERS | {"other_worker"}


def _read_pages(file_a1, case_a1):
    return {
        "file": f"/staff/beneficiaries/{file_a1.pk}/",
        "case": f"/staff/cases/{case_a1.pk}/",
    }


def _write_pages(file_a1, case_a1):
    b, c = file_a1.pk, case_a1.pk
    return {
        "edit": (f"/staff/beneficiaries/{b}/edit/", "get"),
        "transfer": (f"/staff/beneficiaries/{b}/transfer/", "get"),
        "status": (f"/staff/beneficiaries/{b}/status/", "get"),
        "delete": (f"/staff/beneficiaries/{b}/delete/", "get"),
        "full": (f"/staff/beneficiaries/{b}/full/", "post"),
        "visit": (f"/staff/beneficiaries/{b}/visits/new/", "post"),
        "case_new": (f"/staff/beneficiaries/{b}/cases/new/", "get"),
        "case_edit": (f"/staff/cases/{c}/edit/", "get"),
        "note": (f"/staff/cases/{c}/notes/new/", "post"),
        "referral": (f"/staff/cases/{c}/referrals/new/", "post"),
        "close": (f"/staff/cases/{c}/close/", "post"),
    }


LIST_PAGES = [
    "/staff/beneficiaries/",
    "/staff/beneficiaries/overdue/",
    "/staff/beneficiaries/export/",
    "/staff/cases/",
    "/staff/cases/caseload/",
]
MEMBER_ONLY_PAGES = [
    "/staff/beneficiaries/new/",
    "/staff/beneficiaries/export/full/",
    "/staff/beneficiaries/import/",
    "/staff/beneficiaries/import/template/",
]


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize("page", ["file", "case"])
def test_file_and_case_pages_are_read_in_scope_only(
    login, personas, file_a1, case_a1, persona, page
):
    url = _read_pages(file_a1, case_a1)[page]
    response = login(getattr(personas, persona)).get(url)
    assert response.status_code == (200 if persona in READERS_OF_A1 else 404)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize(
    "page",
    [
        "edit",
        "transfer",
        "status",
        "delete",
        "full",
        "visit",
        "case_new",
        "case_edit",
        "note",
        "referral",
        "close",
    ],
)
def test_write_pages_are_for_the_keeping_station_only(
    login, personas, file_a1, case_a1, persona, page
):
    url, method = _write_pages(file_a1, case_a1)[page]
    client = login(getattr(personas, persona))
    response = getattr(client, method)(url)
    if persona in MEMBERS:
        # An empty POST is bad input: the form again (400) or back to the case
        # with a message (302); never a server error.
        assert response.status_code in (200, 302, 400)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_open_to_every_role(login, personas, file_a1, persona, url):
    assert login(getattr(personas, persona)).get(url).status_code == 200


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize("url", MEMBER_ONLY_PAGES)
def test_opening_importing_and_unmasked_export_are_for_station_members(
    login, personas, net, persona, url
):
    response = login(getattr(personas, persona)).get(url)
    assert response.status_code == (200 if persona in STATION_MEMBERS else 403)


def test_a_county_reviewer_cannot_change_a_file(login, personas, file_a1):
    client = login(personas.reviewer)
    response = client.post(
        f"/staff/beneficiaries/{file_a1.pk}/edit/",
        {"name": "改名", "gender": "男", "opened_on": "2023-01-10"},
    )
    assert response.status_code == 404
    file_a1.refresh_from_db()
    assert file_a1.name == "示例·张三"


@pytest.mark.parametrize(
    "url",
    [
        "/staff/beneficiaries/",
        "/staff/beneficiaries/{b}/",
        "/staff/beneficiaries/overdue/",
        "/staff/beneficiaries/export/",
        "/staff/cases/",
        "/staff/cases/caseload/",
        "/staff/cases/{c}/",
    ],
)
def test_the_public_gets_nothing(client, personas, file_a1, case_a1, url):
    url = url.format(b=file_a1.pk, c=case_a1.pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert file_a1.name not in response.content.decode()


def test_a_user_without_a_role_gets_403(login, personas, file_a1):
    client = login(personas.nobody)
    assert client.get("/staff/beneficiaries/").status_code == 403
    assert client.get(f"/staff/beneficiaries/{file_a1.pk}/").status_code == 403


def test_other_city_editor_sees_an_empty_list(login, personas, file_a1):
    response = login(personas.other_editor).get("/staff/beneficiaries/")
    assert response.status_code == 200
    assert file_a1.name not in response.content.decode()


def test_file_pages_are_never_cached(login, personas, file_a1):
    response = login(personas.reviewer).get(f"/staff/beneficiaries/{file_a1.pk}/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_recording_attendance_is_for_the_reporting_station(
    login, personas, net, make_report
):
    report = make_report(personas.worker, net.a1)
    url = f"/staff/reports/{report.pk}/attendance/"
    for persona in ROLE_PERSONAS:
        response = login(getattr(personas, persona)).get(url)
        expected = 200 if persona in MEMBERS else 404
        assert response.status_code == expected, persona
