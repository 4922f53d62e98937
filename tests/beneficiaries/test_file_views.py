"""The file pages at work: opening a file (duplicates offered instead of a
second file), editing, visits, transfer, closing and deletion, and bad input
that changes nothing and never fails."""

import datetime

import pytest

from beneficiaries.models import Beneficiary, BeneficiaryTransfer, Visit
from core.models import AuditEntry
from tests.beneficiaries.conftest import new_id

pytestmark = pytest.mark.django_db
D = datetime.date


def _form(**fields):
    data = {"name": "示例·赵六", "opened_on": "2023-03-01", "gender": ""}
    data.update(fields)
    return data


def test_opening_a_file_with_an_id_only(login, personas, categories):
    number = new_id(D(2015, 6, 1), male=False)
    response = login(personas.worker).post(
        "/staff/beneficiaries/new/",
        _form(id_number=number, categories=[categories["留守儿童"].pk]),
    )
    assert response.status_code == 302
    b = Beneficiary.objects.get()
    assert (b.gender, b.birth_date, b.id_number) == ("女", D(2015, 6, 1), number)
    assert response["Location"] == f"/staff/beneficiaries/{b.pk}/"
    assert AuditEntry.objects.filter(action="create", target_id=str(b.pk)).exists()


def test_without_an_id_gender_is_required(login, personas):
    response = login(personas.worker).post("/staff/beneficiaries/new/", _form())
    assert response.status_code == 200
    assert "没有身份证号时请选择性别" in response.content.decode()
    assert not Beneficiary.objects.exists()


def test_duplicate_id_shows_the_existing_file_masked(login, personas, file_a1):
    response = login(personas.head).post(
        "/staff/beneficiaries/new/", _form(id_number=file_a1.id_number)
    )
    html = response.content.decode()
    assert "不能重复建档" in html
    assert file_a1.id_number_masked in html
    assert f'href="/staff/beneficiaries/{file_a1.pk}/"' in html
    assert Beneficiary.objects.count() == 1


def test_duplicate_out_of_scope_is_named_without_a_link(login, personas, file_a2):
    response = login(personas.worker).post(
        "/staff/beneficiaries/new/", _form(id_number=file_a2.id_number)
    )
    html = response.content.decode()
    assert file_a2.id_number_masked in html
    assert "不在您的查看范围内" in html
    assert f"/staff/beneficiaries/{file_a2.pk}/" not in html
    assert file_a2.id_number not in html.replace(
        f'value="{file_a2.id_number}"', ""
    )  # only the number the user typed is echoed in its own input


def test_same_name_and_birth_date_asks_for_confirmation(login, personas, file_a2):
    client = login(personas.worker)
    data = _form(name=file_a2.name, gender="女", birth_date=file_a2.birth_date)
    response = client.post("/staff/beneficiaries/new/", data)
    html = response.content.decode()
    assert "请核对是否为同一人" in html
    assert 'name="confirm_distinct"' in html
    assert Beneficiary.objects.count() == 1
    response = client.post(
        "/staff/beneficiaries/new/", {**data, "confirm_distinct": "on"}
    )
    assert response.status_code == 302
    assert Beneficiary.objects.count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"id_number": "123456789012345678"},
        {"id_number": "x" * 40},
        {"birth_date": "2023-02-30", "gender": "男"},
        {"opened_on": "明天", "gender": "男"},
        {"gender": "未知"},
        {"phone": "电话号码", "gender": "男"},
        {"village": "999999", "gender": "男"},
        {"village": "abc", "gender": "男"},
        {"categories": ["0"], "gender": "男"},
        {"living_situation": "住在月球", "gender": "男"},
        {"name": "", "gender": "男"},
        {"name": "名" * 200, "gender": "男"},
    ],
)
def test_bad_input_changes_nothing(login, personas, fields):
    response = login(personas.worker).post("/staff/beneficiaries/new/", _form(**fields))
    assert response.status_code == 200
    assert "档案没有保存" in response.content.decode()
    assert not Beneficiary.objects.exists()


def test_edit_can_clear_a_phone(login, personas, file_a1):
    response = login(personas.worker).post(
        f"/staff/beneficiaries/{file_a1.pk}/edit/",
        {
            "name": file_a1.name,
            "gender": "男",
            "opened_on": "2023-01-10",
            "clear_phone": "on",
        },
    )
    assert response.status_code == 302
    file_a1.refresh_from_db()
    assert file_a1.phone == ""
    assert file_a1.guardian_phone  # untouched


