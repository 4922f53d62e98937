"""Who may use the import screens (/staff/import/), which kinds each role is
offered, and what the index page costs."""

import pytest

from tests import factories
from tests.stations.import_helpers import (
    KINDS,
    TEMPLATE_HEADERS,
    confirm,
    counts,
    csv_file,
    good_rows,
    text,
    upload,
)


def _kind_urls(kind):
    return [f"/staff/import/{kind}/", f"/staff/import/{kind}/template.xlsx"]


def test_anonymous_is_sent_to_login_everywhere(client, net):
    urls = ["/staff/import/"] + [url for kind in KINDS for url in _kind_urls(kind)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    response = client.post("/staff/import/villages/confirm/", {"token": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["worker", "head", "supervisor", "nobody"])
def test_roles_without_network_rights_get_403_on_every_import_page(
    login, personas, persona
):
    client = login(getattr(personas, persona))
    before = counts()
    assert client.get("/staff/import/").status_code == 403
    for kind in KINDS:
        for url in _kind_urls(kind):
            assert client.get(url).status_code == 403, url
        file = csv_file(
            TEMPLATE_HEADERS["villages"], [["甲一区", "东镇", "东一村", "村", ""]]
        )
        assert upload(client, kind, file).status_code == 403
        assert confirm(client, kind, "x", follow=False).status_code == 403
    assert counts() == before


def _listed_kinds(response):
    return [kind for kind, _label in response.context["kinds"]]


@pytest.mark.parametrize("persona", ["editor", "superuser"])
def test_city_editor_and_superuser_get_every_kind(login, personas, persona):
    client = login(getattr(personas, persona))
    response = client.get("/staff/import/")
    assert response.status_code == 200
    assert _listed_kinds(response) == KINDS
    for kind in KINDS:
        assert f"/staff/import/{kind}/template.xlsx" in text(response)
        for url in _kind_urls(kind):
            assert client.get(url).status_code == 200, url


def test_county_reviewer_gets_no_divisions_or_counties(login, personas):
    client = login(personas.reviewer)
    response = client.get("/staff/import/")
    assert _listed_kinds(response) == [
        "towns",
        "villages",
        "stations",
        "points",
        "workers",
    ]
    assert "/staff/import/divisions/" not in text(response)
    for kind in ("divisions", "counties"):
        for url in _kind_urls(kind):
            assert client.get(url).status_code == 403, url
    before = counts()
    response = upload(client, "counties", csv_file(*good_rows("counties", None)[:2]))
    assert response.status_code == 403
    assert counts() == before


def test_unknown_kind_is_404(login, personas):
    client = login(personas.editor)
    assert client.get("/staff/import/beneficiaries/").status_code == 404
    assert client.get("/staff/import/beneficiaries/template.xlsx").status_code == 404
    assert confirm(client, "beneficiaries", "x", follow=False).status_code == 404


def test_confirm_only_accepts_post(login, personas):
    assert (
        login(personas.editor).get("/staff/import/villages/confirm/").status_code == 405
    )


@pytest.mark.parametrize("extra_cities", [0, 5])
def test_index_query_count_does_not_grow_with_the_network(
    login, personas, django_assert_num_queries, extra_cities
):
    for n in range(extra_cities):
        city = factories.CityFactory(code=f"4450{n:02d}")
        factories.StationFactory(town__county__city=city)
    client = login(personas.editor)
    # 1 session, 1 user, 1 role assignments (the scope, cached on the user for the
    # rest of the request). The kinds come from code, not from the database.
    with django_assert_num_queries(3):
        response = client.get("/staff/import/")
    assert response.status_code == 200
