"""What the phone's offline queue asks of the server: the service worker, a
fresh CSRF token, the user's own key, and the list of people a visit may be
for (name and village, the user's own stations, nothing else)."""

# The files come from the beneficiary tests' fixtures, imported below: a test
# that names one as a parameter is not redefining it.
# ruff: noqa: F811

import base64
import json
import re
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client

from beneficiaries.models import Visit
from portal.offline import queue_key
from tests.beneficiaries.conftest import (  # noqa: F401
    categories,
    file_a1,
    file_a2,
    make_file,
)

pytestmark = pytest.mark.django_db

TOKEN = "/staff/offline/token/"
KEY = "/staff/offline/key/"
PEOPLE = "/staff/beneficiaries/offline/people/"
QUICK = "/staff/beneficiaries/visits/new/"


# --- the service worker ------------------------------------------------------


def test_the_service_worker_is_served_at_the_root_as_a_script(
    client, django_assert_num_queries
):
    # No query: the script, the static files' addresses and a page of text.
    with django_assert_num_queries(0):
        response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert body.startswith("const ASSETS = [")
    assert "importScripts(STORE)" in body
    assert "/static/js/offline/store.js" in body


def test_the_service_worker_keeps_no_staff_page_but_the_visit_shell(client):
    body = client.get("/sw.js").content.decode()
    shells = json.loads(re.search(r"^const SHELLS = (.*);$", body, re.M).group(1))
    assert shells == [QUICK]
    assert "/staff/beneficiaries/offline/people/" not in body


def test_the_service_worker_is_the_same_for_everyone(client, login, personas):
    anonymous = client.get("/sw.js").content
    assert login(personas.worker).get("/sw.js").content == anonymous


# --- the token and the key ---------------------------------------------------


@pytest.mark.parametrize("url", [TOKEN, KEY])
def test_without_a_session_the_answer_is_403_json(client, url):
    response = client.get(url)
    assert response.status_code == 403
    assert response.json() == {"signed_in": False}


def test_the_token_names_the_session_user_and_is_never_cached(login, personas):
    response = login(personas.worker).get(TOKEN)
    assert response.status_code == 200
    assert response.json()["user"] == personas.worker.pk
    assert "no-store" in response["Cache-Control"]


def test_a_fresh_token_lets_a_queued_visit_through(personas, file_a1):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.worker)
    url = f"/staff/beneficiaries/{file_a1.pk}/visits/new/"
    data = {"date": "2024-03-01", "kind": "home", "client_key": str(uuid.uuid4())}
    assert client.post(url, data).status_code == 403  # no token: refused
    token = client.get(TOKEN).json()["token"]
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Visit.objects.count() == 1


def _int(b64: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(b64 + "=="), "big")


def test_the_key_is_the_users_own_and_a_real_pair(login, personas):
    body = login(personas.worker).get(KEY).json()
    assert body["user"] == personas.worker.pk
    public, private = body["public"], body["private"]
    assert public["kty"] == "EC" and public["crv"] == "P-256"
    assert "d" not in public
    # A real pair: the public point is on the curve, and a message sealed to it
    # (ECDH with a throw-away key, as the phone does) opens with the private key.
    curve = ec.SECP256R1()
    mine = ec.derive_private_key(_int(private["d"]), curve)
    theirs = ec.EllipticCurvePublicNumbers(
        _int(public["x"]), _int(public["y"]), curve
    ).public_key()
    sender = ec.generate_private_key(curve)
    assert sender.exchange(ec.ECDH(), theirs) == mine.exchange(
        ec.ECDH(), sender.public_key()
    )


def test_each_user_has_another_key_and_cannot_ask_for_someone_elses(client, personas):
    client.force_login(personas.worker)
    mine = client.get(KEY).json()
    again = client.get(KEY, {"user": personas.head.pk}).json()
    assert again == mine
    client.force_login(personas.head)
    theirs = client.get(KEY).json()
    assert theirs["user"] == personas.head.pk
    assert theirs["private"]["d"] != mine["private"]["d"]


def test_the_key_depends_on_the_secret_key(personas, settings):
    before = queue_key(personas.worker)
    settings.SECRET_KEY = "another-secret-" + "x" * 40
    assert queue_key(personas.worker)["private"]["d"] != before["private"]["d"]


