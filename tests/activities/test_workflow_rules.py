"""The rules of each workflow transition: comments required or refused, wrong
states, and the supervisor's comment."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities import services
from activities.models import ActivityReport, Status
from tests.activities.workflow_helpers import Action, _history


@pytest.mark.parametrize("comment", ["", "   \n  "])
def test_return_without_comment_is_refused(
    login, personas, report_at, comment, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_at("station", "submitted")
    before = _history(report)
    client = login(personas.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/reports/{report.pk}/return/", {"comment": comment}, follow=True
        )
    assert response.status_code == 200
    assert "请填写退回或撤回的理由" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert _history(report) == before
    assert mailoutbox == []


def test_return_without_comment_is_refused_by_the_service(personas, report_at):
    report = report_at("station", "submitted")
    with pytest.raises(ValidationError) as info:
        services.report_return(report=report, by=personas.reviewer, comment=" ")
    assert "理由" in info.value.messages[0]
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_withdraw_without_comment_is_refused(login, personas, report_at):
    report = report_at("station", "approved")
    response = login(personas.reviewer).post(
        f"/staff/reports/{report.pk}/withdraw/", {"comment": ""}, follow=True
    )
    assert "请填写退回或撤回的理由" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.APPROVED


def test_withdraw_after_publication_is_refused(login, personas, report_at):
    report = report_at("station", "approved")
    # The newsletter sets published_at when an issue carrying the report is
    # published; that service is not ours, so the test sets the field itself.
    ActivityReport.objects.filter(pk=report.pk).update(
        published_at=datetime.datetime(2023, 3, 31, tzinfo=datetime.UTC)
    )
    before = _history(report)
    response = login(personas.reviewer).post(
        f"/staff/reports/{report.pk}/withdraw/", {"comment": "数字有误"}, follow=True
    )
    assert response.status_code == 200
    assert "已在已发布的简报中刊登，不能撤回" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    assert report.approved_by == personas.reviewer
    assert _history(report) == before
    # And the page no longer offers it.
    page = login(personas.reviewer).get(f"/staff/reports/{report.pk}/")
    assert f"/staff/reports/{report.pk}/withdraw/" not in page.content.decode()


@pytest.mark.parametrize(
    ("action", "start"),
    [
        ("submit", "submitted"),
        ("submit", "approved"),
        ("approve", "draft"),
        ("approve", "approved"),
        ("approve", "returned"),
        ("return", "draft"),
        ("return", "approved"),
        ("withdraw", "submitted"),
        ("withdraw", "returned"),
    ],
)
def test_transition_from_wrong_state_is_refused(
    login, personas, report_at, action, start
):
    report = report_at("station", start)
    before = _history(report)
    user = personas.worker if action == "submit" else personas.reviewer
    response = login(user).post(
        f"/staff/reports/{report.pk}/{action}/", {"comment": "再看看"}, follow=True
    )
    assert response.status_code == 200
    assert "报告当前状态为" in response.content.decode()
    report.refresh_from_db()
    assert report.status == start
    assert _history(report) == before


def test_submit_without_body_is_refused(login, personas, net, make_report):
    report = make_report(personas.worker, net.a1, body="")
    response = login(personas.worker).post(
        f"/staff/reports/{report.pk}/submit/", follow=True
    )
    assert "正文不能为空" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_comment_without_text_is_refused(login, personas, report_at):
    report = report_at("station", "submitted")
    before = _history(report)
    response = login(personas.supervisor).post(
        f"/staff/reports/{report.pk}/comment/", {"comment": " "}, follow=True
    )
    assert "评论不能为空" in response.content.decode()
    assert _history(report) == before


def test_too_long_comment_is_refused(login, personas, report_at):
    report = report_at("station", "submitted")
    response = login(personas.reviewer).post(
        f"/staff/reports/{report.pk}/return/", {"comment": "长" * 2001}, follow=True
    )
    assert response.status_code == 200
    assert "2000" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_supervisor_comment_changes_nothing_but_the_history(login, personas, report_at):
    report = report_at("station", "submitted")
    login(personas.supervisor).post(
        f"/staff/reports/{report.pk}/comment/", {"comment": "建议补充服务对象反馈"}
    )
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert _history(report)[-1] == (
        Action.COMMENT,
        "submitted",
        "submitted",
        "sam",
        "建议补充服务对象反馈",
    )


def test_submit_judges_the_stored_body_not_the_callers_copy(personas, net, make_report):
    from django.core.exceptions import ValidationError

    from activities import services
    from activities.models import ActivityReport, Status

    report = make_report(personas.worker, net.a1)
    ActivityReport.objects.filter(pk=report.pk).update(body="")
    # The caller still holds the old body; the stored report has none.
    with pytest.raises(ValidationError, match="正文不能为空"):
        services.report_submit(report=report, by=personas.worker)
    report.refresh_from_db()
    assert report.status == Status.DRAFT
