"""Importing a station's existing sheets: template, dry-run preview (masked),
row errors in Chinese, all or nothing, and the audit row."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beneficiaries.models import Beneficiary
from beneficiaries.resources import template_headers
from core.models import AuditEntry
from tests import factories
from tests.beneficiaries.conftest import new_id

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = [
    "姓名",
    "身份证号",
    "联系电话",
    "镇（街道）",
    "村（居）",
    "服务对象类别",
    "出生日期",
    "性别",
]


def _csv(rows, headers=HEADERS):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile("files.csv", out.getvalue().encode("utf-8-sig"))


@pytest.fixture
def village(net):
    return factories.VillageFactory(town=net.a1.town, name="东村")


def _upload(client, upload):
    return client.post("/staff/beneficiaries/import/", {"file": upload})


def test_template_has_the_chinese_headers(login, personas, net):
    response = login(personas.worker).get("/staff/beneficiaries/import/template/")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    first = next(book.worksheets[0].iter_rows(values_only=True))
    assert list(first) == template_headers()
    assert first[:4] == ("姓名", "性别", "出生日期", "身份证号")
    assert "社工站" not in first  # export-only columns are not asked for


def test_clean_file_previews_masked_then_imports(login, personas, net, village):
    a, b = new_id(D(2015, 1, 2)), new_id(D(1950, 3, 4), male=False)
    client = login(personas.worker)
    response = _upload(
        client,
        _csv(
            [
                [
                    "示例·甲",
                    a,
                    "13811112222",
                    "东镇",
                    "东村",
                    "困境儿童、留守儿童",
                    "",
                    "",
                ],
                ["示例·乙", b, "", "", "东村", "独居/空巢老人", "1950-03-04", "女"],
            ]
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "检查通过：将新建 2 份档案" in html
    assert a not in html and "13811112222" not in html
    assert a[:4] + "**********" + a[-4:] in html and "138****2222" in html
    assert not Beneficiary.objects.exists()  # a dry run writes nothing
    token = response.context["token"]
    response = client.post("/staff/beneficiaries/import/confirm/", {"token": token})
    assert response.status_code == 302
    files = {f.name: f for f in Beneficiary.objects.prefetch_related("categories")}
    assert files["示例·甲"].gender == "男"
    assert files["示例·甲"].birth_date == D(2015, 1, 2)
    assert files["示例·甲"].village == village
    assert {c.name for c in files["示例·甲"].categories.all()} == {
        "困境儿童",
        "留守儿童",
    }
    assert files["示例·乙"].station_id == net.a1.pk
    row = AuditEntry.objects.get(action="import")
    assert "2" in row.detail and row.username == personas.worker.username
    # A token confirms once.
    again = client.post("/staff/beneficiaries/import/confirm/", {"token": token})
    assert again.status_code == 302
    assert Beneficiary.objects.count() == 2


def test_row_errors_in_chinese_and_nothing_written(
    login, personas, net, village, file_a1, file_a2
):
    good = new_id(D(2016, 2, 2))
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    born = new_id(D(2016, 3, 3))
    twin = new_id(D(2016, 4, 4))
    rows = [
        ["示例·好", good, "", "", "东村", "", "", ""],
        ["示例·校验", bad_check, "", "", "", "", "", ""],
        ["示例·生日", born, "", "", "", "", "2016-03-04", ""],
        ["示例·性别", new_id(D(2016, 5, 5), male=True), "", "", "", "", "", "女"],
        ["示例·村", new_id(D(2016, 6, 6)), "", "", "不存在村", "", "", ""],
        ["示例·重号", file_a2.id_number, "", "", "", "", "", ""],
        ["示例·同文件", twin, "", "", "", "", "", ""],
        ["示例·同文件二", twin, "", "", "", "", "", ""],
        [file_a1.name, "", "", "", "", "", file_a1.birth_date.isoformat(), "男"],
        ["示例·类别", "", "", "", "", "外星人", "", "男"],
    ]
    response = _upload(login(personas.worker), _csv(rows))
    assert response.status_code == 400
    report = response.context["report"]
    errors = {row.line: " ".join(row.errors) for row in report.rows if row.errors}
    assert 2 not in errors
    assert "校验位" in errors[3]
    assert "出生日期与身份证号不一致" in errors[4]
    assert "性别与身份证号不一致" in errors[5]
    assert "未知的村（居）" in errors[6]
    assert "重复：系统中已有同一身份证号的档案" in errors[7]
    assert file_a2.id_number_masked in errors[7]
    assert file_a2.id_number not in errors[7]
    assert "与第 8 行身份证号相同" in errors[9]
    assert "本市已有同名、同出生日期的档案" in errors[10]
    assert "未知的服务对象类别" in errors[11]
    assert Beneficiary.objects.count() == 2
    assert "token" not in response.context
    html = response.content.decode()
    assert file_a2.id_number not in html and good not in html


def test_missing_and_unknown_columns_are_file_errors(login, personas, net):
    response = _upload(
        login(personas.worker), _csv([["x", "y"]], headers=["名字", "身份证号"])
    )
    assert response.status_code == 400
    errors = " ".join(response.context["report"].file_errors)
    assert "缺少列：姓名" in errors
    assert "无法识别的列：名字" in errors


def test_ambiguous_village_needs_the_town(login, personas, net):
    factories.VillageFactory(town=net.a1.town, name="同名村")
    factories.VillageFactory(town=net.a1b.town, name="同名村")
    rows = [["示例·甲", "", "", "", "同名村", "", "2015-01-01", "男"]]
    # The station's own town wins when the town is left out.
    assert _upload(login(personas.worker), _csv(rows)).status_code == 200
    rows = [["示例·甲", "", "", "西镇", "同名村", "", "2015-01-01", "男"]]
    assert _upload(login(personas.worker), _csv(rows)).status_code == 200


def test_xlsx_import(login, personas, net):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "出生日期"])
    sheet.append(["示例·表格", new_id(D(2010, 10, 10)), D(2010, 10, 10)])
    data = io.BytesIO()
    book.save(data)
    client = login(personas.worker)
    response = _upload(client, SimpleUploadedFile("f.xlsx", data.getvalue()))
    assert response.status_code == 200
    client.post(
        "/staff/beneficiaries/import/confirm/", {"token": response.context["token"]}
    )
    assert Beneficiary.objects.get().name == "示例·表格"


def test_the_same_file_twice_adds_nothing(login, personas, net):
    rows = [["示例·甲", new_id(D(2015, 1, 2)), "", "", "", "", "", ""]]
    client = login(personas.worker)
    first = _upload(client, _csv(rows))
    client.post(
        "/staff/beneficiaries/import/confirm/", {"token": first.context["token"]}
    )
    second = _upload(client, _csv(rows))
    assert second.status_code == 400
    assert Beneficiary.objects.count() == 1


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("f.txt", b"abc"), "只支持"),
        (SimpleUploadedFile("f.xlsx", b"not a workbook"), "无法读取"),
        (SimpleUploadedFile("f.csv", "姓名\n".encode()), "没有数据行"),
    ],
)
def test_bad_files_are_refused(login, personas, net, upload, message):
    response = _upload(login(personas.worker), upload)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_stale_token_is_refused(login, personas, net):
    response = login(personas.worker).post(
        "/staff/beneficiaries/import/confirm/", {"token": "nope"}, follow=True
    )
    assert "导入已失效" in response.content.decode()


def test_reviewer_cannot_import(login, personas, net):
    rows = [["示例·甲", "", "", "", "", "", "2015-01-01", "男"]]
    assert _upload(login(personas.reviewer), _csv(rows)).status_code == 403
    assert not Beneficiary.objects.exists()


def test_pending_upload_is_kept_in_the_database_and_cleared(login, personas, net):
    from core.models import HeldUpload

    rows = [["示例·甲", new_id(D(2015, 1, 2)), "", "", "", "", "", ""]]
    client = login(personas.worker)
    first = _upload(client, _csv(rows))
    second = _upload(client, _csv(rows))
    # Only the latest upload waits; cancelling deletes it.
    assert HeldUpload.objects.count() == 1
    assert HeldUpload.objects.get().token == second.context["token"]
    stale = client.post(
        "/staff/beneficiaries/import/confirm/", {"token": first.context["token"]}
    )
    assert stale.status_code == 302
    assert not Beneficiary.objects.exists()
    client.post(
        "/staff/beneficiaries/import/cancel/", {"token": second.context["token"]}
    )
    assert not HeldUpload.objects.exists()


def test_another_user_cannot_confirm_an_upload(login, personas, net):
    rows = [["示例·甲", new_id(D(2015, 1, 2)), "", "", "", "", "", ""]]
    token = _upload(login(personas.worker), _csv(rows)).context["token"]
    login(personas.head).post("/staff/beneficiaries/import/confirm/", {"token": token})
    assert not Beneficiary.objects.exists()


def test_a_file_that_changed_since_its_preview_says_so_and_writes_nothing(
    login, personas, net, make_file
):
    """Between the preview and the confirmation someone filed the same person:
    the real run refuses the row, says the data changed since the check, on
    the station's page, and writes nothing."""
    number = new_id(D(2015, 1, 2))
    client = login(personas.worker)
    preview = _upload(client, _csv([["示例·甲", number, "", "", "", "", "", ""]]))
    assert preview.status_code == 200
    make_file(personas.worker, net.a1, name="示例·乙", id_number=number)
    response = client.post(
        "/staff/beneficiaries/import/confirm/", {"token": preview.context["token"]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "检查之后数据发生了变化" in html and net.a1.full_name in html
    assert Beneficiary.objects.count() == 1
