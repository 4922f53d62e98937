"""Browser journeys in Debian's chromium, driven by Playwright.

- The browser is /usr/bin/chromium (``which chromium``): Playwright's own browser
  download is not used. .ci/run installs the Debian package when these tests
  exist; without it the tests are skipped with a reason.
- Each test runs against pytest-django's live server, on a database that is
  committed (``transaction=True``) so the server's thread sees it; the rows the
  migrations wrote are put back afterwards (``serialized_rollback``).
- Screenshots of every step are saved under ``test-artifacts/e2e/<test>/``
  (or ``$PYTEST_ARTIFACTS/e2e/``), which git ignores and CI keeps.
- axe-core (tests/e2e/vendor/axe.min.js, from the npm package axe-core, test
  files only, never served by the portal) checks each page; a serious or
  critical violation fails the test.
- A page that the Content-Security-Policy would break (an inline script or
  style it refuses) fails the test too: the browser reports it on the console.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from activities.reference_lists import reference_lists_seed

BASE = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(os.environ.get("PYTEST_ARTIFACTS") or BASE / "test-artifacts") / "e2e"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls (setting up data, checking it) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def seeded_lists(transactional_db):
    """The editable lists the data migrations seed (activity kinds, beneficiary
    categories and their visit periods, partners), seeded again (idempotent)
    before each journey. serialized_rollback should have put them back after an
    earlier transactional test of the same worker flushed the tables, but after
    tests/newsletter/test_publishing.py's it did not (SQLite; CI caught a journey
    finding no activity kind)."""
    reference_lists_seed()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class Step:
    """Screenshots numbered in the order the journey takes them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.n = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)

    def shot(self, page, name: str) -> Path:
        self.n += 1
        path = self.folder / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def steps(request):
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    return Step(ARTIFACTS / name)


class Watch:
    """Console messages that say the CSP blocked something, and page errors."""

    def __init__(self):
        self.problems: list[str] = []

    def attach(self, page):
        def on_console(message):
            text = message.text
            if "Content Security Policy" in text or "Refused to" in text:
                self.problems.append(f"{page.url}: {text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        return page


@pytest.fixture
def watch():
    w = Watch()
    yield w
    assert not w.problems, "\n".join(w.problems)


@pytest.fixture
def new_page(browser, live_server, watch):
    """new_page(phone=False) -> a page in its own browser context (its own
    cookies: one per person in the journey)."""
    contexts = []

    def _new(phone: bool = False):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return watch.attach(context.new_page())

    yield _new
    for context in contexts:
        context.close()


_AXE_SOURCE: str | None = None

# axe rules about things a test page cannot judge fairly are not switched off:
# every rule runs. Only serious and critical violations fail.
FAILING_IMPACTS = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now. The script is evaluated through
    the DevTools protocol, which the page's CSP does not govern: nothing is added
    to the page's own scripts."""
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = AXE.read_text(encoding="utf-8")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(f"() => {{ {_AXE_SOURCE}\n; return true; }}")
    result = page.evaluate(
        """async () => {
            // page.evaluate has no time limit of its own: a run that never
            // settles fails the test after a minute instead of hanging it.
            const late = new Promise((_, reject) => setTimeout(
                () => reject(new Error('axe.run did not finish within 60 s')), 60000));
            const r = await Promise.race([
                window.axe.run(document, {resultTypes: ['violations']}), late]);
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)
            }));
        }"""
    )
    return [v for v in result if v["impact"] in FAILING_IMPACTS]


def assert_accessible(page, where: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, f"axe on {where or page.url}:\n" + json.dumps(
        violations, ensure_ascii=False, indent=1
    )
