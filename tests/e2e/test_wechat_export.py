"""The WeChat (公众号) export in chromium: the exported issue, unzipped and
opened from its folder with no style sheet, shows its titles, two-character
indents, photos and captions at a phone's width (a screenshot at 390 px is
saved under test-artifacts/e2e/); on the staff page, the preview frame shows
the styles and 复制到公众号 puts the styled HTML on the clipboard."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from activities import services as report_services
from activities.models import ActivityKind, ActivityReport
from activities.reference_lists import reference_lists_seed
from newsletter import services
from newsletter.models import ArticlePhoto, Publication
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "yunfu-demo-2023"
DAY = datetime.date(2023, 2, 15)
BODY = "\n".join(
    [
        "为进一步做好困境儿童关爱保护工作，东镇社工站联合镇综治办开展“护苗行动”"
        "主题活动，四十余名儿童和家长参加。",
        "一、活动内容",
        "社工通过情景模拟、互动问答等方式，讲解防溺水、防拐骗和交通安全知识，"
        "引导孩子们学会在危险面前保护自己。",
        "[照片1]",
        "二、活动成效",
        "活动结束后，社工站为每户家庭发放了安全知识手册，并将持续跟进走访，"
        "巩固活动成效。",
    ]
)
CAPTIONS = ("社工讲解防溺水知识", "孩子们参与互动问答")


def _jpeg(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def issue(personas, net):
    """A published issue of city A with one article from a report with two
    photos (one placed by its marker, one after the text)."""
    reference_lists_seed()
    personas.editor.set_password(PASSWORD)
    personas.editor.save()
    publication = Publication.objects.create(
        name="甲市民政简报", slug="jia", city=net.city_a, bureau="甲市民政局"
    )
    report = report_services.report_create(
        report=ActivityReport(
            title="东镇社工站开展“护苗行动”主题活动",
            start_date=DAY,
            kind=ActivityKind.objects.first(),
            body=BODY,
            person_times=45,
        ),
        unit=net.a1,
        by=personas.worker,
    )
    for n, (caption, colour) in enumerate(
        zip(CAPTIONS, ("#4a7ab0", "#b0704a"), strict=True), 1
    ):
        report_services.report_photo_add(
            report=report,
            by=personas.worker,
            file=ContentFile(_jpeg(colour), name=f"p{n}.jpg"),
            caption=caption,
        )
    report_services.report_submit(report=report, by=personas.worker)
    report_services.report_approve(report=report, by=personas.reviewer)
    issue = services.issue_assemble(
        publication=publication,
        start=datetime.date(2023, 2, 1),
        end=datetime.date(2023, 2, 28),
        by=personas.editor,
    )
    services.issue_publish(issue=issue, by=personas.editor)
    issue.refresh_from_db()
    assert ArticlePhoto.objects.filter(article__issue=issue).count() == 2
    return issue


def _unzipped(issue, personas, folder):
    client = Client()
    client.force_login(personas.editor)
    response = client.get(reverse("newsletter_staff:wechat_issue_zip", args=[issue.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(folder)
    return folder / "issue.html"


def test_exported_issue_renders_without_a_style_sheet(
    new_page, steps, issue, personas, tmp_path
):
    html_file = _unzipped(issue, personas, tmp_path / "wechat")
    page = new_page(phone=True)
    assert page.viewport_size["width"] == 390
    page.goto(html_file.as_uri())
    page.wait_for_load_state("load")
    facts = page.evaluate(
        """() => {
          const px = (v) => parseFloat(v);
          const paragraphs = [...document.querySelectorAll('p')]
            .filter((p) => p.textContent.includes('社工'))
            .map((p) => {
              const s = getComputedStyle(p);
              return {text: p.textContent.slice(0, 12), indent: px(s.textIndent),
                      size: px(s.fontSize), align: s.textAlign};
            });
          const images = [...document.images].map((img) => {
            const caption = img.nextElementSibling;
            const s = caption ? getComputedStyle(caption) : null;
            return {
              src: img.getAttribute('src'), loaded: img.complete,
              natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
              caption: caption ? caption.textContent : '',
              captionAlign: s ? s.textAlign : '', captionSize: s ? px(s.fontSize) : 0,
            };
          });
          const title = [...document.querySelectorAll('h3')]
            .find((h) => h.textContent.includes('护苗行动'));
          const ts = title ? getComputedStyle(title) : null;
          return {
            sheets: document.styleSheets.length,
            classes: document.querySelectorAll('[class]').length,
            masthead: document.querySelector('h1').textContent,
            contents: document.body.textContent.includes('本 期 内 容'),
            title: title ? {align: ts.textAlign, weight: ts.fontWeight} : null,
            paragraphs, images, width: document.documentElement.clientWidth,
            scrollWidth: document.documentElement.scrollWidth,
          };
        }"""
    )
    steps.shot(page, "wechat-issue-390")
    assert facts["sheets"] == 0 and facts["classes"] == 0
    assert facts["masthead"] == "甲市民政简报"
    assert facts["contents"]
    assert facts["title"] == {"align": "center", "weight": "700"}
    body = [p for p in facts["paragraphs"] if p["align"] == "justify"]
    assert len(body) >= 3, facts["paragraphs"]
    for p in body:
        # 2em of 16px text.
        assert p["size"] == 16 and abs(p["indent"] - 32) < 0.5, p
    assert [i["src"] for i in facts["images"]] == ["images/01.jpg", "images/02.jpg"]
    for image, caption in zip(facts["images"], CAPTIONS, strict=True):
        assert image["loaded"] and image["natural"] == 800, image
        # Full width of the phone's column, and the caption below it.
        assert image["shown"] > 300, image
        assert image["caption"] == caption
        assert image["captionAlign"] == "center" and image["captionSize"] < 16
    # Nothing scrolls sideways on the phone.
    assert facts["scrollWidth"] <= facts["width"]


def _login(page):
    page.goto("/accounts/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/staff/$"))


def test_copy_button_puts_the_styled_html_on_the_clipboard(
    new_page, steps, issue, live_server
):
    article = issue.articles.get()
    page = new_page()
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    _login(page)
    page.goto(reverse("newsletter_staff:article_edit", args=[article.pk]))
    page.get_by_role("link", name="公众号排版").click()
    page.wait_for_url(re.compile(r"/wechat/$"))
    # The preview frame shows the styles the site's own pages would refuse.
    frame = page.frame_locator("iframe")
    indent = frame.locator("p", has_text="社工通过情景模拟").evaluate(
        "(p) => getComputedStyle(p).textIndent"
    )
    assert indent == "32px"
    natural = frame.locator("img").first.evaluate(
        "(img) => img.decode().then(() => img.naturalWidth, () => 0)"
    )
    assert natural == 800
    assert_accessible(page, "wechat export page")
    page.get_by_role("button", name="复制到公众号").click()
    status = page.locator("#wechat-status")
    status.wait_for(state="visible")
    assert "已复制" in status.text_content()
    steps.shot(page, "wechat-copied")
    copied = page.evaluate(
        """async () => {
          const out = {};
          for (const item of await navigator.clipboard.read()) {
            for (const type of item.types) {
              out[type] = await (await item.getType(type)).text();
            }
          }
          return out;
        }"""
    )
    assert article.title in copied["text/html"]
    assert re.search(r"text-indent:\s*2em", copied["text/html"])
    assert "class=" not in copied["text/html"]
    assert article.title in copied["text/plain"]
