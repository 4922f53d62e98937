"""A visit sent twice with the same key is saved once: the phone's offline
queue sends again whenever it cannot tell whether a send arrived."""

import datetime
import re
import uuid

import pytest
from django.db import IntegrityError, transaction

from beneficiaries.models import Visit
from beneficiaries.services import files as services

pytestmark = pytest.mark.django_db
D = datetime.date


def _visit(key, **fields):
    data = {"date": "2024-03-01", "kind": "home", "notes": "入户了解近况"}
    if key is not None:
        data["client_key"] = str(key)
    data.update(fields)
    return data


def _url(b):
    return f"/staff/beneficiaries/{b.pk}/visits/new/"


def test_the_file_page_draws_a_key_for_its_visit_form(login, personas, file_a1):
    html = login(personas.worker).get(f"/staff/beneficiaries/{file_a1.pk}/").content
    match = re.search(rb'name="client_key" value="([0-9a-f-]{36})"', html)
    assert match, "the visit form carries its key, hidden"
    assert uuid.UUID(match.group(1).decode())
    assert b'data-offline="visit"' in html


def test_the_same_key_twice_saves_one_visit(login, personas, file_a1):
    client = login(personas.worker)
    key = uuid.uuid4()
    first = client.post(_url(file_a1), _visit(key))
    second = client.post(_url(file_a1), _visit(key))
    assert first.status_code == second.status_code == 302
    assert second["Location"] == f"/staff/beneficiaries/{file_a1.pk}/"
    visit = Visit.objects.get()
    assert visit.client_key == key
    assert visit.created_by == personas.worker


def test_a_repeat_does_not_change_the_saved_visit(login, personas, file_a1):
    client = login(personas.worker)
    key = uuid.uuid4()
    client.post(_url(file_a1), _visit(key))
    client.post(_url(file_a1), _visit(key, notes="改过的内容"))
    assert Visit.objects.get().notes == "入户了解近况"


def test_different_keys_save_two_visits(login, personas, file_a1):
    client = login(personas.worker)
    client.post(_url(file_a1), _visit(uuid.uuid4()))
    client.post(_url(file_a1), _visit(uuid.uuid4()))
    assert Visit.objects.count() == 2


def test_without_a_key_every_send_saves(login, personas, file_a1):
    client = login(personas.worker)
    client.post(_url(file_a1), _visit(None))
    client.post(_url(file_a1), _visit(None))
    assert Visit.objects.count() == 2


def test_the_same_key_from_another_person_is_another_visit(
    login, personas, file_a1, client
):
    key = uuid.uuid4()
    login(personas.worker).post(_url(file_a1), _visit(key))
    client.logout()
    login(personas.head).post(_url(file_a1), _visit(key))
    assert Visit.objects.filter(client_key=key).count() == 2


def test_a_bad_key_is_refused_in_chinese_and_saves_nothing(login, personas, file_a1):
    response = login(personas.worker).post(_url(file_a1), _visit("not-a-key"))
    assert response.status_code == 400
    assert "表单标识无效" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_repeat_out_of_scope_is_still_404(login, personas, file_a1):
    key = uuid.uuid4()
    login(personas.worker).post(_url(file_a1), _visit(key))
    response = login(personas.other_worker).post(_url(file_a1), _visit(key))
    assert response.status_code == 404
    assert Visit.objects.count() == 1


def test_a_repeat_after_the_file_was_closed_finds_the_visit(personas, file_a1):
    key = uuid.uuid4()
    first = services.visit_add(
        beneficiary=file_a1,
        by=personas.worker,
        kind="home",
        date=D(2024, 3, 1),
        client_key=key,
    )
    services.beneficiary_set_status(
        beneficiary=file_a1, by=personas.worker, status="closed", reason="已满十八岁"
    )
    again = services.visit_add(
        beneficiary=file_a1,
        by=personas.worker,
        kind="home",
        date=D(2024, 3, 1),
        client_key=key,
    )
    assert again.pk == first.pk


def test_the_database_refuses_a_second_row_with_the_key(personas, file_a1):
    key = uuid.uuid4()
    services.visit_add(
        beneficiary=file_a1,
        by=personas.worker,
        kind="home",
        date=D(2024, 3, 1),
        client_key=key,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(
            beneficiary=file_a1,
            kind="home",
            date=D(2024, 3, 2),
            created_by=personas.worker,
            client_key=key,
        )


def test_a_race_past_the_lookup_returns_the_visit_that_won(
    personas, file_a1, monkeypatch
):
    """Two sends of one form at the same moment: both miss the lookup, the
    constraint lets one row in, and the other send returns that row."""
    key = uuid.uuid4()
    winner = services.visit_add(
        beneficiary=file_a1,
        by=personas.worker,
        kind="home",
        date=D(2024, 3, 1),
        client_key=key,
    )
    real = services._visit_by_key
    calls = []

    def miss_first(by, client_key):
        calls.append(client_key)
        return None if len(calls) == 1 else real(by, client_key)

    monkeypatch.setattr(services, "_visit_by_key", miss_first)
    loser = services.visit_add(
        beneficiary=file_a1,
        by=personas.worker,
        kind="home",
        date=D(2024, 3, 1),
        client_key=key,
    )
    assert loser.pk == winner.pk
    assert len(calls) == 2
    assert Visit.objects.count() == 1
