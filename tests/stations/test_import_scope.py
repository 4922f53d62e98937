"""Import rows outside the uploader's scope: refused in Chinese on their line,
and nothing is written."""

from stations.models import County
from tests.stations.import_helpers import TEMPLATE_HEADERS, _bad_upload, csv_file


def test_reviewer_row_in_another_county_is_out_of_scope(login, personas, net):
    client = login(personas.reviewer)  # reviewer of 甲一区; 南镇 lies in 甲二县
    rows = [
        ["甲一区", "东镇", "张三", "女", "服务性", "", "", "", ""],
        ["甲二县", "南镇", "李四", "女", "服务性", "", "", "", ""],
    ]
    _bad_upload(
        client,
        "workers",
        csv_file(TEMPLATE_HEADERS["workers"], rows),
        "不在您的管理范围内",
        line=3,
    )


def test_reviewer_cannot_add_towns_to_another_county(login, personas, net):
    client = login(personas.reviewer)
    _bad_upload(
        client,
        "towns",
        csv_file(TEMPLATE_HEADERS["towns"], [["甲二县", "新镇", "镇", 9]]),
        "不在您的管理范围内",
        line=2,
    )


def test_editor_row_in_another_city_is_out_of_scope(login, personas, net):
    client = login(personas.other_editor)  # editor of 乙市
    rows = [["甲一区", "东镇", "东一村", "村", ""]]
    _bad_upload(
        client,
        "villages",
        csv_file(TEMPLATE_HEADERS["villages"], rows),
        "不在您的管理范围内",
        line=2,
    )


def test_editor_cannot_add_a_county_to_another_city(login, personas, net):
    client = login(personas.editor)
    rows = [["乙市", "乙二区", "441202", "区", "乙二", "", 2]]
    _bad_upload(
        client,
        "counties",
        csv_file(TEMPLATE_HEADERS["counties"], rows),
        "不在您的管理范围内",
        line=2,
    )


def test_editor_cannot_pull_another_citys_county_into_their_own_by_its_code(
    login, personas, net
):
    client = login(personas.editor)
    rows = [["甲市", "乙一区", "441201", "区", "乙一", "", 9]]
    _bad_upload(
        client,
        "counties",
        csv_file(TEMPLATE_HEADERS["counties"], rows),
        "不在您的管理范围内",
        line=2,
    )
    assert County.objects.get(code="441201").city == net.city_b
