"""The Django admin offers the same import resources as the staff screens."""

from tests.stations.import_helpers import TEMPLATE_HEADERS, counts, csv_file, text


def test_admin_import_page_renders_for_superuser(login, personas):
    response = login(personas.superuser).get("/admin/stations/town/import/")
    assert response.status_code == 200
    assert "import_file" in text(response)


def test_admin_import_dry_run_previews_towns_and_writes_nothing(login, personas, net):
    client = login(personas.superuser)
    file = csv_file(TEMPLATE_HEADERS["towns"], [["甲一区", "中镇", "镇", 3]])
    before = counts()
    response = client.post(
        "/admin/stations/town/import/", {"import_file": file, "format": "1"}
    )
    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    assert [row.import_type for row in response.context["result"].rows] == ["new"]
    assert counts() == before
