"""The portal's journey in Debian's chromium through nginx (https://127.0.0.1),
on a 390 px phone screen, every step screenshotted into the work folder:

the demo ``worker`` files a report with a photo and submits it (its photo is
then 404 to the public and 200 to its author); ``reviewer`` approves it;
``editor`` assembles an issue holding it, runs the privacy check and publishes
it; an anonymous reader opens the home page, the issue, the article (its photo
answers 200, sent by nginx from the internal /protected-media/), searches a
word of the title, downloads the Word file (opened with python-docx); then
``editor`` imports a divisions sheet larger than JOBS_INLINE_MAX_BYTES through
the import page, and the job reaches 已完成 on the real Celery worker, twice
(the check, then the confirmed import).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import time

from PIL import Image

from .http import Session

PASSWORD = "yunfu-demo-2023"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
MARK = "@@journey@@"
# A word of the title the search must find, and no demo report uses.
WORD = "消防演练"
# Rows of the divisions sheet: over 64 KB (JOBS_INLINE_MAX_BYTES), so the upload
# goes to a background job.
SHEET_ROWS = 1100


class Journey:
    def __init__(self, stack, report, browser):
        self.stack = stack
        self.report = report
        self.browser = browser
        self.folder = stack.screenshots
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.n = 0
        self.problems: list[str] = []

    def page(self):
        context = self.browser.new_context(
            base_url=self.stack.base_url,
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            ignore_https_errors=True,
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))

        def on_console(message):
            if (
                "Content Security Policy" in message.text
                or "Refused to" in message.text
            ):
                self.problems.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        return page

    def shot(self, page, name: str) -> None:
        self.n += 1
        page.screenshot(
            path=str(self.folder / f"{self.n:02d}-{name}.png"), full_page=True
        )

    def login(self, page, username: str) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r"/staff/$"))

    def query(self, code: str):
        """A value computed in the production venv's Django shell, as JSON."""
        out = self.stack.shell(
            "import json\n"
            + code
            + f"\nprint({MARK!r} + json.dumps(result, ensure_ascii=False))"
        )
        line = [line for line in out.splitlines() if line.startswith(MARK)][-1]
        return json.loads(line[len(MARK) :])

    # --- the steps ------------------------------------------------------------------

    def file_report(self) -> dict:
        report, stack = self.report, self.stack
        today = self.query(
            "from django.utils import timezone\nresult = timezone.localdate().isoformat()"
        )
        title = f"安塘街道社工站开展{WORD}进社区活动{int(time.time()) % 100000}"
        worker = self.page()
        self.login(worker, "worker")
        self.shot(worker, "worker-home")
        worker.goto("/staff/reports/new/")
        worker.fill("#id_title", title)
        worker.fill("#id_start_date", today)
        worker.select_option("#id_kind", label="宣传")
        worker.fill("#id_person_times", "36")
        worker.fill(
            "#id_body",
            f"社工站联合社区开展{WORD}，讲解家庭用火用电安全知识，居民现场学习灭火器使用。",
        )
        self.shot(worker, "report-form")
        worker.get_by_role("button", name="保存草稿").click()
        worker.wait_for_url(re.compile(r"/staff/reports/\d+/$"))
        pk = int(re.search(r"/staff/reports/(\d+)/$", worker.url).group(1))
        photo = self.stack.dir / "journey-photo.jpg"
        image = Image.new("RGB", (1200, 900), "#3a7bd5")
        for x in range(0, 1200, 60):
            for y in range(0, 900, 60):
                image.paste((x % 255, y % 255, 120), (x, y, x + 30, y + 30))
        image.save(photo, "JPEG", quality=85)
        worker.set_input_files("#photo-upload-files", str(photo))
        worker.fill("#photo-upload-caption", "居民学习使用灭火器")
        with worker.expect_navigation():
            worker.get_by_role("button", name="上传照片").click()
        thumbs = worker.locator("img[src^='/media/reports/']")
        report.check(thumbs.count() >= 1, "worker uploaded a photo (thumbnail shown)")
        photo_url = thumbs.first.get_attribute("src") if thumbs.count() else None
        self.shot(worker, "report-with-photo")
        worker.get_by_role("button", name="提交审核").click()
        worker.wait_for_load_state()
        self.shot(worker, "report-submitted")
        status = self.query(
            f"from activities.models import ActivityReport\n"
            f"result = ActivityReport.objects.get(pk={pk}).status"
        )
        report.check(status == "submitted", f"worker submitted report {pk}", status)

        # Media scope while the report is unpublished: its photo is the author's.
        if photo_url:
            anonymous = Session(stack.base_url).get(photo_url)
            report.check(
                anonymous.status == 404,
                f"unpublished report's photo: anonymous → {anonymous.status} (404 expected)",
            )
            author = stack.session("worker").get(photo_url)
            report.check(
                author.status == 200
                and author.headers.get("Content-Type", "").startswith("image/"),
                f"unpublished report's photo: its author → {author.status} "
                f"{author.headers.get('Content-Type')} (200 image expected)",
            )
            stack.facts["unpublished_photo"] = photo_url
        worker.context.close()
        return {"pk": pk, "title": title, "today": today, "photo": photo_url}

    def approve(self, filed: dict) -> None:
        reviewer = self.page()
        self.login(reviewer, "reviewer")
        reviewer.goto(f"/staff/reports/{filed['pk']}/")
        self.shot(reviewer, "review")
        reviewer.get_by_role("button", name="审核通过").click()
        reviewer.wait_for_load_state()
        self.shot(reviewer, "approved")
        status = self.query(
            f"from activities.models import ActivityReport\n"
            f"result = ActivityReport.objects.get(pk={filed['pk']}).status"
        )
        self.report.check(status == "approved", "reviewer approved it", status)
        reviewer.context.close()

    def publish(self, filed: dict) -> dict:
        report = self.report
        editor = self.page()
        self.login(editor, "editor")
        editor.goto("/staff/issues/assemble/")
        editor.fill("#id_start", filed["today"])
        editor.fill("#id_end", filed["today"])
        self.shot(editor, "assemble")
        editor.get_by_role("button", name="组稿").click()
        editor.wait_for_url(re.compile(r"/staff/issues/\d+/$"))
        issue_pk = int(re.search(r"/staff/issues/(\d+)/$", editor.url).group(1))
        self.shot(editor, "issue-assembled")
        holds = self.query(
            "from newsletter.models import Article\n"
            f"result = list(Article.objects.filter(source_report_id={filed['pk']})"
            ".values_list('section__issue_id', 'pk'))"
        )
        article_pk = next((a for i, a in holds if i == issue_pk), None)
        report.check(
            article_pk is not None,
            f"editor assembled issue {issue_pk} holding the report",
        )
        editor.goto(f"/staff/issues/{issue_pk}/privacy/")
        self.shot(editor, "privacy-check")
        editor.goto(f"/staff/issues/{issue_pk}/publish/")
        self.shot(editor, "publish")
        editor.get_by_role("button", name="确认发布").click()
        editor.wait_for_load_state()
        self.shot(editor, "published")
        issue = self.query(
            "from newsletter.models import Issue\n"
            f"i = Issue.objects.get(pk={issue_pk})\n"
            "result = {'status': i.status, 'url': i.get_absolute_url()}"
        )
        report.check(
            issue["status"] == "published",
            f"editor published issue {issue_pk}",
            issue["status"],
        )
        editor.context.close()
        return {"pk": issue_pk, "url": issue["url"], "article": article_pk}

    def read(self, filed: dict, issue: dict) -> None:
        report, stack = self.report, self.stack
        reader = self.page()
        reader.goto("/")
        self.shot(reader, "public-home")
        report.check(reader.title() != "", "reader: home page")
        reader.goto(issue["url"])
        self.shot(reader, "public-issue")
        report.check(
            filed["title"] in reader.content(), "reader: the issue lists the article"
        )
        reader.get_by_role("link", name=re.compile(WORD)).first.click()
        reader.wait_for_url(re.compile(rf"/{issue['article']}/$"))
        images = reader.locator("main img")
        for i in range(images.count()):
            images.nth(i).scroll_into_view_if_needed()
        loaded = images.count() >= 1
        if loaded:
            try:
                reader.wait_for_function(
                    "() => [...document.querySelectorAll('main img')]"
                    ".every(i => i.complete && i.naturalWidth > 0)",
                    timeout=10_000,
                )
            except Exception:  # noqa: BLE001 - reported below
                loaded = False
        self.shot(reader, "public-article")
        report.check(loaded, "reader: the article's photo shows")
        source = images.first.get_attribute("src") if images.count() else ""
        if source:
            answer = Session(stack.base_url).get(source)
            # nginx's /protected-media/ location adds the media policy: proof the
            # bytes came from nginx after Django's X-Accel-Redirect.
            via_nginx = "sandbox" in (
                answer.headers.get("Content-Security-Policy") or ""
            )
            report.check(
                answer.status == 200
                and answer.body[:3] == b"\xff\xd8\xff"
                and via_nginx,
                f"reader: photo {source} → {answer.status} "
                f"{answer.headers.get('Content-Type')}, {len(answer.body)} bytes, sent by nginx (X-Accel)",
                f"CSP {answer.headers.get('Content-Security-Policy')!r}",
            )
            stack.facts["public_photo"] = source
        reader.goto("/")
        reader.fill("#home-q", WORD)
        reader.press("#home-q", "Enter")
        reader.wait_for_url(re.compile(r"/search/\?q="))
        self.shot(reader, "public-search")
        report.check(
            filed["title"] in reader.locator("main").inner_text(),
            f"reader: search “{WORD}” finds it",
        )
        word = Session(stack.base_url).get(issue["url"] + "word/")
        ok = False
        try:
            import docx

            document = docx.Document(io.BytesIO(word.body))
            text = "\n".join(p.text for p in document.paragraphs)
            text += "\n".join(
                cell.text
                for table in document.tables
                for row in table.rows
                for cell in row.cells
            )
            ok = word.status == 200 and filed["title"] in text
        except Exception as error:  # noqa: BLE001
            report.info(f"Word file: {error}")
        report.check(
            ok,
            f"reader: Word file ({len(word.body)} bytes) opens with python-docx and holds the title",
        )
        stack.facts.update(
            issue_url=issue["url"], article_url=f"{issue['url']}{issue['article']}/"
        )
        reader.context.close()

    def background_import(self) -> None:
        report = self.report
        lines = [
            "province,city,city_code,county,county_code,county_kind,county_short,"
            "county_order,town,town_kind,town_order"
        ]
        for i in range(SHEET_ROWS):
            lines.append(
                f"广东省,云浮市,445300,云城区,445302,区,云城,1,部署检查{i:04d}街道,街道,{100 + i}"
            )
        sheet = self.stack.dir / "divisions-check.csv"
        sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
        size = sheet.stat().st_size
        editor = self.page()
        self.login(editor, "editor")
        editor.goto("/staff/import/divisions/")
        if editor.locator("input[type=file]").count() == 0:
            editor.goto("/staff/import/")
            editor.locator("a[href$='/import/divisions/']").first.click()
        editor.set_input_files("input[type=file]", str(sheet))
        self.shot(editor, "import-upload")
        with editor.expect_navigation():
            editor.locator(
                "form[enctype='multipart/form-data'] button[type=submit]"
            ).first.click()
        report.check(
            "/jobs/" in editor.url,
            f"import of a {size // 1024} KB sheet went to a background job",
            editor.url,
        )
        self._wait_job(editor, "import check")
        confirm = editor.get_by_role("button", name="确认导入")
        if confirm.count():
            with editor.expect_navigation():
                confirm.click()
            self._wait_job(editor, "import")
            towns = self.query(
                "from stations.models import Town\n"
                "result = Town.objects.filter(name__startswith='部署检查').count()"
            )
            report.check(
                towns == SHEET_ROWS, f"the import wrote {towns} towns (of {SHEET_ROWS})"
            )
        else:
            report.fail("the import check's job page offers no 确认导入")
        editor.context.close()

    def _wait_job(self, page, what: str) -> None:
        deadline = time.monotonic() + 120
        started = time.monotonic()
        while time.monotonic() < deadline:
            if page.locator(".job-status-succeeded, .job-status-failed").count():
                break
            page.wait_for_timeout(1500)
            page.reload()
        self.shot(page, what.replace(" ", "-") + "-job")
        done = page.locator(".job-status-succeeded").count() > 0
        label = (
            page.locator(".job-status").first.inner_text()
            if page.locator(".job-status").count()
            else "?"
        )
        message = ""
        if not done and page.locator(".message-error").count():
            message = page.locator(".message-error").first.inner_text()
        self.report.check(
            done and "已完成" in label,
            f"{what}: job {page.url} → {label} on the Celery worker ({time.monotonic() - started:.1f} s)",
            message,
        )


def run(stack, report) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if not chromium:
        report.fail("chromium 未安装")
        return
    if not hasattr(stack, "facts"):
        stack.facts = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        try:
            journey = Journey(stack, report, browser)
            started = time.monotonic()
            filed = journey.file_report()
            journey.approve(filed)
            issue = journey.publish(filed)
            journey.read(filed, issue)
            report.info(
                f"report → published → read: {time.monotonic() - started:.1f} s"
            )
            started = time.monotonic()
            journey.background_import()
            report.info(f"background import: {time.monotonic() - started:.1f} s")
            report.check(
                not journey.problems,
                "no page error or CSP refusal in the browser",
                " | ".join(journey.problems[:5]),
            )
            report.info(f"screenshots: {journey.folder} ({journey.n})")
        finally:
            browser.close()
