"""Shared pieces of the spreadsheet import tests (/staff/import/): the kinds and
their Chinese template headers, in-memory files, the upload and confirm calls, and
a good row of each kind."""

import csv
import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import HeldUpload
from stations.models import (
    City,
    County,
    ServicePoint,
    SocialWorker,
    Station,
    Town,
    Village,
)
from tests import factories

KINDS = ["divisions", "counties", "towns", "villages", "stations", "points", "workers"]
TEMPLATE_HEADERS = {
    "divisions": [
        "省",
        "市",
        "市行政区划代码",
        "县（市、区）",
        "县行政区划代码",
        "县级类型",
        "县简称",
        "县显示顺序",
        "镇（街道）",
        "镇级类型",
        "镇显示顺序",
    ],
    "counties": ["市", "名称", "行政区划代码", "类型", "简称", "别名", "显示顺序"],
    "towns": ["县（市、区）", "名称", "类型", "显示顺序"],
    "villages": ["县（市、区）", "镇（街道）", "名称", "类型", "备注"],
    "stations": ["县（市、区）", "镇（街道）", "名称", "地址", "联系电话", "启用日期"],
    "points": ["县（市、区）", "镇（街道）", "村（居）", "名称", "地址", "启用日期"],
    "workers": [
        "县（市、区）",
        "镇（街道）",
        "姓名",
        "性别",
        "岗位类型",
        "职业资格",
        "入职日期",
        "手机号",
        "状态",
    ],
}
CONFIRM_FORM = 'name="token"'  # only the confirm form carries the token


def xlsx_file(headers, rows, name="data.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    if headers:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_bytes(headers, rows, encoding="utf-8"):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def csv_file(headers, rows, name="data.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, csv_bytes(headers, rows, encoding))


def upload(client, kind, file):
    return client.post(f"/staff/import/{kind}/", {"file": file})


def confirm(client, kind, token, follow=True):
    return client.post(
        f"/staff/import/{kind}/confirm/", {"token": token}, follow=follow
    )


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (City, County, Town, Village, Station, ServicePoint, SocialWorker)
    }


def statuses(response):
    return [row.status for row in response.context["report"].rows]


def row_errors(response):
    return {
        row.line: row.errors for row in response.context["report"].rows if row.errors
    }


def text(response):
    return response.content.decode()


def pending_files():
    """The tokens of the uploads held for a confirmation (core/uploads.py)."""
    return list(HeldUpload.objects.values_list("token", flat=True))


# good rows for each kind, in city A (county 甲一区, towns 东镇 and 西镇)


def good_rows(kind, net):
    """Headers, one new row, and a check that the row landed, for each kind."""
    if kind == "counties":
        return (
            TEMPLATE_HEADERS["counties"],
            [["甲市", "甲三区", "441103", "区", "甲三", "甲三民政", 3]],
            lambda: County.objects.get(code="441103", city=net.city_a, name="甲三区"),
        )
    if kind == "towns":
        return (
            TEMPLATE_HEADERS["towns"],
            [["甲一区", "中镇", "镇", 3]],
            lambda: Town.objects.get(
                county=net.county_a1, name="中镇", display_order=3
            ),
        )
    if kind == "villages":
        return (
            TEMPLATE_HEADERS["villages"],
            [["甲一区", "东镇", "东一村", "村", "新村"]],
            lambda: Village.objects.get(town=net.a1.town, name="东一村", note="新村"),
        )
    if kind == "stations":
        factories.TownFactory(county=net.county_a1, name="中镇")
        return (
            TEMPLATE_HEADERS["stations"],
            [["甲一区", "中镇", "", "中镇大道 1 号", "0766-1234567", "2023-03-01"]],
            lambda: Station.objects.get(
                town__name="中镇",
                name="中镇社工站",
                opened_on=datetime.date(2023, 3, 1),
            ),
        )
    if kind == "points":
        factories.VillageFactory(town=net.a1.town, name="东一村")
        return (
            TEMPLATE_HEADERS["points"],
            [["甲一区", "东镇", "东一村", "东一服务点", "村委会二楼", "2023年3月1日"]],
            lambda: ServicePoint.objects.get(
                station=net.a1, village__name="东一村", name="东一服务点"
            ),
        )
    if kind == "workers":
        return (
            TEMPLATE_HEADERS["workers"],
            [
                [
                    "甲一区",
                    "东镇",
                    "张三",
                    "女",
                    "服务性",
                    "助理社会工作师",
                    "2023/03/01",
                    "13800000000",
                    "",
                ]
            ],
            lambda: SocialWorker.objects.get(
                station=net.a1,
                real_name="张三",
                qualification=SocialWorker.Qualification.ASSISTANT,
                status=SocialWorker.Status.ACTIVE,
                hire_date=datetime.date(2023, 3, 1),
            ),
        )
    raise AssertionError(kind)


def _bad_upload(client, kind, file, message, line=None):
    """Upload a bad file and check the common promise: 400, the message, no confirm
    button, no pending file kept, nothing written."""
    before = counts()
    response = upload(client, kind, file)
    assert response.status_code == 400
    body = text(response)
    assert message in body
    assert CONFIRM_FORM not in body
    assert counts() == before
    assert pending_files() == []
    if line is not None:
        errors = row_errors(response)
        assert line in errors, errors
        assert any(message in e for e in errors[line]), errors
    return response
