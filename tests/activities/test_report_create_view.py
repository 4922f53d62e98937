"""Filing a new report on the staff pages: who may file for which unit, the
places and projects offered, and bad input refused in Chinese."""

import pytest

from activities.models import (
    ActivityKind,
    ActivityReport,
    BeneficiaryCategory,
    Partner,
    ReportTransition,
    Status,
)
from stations import services as station_services
from stations.models import Role
from tests.activities.report_view_helpers import _project


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
