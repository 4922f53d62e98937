"""The admin shows files and cases read-only, masked, and logs opening one."""

import pytest

from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_admin_list_and_page_are_masked(login, personas, file_a1):
    client = login(personas.superuser)
    listing = client.get("/admin/beneficiaries/beneficiary/").content.decode()
    assert file_a1.name in listing
    assert file_a1.id_number_masked in listing
    assert file_a1.id_number not in listing and file_a1.phone not in listing
    page = client.get(f"/admin/beneficiaries/beneficiary/{file_a1.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    for value in (file_a1.id_number, file_a1.phone, file_a1.guardian_phone):
        assert value not in html
    assert file_a1.guardian_phone_masked in html
    assert AuditEntry.objects.filter(
        action="view", target_id=str(file_a1.pk), username=personas.superuser.username
    ).exists()


def test_admin_cannot_add_change_or_delete(login, personas, file_a1, case_a1):
    client = login(personas.superuser)
    assert client.get("/admin/beneficiaries/beneficiary/add/").status_code == 403
    assert (
        client.get(f"/admin/beneficiaries/beneficiary/{file_a1.pk}/delete/").status_code
        == 403
    )
    response = client.post(
        f"/admin/beneficiaries/beneficiary/{file_a1.pk}/change/", {"name": "改"}
    )
    assert response.status_code == 403
    assert (
        client.get(f"/admin/beneficiaries/case/{case_a1.pk}/change/").status_code == 200
    )
    assert client.get("/admin/beneficiaries/case/add/").status_code == 403


def test_category_visit_period_is_editable_in_the_admin(login, personas, categories):
    html = (
        login(personas.superuser)
        .get("/admin/activities/beneficiarycategory/")
        .content.decode()
    )
    assert "visit_every_days" in html
