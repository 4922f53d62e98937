"""A published report's staff page shows where it appeared (已刊登于 2023年第1期)
with the link to its article on the public site; the newsletter adds it through
activities' report panels, in one query, and only for a published report."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsletter import services
from newsletter.models import Article
from newsletter.panels import published_panel
from tests.newsletter.conftest import D


@pytest.fixture
def report(approve):
    return approve("a1", "开展禁毒宣传", D(2023, 2, 20))


def _page(client, report):
    response = client.get(f"/staff/reports/{report.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _publish(assemble, personas):
    draft = assemble()
    return services.issue_publish(issue=draft, by=personas.editor)


def test_published_report_links_to_its_article(report, assemble, login, personas):
    issue = _publish(assemble, personas)
    article = Article.objects.get(source_report=report)
    html = _page(login(personas.worker), report)
    assert f"已刊登于 {issue.year}年第{issue.number}期" in html
    url = reverse("newsletter:article", args=[*issue.public_args(), article.pk])
    assert f'<a href="{url}">{article.title}</a>' in html


def test_unpublished_report_shows_nothing(report, assemble, login, personas):
    client = login(personas.worker)
    assert "已刊登于" not in _page(client, report)
    assemble()  # in a draft: not published yet
    assert "已刊登于" not in _page(client, report)


def test_panel_reads_one_query_and_none_for_a_report_not_published(
    report, approve, assemble, personas, django_assert_num_queries
):
    other = approve("a1", "开展入户走访", D(2023, 2, 21))
    assemble()
    other.refresh_from_db()
    with django_assert_num_queries(0):
        assert published_panel(personas.worker, other) is None
    issue = services.issue_publish(
        issue=Article.objects.get(source_report=report).issue, by=personas.editor
    )
    report.refresh_from_db()
    with django_assert_num_queries(1):
        panel = published_panel(personas.worker, report)
    assert panel["issue"].pk == issue.pk


def test_report_page_costs_one_query_more_once_published(
    report, approve, assemble, login, personas
):
    client = login(personas.reviewer)
    other = approve("a1", "开展入户走访", D(2023, 2, 21))
    with CaptureQueriesContext(connection) as unpublished:
        _page(client, report)
    _publish(assemble, personas)
    with CaptureQueriesContext(connection) as published:
        _page(client, report)
    with CaptureQueriesContext(connection) as published_other:
        _page(client, other)
    assert len(published) == len(unpublished) + 1 == len(published_other)


@pytest.mark.parametrize("who", ["worker", "head", "reviewer", "supervisor", "editor"])
def test_every_role_that_reads_the_report_sees_it(
    report, assemble, login, personas, who
):
    _publish(assemble, personas)
    assert "已刊登于" in _page(login(getattr(personas, who)), report)


def test_outsiders_still_get_404(report, assemble, login, personas):
    _publish(assemble, personas)
    for who in ("other_worker", "other_reviewer", "other_editor"):
        response = login(getattr(personas, who)).get(f"/staff/reports/{report.pk}/")
        assert response.status_code == 404, who
