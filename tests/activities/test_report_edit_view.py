"""Editing a report on the staff pages: who may edit, only drafts and returned
reports, and bad input that changes nothing."""

import pytest


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
