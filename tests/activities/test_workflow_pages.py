"""The workflow on the staff pages: a full round (returned, edited,
resubmitted, approved), the notes shown to the author, and 404 for another
station's report."""

import pytest

from activities.models import Status
from tests.activities.workflow_helpers import Action, _history

# --- A full round: returned, edited, resubmitted, approved -----------------------------


def _form_data(report, **changes):
    data = {
        "title": report.title,
        "subtitle": report.subtitle,
        "start_date": report.start_date.isoformat(),
        "end_date": "",
        "place_text": report.place_text,
        "kind": report.kind_id,
        "body": report.body,
        "person_times": report.person_times or "",
    }
    data.update(changes)
    return data


def test_returned_report_round_trip(login, personas, net, report_at):
    report = report_at("station", "submitted")
    reviewer = login(personas.reviewer)
    reviewer.post(
        f"/staff/reports/{report.pk}/return/",
        {"comment": "请补充活动照片和服务人数"},
    )

    # The author sees why it came back, prominently, on the report page.
    author = login(personas.worker)
    page = author.get(f"/staff/reports/{report.pk}/").content.decode()
    note = page.split('class="returned-note"', 1)[1].split("</section>", 1)[0]
    assert "请补充活动照片和服务人数" in note
    assert "carol" in note
    assert f"/staff/reports/{report.pk}/edit/" in page
    assert "重新提交审核" in page

    # The author edits and resubmits.
    response = author.post(
        f"/staff/reports/{report.pk}/edit/",
        _form_data(report, body="已补充。\n一、活动内容\n共服务 15 人。", persons="15"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    assert report.persons == 15
    author.post(f"/staff/reports/{report.pk}/submit/")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED

    # The note is gone once the report is back in review.
    page = author.get(f"/staff/reports/{report.pk}/").content.decode()
    assert 'class="returned-note"' not in page

    reviewer = login(personas.reviewer)
    reviewer.post(f"/staff/reports/{report.pk}/approve/", {"comment": "很好"})
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    assert report.approved_by == personas.reviewer

    assert _history(report) == [
        (Action.CREATE, "", "draft", "alice", ""),
        (Action.SUBMIT, "draft", "submitted", "alice", ""),
        (Action.RETURN, "submitted", "returned", "carol", "请补充活动照片和服务人数"),
        (Action.SUBMIT, "returned", "submitted", "alice", ""),
        (Action.APPROVE, "submitted", "approved", "carol", "很好"),
    ]

    # The page lists every step with who did it and what they said.
    page = login(personas.worker).get(f"/staff/reports/{report.pk}/").content.decode()
    history = page.split('class="history"', 1)[1].split("</ol>", 1)[0]
    assert history.count("<li") == 5
    for text in (
        "创建",
        "提交审核",
        "退回修改",
        "审核通过",
        "请补充活动照片和服务人数",
    ):
        assert text in history
    assert history.count("alice") == 3
    assert history.count("carol") == 2
    assert "待审核 → 已退回" in history


def test_withdrawn_report_shows_why_to_its_author(login, personas, report_at):
    report = report_at("station", "approved")
    login(personas.editor).post(
        f"/staff/reports/{report.pk}/withdraw/", {"comment": "服务人数与附件不符"}
    )
    page = login(personas.head).get(f"/staff/reports/{report.pk}/").content.decode()
    note = page.split('class="returned-note"', 1)[1].split("</section>", 1)[0]
    assert "服务人数与附件不符" in note
    assert "撤回" in note
    report.refresh_from_db()
    assert report.approved_at is None and report.approved_by is None


def test_returned_note_is_for_those_who_fix_it(login, personas, report_at):
    report = report_at("station", "returned")
    page = login(personas.supervisor).get(f"/staff/reports/{report.pk}/")
    assert 'class="returned-note"' not in page.content.decode()
    # They still find the comment in the history.
    assert "请补充活动照片" in page.content.decode()


# --- Another station's report: 404 for reading and writing ---------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "approved"])
def test_worker_of_other_station_gets_404(login, personas, net, make_report, status):
    report = make_report(
        personas.worker, net.a1, status=status, reviewer=personas.editor
    )
    before = _history(report)
    client = login(personas.other_worker)
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 404
    assert client.get(f"/staff/reports/{report.pk}/edit/").status_code == 404
    response = client.post(
        f"/staff/reports/{report.pk}/edit/", _form_data(report, title="改掉")
    )
    assert response.status_code == 404
    assert client.post(f"/staff/reports/{report.pk}/submit/").status_code == 404
    report.refresh_from_db()
    assert report.title != "改掉"
    assert report.status == status
    assert _history(report) == before


def test_unknown_report_is_404(login, personas):
    client = login(personas.superuser)
    assert client.get("/staff/reports/999999/").status_code == 404
    assert client.post("/staff/reports/999999/approve/").status_code == 404