def test_token_and_key_cost_no_query_beyond_the_session(
    login, personas, django_assert_num_queries
):
    client = login(personas.worker)
    # The session and its user.
    with django_assert_num_queries(2):
        client.get(TOKEN)
    with django_assert_num_queries(2):
        client.get(KEY)


# --- the list of people ------------------------------------------------------


def test_people_holds_name_and_village_only(login, personas, file_a1, file_a2):
    response = login(personas.worker).get(PEOPLE)
    assert response.status_code == 200
    people = response.json()["people"]
    assert people == [{"id": file_a1.pk, "name": file_a1.name, "village": ""}]
    text = response.content.decode()
    for secret in (file_a1.id_number, file_a1.phone, file_a1.guardian_phone):
        assert secret not in text
    assert file_a2.name not in text
    assert "no-store" in response["Cache-Control"]


def test_people_leaves_out_closed_files(login, personas, net, file_a1, make_file):
    from beneficiaries.services import files as services

    closed = make_file(personas.worker, net.a1, name="示例·已结档")
    services.beneficiary_set_status(
        beneficiary=closed, by=personas.worker, status="closed", reason="已迁居外省"
    )
    names = [p["name"] for p in login(personas.head).get(PEOPLE).json()["people"]]
    assert names == [file_a1.name]


def test_another_station_gets_its_own_people(login, personas, file_a1, file_a2):
    people = login(personas.other_worker).get(PEOPLE).json()["people"]
    assert [p["id"] for p in people] == [file_a2.pk]


@pytest.mark.parametrize(
    "who", ["supervisor", "reviewer", "editor", "superuser", "nobody"]
)
def test_people_is_for_station_members_only(login, personas, file_a1, who):
    response = login(getattr(personas, who)).get(PEOPLE)
    assert response.status_code == 403
    assert file_a1.name not in response.content.decode()


def test_people_without_a_session_goes_to_login(client):
    response = client.get(PEOPLE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_people_query_count_does_not_grow_with_files(
    login, personas, net, file_a1, make_file, django_assert_num_queries
):
    client = login(personas.worker)
    # Session, user, the user's roles (scope), the files.
    with django_assert_num_queries(4):
        first = client.get(PEOPLE)
    for n in range(5):
        make_file(personas.worker, net.a1, name=f"示例·{n}号")
    with django_assert_num_queries(4):
        more = client.get(PEOPLE)
    assert len(more.json()["people"]) == len(first.json()["people"]) + 5


# --- the visit page kept for opening without signal ---------------------------


def test_the_visit_page_holds_no_ones_data(login, personas, file_a1):
    response = login(personas.worker).get(QUICK)
    assert response.status_code == 200
    html = response.content.decode()
    assert file_a1.name not in html
    assert "data-visit-quick" in html and 'data-offline="visit"' in html
    assert re.search(r'name="client_key" value="[0-9a-f-]{36}"', html)
    # The station's workers to choose from are staff, not beneficiaries.
    assert net_worker_name(personas) in html


def net_worker_name(personas):
    return personas.worker.role_assignments.get().station.workers.first().real_name


@pytest.mark.parametrize("who", ["supervisor", "reviewer", "editor", "superuser"])
def test_the_visit_page_is_for_station_members_only(login, personas, who):
    assert login(getattr(personas, who)).get(QUICK).status_code == 403


def test_the_visit_page_query_count(
    login, personas, net, file_a1, make_file, django_assert_num_queries
):
    client = login(personas.worker)
    client.get(QUICK)
    # Session, user, roles, the user's worker profile (preselected), the
    # station's workers to choose from; no file is read.
    with django_assert_num_queries(5):
        client.get(QUICK)
    for n in range(5):
        make_file(personas.worker, net.a1, name=f"示例·{n}号")
    with django_assert_num_queries(5):
        client.get(QUICK)


# --- the header --------------------------------------------------------------


def test_signed_in_pages_carry_the_queue_and_public_pages_do_not(
    client, login, personas
):
    anonymous = client.get("/").content.decode()
    assert "data-offline-user" not in anonymous
    assert "offline/queue.js" not in anonymous
    html = login(personas.worker).get("/staff/").content.decode()
    assert f'data-offline-user="{personas.worker.pk}"' in html
    assert "data-offline-logout" in html
    assert "data-offline-dialog" in html
