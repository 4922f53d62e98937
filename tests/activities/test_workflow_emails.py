"""The workflow e-mails (core.notifications): the next person in line hears of
each step."""

import pytest

from tests.activities.workflow_helpers import PERSONAS


@pytest.fixture
def emails(personas):
    for name in PERSONAS:
        user = getattr(personas, name)
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return personas


def test_submit_mails_the_county_reviewer(
    login, emails, report_at, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_at("station", "draft")
    with django_capture_on_commit_callbacks(execute=True):
        login(emails.worker).post(f"/staff/reports/{report.pk}/submit/")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["carol@example.org"]
    assert report.title in mail.subject
    # The report's page, where the reviewer approves or returns it.
    assert f"/staff/reports/{report.pk}/" in mail.body


def test_county_report_submit_mails_the_city_editor(
    login, emails, report_at, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_at("county", "draft")
    with django_capture_on_commit_callbacks(execute=True):
        login(emails.reviewer).post(f"/staff/reports/{report.pk}/submit/")
    assert [m.to for m in mailoutbox] == [["erin@example.org"]]


@pytest.mark.parametrize(
    ("action", "subject"), [("approve", "已通过"), ("return", "被退回")]
)
def test_decision_mails_the_author(
    login,
    emails,
    report_at,
    mailoutbox,
    django_capture_on_commit_callbacks,
    action,
    subject,
):
    report = report_at("station", "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        login(emails.reviewer).post(
            f"/staff/reports/{report.pk}/{action}/", {"comment": "请补充照片"}
        )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.org"]
    assert subject in mail.subject
    # The comment stays on the report's page: a message that leaves the portal
    # carries titles and links only (it might quote a beneficiary).
    assert "请补充照片" not in mail.body
    assert f"/staff/reports/{report.pk}/" in mail.body


def test_refused_action_sends_no_mail(
    login, emails, report_at, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_at("station", "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        login(emails.other_reviewer).post(
            f"/staff/reports/{report.pk}/approve/", {"comment": ""}
        )
        login(emails.reviewer).post(f"/staff/reports/{report.pk}/return/")
    assert mailoutbox == []
