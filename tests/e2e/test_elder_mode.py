"""长辈模式 (the elder-friendly display mode) in chromium: the public pages pass
axe in both modes on a phone and a desktop (screenshots of each); the header's
button works from the keyboard and the choice holds across reloads and pages,
put on before the page's own script runs; the server sends the same bytes in
both modes; and the search button keeps 搜索 on one line at every width."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_public_pages import demo  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOGGLE = "[data-elder-toggle]"
IS_ELDER = "() => document.documentElement.classList.contains('elder')"


def _pages(issue, article, county, station) -> list[str]:
    slug, year, number = issue.publication.slug, issue.year, issue.number
    return [
        "/",
        f"/issues/{slug}/{year}/{number}/",
        f"/issues/{slug}/{year}/{number}/{article.pk}/",
        "/search/?q=关爱",
        f"/stations/{station.pk}/",
    ]


def _name(url: str) -> str:
    return re.sub(r"[^\w]+", "_", url).strip("_") or "home"


def test_public_pages_pass_axe_in_both_modes(new_page, steps, demo):  # noqa: F811
    for phone in (True, False):
        where = "phone" if phone else "desktop"
        page = new_page(phone=phone)
        for url in _pages(*demo):
            response = page.goto(url)
            assert response.status == 200, url
            assert not page.evaluate(IS_ELDER), url
            # The demo's footer (newsletter/demo.py), on every page.
            icp = page.locator("footer a[href='https://beian.miit.gov.cn/']")
            assert icp.inner_text() == "粤ICP备00000000号", url
            assert_accessible(page, f"{url} ({where}, standard)")
            steps.shot(page, f"{where}-standard-{_name(url)}")
            # "#elder" on the open page switches at once (static/js/elder.js);
            # the reload is the page drawn in the mode from the start.
            page.goto(url + "#elder")
            assert page.evaluate(IS_ELDER), url
            page.reload()
            assert page.evaluate(IS_ELDER), url
            assert page.get_attribute(TOGGLE, "aria-pressed") == "true", url
            # Body text of at least 18 px, and no grey text.
            size, colour = page.evaluate(
                "() => { const s = getComputedStyle(document.querySelector('main p')"
                " || document.body); return [parseFloat(s.fontSize), s.color]; }"
            )
            assert size >= 18, (url, size)
            assert colour == "rgb(17, 17, 17)", (url, colour)
            assert_accessible(page, f"{url} ({where}, elder)")
            steps.shot(page, f"{where}-elder-{_name(url)}")
            # Back to the standard mode for the next page.
            page.evaluate("() => localStorage.removeItem('portal-elder')")


def test_the_toggle_works_by_keyboard_and_is_remembered(new_page, steps):
    page = new_page()
    page.goto("/")
    toggle = page.locator(TOGGLE)
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    assert toggle.inner_text().strip() == "长辈模式"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('[data-elder-toggle]')"):
            break
    else:
        pytest.fail("Tab never reached the 长辈模式 button")
    steps.shot(page, "toggle-focused")
    page.keyboard.press("Enter")
    assert page.evaluate(IS_ELDER)
    assert toggle.get_attribute("aria-pressed") == "true"
    steps.shot(page, "elder-on")
    page.reload()
    assert page.evaluate(IS_ELDER)
    assert toggle.get_attribute("aria-pressed") == "true"
    # Another page keeps it, and the head's small script alone puts it on
    # before the page is drawn: with static/js/elder.js refused, still on.
    page.route("**/js/elder.js", lambda route: route.abort())
    page.goto("/stations/")
    assert page.evaluate(IS_ELDER)
    page.unroute("**/js/elder.js")
    page.goto("/search/")
    assert page.evaluate(IS_ELDER)
    # Space switches it off again, for good.
    page.locator(TOGGLE).focus()
    page.keyboard.press("Space")
    assert not page.evaluate(IS_ELDER)
    assert page.locator(TOGGLE).get_attribute("aria-pressed") == "false"
    page.reload()
    assert not page.evaluate(IS_ELDER)
    steps.shot(page, "elder-off")


def test_the_served_page_is_the_same_in_both_modes(new_page):
    standard, elder = new_page(), new_page()
    elder.goto("/issues/#elder")
    for url in ("/", "/stations/", "/search/?q=关爱", "/issues/"):
        plain = standard.goto(url).body()
        assert not standard.evaluate(IS_ELDER)
        # From another address, so both are loaded from the server.
        with_hash = elder.goto(url + "#elder").body()
        assert elder.evaluate(IS_ELDER), url
        kept = elder.goto(url).body()
        assert elder.evaluate(IS_ELDER), url
        assert plain == kept == with_hash, url
        elder.goto("/accounts/login/")


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_the_search_button_keeps_its_text_on_one_line(new_page, steps, width):
    page = new_page(phone=width < 1000)
    page.set_viewport_size({"width": width, "height": 800})
    for mode in ("standard", "elder"):
        for url in ("/", "/search/?q=关爱"):
            # The standard mode first, in a new context: nothing kept yet.
            page.goto(url + ("#elder" if mode == "elder" else ""))
            assert page.evaluate(IS_ELDER) == (mode == "elder")
            button = page.locator("main button[type=submit]")
            lines, height, one_line = button.evaluate(
                """b => {
                    const range = document.createRange();
                    range.selectNodeContents(b);
                    const rows = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    const s = getComputedStyle(b);
                    const px = v => parseFloat(v) || 0;
                    const line = px(s.paddingTop) + px(s.paddingBottom)
                        + px(s.borderTopWidth) + px(s.borderBottomWidth) + px(s.lineHeight);
                    return [rows.size, b.getBoundingClientRect().height,
                            Math.max(line, px(s.minHeight))];
                }"""
            )
            assert button.inner_text().strip() == "搜索"
            assert lines == 1, (url, width, mode, lines)
            assert height <= one_line + 1, (url, width, mode, height, one_line)
        steps.shot(page, f"{width}-{mode}-search")
