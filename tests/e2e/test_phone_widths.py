"""Every staff page fits a 390 px phone.

Each staff page of the permission matrix (tests/portal/permission_matrix.py:
every page that sends the public to sign in, the admin apart), filled with the
demo's objects the way the matrix test fills it, is opened once
at 390 × 844 as one role the matrix lets in (200), and again as ``worker``
where the worker is let in too. No document may be wider than the screen: a
page that scrolls sideways hides a row's state or its buttons off to the right.
A table of figures may scroll inside its own container (``.table-scroll``);
the page around it may not.

Only pages a browser shows are measured: POST-only actions (the matrix says
405) are not opened, and downloads, feeds and JSON answers are passed over by
what the server answers, not by a hand-kept list.

The worker's report list is checked further: every report's state and its
title (the link that opens it) lie within the screen's 390 px."""

from __future__ import annotations

import os

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.e2e.conftest import PHONE, assert_accessible
from tests.portal.permission_matrix import MATRIX, ROLES
from tests.portal.test_permission_matrix import (
    _job,
    _objects,
    all_routes,
    concrete_url,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Matrix rows (URL names) still wider than a phone, each waiting on work owned
# elsewhere (the statistics pages, say, are measured like any other page). The
# test fails for any other page that is too wide, and it fails for a row listed
# here that has come to fit, so that the row is taken out. Empty: keep it so.
KNOWN_WIDE: set[str] = set()

# Which role opens a page the worker may not: the first of these the matrix
# lets in. The city's editor and the county's reviewer see the most rows, so a
# page is measured with its longest lists.
PREFERRED = [
    "editor",
    "reviewer",
    "head",
    "supervisor",
    "admin",
    "reviewer_yunan",
    "worker_fulin",
]

# The header _pages_only() puts on what stands in for a file, a feed or JSON.
NOT_A_PAGE = "x-test-not-a-page"

# How wide the document and the body are, and the first elements that stick
# out past the right edge, for the failure message; elements inside a container
# that clips or scrolls sideways do not widen the page and are not named.
MEASURE = """(limit) => {
  const root = document.documentElement;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > limit + 1 && !clipped(el)) {
      out.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  return {
    doc: root.scrollWidth,
    body: document.body.scrollWidth,
    wide: out.slice(0, 4),
  };
}"""


@pytest.fixture
def demo(settings):
    """The demo world, loaded once for the module's one sweep."""
    settings.PUBLIC_CACHE_SECONDS = 0
    call_command("load_demo", stdout=open(os.devnull, "w"))
    objects = _objects()
    objects["job"] = _job(objects)
    return objects


def _staff_pages(objects) -> list[tuple[str, str, list[str]]]:
    """(URL name, URL, roles to open it as) for every staff page of the matrix:
    every page that sends the public to sign in (the staff pages, and the
    account pages of a signed-in user), the admin apart."""
    routes = all_routes()
    pages = []
    for key in sorted(set(routes) & set(MATRIX)):
        codes = dict(zip(ROLES, MATRIX[key].split(), strict=True))
        if codes["public"] != "302" or routes[key].startswith("admin/"):
            continue
        url = concrete_url(key, routes[key], objects)
        allowed = [role for role in PREFERRED if codes[role] == "200"]
        roles = allowed[:1]
        if codes["worker"] == "200":
            roles.append("worker")
        if roles:
            pages.append((key, url, roles))
    return pages


@pytest.fixture
def phone_as(browser, live_server, watch):
    """phone_as(username) -> a phone page signed in as the user, made like
    conftest's new_page(phone=True) and watched the same way. The session
    cookie of a test client login is handed to the browser: one login per role,
    not one per page. Service workers are blocked: a page's answer must reach
    _pages_only(), which a service worker's fetch would bypass."""
    contexts = []

    def _phone(username):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context = browser.new_context(
            base_url=live_server.url,
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            service_workers="block",
        )
        contexts.append(context)
        context.set_default_timeout(15_000)
        context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        page = watch.attach(context.new_page())
        page.route("**/staff/**", _pages_only)
        return page

    yield _phone
    for context in contexts:
        context.close()


def _pages_only(route):
    """A staff URL's answer reaches the browser only when it is a page. A file
    to save (an export, a template), a feed or JSON (a job's progress) is
    swapped for an empty page that says so in a header, fetched once like any
    other answer."""
    if route.request.resource_type != "document":
        route.fallback()
        return
    response = route.fetch(max_redirects=0)
    if response.headers.get("content-type", "").startswith("text/html"):
        route.fulfill(response=response)
    else:
        route.fulfill(
            status=response.status,
            headers={"content-type": "text/html", NOT_A_PAGE: "1"},
            body="",
        )


def test_every_staff_page_fits_a_phone(phone_as, demo, steps):
    """One test, so the demo is loaded once: the sweep of the matrix, then the
    worker's report list (its states) on the same phone."""
    phones = {}
    too_wide = []
    fit = set()
    visited = 0
    for key, url, roles in _staff_pages(demo):
        for role in roles:
            if role not in phones:
                phones[role] = phone_as(role)
            page = phones[role]
            response = page.goto(url)
            assert response.status == 200, f"{key} {url} as {role}"
            if response.headers.get(NOT_A_PAGE):
                continue
            visited += 1
            m = page.evaluate(MEASURE, PHONE["width"])
            if m["doc"] > PHONE["width"] or m["body"] > PHONE["width"]:
                too_wide.append(
                    f"{key} {url} as {role}: document {m['doc']} px, "
                    f"body {m['body']} px; sticking out: {m['wide']}"
                )
                steps.shot(page, f"{key.replace(':', '-')}-{role}")
            elif key in KNOWN_WIDE:
                fit.add(key)

    states_out_of_view = _report_states_out_of_view(phones["worker"], steps)

    # Enough of the matrix was opened for the sweep to mean something.
    assert visited >= 60, visited
    unexpected = [row for row in too_wide if row.split()[0] not in KNOWN_WIDE]
    assert not unexpected, (
        f"{len(unexpected)} staff pages are wider than a {PHONE['width']} px "
        "phone:\n" + "\n".join(unexpected)
    )
    fit -= {row.split()[0] for row in too_wide}
    assert not fit, f"these pages fit now; take them out of KNOWN_WIDE: {sorted(fit)}"
    assert not states_out_of_view, "\n".join(states_out_of_view)
    # The list as cards is still read right by a screen reader.
    assert_accessible(phones["worker"], "the worker's report list on a phone")


def _report_states_out_of_view(page, steps) -> list[str]:
    """The worker's report list: each report's state and its title (the link
    that opens it) lie within the screen's width."""
    page.goto("/staff/reports/")
    rows = page.locator("table.report-list > tbody > tr")
    assert rows.count() >= 3, "the demo's worker has reports to list"
    problems = []
    for i in range(rows.count()):
        row = rows.nth(i)
        row.scroll_into_view_if_needed()
        for what, locator in (
            ("state", row.locator(".report-status")),
            ("title", row.locator("a").first),
        ):
            box = locator.bounding_box()
            if box is None:
                problems.append(f"report row {i}: no {what}")
            elif box["x"] < 0 or box["x"] + box["width"] > PHONE["width"]:
                problems.append(
                    f"report row {i}: the {what} lies at {box['x']:.0f}.."
                    f"{box['x'] + box['width']:.0f} px"
                )
    if page.evaluate("() => window.scrollX") != 0:
        problems.append("the report list scrolled sideways")
    steps.shot(page, "worker-reports")
    return problems
