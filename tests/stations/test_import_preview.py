"""Good files on the import screens: a dry-run preview that writes nothing, a
confirm that writes, a re-import that changes nothing, in xlsx and CSV alike."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stations.models import SocialWorker, Village
from tests.stations.import_helpers import (
    CONFIRM_FORM,
    TEMPLATE_HEADERS,
    confirm,
    counts,
    csv_bytes,
    csv_file,
    good_rows,
    row_errors,
    statuses,
    text,
    upload,
    xlsx_file,
)

CONFIRM_BUTTON = "确认导入"


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
