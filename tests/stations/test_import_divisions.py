"""Importing the divisions and the shared data files (stations/data/) through the
screens: idempotent, in scope, all or nothing."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from stations import services
from stations.models import City, County, Role, Town, Village
from tests import factories
from tests.stations.import_helpers import (
    TEMPLATE_HEADERS,
    _bad_upload,
    confirm,
    counts,
    row_errors,
    statuses,
    text,
    upload,
    xlsx_file,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "stations" / "data"


def _divisions_file():
    return SimpleUploadedFile(
        "yunfu_divisions.csv", (DATA_DIR / "yunfu_divisions.csv").read_bytes()
    )


def _villages_file():
    return SimpleUploadedFile(
        "yunfu_villages_in_seed.csv",
        (DATA_DIR / "yunfu_villages_in_seed.csv").read_bytes(),
    )


def _yunfu_counts():
    return (
        City.objects.filter(code="445300").count(),
        County.objects.filter(city__code="445300").count(),
        Town.objects.filter(county__city__code="445300").count(),
    )


def test_superuser_loads_the_divisions_file_through_the_screen_idempotently(
    login, personas, net
):
    client = login(personas.superuser)
    before = counts()
    response = upload(client, "divisions", _divisions_file())
    assert response.status_code == 200, row_errors(response)
    assert statuses(response) == ["new"] * 63
    assert "镇（街道）：新增 63，更新 0，未变 0" in text(response)
    assert counts() == before

    response = confirm(client, "divisions", response.context["token"])
    assert "市：新增 1，更新 0，未变 0" in text(response)
    assert _yunfu_counts() == (1, 5, 63)
    assert Town.objects.get(name="泗纶镇").county.kind == County.Kind.COUNTY_CITY
    after = counts()

    response = upload(client, "divisions", _divisions_file())
    assert statuses(response) == ["skip"] * 63
    response = confirm(client, "divisions", response.context["token"])
    message = text(response)
    assert "县（市、区）：新增 0，更新 0，未变 5" in message
    assert "镇（街道）：新增 0，更新 0，未变 63" in message
    assert "没有改动" in message
    assert counts() == after


def test_yunfu_editor_loads_their_own_citys_divisions(login, net):
    # The city exists (a superuser created it and named its editor) but has no
    # counties yet: the editor still loads its divisions.
    yunfu = factories.CityFactory(name="云浮市", code="445300")
    editor = factories.UserFactory(username="yunfu_editor")
    services.role_assign(user=editor, role=Role.CITY_EDITOR, unit=yunfu)
    client = login(editor)
    response = upload(client, "divisions", _divisions_file())
    assert response.status_code == 200, row_errors(response)
    confirm(client, "divisions", response.context["token"])
    assert _yunfu_counts() == (1, 5, 63)


def test_editor_cannot_load_divisions_of_a_city_they_do_not_edit(login, personas, net):
    factories.CityFactory(name="云浮市", code="445300")
    client = login(personas.editor)  # edits 甲市, not 云浮市
    response = _bad_upload(
        client, "divisions", _divisions_file(), "不在您的管理范围内", line=2
    )
    assert len(row_errors(response)) == 63
    assert _yunfu_counts() == (1, 0, 0)


def test_editor_cannot_move_another_citys_county_through_divisions(
    login, personas, net
):
    client = login(personas.editor)
    headers = TEMPLATE_HEADERS["divisions"]
    rows = [
        [
            "广东省",
            "甲市",
            "441100",
            "乙一区",
            "441201",
            "区",
            "乙一",
            1,
            "北镇",
            "镇",
            1,
        ]
    ]
    _bad_upload(client, "divisions", xlsx_file(headers, rows), "属于其他市", line=2)
    assert County.objects.get(code="441201").city == net.city_b


def test_divisions_with_chinese_headers_add_and_update(login, personas, net):
    client = login(personas.editor)
    county = net.county_a1

    def row(county_name, town, town_order):
        return [
            "广东省",
            "甲市",
            "441100",
            county_name,
            county.code,
            county.kind,
            county.short_name,
            county.display_order,
            town,
            "镇",
            town_order,
        ]

    rows = [
        # 甲一区 renamed on 东镇's line (东镇 itself unchanged), and a new town.
        row("甲一新区", "东镇", net.a1.town.display_order),
        row("甲一新区", "新镇", 99),
    ]
    response = upload(
        client, "divisions", xlsx_file(TEMPLATE_HEADERS["divisions"], rows)
    )
    assert response.status_code == 200, row_errors(response)
    assert statuses(response) == ["update", "new"]
    assert "县（市、区）：新增 0，更新 1，未变 0" in text(response)
    confirm(client, "divisions", response.context["token"])
    assert County.objects.get(pk=county.pk).name == "甲一新区"
    assert Town.objects.get(county=county, name="新镇").display_order == 99
    assert City.objects.get(pk=net.city_a.pk).name == "甲市"


def test_divisions_bad_row_on_the_screen_writes_nothing(login, personas, net):
    client = login(personas.superuser)
    data = (DATA_DIR / "yunfu_divisions.csv").read_text(encoding="utf-8").splitlines()
    data[3] = data[3].replace(",区,云城,", ",省,云城,")
    file = SimpleUploadedFile("d.csv", "\n".join(data).encode())
    _bad_upload(client, "divisions", file, "县级类型“省”无效", line=4)
    assert _yunfu_counts() == (0, 0, 0)


def test_villages_file_imports_as_it_is_after_the_divisions(login, personas, net):
    # The file names 11 villages (12 lines with its header), as test_demo counts.
    client = login(personas.superuser)
    response = upload(client, "divisions", _divisions_file())
    confirm(client, "divisions", response.context["token"])

    response = upload(client, "villages", _villages_file())
    assert response.status_code == 200, row_errors(response)
    assert statuses(response) == ["new"] * 11
    # The English headers of the shared file show as the Chinese columns.
    assert response.context["report"].headers == TEMPLATE_HEADERS["villages"]
    confirm(client, "villages", response.context["token"])
    villages = Village.objects.filter(town__county__city__code="445300")
    assert villages.count() == 11
    assert villages.get(name="夏卢村").town.name == "六祖镇"
    assert villages.filter(town__name="平台镇").count() == 8

    response = upload(client, "villages", _villages_file())
    assert statuses(response) == ["skip"] * 11


def test_villages_file_before_the_divisions_names_each_unknown_town(
    login, personas, net
):
    client = login(personas.superuser)
    response = _bad_upload(client, "villages", _villages_file(), "未知的", line=2)
    assert len(row_errors(response)) == 11
