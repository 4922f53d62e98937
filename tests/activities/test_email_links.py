"""Links in workflow e-mails are absolute, so a reviewer can click them."""

from django.contrib.auth import get_user_model

from activities import services


def test_submission_mail_links_to_the_report_absolutely(
    personas, net, make_report, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://jianbao.example.org"
    get_user_model().objects.filter(pk=personas.reviewer.pk).update(
        email="r@example.org"
    )
    report = make_report(personas.worker, net.a1)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=personas.worker)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["r@example.org"]
    # The report's own page, where the review form is, not the whole queue.
    assert (
        f"https://jianbao.example.org/staff/reports/{report.pk}/" in mailoutbox[0].body
    )
