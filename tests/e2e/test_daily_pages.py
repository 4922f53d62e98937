"""The pages of the day-to-day, on a 390 px phone and on a desktop, each as the
role that works on it, with something on it: axe finds no serious or critical
violation, and no page is wider than its screen.

The staff home of every role; the notifications and their e-mail choices; the
report form with its photo inputs and the quick visit page; a resubmitted
report with its changes and the review queue that marks it; assembly and the
list of issues with a named draft."""

from __future__ import annotations

import pytest

from activities import services as report_services
from core.notifications import Event, notify
from newsletter import services as newsletter_services
from newsletter.models import Publication
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "yunfu-demo-2023"


@pytest.fixture
def day(personas, net, make_report):
    """A report returned and resubmitted, another approved and waiting for an
    issue, a draft issue, and a notification for the worker."""
    for persona in ("worker", "head", "reviewer", "supervisor", "editor"):
        user = getattr(personas, persona)
        user.set_password(PASSWORD)
        user.save()
    publication = Publication.objects.create(
        name="甲市民政简报", slug="jia", city=net.city_a, bureau="甲市民政局"
    )
    report = make_report(
        personas.worker, net.a1, "returned", reviewer=personas.reviewer
    )
    report.households = 12
    report.body += "\n社工将持续跟进。"
    report_services.report_update(report=report, by=personas.worker)
    report_services.report_submit(report=report, by=personas.worker)
    make_report(
        personas.worker,
        net.a1,
        "approved",
        reviewer=personas.reviewer,
        title="开展长者健康讲座",
    )
    newsletter_services.issue_create(publication=publication, by=personas.editor)
    notify(
        Event.RETURNED, [personas.worker], "被退回：《开展关爱困境儿童活动》", "/staff/"
    )
    return report


PAGES = [
    ("alice", "/staff/"),
    ("alice", "/staff/notifications/"),
    ("alice", "/staff/notifications/settings/"),
    ("alice", "/staff/reports/new/"),
    ("alice", "/staff/beneficiaries/visits/new/"),
    ("hana", "/staff/"),
    ("sam", "/staff/"),
    ("carol", "/staff/"),
    ("carol", "/staff/review/"),
    ("carol", "REPORT"),
    ("erin", "/staff/"),
    ("erin", "/staff/issues/"),
    ("erin", "/staff/issues/assemble/"),
]


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_the_days_pages_are_accessible_and_fit(new_page, steps, day, phone):
    pages = {}
    for username, path in PAGES:
        page = pages.get(username)
        if page is None:
            page = pages[username] = new_page(phone=phone)
            page.goto("/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url("**/staff/")
        url = day.get_absolute_url() if path == "REPORT" else path
        response = page.goto(url)
        assert response.status == 200, (username, url)
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.viewport_size["width"]
        assert width <= viewport, f"{url} as {username}: {width} px in {viewport}"
        assert_accessible(page, f"{url} as {username}")
        steps.shot(page, f"{username}-{url.strip('/').replace('/', '-') or 'home'}")
    # The pages held what they are for.
    carol = pages["carol"]
    carol.goto(day.get_absolute_url())
    assert "再次提交" in carol.locator("section.review-changes").inner_text()
    assert pages["alice"].locator("header .nav-count").count() == 1
