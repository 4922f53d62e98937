"""A draft is named by the number it would take if published now and the day
it was started (云浮民政简报 2026年第2期（草稿，12月7日）), wherever it is shown,
and the name follows the issues published since."""

import datetime

import pytest
from django.utils import timezone

from newsletter import services
from newsletter.models import Issue
from newsletter.services.publishing import next_numbers
from newsletter.word_export import docx_filename
from tests.newsletter.conftest import D

THIS_YEAR = timezone.localdate().year


def _started(issue) -> str:
    day = timezone.localdate(issue.created_at)
    return f"{day.month}月{day.day}日"


def _fresh(issue):
    return Issue.objects.select_related("publication").get(pk=issue.pk)


def _new(publication, personas):
    return services.issue_create(publication=publication, by=personas.editor)


def _publish_written(publication, personas, title, issue_date=None):
    issue = _new(publication, personas)
    if issue_date:
        services.issue_update(
            issue=issue, by=personas.editor, editor_note="", issue_date=issue_date
        )
    services.article_create(
        issue=issue,
        section=issue.sections.first(),
        by=personas.editor,
        title=title,
        body="正文。",
    )
    return services.issue_publish(issue=issue, by=personas.editor)


def test_first_draft_is_number_one_of_this_year(publication, personas):
    draft = _fresh(_new(publication, personas))
    assert str(draft) == (f"甲市民政简报 {THIS_YEAR}年第1期（草稿，{_started(draft)}）")


def test_next_number_when_other_issues_are_published(publication, personas):
    _publish_written(publication, personas, "第一期的文章")
    _publish_written(publication, personas, "第二期的文章")
    draft = _fresh(_new(publication, personas))
    assert draft.short_name == f"{THIS_YEAR}年第3期（草稿，{_started(draft)}）"
    # The same rule as publishing's.
    assert next_numbers(publication, THIS_YEAR)[0] == 3


def test_two_drafts_of_one_year_both_carry_the_next_number(publication, personas):
    first, second = _new(publication, personas), _new(publication, personas)
    Issue.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=5)
    )
    names = [_fresh(i).short_name for i in (first, second)]
    assert all(n.startswith(f"{THIS_YEAR}年第1期（草稿，") for n in names)
    assert names[0] != names[1]  # told apart by the day they were started


def test_across_years_a_draft_is_numbered_in_the_year_it_would_come_out(
    publication, personas
):
    _publish_written(publication, personas, "今年的一期")
    # A draft planned for next January starts next year's numbering.
    planned = _new(publication, personas)
    services.issue_update(
        issue=planned,
        by=personas.editor,
        editor_note="",
        issue_date=D(THIS_YEAR + 1, 1, 5),
    )
    this_year = _new(publication, personas)
    assert _fresh(planned).short_name.startswith(f"{THIS_YEAR + 1}年第1期（草稿，")
    assert _fresh(this_year).short_name.startswith(f"{THIS_YEAR}年第2期（草稿，")
    # A draft assembled from an old year's reports still comes out this year.
    old = Issue.objects.create(
        publication=publication, year=2023, created_by=personas.editor
    )
    assert _fresh(old).short_name.startswith(f"{THIS_YEAR}年第2期（草稿，")


def test_the_name_follows_an_issue_published_meanwhile(publication, personas):
    draft = _new(publication, personas)
    assert _fresh(draft).short_name.startswith(f"{THIS_YEAR}年第1期")
    _publish_written(publication, personas, "先发的一期")
    assert _fresh(draft).short_name.startswith(f"{THIS_YEAR}年第2期")
    published = services.issue_publish(
        issue=_with_article(draft, personas), by=personas.editor
    )
    assert str(_fresh(published)) == f"甲市民政简报 {THIS_YEAR}年第2期"


def _with_article(issue, personas):
    services.article_create(
        issue=issue,
        section=issue.sections.first(),
        by=personas.editor,
        title="草稿里的文章",
        body="正文。",
    )
    return issue


def test_past_issue_held_back_keeps_its_own_number_and_says_draft(
    publication, personas
):
    held = Issue.objects.create(
        publication=publication,
        year=2019,
        number=4,
        issue_date=D(2019, 4, 1),
        source=Issue.Source.IMPORTED,
        created_by=personas.editor,
    )
    assert _fresh(held).short_name == f"2019年第4期（草稿，{_started(held)}）"


def test_word_file_of_a_draft_carries_its_name(publication, personas):
    draft = _fresh(_new(publication, personas))
    assert docx_filename(draft) == f"甲市民政简报{draft.short_name}.docx"


# --- Where drafts are shown ----------------------------------------------------------


@pytest.fixture
def drafts_and_published(publication, personas):
    _publish_written(publication, personas, "已发布的一期")
    return [_with_article(_new(publication, personas), personas) for _ in range(2)]


def test_pages_show_the_draft_name(drafts_and_published, login, personas):
    client = login(personas.editor)
    draft = _fresh(drafts_and_published[0])
    name = draft.short_name
    assert name.startswith(f"{THIS_YEAR}年第2期（草稿，")
    article = draft.articles.get()
    listing = client.get("/staff/issues/").content.decode()
    assert listing.count(f"{THIS_YEAR}年第2期（草稿，") == 2
    for url in (
        f"/staff/issues/{draft.pk}/",  # title and heading
        f"/staff/issues/{draft.pk}/privacy/",
        f"/staff/issues/{draft.pk}/publish/",
        f"/staff/issues/{draft.pk}/add/",
        f"/staff/issues/articles/{article.pk}/",  # breadcrumbs
    ):
        html = client.get(url).content.decode()
        assert name in html, url
        assert f"草稿（{draft.pk}）" not in html, url
    # The Word job's page names the issue by it.
    response = client.post(f"/staff/issues/{draft.pk}/word/job/", follow=True)
    assert name in response.content.decode()


def test_list_of_drafts_query_count_does_not_grow(
    publication, personas, login, django_assert_num_queries
):
    client = login(personas.editor)
    _publish_written(publication, personas, "已发布的一期")
    _new(publication, personas)
    # scope (3) + the issues with their publication, article count and the
    # number each draft's name carries: 4.
    with django_assert_num_queries(4):
        client.get("/staff/issues/")
    for _ in range(6):
        _new(publication, personas)
    with django_assert_num_queries(4):
        html = client.get("/staff/issues/").content.decode()
    assert html.count(f"{THIS_YEAR}年第2期（草稿，") == 7


@pytest.mark.parametrize(
    "who, status", [("editor", 200), ("reviewer", 200), ("worker", 404)]
)
def test_list_by_role(a1_draft, login, personas, who, status):
    client = login(getattr(personas, who))
    response = client.get("/staff/issues/")
    if status == 404:
        assert response.status_code in (403, 404)
        return
    assert response.status_code == 200
    assert _fresh(a1_draft).short_name in response.content.decode()


@pytest.fixture
def a1_draft(approve, assemble):
    approve("a1", "东镇的活动", D(2023, 2, 10))
    return assemble()
