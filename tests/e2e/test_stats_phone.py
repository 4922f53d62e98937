"""The statistics dashboard on a 390 px phone and a 1366 px laptop, as the
county reviewer and the city editor of the demo.

- It opens on the demo's year, not this year's zeros, and says so.
- The document is never wider than the screen; every table of figures scrolls
  inside its own box, and scrolled to its end, its last column lies inside
  that box and the screen (the 志愿者 column was once cut off at 1366 px).
- Its sections fold without script: the first is open, a key figure of the
  summary opens the folded section that lists it, and a keyboard opens one.
- axe finds no serious or critical violation, folded and unfolded."""

from __future__ import annotations

import os

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.e2e.conftest import PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LAPTOP = {"width": 1366, "height": 768}
URL = "/staff/stats/"

# For each table: scrolled to its end, where its last header cell lies against
# its box and the screen.
LAST_COLUMNS = """() => [...document.querySelectorAll('.stats-table')].map(box => {
  box.scrollLeft = box.scrollWidth;
  const cells = box.querySelectorAll('thead th');
  const last = cells[cells.length - 1].getBoundingClientRect();
  const frame = box.getBoundingClientRect();
  return {
    table: box.closest('.stats-block').id,
    last: [Math.round(last.left), Math.round(last.right)],
    box: [Math.round(frame.left), Math.round(frame.right)],
    scrolls: box.scrollWidth > box.clientWidth,
    overflow: getComputedStyle(box).overflowX,
  };
})"""


@pytest.fixture
def demo(settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    call_command("load_demo", stdout=open(os.devnull, "w"))


def _signed_in(new_page, live_server, username, viewport):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page = new_page(phone=viewport == PHONE)
    page.set_viewport_size(viewport)
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )
    return page


def _document_fits(page, width):
    doc = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth]"
    )
    assert max(doc) <= width, f"the page is {doc} px wide on a {width} px screen"


@pytest.mark.parametrize("username", ["reviewer", "editor"])
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_dashboard_fits_and_every_last_column_is_reachable(
    new_page, live_server, demo, steps, username, viewport
):
    width = viewport["width"]
    page = _signed_in(new_page, live_server, username, viewport)
    page.goto(URL)
    # Opened on the year the demo's reports are in, saying so.
    assert page.locator(".stats-opened").is_visible()
    assert page.locator(".stats-tile").count() >= 10
    sections = page.locator("details.stats-section")
    assert sections.count() >= 5
    assert sections.first.get_attribute("open") is not None
    assert sections.nth(1).get_attribute("open") is None
    _document_fits(page, width)
    assert_accessible(page, f"{URL} as {username} at {width} px")
    steps.shot(page, f"{username}-{width}-folded")

    # Unfold every section by its summary, as a reader would.
    for n in range(1, sections.count()):
        sections.nth(n).locator("summary").click()
    assert sections.locator(":scope:not([open])").count() == 0
    _document_fits(page, width)
    for table in page.evaluate(LAST_COLUMNS):
        name = table["table"]
        assert table["overflow"] in ("auto", "scroll"), name
        left, right = table["last"]
        box_left, box_right = table["box"]
        assert box_right <= width, f"{name}: its box ends at {box_right} px"
        assert box_left - 1 <= left and right <= box_right + 1, (
            f"{name}: its last column lies at {left}..{right} px, "
            f"its box at {box_left}..{box_right} px"
        )
    # No screenshot unfolded: a phone's full page of every table is too tall to
    # take in the browser's time limit.
    assert_accessible(page, f"{URL} unfolded as {username} at {width} px")


def test_a_key_figure_opens_its_folded_section(new_page, live_server, demo):
    page = _signed_in(new_page, live_server, "editor", PHONE)
    page.goto(URL)
    network = page.locator("details.stats-section").filter(has=page.locator("#network"))
    assert network.get_attribute("open") is None
    page.locator('.stats-tile[href="#network"]').first.click()
    page.wait_for_function(
        "() => document.querySelector('#network').closest('details').open"
    )
    assert page.locator("#t-workers").is_visible()
    # A keyboard folds and unfolds a section by its summary.
    summary = page.locator("details.stats-section summary").nth(1)
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.stats-section").nth(1).get_attribute("open") == ""
