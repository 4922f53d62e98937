"""A past issue whose file gives no running number (总第N期) has none: its
pages show 第N期 alone until an editor adds it on the staff issue page. Every
other published issue still must have one."""

import io

import pytest
from django.db import IntegrityError, transaction
from docx import Document

from core.models import AuditEntry
from newsletter import selectors
from newsletter.models import Issue
from newsletter.services.legacy import issue_import
from newsletter.word_export import build_docx
from stations import services as station_services
from stations.models import Role
from tests import factories
from tests.newsletter.legacy.helpers import replace


def _import(publication, data: bytes, by=None, **kwargs):
    kwargs.setdefault("year", 2023)
    kwargs.setdefault("number", 3)
    return issue_import(
        publication=publication, source=data, filename="seed.txt", by=by, **kwargs
    )


@pytest.fixture
def seed_issue(publication, seed_bytes, yunfu_editor):
    return _import(publication, seed_bytes, by=yunfu_editor).issue


def _public_pages(client, issue):
    article = issue.articles.first()
    base = f"/issues/yunfu/{issue.year}/{issue.number}/"
    urls = [
        "/",
        "/issues/",
        "/issues/yunfu/",
        "/issues/yunfu/2023/",
        base,
        f"{base}{article.pk}/",
        f"{base}print/",
        "/feeds/rss/",
        "/feeds/atom/",
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def test_the_imported_seed_has_no_running_number(seed_issue):
    assert seed_issue.is_published and seed_issue.running_number is None
    assert str(seed_issue) == "云浮民政简报 2023年第3期"
    assert seed_issue.number_label == "第3期"


def test_its_public_pages_show_the_number_without_a_running_number(client, seed_issue):
    pages = _public_pages(client, seed_issue)
    for url, html in pages.items():
        assert "总第" not in html, url
    base = "/issues/yunfu/2023/3/"
    assert '<p class="nl-number">第3期</p>' in pages[base]
    assert '<p class="nl-number">第3期</p>' in pages[f"{base}print/"]
    assert "2023年第3期" in pages[base]
    assert ">第3期</a>" in pages["/issues/yunfu/2023/"]
    assert "云浮民政简报 · 第3期" in pages[f"{base}{seed_issue.articles.first().pk}/"]


def test_the_word_file_shows_the_number_alone(seed_issue):
    doc = Document(
        io.BytesIO(build_docx(seed_issue, selectors.issue_contents(seed_issue)))
    )
    texts = [p.text for p in doc.paragraphs]
    assert texts[1] == "第3期"
    assert not any("总第" in t for t in texts)
    assert doc.core_properties.title == "云浮民政简报 2023年第3期"


def test_a_running_number_in_the_file_is_kept(publication, seed_text):
    text = "云浮民政简报\n\n2023年第3期（总第45期）\n\n" + seed_text
    issue = _import(publication, text.encode()).issue
    assert issue.running_number == 45 and issue.number_label == "第3期（总第45期）"


def test_the_constraint_refuses_a_published_issue_of_this_site_without_one(
    seed_issue, publication
):
    # The imported issue may be published without one...
    Issue.objects.filter(pk=seed_issue.pk).update(running_number=None)
    # ...but an issue published here may not.
    issue = Issue.objects.create(
        publication=publication,
        year=2024,
        number=1,
        running_number=1,
        issue_date=seed_issue.issue_date,
        published_at=seed_issue.published_at,
        status=Issue.Status.PUBLISHED,
        source=Issue.Source.ASSEMBLED,
    )
    for source in (Issue.Source.ASSEMBLED, Issue.Source.WRITTEN):
        with pytest.raises(IntegrityError), transaction.atomic():
            Issue.objects.filter(pk=issue.pk).update(running_number=None, source=source)
    issue.refresh_from_db()
    assert issue.running_number == 1


# --- Set later on the staff issue page -----------------------------------------------


def test_the_editor_adds_it_on_the_issue_page(client, login, seed_issue, yunfu_editor):
    editor = login(yunfu_editor)
    page = editor.get(f"/staff/issues/{seed_issue.pk}/").content.decode()
    assert "文件中没有写总期号" in page
    assert f'action="/staff/issues/{seed_issue.pk}/running-number/"' in page
    # The public page is cached for readers before the change.
    client.logout()
    assert "总第" not in client.get("/issues/yunfu/2023/3/").content.decode()
    response = login(yunfu_editor).post(
        f"/staff/issues/{seed_issue.pk}/running-number/",
        {"running_number": "45"},
        follow=True,
    )
    assert "已设为总第45期" in response.content.decode()
    seed_issue.refresh_from_db()
    assert seed_issue.running_number == 45
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE)
    assert (entry.user, entry.target_id) == (yunfu_editor, str(seed_issue.pk))
    client.logout()
    html = client.get("/issues/yunfu/2023/3/").content.decode()
    assert '<p class="nl-number">第3期（总第45期）</p>' in html


