"""The network's sheets never carry a live formula: names, addresses, notes and
phones typed as formulas are text cells in the admin's .xlsx exports and start
with an apostrophe in its .csv exports, the import templates have no formula,
and an export imports back (staff screens and admin) with nothing changed."""

import io

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from stations.models import County, ServicePoint, SocialWorker, Station, Town, Village
from tests import factories
from tests.sheet_checks import (
    HYPERLINK,
    UNTRIMMED,
    assert_csv_is_neutralised,
    assert_xlsx_has_no_formulas,
)
from tests.stations.import_helpers import KINDS, row_errors, statuses, upload

pytestmark = pytest.mark.django_db
# The admin's formats, in the order it offers them.
FORMAT = {"xlsx": "0", "csv": "1"}
# Each import kind with its admin page and what its rows hold that a user typed.
ADMIN = {
    "counties": ("county", ["+1+1", "@SUM(A1)"]),
    "towns": ("town", ["-2+3"]),
    "villages": ("village", ["=1+1", HYPERLINK]),
    "stations": ("station", [HYPERLINK, "+1+1", "+86 766 1234567"]),
    "points": ("servicepoint", ["@SUM(A1)", "=1+1"]),
    "workers": ("socialworker", ["-2+3", "+8613800000000"]),
}


@pytest.fixture
def risky_network(net):
    """A town of county A1 and everything under it typed as formulas, as the
    city's editors could type them (trimmed)."""
    County.objects.filter(pk=net.county_a1.pk).update(
        short_name="+1+1", aliases="@SUM(A1)"
    )
    town = factories.TownFactory(county=net.county_a1, name="-2+3", display_order=7)
    village = factories.VillageFactory(town=town, name="=1+1", note=HYPERLINK)
    station = factories.StationFactory(
        town=town, name=HYPERLINK, address="+1+1", phone="+86 766 1234567"
    )
    factories.ServicePointFactory(
        station=station, village=village, name="@SUM(A1)", address="=1+1"
    )
    factories.SocialWorkerFactory(
        station=station, real_name="-2+3", phone="+8613800000000"
    )
    return town


def _admin_export(client, model, fmt):
    url = f"/admin/stations/{model}/export/"
    form = client.get(url).context["form"]
    fields = {
        name: "on"
        for name, field in form.fields.items()
        if isinstance(field, forms.BooleanField)
    }
    response = client.post(url, {**fields, "format": FORMAT[fmt], "resource": "0"})
    assert response.status_code == 200
    return response.content


def _snapshot():
    """Every text a user typed into the network, as stored."""
    return {
        "counties": sorted(County.objects.values_list("name", "short_name", "aliases")),
        "towns": sorted(Town.objects.values_list("name", "display_order")),
        "villages": sorted(Village.objects.values_list("name", "note")),
        "stations": sorted(Station.objects.values_list("name", "address", "phone")),
        "points": sorted(ServicePoint.objects.values_list("name", "address")),
        "workers": sorted(SocialWorker.objects.values_list("real_name", "phone")),
    }


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", ADMIN)
def test_admin_export_writes_typed_text_as_text(
    login, personas, risky_network, kind, fmt
):
    model, texts = ADMIN[kind]
    content = _admin_export(login(personas.superuser), model, fmt)
    if fmt == "xlsx":
        assert_xlsx_has_no_formulas(content, texts)
    else:
        assert_csv_is_neutralised(content, texts)


def test_admin_export_keeps_text_untrimmed_as_text(login, personas, net):
    factories.VillageFactory(town=net.a1.town, name="东一村", note=UNTRIMMED[0])
    factories.VillageFactory(town=net.a1.town, name="东二村", note=UNTRIMMED[1])
    client = login(personas.superuser)
    assert_xlsx_has_no_formulas(_admin_export(client, "village", "xlsx"), UNTRIMMED)
    assert_csv_is_neutralised(_admin_export(client, "village", "csv"), UNTRIMMED)


def test_admin_xlsx_export_keeps_numbers_as_numbers(login, personas, risky_network):
    content = _admin_export(login(personas.superuser), "town", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    order = rows[0].index("显示顺序")
    assert [7] == [row[order] for row in rows[1:] if row[1] == "-2+3"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", ADMIN)
def test_admin_export_imports_back_unchanged_on_the_staff_screen(
    login, personas, risky_network, kind, fmt
):
    model, _texts = ADMIN[kind]
    client = login(personas.superuser)
    content = _admin_export(client, model, fmt)
    before = _snapshot()
    response = upload(client, kind, SimpleUploadedFile(f"back.{fmt}", content))
    assert response.status_code == 200, row_errors(response)
    # Every row as it is in the database: nothing to add or change.
    assert set(statuses(response)) == {"skip"}
    response = client.post(
        f"/staff/import/{kind}/confirm/", {"token": response.context["token"]}
    )
    assert response.status_code == 302
    assert _snapshot() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", ["villages", "stations", "workers"])
def test_admin_export_imports_back_unchanged_in_the_admin(
    login, personas, risky_network, kind, fmt
):
    model, _texts = ADMIN[kind]
    client = login(personas.superuser)
    content = _admin_export(client, model, fmt)
    response = client.post(
        f"/admin/stations/{model}/import/",
        {
            "import_file": SimpleUploadedFile(f"back.{fmt}", content),
            "format": FORMAT[fmt],
        },
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}


@pytest.mark.parametrize("kind", KINDS)
def test_import_templates_have_no_formulas(login, personas, net, kind):
    response = login(personas.editor).get(f"/staff/import/{kind}/template.xlsx")
    assert response.status_code == 200
    assert_xlsx_has_no_formulas(response.content)


def test_a_tab_before_a_formula_imports_as_text_and_exports_neutralised(
    login, personas, net
):
    # Some programs drop a leading tab before they look for a formula; the
    # import trims it like any other space, and the value stays text.
    client = login(personas.superuser)
    text = (
        '县（市、区）,镇（街道）,名称,类型,备注\r\n甲一区,东镇,东一村,村,"\t=1+1"\r\n'
    )
    response = upload(client, "villages", SimpleUploadedFile("v.csv", text.encode()))
    assert response.status_code == 200, row_errors(response)
    client.post("/staff/import/villages/confirm/", {"token": response.context["token"]})
    assert Village.objects.get(name="东一村").note == "=1+1"
    assert_xlsx_has_no_formulas(_admin_export(client, "village", "xlsx"), ["=1+1"])
    assert_csv_is_neutralised(_admin_export(client, "village", "csv"), ["=1+1"])
