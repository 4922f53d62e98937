"""The staff report pages: list, filing and editing, the report page, the review
queue; who may use each; bad input; and their pinned query counts."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import strip_tags
from PIL import Image

from activities import services
from activities.models import (
    ActivityKind,
    ActivityReport,
    BeneficiaryCategory,
    Partner,
    Project,
    ReportPhoto,
    ReportTransition,
    Status,
)
from stations import services as station_services
from stations.models import Role
from tests import factories

D = datetime.date


def _titles(response):
    return {report.title for report in response.context["page"]}


@pytest.fixture
def villages(net):
    return {
        "dongcun": factories.VillageFactory(town=net.a1.town, name="东村"),
        "beicun": factories.VillageFactory(town=net.a1.town, name="北村"),
        "xicun": factories.VillageFactory(town=net.a1b.town, name="西村"),
        "nancun": factories.VillageFactory(town=net.a2.town, name="南村"),
    }


@pytest.fixture
def spread(net, personas, make_report):
    """One report of each unit a persona may or may not see."""
    return {
        "a1": make_report(personas.worker, net.a1, title="东镇站报告"),
        "a2": make_report(personas.other_worker, net.a2, title="南镇站报告"),
        "county": make_report(personas.reviewer, net.county_a1, title="甲一区局报告"),
        "city": make_report(personas.editor, net.city_a, title="甲市局报告"),
        "b1": make_report(personas.other_editor, net.city_b, title="乙市局报告"),
    }


# --- The list ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "titles"),
    [
        ("worker", {"东镇站报告"}),
        ("head", {"东镇站报告"}),
        ("other_worker", {"南镇站报告"}),
        ("supervisor", {"东镇站报告"}),
        ("reviewer", {"东镇站报告", "甲一区局报告"}),
        ("other_reviewer", {"南镇站报告"}),
        ("editor", {"东镇站报告", "南镇站报告", "甲一区局报告", "甲市局报告"}),
        ("other_editor", {"乙市局报告"}),
        (
            "superuser",
            {"东镇站报告", "南镇站报告", "甲一区局报告", "甲市局报告", "乙市局报告"},
        ),
    ],
)
def test_list_shows_reports_in_scope(login, personas, spread, persona, titles):
    response = login(getattr(personas, persona)).get("/staff/reports/")
    assert response.status_code == 200
    assert _titles(response) == titles


def test_list_refuses_users_without_role(login, personas, client, spread):
    assert login(personas.nobody).get("/staff/reports/").status_code == 403
    client.logout()
    response = client.get("/staff/reports/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_newest_first_with_status_badges(login, personas, net, make_report):
    make_report(personas.worker, net.a1, title="早", start_date=D(2023, 1, 5))
    make_report(
        personas.worker,
        net.a1,
        title="晚",
        start_date=D(2023, 3, 5),
        status="approved",
        reviewer=personas.reviewer,
    )
    response = login(personas.worker).get("/staff/reports/")
    assert [r.title for r in response.context["page"]] == ["晚", "早"]
    html = response.content.decode()
    assert "badge-ok" in html and "已通过" in html and "草稿" in html


def test_list_filters(login, personas, net, make_report, kinds):
    make_report(personas.worker, net.a1, title="一月宣传", start_date=D(2023, 1, 10))
    make_report(
        personas.worker,
        net.a1,
        title="二月走访",
        start_date=D(2023, 2, 10),
        kind=kinds["入户走访"],
        status="submitted",
    )
    make_report(
        personas.superuser, net.a1b, title="西镇活动", start_date=D(2023, 1, 20)
    )
    client = login(personas.reviewer)

    def titles(**params):
        return _titles(client.get("/staff/reports/", params))

    assert titles() == {"一月宣传", "二月走访", "西镇活动"}
    assert titles(status="submitted") == {"二月走访"}
    assert titles(station=net.a1b.pk) == {"西镇活动"}
    assert titles(kind=kinds["入户走访"].pk) == {"二月走访"}
    assert titles(date_from="2023-02-01", date_to="2023-02-28") == {"二月走访"}
    assert titles(date_to="2023-01-15") == {"一月宣传"}


def test_list_date_range_catches_activities_that_overlap_it(
    login, personas, net, make_report
):
    make_report(
        personas.worker,
        net.a1,
        title="跨月",
        start_date=D(2023, 1, 28),
        end_date=D(2023, 2, 2),
    )
    client = login(personas.worker)
    feb = client.get("/staff/reports/", {"date_from": "2023-02-01"})
    assert _titles(feb) == {"跨月"}


@pytest.mark.parametrize(
    "params",
    [
        {"station": "abc"},
        {"station": "99999999999999999999999"},
        {"kind": "-1"},
        {"status": "bogus"},
        {"date_from": "2023-13-45"},
        {"date_from": "2023-03-01", "date_to": "2023-02-01"},
        {"page": "xyz"},
        {"page": "99999"},
        {"station": "\x00"},
    ],
)
def test_list_bad_filters_are_shown_not_crashed(login, personas, spread, params):
    response = login(personas.editor).get("/staff/reports/", params)
    assert response.status_code == 200
    form = response.context["form"]
    if set(params) - {"page"}:
        assert form.errors
        html = response.content.decode()
        assert re.search(r"[\u4e00-\u9fff]", strip_tags(str(form.errors)))
        assert "errorlist" in html


def test_list_paginates_by_30(login, personas, net, make_report):
    for n in range(31):
        make_report(personas.worker, net.a1, title=f"报告{n}")
    client = login(personas.worker)
    assert len(client.get("/staff/reports/").context["page"]) == 30
    assert len(client.get("/staff/reports/", {"page": 2}).context["page"]) == 1


def test_list_offers_filing_and_review_by_role(login, personas):
    worker = login(personas.worker).get("/staff/reports/").content.decode()
    assert "/staff/reports/new/" in worker and "/staff/review/" not in worker
    supervisor = login(personas.supervisor).get("/staff/reports/").content.decode()
    assert "/staff/reports/new/" not in supervisor
    reviewer = login(personas.reviewer).get("/staff/reports/").content.decode()
    assert "/staff/reports/new/" in reviewer and "/staff/review/" in reviewer


# --- Filing a new report ---------------------------------------------------------------


def _post_data(kinds, **changes):
    data = {
        "title": "开展关爱困境儿童活动",
        "subtitle": "",
        "start_date": "2023-02-25",
        "end_date": "",
        "town": "",
        "village": "",
        "place_text": "",
        "kind": kinds["宣传"].pk,
        "other_partners": "",
        "person_times": "",
        "households": "",
        "persons": "",
        "volunteers": "",
        "service_hours": "",
        "body": "为加强对下一代的关心、关爱，社工站开展活动。",
        "project": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker", 200),
        ("head", 200),
        ("other_worker", 200),
        ("supervisor", 403),
        ("reviewer", 200),
        ("other_reviewer", 200),
        ("editor", 200),
        ("other_editor", 200),
        ("nobody", 403),
    ],
)
def test_new_page_by_role(login, personas, persona, status):
    response = login(getattr(personas, persona)).get("/staff/reports/new/")
    assert response.status_code == status


def test_new_with_one_unit_has_no_unit_select(login, personas):
    response = login(personas.worker).get("/staff/reports/new/")
    assert "unit" not in response.context["form"].fields
    html = response.content.decode()
    assert 'class="stacked report-form"' in html
    assert 'type="date"' in html
    assert "不要相加" in html and "[照片1]" in html and "一、" in html


def test_new_with_several_units_offers_a_select(login, personas, net):
    station_services.role_assign(
        user=personas.worker, role=Role.SOCIAL_WORKER, unit=net.a1b
    )
    response = login(personas.worker).get("/staff/reports/new/")
    labels = [label for _key, label in response.context["form"].fields["unit"].choices]
    assert labels == ["甲一区东镇社工站", "甲一区西镇社工站"]


def test_new_creates_a_draft(login, personas, net, kinds, villages):
    category = BeneficiaryCategory.objects.get(name="困境儿童")
    partner = Partner.objects.get(name="妇联")
    data = _post_data(
        kinds,
        title="东镇社工站开展儿童安全宣传",
        subtitle="守护童年",
        start_date="2023-02-25",
        end_date="2023-02-26",
        town=net.a1.town.pk,
        village=villages["dongcun"].pk,
        villages_reached=[villages["dongcun"].pk, villages["xicun"].pk],
        categories=[category.pk],
        partners=[partner.pk],
        other_partners="东村小学",
        person_times="21",
        households="12",
        persons="15",
        volunteers="5",
        service_hours="2.5",
    )
    response = login(personas.worker).post("/staff/reports/new/", data)
    report = ActivityReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/reports/{report.pk}/"
    assert report.status == Status.DRAFT
    assert report.level == "station" and report.station == net.a1
    assert report.author == personas.worker
    assert report.village == villages["dongcun"]
    assert set(report.villages_reached.all()) == {
        villages["dongcun"],
        villages["xicun"],
    }
    assert list(report.categories.all()) == [category]
    assert list(report.partners.all()) == [partner]
    assert (report.person_times, report.households, report.persons) == (21, 12, 15)
    assert report.volunteers == 5 and str(report.service_hours) == "2.5"
    assert report.transitions.get().action == ReportTransition.Action.CREATE


def test_new_with_several_units_files_for_the_chosen_one(login, personas, net, kinds):
    station_services.role_assign(
        user=personas.worker, role=Role.SOCIAL_WORKER, unit=net.a1b
    )
    data = _post_data(kinds, unit=f"station:{net.a1b.pk}", town=net.a1b.town.pk)
    response = login(personas.worker).post("/staff/reports/new/", data)
    assert response.status_code == 302
    assert ActivityReport.objects.get().station == net.a1b


def test_new_refuses_a_unit_not_offered(login, personas, net, kinds):
    station_services.role_assign(
        user=personas.worker, role=Role.SOCIAL_WORKER, unit=net.a1b
    )
    data = _post_data(kinds, unit=f"station:{net.a2.pk}")
    response = login(personas.worker).post("/staff/reports/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not ActivityReport.objects.exists()


def test_county_bureau_files_a_county_report(login, personas, net, kinds):
    client = login(personas.reviewer)
    form = client.get("/staff/reports/new/").context["form"]
    assert "unit" not in form.fields
    # County and city bureaus run no projects.
    assert "project" not in form.fields
    response = client.post("/staff/reports/new/", _post_data(kinds))
    assert response.status_code == 302
    report = ActivityReport.objects.get()
    assert (report.level, report.county, report.station) == (
        "county",
        net.county_a1,
        None,
    )


def test_city_bureau_files_a_city_report(login, personas, net, kinds):
    response = login(personas.editor).post(
        "/staff/reports/new/", _post_data(kinds, town=net.a2.town.pk)
    )
    assert response.status_code == 302
    report = ActivityReport.objects.get()
    assert (report.level, report.city, report.county) == ("city", net.city_a, None)


def test_station_towns_and_villages_are_limited_to_its_county(
    login, personas, net, villages
):
    form = login(personas.worker).get("/staff/reports/new/").context["form"]
    towns = list(form.fields["town"].queryset)
    # The station's own town first, then the rest of its county; nothing beyond.
    assert towns == [net.a1.town, net.a1b.town]
    offered = set(form.fields["village"].queryset)
    # (The net's service point stands in a village of a1's town too.)
    assert offered == {
        villages["dongcun"],
        villages["beicun"],
        villages["xicun"],
        net.point_a1.village,
    }
    assert set(form.fields["villages_reached"].queryset) == offered
    groups = [label for label, _choices in list(form.fields["village"].choices)[1:]]
    assert groups == ["甲一区东镇", "甲一区西镇"]


def test_city_towns_are_the_whole_city(login, personas, net):
    form = login(personas.editor).get("/staff/reports/new/").context["form"]
    assert set(form.fields["town"].queryset) == {
        net.a1.town,
        net.a1b.town,
        net.a2.town,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2023-02-20"}, "end_date", "结束日期不能早于开始日期"),
        ({"person_times": "-3"}, "person_times", "不能为负数"),
        ({"households": "-1"}, "households", "不能为负数"),
        ({"service_hours": "-0.5"}, "service_hours", "不能为负数"),
        ({"persons": "很多"}, "persons", "整数"),
        ({"title": ""}, "title", "必填"),
        ({"start_date": "2023-02-30"}, "start_date", "有效"),
        ({"kind": ""}, "kind", "必填"),
        ("village_in_other_town", "village", "所选村（居）不在所选镇（街道）"),
        ("town_out_of_county", "town", "选择一个有效的选项"),
        ("village_reached_out_of_county", "villages_reached", "有效"),
        ({"title": "长" * 121}, "title", "120"),
        ({"title": "标题\x00"}, "title", "空字符"),
        ({"person_times": "99999999999999999999"}, "person_times", "小于或等于"),
        ({"service_hours": "1e50"}, "service_hours", "8"),
        ({"service_hours": "NaN"}, "service_hours", "数字"),
    ],
)
def test_bad_input_is_refused_in_chinese(
    login, personas, net, kinds, villages, changes, field, message
):
    if changes == "village_in_other_town":
        changes = {"town": net.a1.town.pk, "village": villages["xicun"].pk}
    elif changes == "town_out_of_county":
        changes = {"town": net.a2.town.pk}
    elif changes == "village_reached_out_of_county":
        changes = {"villages_reached": [villages["nancun"].pk]}
    response = login(personas.worker).post(
        "/staff/reports/new/", _post_data(kinds, **changes)
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert "报告没有保存" in response.content.decode()
    assert not ActivityReport.objects.exists()


def test_inactive_kinds_are_not_offered_but_kept(
    login, personas, net, kinds, make_report
):
    report = make_report(personas.worker, net.a1, kind=kinds["会议"])
    ActivityKind.objects.filter(name="会议").update(is_active=False)
    client = login(personas.worker)
    new = client.get("/staff/reports/new/").context["form"]
    assert kinds["会议"] not in new.fields["kind"].queryset
    edit = client.get(f"/staff/reports/{report.pk}/edit/").context["form"]
    assert kinds["会议"] in edit.fields["kind"].queryset


def test_project_is_limited_to_the_station(login, personas, net, kinds, make_report):
    own = _project(net.a1, "关爱留守儿童项目")
    other = _project(net.a2, "南镇项目")
    client = login(personas.worker)
    form = client.get("/staff/reports/new/").context["form"]
    assert list(form.fields["project"].queryset) == [own]
    response = client.post("/staff/reports/new/", _post_data(kinds, project=other.pk))
    assert response.status_code == 200
    assert "project" in response.context["form"].errors
    response = client.post("/staff/reports/new/", _post_data(kinds, project=own.pk))
    assert response.status_code == 302
    assert ActivityReport.objects.get().project == own


# --- Editing ------------------------------------------------------------------------------


def _edit_data(report, **changes):
    data = {
        "title": report.title,
        "subtitle": report.subtitle,
        "start_date": report.start_date.isoformat(),
        "end_date": "",
        "town": report.town_id or "",
        "village": report.village_id or "",
        "place_text": report.place_text,
        "kind": report.kind_id,
        "other_partners": report.other_partners,
        "person_times": report.person_times or "",
        "body": report.body,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker", 200),
        ("head", 200),
        ("other_worker", 404),
        ("supervisor", 404),
        ("reviewer", 404),
        ("other_reviewer", 404),
        ("editor", 404),
        ("other_editor", 404),
        ("nobody", 403),
        ("superuser", 200),
    ],
)
def test_edit_page_by_role(login, personas, net, make_report, persona, status):
    report = make_report(personas.worker, net.a1)
    response = login(getattr(personas, persona)).get(
        f"/staff/reports/{report.pk}/edit/"
    )
    assert response.status_code == status


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_edit_only_drafts_and_returned(login, personas, net, make_report, status):
    report = make_report(
        personas.worker, net.a1, status=status, reviewer=personas.reviewer
    )
    client = login(personas.worker)
    response = client.post(
        f"/staff/reports/{report.pk}/edit/", _edit_data(report, title="改"), follow=True
    )
    assert response.redirect_chain[-1][0] == f"/staff/reports/{report.pk}/"
    assert "不能修改" in response.content.decode()
    report.refresh_from_db()
    assert report.title != "改"


def test_edit_saves_changes_and_keeps_a_draft(login, personas, net, make_report):
    report = make_report(personas.worker, net.a1)
    response = login(personas.head).post(
        f"/staff/reports/{report.pk}/edit/",
        _edit_data(report, title="改过的标题", persons="8"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.title, report.persons, report.status) == ("改过的标题", 8, "draft")


def test_edit_with_bad_input_changes_nothing(login, personas, net, make_report):
    report = make_report(personas.worker, net.a1)
    response = login(personas.worker).post(
        f"/staff/reports/{report.pk}/edit/",
        _edit_data(report, title="改", end_date="2020-01-01", volunteers="-2"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "结束日期不能早于开始日期。" in errors["end_date"]
    assert "不能为负数。" in errors["volunteers"]
    report.refresh_from_db()
    assert report.title == "开展关爱困境儿童活动"


def test_county_report_edit_has_no_project(login, personas, net, make_report):
    report = make_report(personas.reviewer, net.county_a1)
    form = login(personas.reviewer).get(f"/staff/reports/{report.pk}/edit/")
    assert "project" not in form.context["form"].fields
    # The city editor reads it but files for the city, not the county.
    assert (
        login(personas.editor).get(f"/staff/reports/{report.pk}/edit/").status_code
        == 404
    )


# --- The report page ----------------------------------------------------------------------


def _jpeg(n: int, size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (n * 40 % 256, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def add_photo(report, by, n, caption=""):
    """A photo on the report: through the photos service when it exists, else as a
    row with small Pillow-made renditions."""
    data = _jpeg(n)
    try:
        from activities.photos import report_photo_add
    except ImportError:
        report_photo_add = None
    if report_photo_add is not None:
        upload = SimpleUploadedFile(f"p{n}.jpg", data, content_type="image/jpeg")
        return report_photo_add(report=report, by=by, file=upload, caption=caption)
    photo = ReportPhoto(
        report=report,
        position=n,
        width=64,
        height=48,
        sha256=hashlib.sha256(data).hexdigest(),
        caption=caption,
        uploaded_by=by,
    )
    for name in ("thumb", "web", "print_image"):
        getattr(photo, name).save("photo.jpg", ContentFile(data), save=False)
    photo.save()
    return photo


def _project(station, title):
    # No service files projects yet (the projects pages are another helper's);
    # the row is reference data for these tests.
    return Project.objects.create(
        title=title,
        funder="团市委公益创投",
        station=station,
        start_date=D(2023, 1, 1),
        end_date=D(2023, 12, 31),
    )


@pytest.fixture
def full_report(net, personas, make_report, kinds, villages):
    report = make_report(
        personas.worker,
        net.a1,
        title="东镇社工站开展“六一”关爱活动",
        subtitle="守护童心",
        start_date=D(2023, 5, 31),
        end_date=D(2023, 6, 1),
        village=villages["dongcun"],
        person_times=21,
        households=12,
        persons=15,
        volunteers=5,
        service_hours="2.5",
        body="为加强关爱，社工站开展活动。\n一、开展安全教育\n[照片2]\n活动中，社工讲解安全知识。",
        project=_project(net.a1, "关爱留守儿童项目"),
    )
    report.categories.set(BeneficiaryCategory.objects.filter(name="困境儿童"))
    report.partners.set(Partner.objects.filter(name="妇联"))
    report.villages_reached.set([villages["dongcun"], villages["beicun"]])
    add_photo(report, personas.worker, 1, caption="社工为儿童讲解")
    add_photo(report, personas.worker, 2, caption="合影")
    return report


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker", 200),
        ("head", 200),
        ("other_worker", 404),
        ("supervisor", 200),
        ("reviewer", 200),
        ("other_reviewer", 404),
        ("editor", 200),
        ("other_editor", 404),
        ("nobody", 403),
        ("superuser", 200),
    ],
)
def test_report_page_by_role(login, personas, full_report, persona, status):
    response = login(getattr(personas, persona)).get(
        f"/staff/reports/{full_report.pk}/"
    )
    assert response.status_code == status


def test_report_page_reads_as_it_will_be_published(login, personas, full_report):
    html = login(personas.worker).get(f"/staff/reports/{full_report.pk}/")
    html = html.content.decode()
    text = re.sub(r"\s+", " ", strip_tags(html))
    assert "东镇社工站开展“六一”关爱活动" in html and "——守护童心" in html
    assert "甲一区东镇社工站" in text
    assert "2023年5月31日 – 2023年6月1日" in text
    assert "东镇东村" in text
    assert "宣传" in text and "困境儿童" in text and "妇联" in text
    for count in ("服务人次 21 人次", "12 户", "服务人数 15 人", "志愿者 5 人"):
        assert count in text
    assert "服务时长 2.5 小时" in text
    assert "<h3>一、开展安全教育</h3>" in html
    # Photo 2 is placed by its marker, photo 1 follows the last paragraph.
    photos = ReportPhoto.objects.filter(report=full_report).order_by("position", "pk")
    first, second = photos
    body = html.split('class="report-body"', 1)[1].split("</div>", 1)[0]
    assert body.index(second.web.url) < body.index("活动中") < body.index(first.web.url)
    assert f'alt="{first.caption}"' in body


def test_report_page_actions_by_role(login, personas, net, make_report):
    draft = make_report(personas.worker, net.a1)
    submitted = make_report(personas.worker, net.a1, status="submitted")

    def actions(user, report):
        html = login(user).get(f"/staff/reports/{report.pk}/").content.decode()
        return {
            name
            for name in ("edit", "submit", "approve", "return", "withdraw", "comment")
            if f"/staff/reports/{report.pk}/{name}/" in html
        }

    assert actions(personas.worker, draft) == {"edit", "submit"}
    assert actions(personas.worker, submitted) == set()
    assert actions(personas.supervisor, submitted) == {"comment"}
    assert actions(personas.reviewer, draft) == {"comment"}
    assert actions(personas.reviewer, submitted) == {"approve", "return", "comment"}
    assert actions(personas.editor, submitted) == {"approve", "return", "comment"}


# --- The review queue ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker", 403),
        ("head", 403),
        ("supervisor", 403),
        ("reviewer", 200),
        ("other_reviewer", 200),
        ("editor", 200),
        ("other_editor", 200),
        ("nobody", 403),
        ("superuser", 200),
    ],
)
def test_review_queue_by_role(login, personas, persona, status):
    assert login(getattr(personas, persona)).get("/staff/review/").status_code == status


@pytest.fixture
def waiting(net, personas, make_report, kinds):
    """Submitted reports of several units, submitted one after another."""
    made = {}
    for key, by, unit, kind in [
        ("a1_old", personas.worker, net.a1, kinds["宣传"]),
        ("county", personas.reviewer, net.county_a1, kinds["会议"]),
        ("a1b", personas.superuser, net.a1b, kinds["入户走访"]),
        ("a2", personas.other_worker, net.a2, kinds["宣传"]),
        ("a1_new", personas.worker, net.a1, kinds["宣传"]),
    ]:
        made[key] = make_report(
            by, unit, status="submitted", title=key, kind=kind, start_date=D(2023, 2, 1)
        )
    make_report(personas.worker, net.a1, title="draft")
    make_report(
        personas.worker,
        net.a1,
        title="done",
        status="approved",
        reviewer=personas.editor,
    )
    # Spread the submissions over days so that "waited" differs.
    now = timezone.now()
    for days, key in enumerate(reversed(list(made))):
        ActivityReport.objects.filter(pk=made[key].pk).update(
            submitted_at=now - datetime.timedelta(days=days, hours=1)
        )
    return made


def test_review_queue_lists_what_waits_oldest_first(login, personas, waiting):
    reviewer = login(personas.reviewer).get("/staff/review/")
    # A county reviewer decides the county's station reports, not its own bureau's.
    assert [r.title for r in reviewer.context["page"]] == ["a1_old", "a1b", "a1_new"]
    html = reviewer.content.decode()
    assert "4\xa0日" in html  # how long the oldest has waited
    assert "超过 3 天" in html
    editor = login(personas.editor).get("/staff/review/")
    assert [r.title for r in editor.context["page"]] == [
        "a1_old",
        "county",
        "a1b",
        "a2",
        "a1_new",
    ]
    other = login(personas.other_reviewer).get("/staff/review/")
    assert [r.title for r in other.context["page"]] == ["a2"]
    assert (
        list(login(personas.other_editor).get("/staff/review/").context["page"]) == []
    )


def test_review_queue_filters(login, personas, net, kinds, waiting):
    client = login(personas.editor)

    def titles(**params):
        return [r.title for r in client.get("/staff/review/", params).context["page"]]

    assert titles(station=net.a1.pk) == ["a1_old", "a1_new"]
    assert titles(kind=kinds["会议"].pk) == ["county"]
    assert titles(date_from="2023-03-01") == []
    assert titles(date_from="2023-02-01", date_to="2023-02-01") == [
        "a1_old",
        "county",
        "a1b",
        "a2",
        "a1_new",
    ]
    # The queue holds submitted reports whatever "status" says.
    assert titles(status="approved") == titles()
    bad = client.get("/staff/review/", {"station": "x", "date_to": "2023-02-31"})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"station", "date_to"}


# --- Query counts ------------------------------------------------------------------------


def _grow_reports(net, personas, make_report, n, status="draft"):
    # Half at a1 by its worker, half at a1b by the superuser (who files anywhere).
    for i in range(n):
        by, unit = (personas.worker, net.a1) if i % 2 else (personas.superuser, net.a1b)
        make_report(by, unit, title=f"增加的报告{i}", status=status)


def test_report_list_query_count_is_fixed(
    login, personas, net, make_report, spread, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 7 = session + user + scope (role assignments) + the paginator's COUNT + the
    # page of reports with city, county, station, town, kind and author joined +
    # the station filter's options + the kind filter's options.
    with django_assert_num_queries(7):
        response = client.get("/staff/reports/")
    assert len(response.context["page"]) == 2
    _grow_reports(net, personas, make_report, 40)
    with django_assert_num_queries(7):
        response = client.get("/staff/reports/")
    assert len(response.context["page"]) == 30


def test_report_list_query_count_for_a_worker(
    login, personas, net, make_report, django_assert_num_queries
):
    make_report(personas.worker, net.a1)
    client = login(personas.worker)
    # 6: as for the reviewer, without the station filter (a worker sees one station).
    with django_assert_num_queries(6):
        client.get("/staff/reports/")
    for i in range(12):
        make_report(personas.worker, net.a1, title=f"报告{i}")
    with django_assert_num_queries(6):
        response = client.get("/staff/reports/")
    assert len(response.context["page"]) == 13


def test_report_page_query_count_is_fixed(
    login, personas, villages, full_report, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 10 = session + user + scope + the report with its units, place, kind and
    # author joined + categories + partners + villages reached with their towns
    # joined + the project + photos + the history with each step's user and
    # worker record joined. What the user may do comes from the scope: no query.
    with django_assert_num_queries(10):
        client.get(f"/staff/reports/{full_report.pk}/")
    for n in range(3, 8):
        add_photo(full_report, personas.worker, n, caption=f"照片{n}")
    full_report.categories.set(BeneficiaryCategory.objects.all()[:5])
    full_report.partners.set(Partner.objects.all()[:5])
    full_report.villages_reached.set(villages.values())
    services.report_submit(report=full_report, by=personas.worker)
    for who in (personas.supervisor, personas.reviewer, personas.editor):
        services.report_comment(report=full_report, by=who, comment="请核实数字")
    with django_assert_num_queries(10):
        response = client.get(f"/staff/reports/{full_report.pk}/")
    assert len(response.context["history"]) == 5
    assert response.content.decode().count("<figure>") == 7


def test_review_queue_query_count_is_fixed(
    login, personas, net, make_report, waiting, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 7 = session + user + scope + the paginator's COUNT + the page of submitted
    # reports with their units, kind and author joined + the station filter's
    # options + the kind filter's options.
    with django_assert_num_queries(7):
        response = client.get("/staff/review/")
    assert len(response.context["page"]) == 3
    _grow_reports(net, personas, make_report, 40, status="submitted")
    with django_assert_num_queries(7):
        response = client.get("/staff/review/")
    assert len(response.context["page"]) == 30