def test_edit_to_another_files_id_is_refused(login, personas, file_a1, make_file, net):
    other = make_file(personas.worker, net.a1, name="示例·另一人")
    response = login(personas.worker).post(
        f"/staff/beneficiaries/{other.pk}/edit/",
        {
            "name": other.name,
            "gender": "男",
            "opened_on": "2023-01-10",
            "id_number": file_a1.id_number,
        },
    )
    assert response.status_code == 200
    assert "不能重复建档" in response.content.decode()
    other.refresh_from_db()
    assert other.id_number != file_a1.id_number


def test_adding_a_visit(login, personas, net, file_a1):
    response = login(personas.worker).post(
        f"/staff/beneficiaries/{file_a1.pk}/visits/new/",
        {
            "date": "2023-03-02",
            "kind": "home",
            "worker": net.worker_a1.pk,
            "notes": "入户了解学习情况",
            "needs_found": "需要课业辅导",
            "follow_up_due": "2023-03-20",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.kind, visit.worker, visit.created_by) == (
        "home",
        net.worker_a1,
        personas.worker,
    )


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2023-03-02", "kind": "飞鸽"},
        {"date": "", "kind": "home"},
        {"date": "2023-03-02", "kind": "home", "follow_up_due": "2023-03-01"},
        {"date": "2099-01-01", "kind": "home"},
    ],
)
def test_bad_visit_is_refused(login, personas, file_a1, data):
    response = login(personas.worker).post(
        f"/staff/beneficiaries/{file_a1.pk}/visits/new/", data
    )
    assert response.status_code == 400
    assert "走访记录没有保存" in response.content.decode()
    assert not Visit.objects.exists()


def test_transfer_through_the_page(login, personas, net, file_a1):
    client = login(personas.worker)
    page = client.get(f"/staff/beneficiaries/{file_a1.pk}/transfer/").content.decode()
    assert "转移档案" in page and "不要重复建档" in page
    response = client.post(
        f"/staff/beneficiaries/{file_a1.pk}/transfer/",
        {"to_station": net.a2.pk, "reason": "随父母迁居南镇"},
    )
    assert response.status_code == 302
    assert BeneficiaryTransfer.objects.get().reason == "随父母迁居南镇"
    # The old station now gets a 404; the new one reads the history.
    assert client.get(f"/staff/beneficiaries/{file_a1.pk}/").status_code == 404
    page = login(personas.other_worker).get(f"/staff/beneficiaries/{file_a1.pk}/")
    assert "随父母迁居南镇" in page.content.decode()


def test_transfer_refusal_is_shown(login, personas, net, file_a1, case_a1):
    response = login(personas.worker).post(
        f"/staff/beneficiaries/{file_a1.pk}/transfer/",
        {"to_station": net.a2.pk, "reason": "迁居"},
    )
    assert response.status_code == 400
    assert "未结案的个案" in response.content.decode()


def test_closing_and_deleting_through_the_pages(
    login, personas, file_a1, make_file, net
):
    client = login(personas.head)
    response = client.post(
        f"/staff/beneficiaries/{file_a1.pk}/status/", {"status": "closed", "reason": ""}
    )
    assert response.status_code == 400
    assert (
        "请填写原因" in response.content.decode() or "原因" in response.content.decode()
    )
    client.post(
        f"/staff/beneficiaries/{file_a1.pk}/status/",
        {"status": "moved", "reason": "迁往外省"},
    )
    file_a1.refresh_from_db()
    assert file_a1.status == "moved"
    mistake = make_file(personas.worker, net.a1, name="示例·误建")
    refused = client.post(
        f"/staff/beneficiaries/{mistake.pk}/delete/", {"reason": "误"}
    )
    assert refused.status_code == 400
    response = client.post(
        f"/staff/beneficiaries/{mistake.pk}/delete/", {"reason": "重复录入误建"}
    )
    assert response.status_code == 302
    assert not Beneficiary.objects.filter(pk=mistake.pk).exists()


def test_list_search_by_name_and_last_digits(login, personas, net, file_a1, make_file):
    make_file(personas.worker, net.a1, name="示例·其他人", phone="13600000000")
    client = login(personas.worker)
    by_name = client.get("/staff/beneficiaries/", {"q": "张三"}).context["page"]
    assert [b.pk for b in by_name] == [file_a1.pk]
    by_digits = client.get("/staff/beneficiaries/", {"q": file_a1.id_number[-4:]})
    assert file_a1.pk in [b.pk for b in by_digits.context["page"]]
    # A whole number is not searched for (it would sit in the address bar).
    whole = client.get(
        "/staff/beneficiaries/", {"q": file_a1.id_number, "status": ""}, follow=True
    )
    assert whole.redirect_chain == [("/staff/beneficiaries/?status=", 302)]
    html = whole.content.decode()
    assert "请只输入身份证号或电话号码的后四位" in html
    assert file_a1.id_number not in html
