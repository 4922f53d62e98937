"""The activities admin (activities/admin.py): it shows reports in scope, never
lets the workflow fields be edited, keeps the review history read-only, and imports
a spreadsheet only when the whole file is clean."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from activities.models import ActivityReport, ReportPhoto, ReportTransition, Status
from activities.services import report_photo_add
from tests.activities.report_resource_helpers import counts, csv_bytes, row


def jpeg_file():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), "teal").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


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


def test_report_repair_is_a_service_with_its_own_checks(personas, reports):
    """The admin's repair of a report under review goes through report_repair:
    refused to whoever may not comment on the report, and for a draft, which
    its own pages edit."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from activities import services

    approved = reports["a1"]
    approved.title = "修补后的标题"
    with pytest.raises(PermissionDenied):
        services.report_repair(report=approved, by=personas.other_worker, changed=[])
    draft = next(r for r in reports.values() if r.status == Status.DRAFT)
    with pytest.raises(ValidationError, match="报告页面"):
        services.report_repair(report=draft, by=personas.superuser, changed=[])
    services.report_repair(report=approved, by=personas.superuser, changed=["标题"])
    approved.refresh_from_db()
    assert approved.title == "修补后的标题" and approved.status == Status.APPROVED
