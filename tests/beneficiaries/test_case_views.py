"""The case pages at work: opening from a file, notes and corrections,
referrals, editing the plan, closing, and bad input that changes nothing."""

import pytest

from activities.models import Partner
from beneficiaries.models import Case, CaseNote, Referral

pytestmark = pytest.mark.django_db


def test_open_a_case_from_the_file(login, personas, net, file_a1):
    client = login(personas.worker)
    response = client.post(
        f"/staff/beneficiaries/{file_a1.pk}/cases/new/",
        {
            "title": "入学适应个案",
            "worker": net.worker_a1.pk,
            "opened_on": "2023-03-01",
            "assessment": "适应困难",
            "goals": "顺利入学",
            "plan": "每周一次",
        },
    )
    case = Case.objects.get()
    assert response["Location"] == f"/staff/cases/{case.pk}/"
    assert case.status == "open"
    page = client.get(f"/staff/beneficiaries/{file_a1.pk}/").content.decode()
    assert "入学适应个案" in page


def test_case_form_refuses_a_worker_of_another_station(login, personas, net, file_a1):
    response = login(personas.worker).post(
        f"/staff/beneficiaries/{file_a1.pk}/cases/new/",
        {"title": "个案", "worker": net.worker_a2.pk, "opened_on": "2023-03-01"},
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_notes_and_corrections(login, personas, case_a1):
    client = login(personas.head)
    url = f"/staff/cases/{case_a1.pk}/notes/new/"
    assert (
        client.post(url, {"date": "2023-03-01", "text": "面谈三次"}).status_code == 302
    )
    first = CaseNote.objects.get()
    client.post(url, {"date": "2023-03-02", "text": "更正：两次", "corrects": first.pk})
    fix = CaseNote.objects.latest("pk")
    assert fix.corrects == first
    page = client.get(f"/staff/cases/{case_a1.pk}/").content.decode()
    assert "面谈三次" in page and "更正：两次" in page
    assert "保存后不能修改或删除" in page


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2023-03-01", "text": ""},
        {"date": "不是日期", "text": "记录"},
        {"date": "2099-01-01", "text": "记录"},
        {"date": "2023-03-01", "text": "记录", "corrects": "999999"},
    ],
)
def test_bad_note_changes_nothing(login, personas, case_a1, data):
    response = login(personas.worker).post(
        f"/staff/cases/{case_a1.pk}/notes/new/", data
    )
    assert response.status_code == 400
    assert not CaseNote.objects.exists()


def test_referral_form(login, personas, case_a1):
    client = login(personas.worker)
    url = f"/staff/cases/{case_a1.pk}/referrals/new/"
    women = Partner.objects.get(name="妇联")
    both = client.post(
        url,
        {
            "referred_on": "2023-03-01",
            "partner": women.pk,
            "partner_other": "某慈善会",
            "purpose": "助学",
        },
    )
    assert both.status_code == 400
    assert "只选一项" in both.content.decode()
    neither = client.post(url, {"referred_on": "2023-03-01", "purpose": "助学"})
    assert neither.status_code == 400
    ok = client.post(
        url, {"referred_on": "2023-03-01", "partner": women.pk, "purpose": "助学"}
    )
    assert ok.status_code == 302
    assert Referral.objects.get().partner == women


def test_edit_and_close(login, personas, net, case_a1):
    client = login(personas.worker)
    response = client.post(
        f"/staff/cases/{case_a1.pk}/edit/",
        {
            "title": case_a1.title,
            "worker": net.worker_a1.pk,
            "opened_on": "2023-02-01",
            "status": "in_progress",
            "plan": "每两周一次",
        },
    )
    assert response.status_code == 302
    case_a1.refresh_from_db()
    assert (case_a1.status, case_a1.plan) == ("in_progress", "每两周一次")
    refused = client.post(
        f"/staff/cases/{case_a1.pk}/close/", {"closed_on": "2023-06-01", "summary": ""}
    )
    assert refused.status_code == 302
    case_a1.refresh_from_db()
    assert case_a1.status == "in_progress"
    client.post(
        f"/staff/cases/{case_a1.pk}/close/",
        {"closed_on": "2023-06-01", "summary": "目标达成"},
    )
    case_a1.refresh_from_db()
    assert case_a1.status == "closed"
    # A closed case is not edited; the page says so.
    response = client.get(f"/staff/cases/{case_a1.pk}/edit/", follow=True)
    assert "个案已结案" in response.content.decode()


def test_caseload_lists_each_worker_with_active_cases(
    login, personas, net, file_a1, make_case
):
    make_case(personas.worker, file_a1, title="个案一")
    done = make_case(personas.worker, file_a1, title="个案二")
    from beneficiaries.services import cases

    cases.case_close(case=done, by=personas.worker, summary="完成")
    response = login(personas.reviewer).get("/staff/cases/caseload/")
    workers = {w.real_name: w for w in response.context["page"]}
    mine = workers[net.worker_a1.real_name]
    assert (mine.open_count, mine.in_progress_count) == (1, 0)
    assert [c.title for c in mine.active_cases] == ["个案一"]
    # A worker of a county the reviewer does not read is not listed.
    assert net.worker_a2.real_name not in workers


def test_case_list_filters_by_status(login, personas, file_a1, make_case):
    make_case(personas.worker, file_a1, title="在办")
    response = login(personas.worker).get("/staff/cases/", {"status": "closed"})
    assert list(response.context["page"]) == []
    response = login(personas.worker).get("/staff/cases/", {"status": "open"})
    assert [c.title for c in response.context["page"]] == ["在办"]
