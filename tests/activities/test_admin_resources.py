"""The activities admin and the report spreadsheet resource (activities/admin.py,
activities/resources.py, the import_reports command).

The admin shows reports in scope, never lets the workflow fields be edited and
keeps the review history read-only. The export gives what the user may read, in a
fixed number of queries. The import back-fills approved historical reports within
the importing user's review scope, row by row with Chinese messages, and writes
nothing unless the whole file is clean."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from activities.models import ActivityReport, ReportPhoto, ReportTransition, Status
from activities.photos import report_photo_add
from activities.resources import (
    BACKFILL_COMMENT,
    ActivityReportResource,
    import_reports,
    reports_export_queryset,
    template_headers,
)
from stations.imports import read_dataset

HEADERS = [
    "填报层级",
    "市",
    "县（市、区）",
    "镇（街道）",
    "标题",
    "开始日期",
    "结束日期",
    "活动类型",
    "服务对象类别",
    "合作单位",
    "服务人次",
    "户数",
    "人数",
    "志愿者人数",
    "服务时长",
    "正文",
]


def row(**values):
    """One import row as a list in HEADERS order; a good station row of 东镇
    (station a1, county 甲一区) unless told otherwise."""
    data = {
        "填报层级": "社工站",
        "市": "",
        "县（市、区）": "甲一区",
        "镇（街道）": "东镇",
        "标题": "开展敬老爱老活动",
        "开始日期": "2022-10-04",
        "结束日期": "",
        "活动类型": "社区活动",
        "服务对象类别": "老年人、独居/空巢老人",
        "合作单位": "村委、某某志愿协会",
        "服务人次": "30",
        "户数": "",
        "人数": "12",
        "志愿者人数": "5",
        "服务时长": "6.5",
        "正文": "社工站在东村开展敬老活动。",
    }
    data.update(values)
    return [data[h] for h in HEADERS]


def csv_bytes(rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def dataset(rows, headers=HEADERS):
    return read_dataset("reports.csv", csv_bytes(rows, headers))


def counts():
    return (
        ActivityReport.objects.count(),
        ReportTransition.objects.count(),
        ActivityReport.categories.through.objects.count(),
        ActivityReport.partners.through.objects.count(),
    )


def fresh(user):
    """The user as a new request would load it: no scope cached on the object."""
    return type(user).objects.get(pk=user.pk)


def jpeg_file():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), "teal").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


@pytest.fixture
def reports(net, personas, make_report):
    """A report of each level in city A, one of another county and one of city B."""
    return {
        "a1": make_report(
            personas.worker,
            net.a1,
            status="approved",
            reviewer=personas.reviewer,
            title="东镇关爱活动",
        ),
        "a1_draft": make_report(personas.worker, net.a1, title="东镇草稿"),
        "county_a1": make_report(
            personas.reviewer, net.county_a1, status="submitted", title="甲一区会议"
        ),
        "a2": make_report(personas.other_worker, net.a2, title="南镇宣传"),
        "city_a": make_report(personas.editor, net.city_a, title="甲市培训"),
        "city_b": make_report(personas.other_editor, net.city_b, title="乙市培训"),
    }


# --- Admin --------------------------------------------------------------------------


def test_admin_report_pages_render_for_superuser(login, personas, reports):
    report = reports["a1_draft"]
    report_photo_add(
        report=report, by=personas.worker, file=jpeg_file(), caption="活动现场"
    )
    client = login(personas.superuser)

    changelist = client.get("/admin/activities/activityreport/")
    assert changelist.status_code == 200
    content = changelist.content.decode()
    for title in ("东镇关爱活动", "甲一区会议", "乙市培训"):
        assert title in content

    change = client.get(f"/admin/activities/activityreport/{report.pk}/change/")
    assert change.status_code == 200
    content = change.content.decode()
    assert 'name="title"' in content
    # The workflow fields are shown, not editable: status goes through services.
    for name in ("status", "approved_at", "approved_by", "submitted_at"):
        assert f'name="{name}"' not in content
    assert "活动现场" in content  # the photo, as a thumbnail with its caption
    assert report.photos.get().thumb.url in content
    assert "创建" in content  # the history inline


@pytest.mark.parametrize("extra", [0, 5])
def test_admin_report_changelist_query_count_is_fixed(
    extra, login, personas, net, make_report, django_assert_num_queries
):
    for n in range(1 + extra):
        unit = [net.a1, net.county_a1, net.city_a][n % 3]
        author = {net.a1: personas.worker, net.county_a1: personas.reviewer}.get(
            unit, personas.editor
        )
        make_report(author, unit, title=f"报告{n}")
    client = login(personas.superuser)
    # 1 session, 1 user, 1 role scope (get_queryset goes through the scope
    # module), 1 list of kinds and 1 of counties for the filters, 2 counts
    # (filtered and total), 1 page of reports with their unit and kind joined,
    # 2 for the date hierarchy (the date range, then the dates in it); whatever
    # the number of reports.
    with django_assert_num_queries(10):
        response = client.get("/admin/activities/activityreport/")
    assert response.status_code == 200


def test_admin_cannot_add_a_report_or_write_history(login, personas, reports):
    client = login(personas.superuser)
    assert client.get("/admin/activities/activityreport/add/").status_code == 403

    transition = reports["a1"].transitions.first()
    assert client.get("/admin/activities/reporttransition/").status_code == 200
    assert client.get("/admin/activities/reporttransition/add/").status_code == 403
    view = client.get(f"/admin/activities/reporttransition/{transition.pk}/change/")
    assert view.status_code == 200  # view only
    assert 'name="comment"' not in view.content.decode()
    before = ReportTransition.objects.count()
    response = client.post(
        f"/admin/activities/reporttransition/{transition.pk}/change/",
        {"comment": "改写历史"},
    )
    assert response.status_code == 403
    response = client.post(
        f"/admin/activities/reporttransition/{transition.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert ReportTransition.objects.count() == before


def _change_data(report, **changes):
    data = {
        "title": report.title,
        "subtitle": report.subtitle,
        "start_date": report.start_date.isoformat(),
        "end_date": "",
        "town": report.town_id or "",
        "village": "",
        "place_text": report.place_text,
        "kind": report.kind_id,
        "other_partners": "",
        "project": "",
        "person_times": report.person_times or "",
        "households": "",
        "persons": "",
        "volunteers": "",
        "service_hours": "",
        "body": report.body,
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_admin_repair_of_an_approved_report_is_left_in_its_history(
    login, personas, reports
):
    report = reports["a1"]
    client = login(personas.superuser)
    response = client.post(
        f"/admin/activities/activityreport/{report.pk}/change/",
        _change_data(report, title="东镇关爱困境儿童活动"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.title == "东镇关爱困境儿童活动"
    assert report.status == Status.APPROVED  # unchanged: not a workflow step
    last = report.transitions.last()
    assert last.action == ReportTransition.Action.COMMENT
    assert last.by == personas.superuser
    assert "标题" in last.comment


def test_admin_edit_of_a_draft_goes_through_the_update_service(
    login, personas, reports
):
    report = reports["a1_draft"]
    client = login(personas.superuser)
    response = client.post(
        f"/admin/activities/activityreport/{report.pk}/change/",
        _change_data(report, end_date="2023-01-01"),
    )
    # report_update validates: the end date before the start date is refused.
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    report.refresh_from_db()
    assert report.end_date is None


def test_admin_lists_only_reports_in_scope_for_staff_reviewer(login, personas, reports):
    reviewer = personas.reviewer
    reviewer.is_staff = True
    reviewer.save()
    reviewer.user_permissions.add(
        Permission.objects.get(codename="view_activityreport")
    )
    response = login(reviewer).get("/admin/activities/activityreport/")
    assert response.status_code == 200
    shown = {r.title for r in response.context["cl"].result_list}
    assert shown == {"东镇关爱活动", "东镇草稿", "甲一区会议"}


def test_admin_export_of_a_staff_reviewer_holds_only_their_county(
    login, personas, reports
):
    reviewer = personas.reviewer
    reviewer.is_staff = True
    reviewer.save()
    reviewer.user_permissions.add(
        Permission.objects.get(codename="view_activityreport")
    )
    client = login(reviewer)
    url = "/admin/activities/activityreport/export/"
    form = client.get(url).context["form"]
    data = {name: "on" for name in form.fields if name.startswith("activity")}
    response = client.post(url, {**data, "format": "1", "resource": "0"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["标题"] for r in rows} == {"东镇关爱活动", "东镇草稿", "甲一区会议"}
    assert rows[0]["填报层级"] in {"社工站", "县（市、区）民政局"}


def test_admin_editable_lists_change_order_and_activity_in_the_list(login, personas):
    client = login(personas.superuser)
    for model in ("activitykind", "beneficiarycategory", "partner"):
        response = client.get(f"/admin/activities/{model}/")
        assert response.status_code == 200
        assert 'name="form-0-display_order"' in response.content.decode()
        assert 'name="form-0-is_active"' in response.content.decode()


def test_admin_project_and_training_pages_render(login, personas, net):
    client = login(personas.superuser)
    for url in (
        "/admin/activities/project/",
        "/admin/activities/project/add/",
        "/admin/activities/training/",
        "/admin/activities/training/add/",
        "/admin/activities/trainingsession/",
    ):
        assert client.get(url).status_code == 200, url


# --- Export ---------------------------------------------------------------------------


def test_export_headers_are_chinese():
    assert template_headers() == [
        "填报层级",
        "市",
        "县（市、区）",
        "镇（街道）",
        "标题",
        "副标题",
        "开始日期",
        "结束日期",
        "活动类型",
        "服务对象类别",
        "合作单位",
        "服务人次",
        "户数",
        "人数",
        "志愿者人数",
        "服务时长",
        "正文",
    ]


@pytest.mark.parametrize("extra", [0, 4])
def test_reviewer_export_holds_only_their_county_in_fixed_queries(
    extra, net, personas, reports, make_report, kinds, django_assert_num_queries
):
    for n in range(extra):
        report = make_report(personas.worker, net.a1, title=f"东镇活动{n}")
        report.categories.set([])
    reviewer = fresh(personas.reviewer)
    # 1 role scope, 1 count and 1 page (import-export pages a prefetching
    # export), 1 for the categories and 1 for the partners of the whole page.
    with django_assert_num_queries(5):
        data = ActivityReportResource(user=reviewer).export()
    titles = set(data["标题"])
    assert titles == {"东镇关爱活动", "东镇草稿", "甲一区会议"} | {
        f"东镇活动{n}" for n in range(extra)
    }
    first = dict(
        zip(data.headers, data[list(data["标题"]).index("东镇关爱活动")], strict=True)
    )
    assert first["填报层级"] == "社工站"
    assert first["县（市、区）"] == "甲一区"
    assert first["镇（街道）"] == "东镇"
    assert first["活动类型"] == "宣传"
    assert first["服务人次"] == 21
    assert first["状态"] == "已通过"


def test_export_of_the_editor_and_the_worker_follows_their_scope(
    net, personas, reports
):
    editor = {r.title for r in reports_export_queryset(fresh(personas.editor))}
    assert editor == {"东镇关爱活动", "东镇草稿", "甲一区会议", "南镇宣传", "甲市培训"}
    worker = {r.title for r in reports_export_queryset(fresh(personas.worker))}
    assert worker == {"东镇关爱活动", "东镇草稿"}
    assert not reports_export_queryset(fresh(personas.nobody)).exists()
    # A queryset handed in from elsewhere is still cut down to the scope.
    data = ActivityReportResource(user=fresh(personas.worker)).export(
        queryset=ActivityReport.objects.all()
    )
    assert set(data["标题"]) == {"东镇关爱活动", "东镇草稿"}


def test_export_round_trips_through_the_import(net, personas, reports):
    exported = ActivityReportResource(user=fresh(personas.reviewer)).export()
    # The reviewer's own export is already in the database: every row repeats.
    report = import_reports(
        read_dataset("export.csv", exported.csv.encode("utf-8")),
        user=personas.reviewer,
        dry_run=True,
    )
    assert not report.file_errors
    assert len(report.error_rows) == len(exported)
    assert all("系统中已有这份报告" in r.errors[0] for r in report.error_rows)


# --- Import -------------------------------------------------------------------------


def test_import_backfills_approved_reports_with_a_transition(net, personas, kinds):
    rows = [
        row(),
        row(
            **{
                "填报层级": "县（市、区）民政局",
                "镇（街道）": "",
                "标题": "召开社工站工作推进会",
                "开始日期": "2022/11/02",
                "结束日期": "2022年11月02日",
                "活动类型": "会议",
                "服务对象类别": "社工",
                "合作单位": "",
            }
        ),
    ]
    report = import_reports(dataset(rows), user=personas.reviewer, dry_run=False)
    assert report.ok, (report.file_errors, [r.errors for r in report.rows])
    assert report.count("new") == 2

    station = ActivityReport.objects.get(title="开展敬老爱老活动")
    assert station.status == Status.APPROVED
    assert (station.level, station.station, station.county, station.city) == (
        "station",
        net.a1,
        net.county_a1,
        net.city_a,
    )
    assert station.town == net.a1.town
    assert station.author == station.approved_by == personas.reviewer
    assert station.approved_at is not None
    assert station.published_at is None
    assert station.kind == kinds["社区活动"]
    assert [c.name for c in station.categories.all()] == ["老年人", "独居/空巢老人"]
    assert [p.name for p in station.partners.all()] == ["村委"]
    assert station.other_partners == "某某志愿协会"
    assert (station.person_times, station.persons, station.volunteers) == (30, 12, 5)
    assert str(station.service_hours) == "6.5"
    [transition] = station.transitions.all()
    assert (transition.action, transition.from_status, transition.to_status) == (
        ReportTransition.Action.CREATE,
        "",
        Status.APPROVED,
    )
    assert transition.by == personas.reviewer
    assert transition.comment == BACKFILL_COMMENT

    county = ActivityReport.objects.get(title="召开社工站工作推进会")
    assert (county.level, county.county, county.station) == (
        "county",
        net.county_a1,
        None,
    )
    assert county.end_date == datetime.date(2022, 11, 2)
    assert county.transitions.count() == 1


def test_city_editor_backfills_city_reports_with_the_city_taken_from_the_role(
    net, personas
):
    rows = [
        row(
            **{
                "填报层级": "市民政局",
                "县（市、区）": "",
                "镇（街道）": "",
                "标题": "举办全市社工培训",
                "活动类型": "培训",
            }
        ),
        row(**{"县（市、区）": "甲二县", "镇（街道）": "南镇", "标题": "南镇活动"}),
    ]
    report = import_reports(dataset(rows), user=personas.editor, dry_run=False)
    assert report.ok, [r.errors for r in report.rows]
    city = ActivityReport.objects.get(title="举办全市社工培训")
    assert (city.level, city.city, city.county) == ("city", net.city_a, None)
    assert ActivityReport.objects.get(title="南镇活动").station == net.a2


def test_dry_run_writes_nothing(net, personas):
    before = counts()
    report = import_reports(dataset([row()]), user=personas.reviewer, dry_run=True)
    assert report.ok
    assert report.count("new") == 1
    assert counts() == before


BAD_ROWS = [
    ({"镇（街道）": "不存在镇"}, "镇（街道）：未知的镇（街道）：“不存在镇”"),
    ({"县（市、区）": "不存在区"}, "县（市、区）：未知的县（市、区）：“不存在区”"),
    ({"活动类型": "跳舞"}, "活动类型：未知的活动类型：“跳舞”"),
    ({"活动类型": ""}, "活动类型：“活动类型”不能为空"),
    ({"开始日期": "2022-13-04"}, "开始日期：日期“2022-13-04”无法识别"),
    ({"开始日期": ""}, "开始日期："),
    ({"结束日期": "2022-10-01"}, "结束日期：结束日期不能早于开始日期"),
    ({"服务人次": "-3"}, "服务人次：“服务人次”不能为负数"),
    ({"人数": "1.5"}, "人数：“人数”应为整数，“1.5”不是整数"),
    ({"户数": "许多"}, "户数：“户数”应为数字，“许多”不是数字"),
    ({"服务时长": "-2"}, "服务时长：“服务时长”不能为负数"),
    ({"服务时长": "1.25"}, "服务时长：“服务时长”最多保留一位小数"),
    ({"服务对象类别": "外星人"}, "服务对象类别：未知的服务对象类别：“外星人”"),
    ({"填报层级": "乡政府"}, "填报层级：“乡政府”无效"),
    ({"填报层级": ""}, "填报层级：“填报层级”不能为空"),
    ({"标题": ""}, "标题："),
    ({"县（市、区）": ""}, "县（市、区）：社工站填报的报告须填写县（市、区）"),
    (
        # Two cities in the installation and none named on the row.
        {"填报层级": "市民政局", "县（市、区）": "", "镇（街道）": ""},
        "市：市民政局填报的报告须填写“市”",
    ),
    ({"镇（街道）": ""}, "镇（街道）：社工站填报的报告须填写社工站所在的镇（街道）"),
    (
        {"填报层级": "市民政局", "镇（街道）": ""},
        "县（市、区）：市民政局填报的报告不填县（市、区）",
    ),
]


@pytest.mark.parametrize("changes,message", BAD_ROWS)
def test_bad_row_gets_a_chinese_message_and_nothing_is_written(
    changes, message, net, personas
):
    before = counts()
    # A good row first: one bad row stops the whole file.
    rows = [row(**{"标题": "好的一行"}), row(**changes)]
    report = import_reports(dataset(rows), user=personas.reviewer, dry_run=False)
    assert not report.ok
    [bad] = report.error_rows
    assert bad.line == 3
    assert any(e.startswith(message) for e in bad.errors), bad.errors
    assert counts() == before


def test_row_repeating_another_row_or_a_stored_report_is_refused(
    net, personas, reports
):
    rows = [
        row(),
        row(**{"结束日期": "2022-10-05"}),  # same unit, title and start date
        row(**{"标题": "东镇关爱活动", "开始日期": "2023-02-25"}),  # already stored
        row(**{"镇（街道）": "西镇"}),  # another station: not a repeat
    ]
    before = counts()
    report = import_reports(dataset(rows), user=personas.reviewer, dry_run=False)
    errors = {r.line: r.errors for r in report.error_rows}
    assert errors == {
        3: ["标题：与第 2 行重复（同一填报单位、标题和开始日期）"],
        4: ["标题：系统中已有这份报告（同一填报单位、标题和开始日期）"],
    }
    assert counts() == before


def test_rows_outside_the_importers_review_scope_are_refused(net, personas):
    outside = [
        row(**{"县（市、区）": "甲二县", "镇（街道）": "南镇"}),  # another county
        row(
            **{
                "填报层级": "县（市、区）民政局",
                "县（市、区）": "甲二县",
                "镇（街道）": "",
            }
        ),
        row(
            **{
                "填报层级": "市民政局",
                "市": "甲市",
                "县（市、区）": "",
                "镇（街道）": "",
            }
        ),
        row(**{"县（市、区）": "乙一区", "镇（街道）": "北镇"}),  # another city
    ]
    before = counts()
    report = import_reports(dataset(outside), user=personas.reviewer, dry_run=False)
    assert len(report.error_rows) == 4
    for bad in report.error_rows:
        assert any("不在您的管理范围内" in e for e in bad.errors), bad.errors
    # A worker files for the station but does not review it: no back-filling.
    for user in (personas.worker, personas.supervisor, personas.nobody):
        report = import_reports(dataset([row()]), user=user, dry_run=False)
        assert "不在您的管理范围内" in report.error_rows[0].errors[0]
    assert counts() == before


@pytest.mark.parametrize(
    "headers,message",
    [
        ([h for h in HEADERS if h != "活动类型"], "缺少列：活动类型"),
        (HEADERS + ["备注"], "无法识别的列：备注"),
    ],
)
def test_file_with_wrong_columns_is_refused(headers, message, net, personas):
    rows = [[c for h, c in zip(HEADERS, row(), strict=True) if h in headers]]
    rows[0] += [""] * (len(headers) - len(rows[0]))
    before = counts()
    report = import_reports(
        dataset(rows, headers), user=personas.reviewer, dry_run=False
    )
    assert any(message in e for e in report.file_errors), report.file_errors
    assert counts() == before


# --- The command ---------------------------------------------------------------------


def _write(tmp_path, rows, name="reports.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return str(path)


def test_command_imports_a_clean_file(tmp_path, net, personas):
    out = io.StringIO()
    call_command(
        "import_reports", _write(tmp_path, [row()]), "--user", "carol", stdout=out
    )
    assert "已补录 1 份历史报告" in out.getvalue()
    assert (
        ActivityReport.objects.get(title="开展敬老爱老活动").status == Status.APPROVED
    )


def test_command_dry_run_writes_nothing(tmp_path, net, personas):
    before = counts()
    out = io.StringIO()
    call_command(
        "import_reports",
        _write(tmp_path, [row()]),
        "--user",
        "carol",
        "--dry-run",
        stdout=out,
    )
    assert "试运行" in out.getvalue()
    assert counts() == before


def test_command_prints_row_errors_and_exits_non_zero(tmp_path, net, personas, capsys):
    path = _write(tmp_path, [row(), row(**{"活动类型": "跳舞"})])
    before = counts()
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(
            ["manage.py", "import_reports", path, "--user", "carol"]
        ).execute()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "第 3 行：活动类型：未知的活动类型：“跳舞”" in err
    assert "未写入任何数据" in err
    assert counts() == before


@pytest.mark.parametrize(
    "args,message",
    [
        (["missing.csv", "--user", "carol"], "找不到文件"),
        (["{file}", "--user", "nobody-here"], "找不到用户"),
        (["{bad}", "--user", "carol"], "只支持 Excel"),
    ],
)
def test_command_refuses_bad_arguments(args, message, tmp_path, net, personas):
    good = _write(tmp_path, [row()])
    bad = tmp_path / "reports.txt"
    bad.write_text("x")
    args = [a.format(file=good, bad=bad) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("import_reports", *args)


# --- The admin import -------------------------------------------------------------


def test_admin_import_shows_row_errors_and_writes_nothing(login, personas, net):
    client = login(personas.superuser)
    file = SimpleUploadedFile("r.csv", csv_bytes([row(**{"活动类型": "跳舞"})]))
    before = counts()
    response = client.post(
        "/admin/activities/activityreport/import/",
        {"import_file": file, "format": "1"},
    )
    assert response.status_code == 200
    assert response.context["result"].has_validation_errors()
    assert "未知的活动类型" in response.content.decode()
    assert "confirm_form" not in response.context or not response.context.get(
        "confirm_form"
    )
    assert counts() == before


def test_admin_import_confirms_a_clean_file_as_the_importing_user(login, personas, net):
    client = login(personas.superuser)
    file = SimpleUploadedFile("r.csv", csv_bytes([row()]))
    response = client.post(
        "/admin/activities/activityreport/import/",
        {"import_file": file, "format": "1"},
    )
    confirm = response.context["confirm_form"]
    assert confirm is not None
    assert not ActivityReport.objects.exists()
    response = client.post(
        "/admin/activities/activityreport/process_import/",
        {
            name: confirm.initial[name]
            for name in confirm.fields
            if name in confirm.initial
        },
    )
    assert response.status_code == 302
    report = ActivityReport.objects.get(title="开展敬老爱老活动")
    assert report.status == Status.APPROVED
    assert report.transitions.get().by == personas.superuser


def test_photos_of_a_report_are_not_editable_in_the_admin(login, personas, reports):
    report = reports["a1_draft"]
    report_photo_add(report=report, by=personas.worker, file=jpeg_file(), caption="x")
    photo = ReportPhoto.objects.get()
    client = login(personas.superuser)
    content = client.get(
        f"/admin/activities/activityreport/{report.pk}/change/"
    ).content.decode()
    assert 'name="photos-0-caption"' not in content
    assert photo.caption in content
