"""Bad rows in an import file: each is reported in Chinese on its own line of the
file, with a 400, and nothing is written."""

import datetime

from stations.models import Station
from tests import factories
from tests.stations.import_helpers import (
    TEMPLATE_HEADERS,
    _bad_upload,
    csv_file,
    row_errors,
    statuses,
    text,
    xlsx_file,
)


def test_unknown_town_is_a_row_error(login, personas, net):
    client = login(personas.editor)
    rows = [
        ["甲一区", "东镇", "东一村", "村", ""],
        ["甲一区", "无此镇", "某村", "村", ""],
    ]
    response = _bad_upload(
        client,
        "villages",
        xlsx_file(TEMPLATE_HEADERS["villages"], rows),
        "未知的镇（街道）：“无此镇”",
        line=3,
    )
    # The good row is previewed as new, but the whole file waits for the fix.
    assert statuses(response) == ["new", "invalid"]
    assert "有 1 行存在错误，未导入任何数据" in text(response)


def test_unknown_county_is_a_row_error(login, personas, net):
    client = login(personas.editor)
    rows = [["无此区", "中镇", "镇", 1]]
    _bad_upload(
        client,
        "towns",
        csv_file(TEMPLATE_HEADERS["towns"], rows),
        "未知的县（市、区）：“无此区”",
        line=2,
    )


def test_duplicate_row_in_the_file_names_the_first_line(login, personas, net):
    client = login(personas.editor)
    rows = [
        ["甲一区", "东镇", "东一村", "村", ""],
        ["甲一区", "西镇", "西一村", "村", ""],
        ["甲一区", "东镇", "东一村", "村", "又一行"],
    ]
    _bad_upload(
        client,
        "villages",
        csv_file(TEMPLATE_HEADERS["villages"], rows),
        "与第 2 行重复",
        line=4,
    )


def test_line_numbers_are_the_files_own_past_blank_rows(login, personas, net):
    client = login(personas.editor)
    rows = [
        ["甲一区", "东镇", "东一村", "村", ""],
        [],
        [None, None],
        ["甲一区", "东镇", "东一村", "村", ""],
    ]
    _bad_upload(
        client,
        "villages",
        xlsx_file(TEMPLATE_HEADERS["villages"], rows),
        "与第 2 行重复",
        line=5,
    )


def test_bad_date_is_a_row_error(login, personas, net):
    client = login(personas.editor)
    rows = [["甲一区", "东镇", "", "", "", "2023-13-45"]]
    response = _bad_upload(
        client,
        "stations",
        csv_file(TEMPLATE_HEADERS["stations"], rows),
        "日期“2023-13-45”无法识别",
        line=2,
    )
    assert "启用日期：" in row_errors(response)[2][0]
    assert Station.objects.get(pk=net.a1.pk).opened_on == datetime.date(2021, 6, 1)


def test_invalid_choice_is_a_row_error(login, personas, net):
    client = login(personas.editor)
    rows = [["甲一区", "东镇", "张三", "未知", "服务性", "", "", "", ""]]
    _bad_upload(
        client,
        "workers",
        csv_file(TEMPLATE_HEADERS["workers"], rows),
        "性别：“未知”无效，应为：男、女",
        line=2,
    )


def test_point_in_a_village_of_another_town_is_a_row_error(login, personas, net):
    client = login(personas.editor)
    factories.VillageFactory(town=net.a1b.town, name="西一村")
    rows = [["甲一区", "东镇", "西一村", "东一服务点", "", ""]]
    _bad_upload(
        client,
        "points",
        csv_file(TEMPLATE_HEADERS["points"], rows),
        "未知的村（居）：“西一村”",
        line=2,
    )