def test_a_running_number_another_issue_has_is_refused_in_chinese(
    login, publication, seed_issue, seed_text, yunfu_editor
):
    other_text = "云浮民政简报\n\n2023年第2期（总第44期）\n\n" + replace(
        seed_text, "一推一剪皆是爱", "一推一剪都是爱"
    )
    other = _import(publication, other_text.encode(), number=2).issue
    response = login(yunfu_editor).post(
        f"/staff/issues/{seed_issue.pk}/running-number/",
        {"running_number": "44"},
        follow=True,
    )
    html = response.content.decode()
    assert f"总第44期已经是“{other}”的总期号" in html
    seed_issue.refresh_from_db()
    assert seed_issue.running_number is None


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "总期号应为正整数"), ("0", "总期号"), ("-3", "总期号")],
)
def test_bad_input_changes_nothing(login, seed_issue, yunfu_editor, value, message):
    response = login(yunfu_editor).post(
        f"/staff/issues/{seed_issue.pk}/running-number/",
        {"running_number": value},
        follow=True,
    )
    assert response.status_code == 200 and message in response.content.decode()
    seed_issue.refresh_from_db()
    assert seed_issue.running_number is None


def test_clearing_it_again(login, seed_issue, yunfu_editor):
    client = login(yunfu_editor)
    url = f"/staff/issues/{seed_issue.pk}/running-number/"
    client.post(url, {"running_number": "45"})
    response = client.post(url, {"running_number": ""}, follow=True)
    assert "已清除总期号" in response.content.decode()
    seed_issue.refresh_from_db()
    assert seed_issue.running_number is None


def test_only_imported_issues_take_a_running_number_by_hand(
    publication, seed_issue, yunfu_editor
):
    from django.core.exceptions import ValidationError

    from newsletter import services

    draft = services.issue_create(publication=publication, by=yunfu_editor)
    with pytest.raises(ValidationError) as caught:
        services.issue_set_running_number(
            issue=draft, by=yunfu_editor, running_number=7
        )
    assert "只有往期导入的简报" in caught.value.messages[0]


def test_others_may_not_set_it(client, login, seed_issue, yunfu):
    reviewer = factories.UserFactory(username="yunan_reviewer")
    station_services.role_assign(
        user=reviewer, role=Role.COUNTY_REVIEWER, unit=yunfu.county("云安区")
    )
    worker = factories.UserFactory(username="fulin_worker")
    station_services.role_assign(
        user=worker, role=Role.SOCIAL_WORKER, unit=yunfu.station("云安区", "富林镇")
    )
    url = f"/staff/issues/{seed_issue.pk}/running-number/"
    response = client.post(url, {"running_number": "45"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for user in (reviewer, worker):
        assert login(user).post(url, {"running_number": "45"}).status_code == 404
    seed_issue.refresh_from_db()
    assert seed_issue.running_number is None


def test_the_staff_issue_page_takes_the_same_queries_with_the_new_form(
    login, seed_issue, yunfu_editor, django_assert_num_queries
):
    client = login(yunfu_editor)
    # 6, as for every issue (tests/newsletter/test_views_queries.py): session
    # + user + scope, the issue with its publication and city, the sections,
    # and the articles with their units joined and their photos, and among
    # them the missing pictures, counted in the same query. The running
    # number form reads nothing.
    with django_assert_num_queries(6):
        response = client.get(f"/staff/issues/{seed_issue.pk}/")
    assert response.status_code == 200
