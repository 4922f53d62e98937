"""The error pages in a browser, on a phone and a desktop: the 404 and the 500
fit the screen, load nothing the CSP refuses, pass axe, and their 返回上一页
button (static/js/go_back.js, for when the browser sent no Referer) goes back."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.portal.error_urls"),
]


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "name, url, heading",
    [
        ("404", "/no-such-page/", "找不到这个页面"),
        ("500", "/test-errors/boom/", "网站出错了"),
    ],
)
def test_an_error_page_fits_passes_axe_and_goes_back(
    new_page, steps, phone, name, url, heading
):
    page = new_page(phone=phone)
    page.goto("/stations/")
    response = page.goto(url)  # typed in: no Referer
    assert response.status == int(name)
    assert page.locator("h1").inner_text() == heading
    assert (
        page.evaluate("document.documentElement.scrollWidth")
        <= (page.viewport_size["width"])
    )
    assert page.locator("a", has_text="返回首页").is_visible()
    steps.shot(page, f"{name}-{'phone' if phone else 'desktop'}")
    assert_accessible(page, f"the {name} page")
    page.locator("[data-go-back]").click()
    page.wait_for_url("**/stations/")
