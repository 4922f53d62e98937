"""The spreadsheet import screens (/staff/import/): templates with Chinese headers,
a dry-run preview that reports every row in Chinese, an all-or-nothing confirm, and
who may use them. Files are built in memory and uploaded as a browser would."""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from stations import services
from stations.models import (
    City,
    County,
    Role,
    ServicePoint,
    SocialWorker,
    Station,
    Town,
    Village,
)
from stations.views.imports import SESSION_KEY
from tests import factories

DATA_DIR = Path(__file__).resolve().parents[2] / "stations" / "data"
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
CONFIRM_BUTTON = "确认导入"
CONFIRM_FORM = 'name="token"'  # only the confirm form carries the token


# --- helpers ------------------------------------------------------------------------


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
    try:
        _dirs, files = default_storage.listdir("imports/pending")
    except FileNotFoundError:
        return []
    return files


# --- good rows for each kind, in city A (county 甲一区, towns 东镇 and 西镇) -------------


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


# --- templates ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_template_is_an_xlsx_whose_header_row_is_the_chinese_column_names(
    login, personas, kind
):
    response = login(personas.editor).get(f"/staff/import/{kind}/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"template-{kind}.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert header == TEMPLATE_HEADERS[kind]
    assert sheet.max_row == 1  # headers only, no sample data to import by mistake


@pytest.mark.parametrize("kind", KINDS)
def test_an_untouched_template_uploaded_back_says_it_has_no_rows(login, personas, kind):
    client = login(personas.superuser)
    template = client.get(f"/staff/import/{kind}/template.xlsx").content
    before = counts()
    response = upload(client, kind, SimpleUploadedFile("模板.xlsx", template))
    assert response.status_code == 400
    assert "文件中没有数据行" in text(response)
    assert counts() == before


# --- who may use the screens ----------------------------------------------------------


def _kind_urls(kind):
    return [f"/staff/import/{kind}/", f"/staff/import/{kind}/template.xlsx"]


def test_anonymous_is_sent_to_login_everywhere(client, net):
    urls = ["/staff/import/"] + [url for kind in KINDS for url in _kind_urls(kind)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    response = client.post("/staff/import/villages/confirm/", {"token": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["worker", "head", "supervisor", "nobody"])
def test_roles_without_network_rights_get_403_on_every_import_page(
    login, personas, persona
):
    client = login(getattr(personas, persona))
    before = counts()
    assert client.get("/staff/import/").status_code == 403
    for kind in KINDS:
        for url in _kind_urls(kind):
            assert client.get(url).status_code == 403, url
        file = csv_file(
            TEMPLATE_HEADERS["villages"], [["甲一区", "东镇", "东一村", "村", ""]]
        )
        assert upload(client, kind, file).status_code == 403
        assert confirm(client, kind, "x", follow=False).status_code == 403
    assert counts() == before


def _listed_kinds(response):
    return [kind for kind, _label in response.context["kinds"]]


@pytest.mark.parametrize("persona", ["editor", "superuser"])
def test_city_editor_and_superuser_get_every_kind(login, personas, persona):
    client = login(getattr(personas, persona))
    response = client.get("/staff/import/")
    assert response.status_code == 200
    assert _listed_kinds(response) == KINDS
    for kind in KINDS:
        assert f"/staff/import/{kind}/template.xlsx" in text(response)
        for url in _kind_urls(kind):
            assert client.get(url).status_code == 200, url


def test_county_reviewer_gets_no_divisions_or_counties(login, personas):
    client = login(personas.reviewer)
    response = client.get("/staff/import/")
    assert _listed_kinds(response) == [
        "towns",
        "villages",
        "stations",
        "points",
        "workers",
    ]
    assert "/staff/import/divisions/" not in text(response)
    for kind in ("divisions", "counties"):
        for url in _kind_urls(kind):
            assert client.get(url).status_code == 403, url
    before = counts()
    response = upload(client, "counties", csv_file(*good_rows("counties", None)[:2]))
    assert response.status_code == 403
    assert counts() == before


def test_unknown_kind_is_404(login, personas):
    client = login(personas.editor)
    assert client.get("/staff/import/beneficiaries/").status_code == 404
    assert client.get("/staff/import/beneficiaries/template.xlsx").status_code == 404
    assert confirm(client, "beneficiaries", "x", follow=False).status_code == 404


def test_confirm_only_accepts_post(login, personas):
    assert (
        login(personas.editor).get("/staff/import/villages/confirm/").status_code == 405
    )


# --- the index page's cost ------------------------------------------------------------


@pytest.mark.parametrize("extra_cities", [0, 5])
def test_index_query_count_does_not_grow_with_the_network(
    login, personas, django_assert_num_queries, extra_cities
):
    for n in range(extra_cities):
        city = factories.CityFactory(code=f"4450{n:02d}")
        factories.StationFactory(town__county__city=city)
    client = login(personas.editor)
    # 1 session, 1 user, 1 role assignments (the scope, cached on the user for the
    # rest of the request). The kinds come from code, not from the database.
    with django_assert_num_queries(3):
        response = client.get("/staff/import/")
    assert response.status_code == 200


# --- good files: preview, confirm, re-import ------------------------------------------


@pytest.mark.parametrize(
    "kind", ["counties", "towns", "villages", "stations", "points", "workers"]
)
def test_clean_file_previews_then_confirm_writes_then_reimport_is_unchanged(
    login, personas, net, kind
):
    client = login(personas.editor)
    headers, rows, landed = good_rows(kind, net)
    before = counts()

    response = upload(client, kind, xlsx_file(headers, rows))
    assert response.status_code == 200, row_errors(response)
    assert statuses(response) == ["new"]
    assert "新增" in text(response) and CONFIRM_BUTTON in text(response)
    assert CONFIRM_FORM in text(response)
    assert counts() == before  # the dry run wrote nothing

    response = confirm(client, kind, response.context["token"])
    assert response.redirect_chain[-1][0] == "/staff/import/"
    assert "导入完成：新增 1 行，更新 0 行，未变 0 行。" in text(response)
    landed()
    after = counts()
    assert sum(after.values()) == sum(before.values()) + 1

    # The same file again: every row unchanged, and confirming changes nothing.
    response = upload(client, kind, xlsx_file(headers, rows))
    assert response.status_code == 200, row_errors(response)
    assert statuses(response) == ["skip"]
    assert "未变" in text(response)
    response = confirm(client, kind, response.context["token"])
    assert "新增 0 行，更新 0 行，未变 1 行" in text(response)
    assert counts() == after


def test_a_changed_row_previews_as_update_and_confirm_changes_it(login, personas, net):
    client = login(personas.editor)
    headers = TEMPLATE_HEADERS["workers"]
    rows = [
        [
            "甲一区",
            "东镇",
            "甲一社工",
            "女",
            "服务性",
            "社会工作师",
            "",
            "13900000000",
            "休假",
        ],
        ["甲一区", "东镇", "李四", "男", "事务性", "", "", "", ""],
    ]
    response = upload(client, "workers", xlsx_file(headers, rows))
    assert statuses(response) == ["update", "new"]
    assert "更新" in text(response)
    assert SocialWorker.objects.get(pk=net.worker_a1.pk).phone == ""
    confirm(client, "workers", response.context["token"])
    worker = SocialWorker.objects.get(pk=net.worker_a1.pk)
    assert (worker.phone, worker.status, worker.qualification) == (
        "13900000000",
        SocialWorker.Status.LEAVE,
        SocialWorker.Qualification.SOCIAL_WORKER,
    )
    assert (
        SocialWorker.objects.get(station=net.a1, real_name="李四").post_type == "事务性"
    )


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030"], ids=["utf8", "utf8-bom", "gb18030"]
)
def test_csv_in_utf8_with_or_without_bom_and_gb18030_imports(
    login, personas, net, encoding
):
    client = login(personas.editor)
    data = csv_bytes(
        TEMPLATE_HEADERS["villages"],
        [
            ["甲一区", "东镇", "东一村", "村", "文字：甲乙丙丁"],
            ["甲一区", "西镇", "西一社区", "社区", ""],
        ],
        encoding,
    )
    response = upload(client, "villages", SimpleUploadedFile("村居.csv", data))
    assert response.status_code == 200, row_errors(response)
    assert statuses(response) == ["new", "new"]
    confirm(client, "villages", response.context["token"])
    assert Village.objects.get(town=net.a1.town, name="东一村").note == "文字：甲乙丙丁"
    assert Village.objects.get(town=net.a1b.town, name="西一社区").kind == "社区"


def test_excel_number_and_date_cells_import_as_text_and_dates(login, personas, net):
    # Excel turns 13800000000 into a number and 2023-03-01 into a date cell.
    client = login(personas.editor)
    headers = TEMPLATE_HEADERS["workers"]
    rows = [
        [
            "441101",
            "东镇",
            "王五",
            "男",
            "服务性",
            "无",
            datetime.datetime(2023, 3, 1),
            13800000000,
            "在岗",
        ]
    ]
    response = upload(client, "workers", xlsx_file(headers, rows))
    assert response.status_code == 200, row_errors(response)
    confirm(client, "workers", response.context["token"])
    worker = SocialWorker.objects.get(real_name="王五")
    assert (worker.station, worker.phone, worker.hire_date) == (
        net.a1,
        "13800000000",
        datetime.date(2023, 3, 1),
    )


def test_county_reviewer_imports_workers_into_own_county(login, personas, net):
    client = login(personas.reviewer)
    response = upload(client, "workers", csv_file(*good_rows("workers", net)[:2]))
    assert response.status_code == 200, row_errors(response)
    confirm(client, "workers", response.context["token"])
    assert SocialWorker.objects.filter(station=net.a1, real_name="张三").exists()


# --- bad files: a Chinese message, 400, and nothing written ---------------------------


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
    assert not client.session.get(SESSION_KEY)
    assert pending_files() == []
    if line is not None:
        errors = row_errors(response)
        assert line in errors, errors
        assert any(message in e for e in errors[line]), errors
    return response


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


# --- confirm: tokens and all-or-nothing -----------------------------------------------


def _preview_villages(client):
    response = upload(
        client,
        "villages",
        csv_file(
            TEMPLATE_HEADERS["villages"], [["甲一区", "东镇", "东一村", "村", ""]]
        ),
    )
    assert response.status_code == 200, row_errors(response)
    return response.context["token"]


def _assert_expired(response, before):
    assert response.redirect_chain[-1][0] == "/staff/import/villages/"
    assert "导入已失效，请重新上传文件。" in text(response)
    assert counts() == before


def test_confirm_with_unknown_token_writes_nothing(login, personas, net):
    client = login(personas.editor)
    _preview_villages(client)
    before = counts()
    _assert_expired(confirm(client, "villages", "0" * 32), before)
    _assert_expired(confirm(client, "villages", ""), before)


def test_confirm_with_someone_elses_token_writes_nothing(login, personas, net):
    token = _preview_villages(login(personas.editor))
    intruder = Client()
    intruder.force_login(personas.superuser)
    before = counts()
    _assert_expired(confirm(intruder, "villages", token), before)


def test_confirm_after_the_pending_file_is_gone_writes_nothing(login, personas, net):
    client = login(personas.editor)
    token = _preview_villages(client)
    default_storage.delete(client.session[SESSION_KEY][token]["path"])
    before = counts()
    _assert_expired(confirm(client, "villages", token), before)


def test_token_confirms_once(login, personas, net):
    client = login(personas.editor)
    token = _preview_villages(client)
    confirm(client, "villages", token)
    assert Village.objects.filter(name="东一村").count() == 1
    before = counts()
    _assert_expired(confirm(client, "villages", token), before)
    assert pending_files() == []


def test_token_is_bound_to_its_kind(login, personas, net):
    client = login(personas.editor)
    token = _preview_villages(client)
    before = counts()
    response = confirm(client, "towns", token)
    assert "导入已失效" in text(response)
    assert counts() == before


def test_a_new_preview_replaces_the_older_pending_one(login, personas, net):
    client = login(personas.editor)
    first = _preview_villages(client)
    second = _preview_villages(client)
    assert list(client.session[SESSION_KEY]) == [second]
    assert len(pending_files()) == 1
    before = counts()
    _assert_expired(confirm(client, "villages", first), before)


def test_data_changed_between_preview_and_confirm_writes_nothing(login, personas, net):
    client = login(personas.editor)
    middle = factories.TownFactory(county=net.county_a1, name="中镇")
    rows = [
        ["甲一区", "东镇", "东一村", "村", ""],
        ["甲一区", "中镇", "中一村", "村", ""],
    ]
    response = upload(client, "villages", csv_file(TEMPLATE_HEADERS["villages"], rows))
    assert statuses(response) == ["new", "new"]
    middle.delete()  # someone removes 中镇 before the editor confirms
    before = counts()
    response = confirm(client, "villages", response.context["token"])
    assert response.status_code == 400
    assert "检查之后数据发生了变化" in text(response)
    assert "未知的镇（街道）：“中镇”" in text(response)
    assert "未导入任何数据" in text(response)
    assert CONFIRM_FORM not in text(response)
    assert counts() == before
    assert not Village.objects.filter(name="东一村").exists()


def test_scope_lost_between_preview_and_confirm_writes_nothing(login, personas, net):
    client = login(personas.reviewer)
    response = upload(client, "workers", csv_file(*good_rows("workers", net)[:2]))
    token = response.context["token"]
    personas.reviewer.role_assignments.all().delete()
    before = counts()
    assert confirm(client, "workers", token, follow=False).status_code == 403
    assert counts() == before


# --- divisions and the shared data files ----------------------------------------------


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


# --- the Django admin offers the same resources ---------------------------------------


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
