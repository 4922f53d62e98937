"""Fixtures of the public-site tests, built through the services on
top of tests/newsletter/conftest.py: city A's publication 甲市民政简报 (slug
``jia``) with its February 2023 issue published (eight articles from reports
of each level, one with two photos), and ``written`` to publish more issues of
articles written by the editor."""

import datetime

import pytest
from django.core.cache import cache

from newsletter import services

D = datetime.date


@pytest.fixture
def published(draft, personas):
    """The assembled February issue, published on 2023-03-01: 2023年第1期."""
    services.issue_update(
        issue=draft, by=personas.editor, editor_note="", issue_date=D(2023, 3, 1)
    )
    return services.issue_publish(issue=draft, by=personas.editor)


@pytest.fixture
def written(publication, personas, net):
    """written(date, titles, unit=None, body=None, publish=True) -> an issue of
    articles written by the editor, one per title, all about ``unit`` (a
    county or a station of city A, or the city when None), published on
    ``date`` unless ``publish`` is False."""

    def _written(date, titles, unit=None, body=None, publish=True, **kwargs):
        editor = personas.editor
        issue = services.issue_create(publication=publication, by=editor)
        services.issue_update(issue=issue, by=editor, editor_note="", issue_date=date)
        sections = {s.kind: s for s in issue.sections.all()}
        kind = "city"
        county = station = None
        if unit is not None and hasattr(unit, "town"):
            kind, station = "station", unit
        elif unit is not None:
            kind, county = "county", unit
        for title in titles:
            services.article_create(
                issue=issue,
                section=sections[kind],
                by=editor,
                title=title,
                body=body if body is not None else f"{title}的正文第一段。\n第二段。",
                county=county,
                station=station,
                **kwargs,
            )
        if publish:
            services.issue_publish(issue=issue, by=editor)
        issue.refresh_from_db()
        return issue

    return _written


@pytest.fixture
def fresh(client):
    """fresh(url) -> the response to an anonymous GET with the page cache
    emptied first: what a page costs when it is rendered."""

    def _fresh(url, **extra):
        cache.clear()
        return client.get(url, **extra)

    return _fresh


def issue_url(issue) -> str:
    return f"/issues/{issue.publication.slug}/{issue.year}/{issue.number}/"


def article_url(article) -> str:
    return f"{issue_url(article.issue)}{article.pk}/"
