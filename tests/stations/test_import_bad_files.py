"""Files the import screens cannot take: missing columns, unreadable, empty or
oversized files are refused with a Chinese message and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stations.models import Village
from tests.stations.import_helpers import (
    TEMPLATE_HEADERS,
    _bad_upload,
    confirm,
    csv_file,
    row_errors,
    text,
    upload,
    xlsx_file,
)


def test_missing_required_column_is_a_file_error(login, personas, net):
    client = login(personas.editor)
    file = csv_file(["县（市、区）", "名称"], [["甲一区", "东一村"]])
    response = _bad_upload(client, "villages", file, "缺少列：镇（街道）")
    assert response.context["report"].rows == []  # no noise from every row
    assert "文件有错误，未导入任何数据" in text(response)


def test_missing_divisions_column_is_a_file_error(login, personas, net):
    client = login(personas.superuser)
    file = csv_file(["province", "city", "city_code"], [["广东省", "甲市", "441100"]])
    _bad_upload(client, "divisions", file, "缺少列：")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("空.csv", b"", "所提交的是空文件"),
        ("空行.csv", b"\r\n\r\n,,\r\n", "文件是空的"),
        (
            "只有列名.csv",
            "县（市、区）,镇（街道）,名称\r\n".encode(),
            "文件中没有数据行",
        ),
        (
            "notes.txt",
            "县（市、区）,镇（街道）,名称\n".encode(),
            "只支持 Excel（.xlsx）和 CSV（.csv）文件",
        ),
        (
            "broken.xlsx",
            b"PK\x03\x04 this is not really a workbook",
            "无法读取该 Excel 文件",
        ),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n", "无法读取该 Excel 文件"),
        ("binary.csv", b"\x00\x01\x02\xff\xfe\x00", "无法识别 CSV 文件的编码"),
        (
            "nul.csv",
            "县（市、区）,镇（街道）,名称\r\n甲一区,东镇\x00,东一村\r\n".encode(),
            "CSV 文件格式有误",
        ),
        (
            "ragged.csv",
            "县（市、区）,镇（街道）,名称\r\n甲一区,东镇,东一村,多余\r\n".encode(),
            "第 2 行第 4 列有数据，但这一列没有列名",
        ),
        (
            "twice.csv",
            "名称,镇（街道）,名称\r\n东一村,东镇,东二村\r\n".encode(),
            "列名重复：名称",
        ),
    ],
)
def test_unreadable_files_are_refused_with_a_chinese_message(
    login, personas, net, name, data, message
):
    client = login(personas.editor)
    _bad_upload(client, "villages", SimpleUploadedFile(name, data), message)


def test_empty_workbook_is_refused(login, personas, net):
    client = login(personas.editor)
    _bad_upload(client, "villages", xlsx_file([], []), "文件是空的")


def test_no_file_at_all_is_refused(login, personas, net):
    client = login(personas.editor)
    response = client.post("/staff/import/villages/", {})
    assert response.status_code == 400
    assert "这个字段是必填项" in text(response)


def test_oversized_file_is_refused(login, personas, net, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 200
    client = login(personas.editor)
    rows = [["甲一区", "东镇", f"东{n}村", "村", "备注" * 5] for n in range(20)]
    _bad_upload(
        client, "villages", csv_file(TEMPLATE_HEADERS["villages"], rows), "文件太大"
    )


def test_short_rows_are_padded_and_blank_village_kind_means_village(
    login, personas, net
):
    client = login(personas.editor)
    data = "县（市、区）,镇（街道）,名称,类型,备注\r\n甲一区,东镇,东一村\r\n".encode()
    response = upload(client, "villages", SimpleUploadedFile("v.csv", data))
    assert response.status_code == 200, row_errors(response)
    confirm(client, "villages", response.context["token"])
    assert Village.objects.get(name="东一村").kind == Village.Kind.VILLAGE
