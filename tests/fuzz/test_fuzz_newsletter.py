"""Fuzzing the editorial forms: article edit and new, issue assembly, the
issue's details and the legacy import upload."""

import pytest
from hypothesis import given

from newsletter.models import Article, Issue
from tests.fuzz.formfuzz import (
    assert_no_markup,
    check_post,
    fuzzed_data,
    hostile_files,
)
from tests.fuzz.pageforms import page_form


@pytest.fixture
def issue_draft(three_levels, assemble):
    return assemble()


def test_fuzz_article_edit(login, personas, issue_draft):
    client = login(personas.editor)
    article = issue_draft.articles.order_by("pk").first()
    url = f"/staff/issues/articles/{article.pk}/"
    form = page_form(client, url)

    def row():
        return Article.objects.filter(pk=article.pk).values().get()

    @given(fuzzed_data(form, skip=["version"]))
    def run(data):
        data.pop("version", None)
        check_post(client, url, data, state=row)
        # Whatever was typed, the stored body is the sanitised format only.
        assert_no_markup(Article.objects.get(pk=article.pk).body, "stored body")

    run()


def test_fuzz_article_new(login, personas, issue_draft):
    client = login(personas.editor)
    url = f"/staff/issues/{issue_draft.pk}/articles/new/"
    form = page_form(client, url)

    @given(fuzzed_data(form, base={"title": "编辑来稿"}))
    def run(data):
        check_post(client, url, data, watch=[Article])
        for body in Article.objects.values_list("body", flat=True):
            assert_no_markup(body, "stored body")

    run()


def test_fuzz_issue_assemble(login, personas, publication, three_levels):
    client = login(personas.editor)
    url = "/staff/issues/assemble/"
    form = page_form(client, url)

    @given(fuzzed_data(form))
    def run(data):
        check_post(client, url, data, watch=[Issue])

    run()


def test_fuzz_issue_meta(login, personas, issue_draft):
    client = login(personas.editor)
    url = f"/staff/issues/{issue_draft.pk}/meta/"
    form = page_form(client, f"/staff/issues/{issue_draft.pk}/", action=url)

    def row():
        return Issue.objects.filter(pk=issue_draft.pk).values().get()

    @given(fuzzed_data(form))
    def run(data):
        check_post(client, url, data, state=row)

    run()


def test_fuzz_legacy_import_upload(login, personas, publication):
    client = login(personas.editor)
    url = "/staff/issues/import/"
    form = page_form(client, url)

    @given(fuzzed_data(form, files=hostile_files))
    def run(data):
        check_post(client, url, data, watch=[Issue, Article])

    run()
