"""Corrections of a published issue: only with a reason, recorded with who and
when, checked by the privacy gate again, and said on the public pages."""

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from newsletter import services
from newsletter.models import IssueCorrection, PrivacyOverride
from tests.newsletter.privacy_helpers import ID_NUMBER, registered


@pytest.fixture
def published(draft, personas):
    services.issue_publish(issue=draft, by=personas.editor)
    return draft


def _public(issue):
    return f"/issues/jia/{issue.year}/{issue.number}/"


def test_correction_needs_a_reason(published, personas):
    article = published.articles.first()
    with pytest.raises(ValidationError) as refused:
        services.article_update(article=article, by=personas.editor, title="改后的标题")
    assert "correction_reason" in refused.value.message_dict
    article.refresh_from_db()
    assert article.title != "改后的标题"
    assert not IssueCorrection.objects.exists()


def test_correction_is_recorded_and_shown_on_the_public_pages(
    published, personas, client
):
    article = published.articles.first()
    services.article_update(
        article=article,
        by=personas.editor,
        title="改后的标题",
        body="改正后的正文。",
        correction_reason="原文数字有误",
    )
    correction = IssueCorrection.objects.get()
    assert (correction.by, correction.article, correction.reason) == (
        personas.editor,
        article,
        "原文数字有误",
    )
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CORRECT).count() == 1
    html = client.get(_public(published)).content.decode()
    assert "本期于" in html and "更正" in html and "原文数字有误" in html
    assert "改后的标题" in html
    html = client.get(f"{_public(published)}{article.pk}/").content.decode()
    assert "本期于" in html and "原文数字有误" in html


def test_correction_runs_the_gate_again(published, personas, net):
    registered(personas, net)
    article = published.articles.first()
    before = article.body
    with pytest.raises(services.PrivacyBlocked) as blocked:
        services.article_update(
            article=article,
            by=personas.editor,
            title=article.title,
            body=f"补充：服务对象王小红，证件号{ID_NUMBER}。",
            correction_reason="补充内容",
        )
    assert sorted(h.kind for h in blocked.value.hits) == ["id_number", "name"]
    article.refresh_from_db()
    assert article.body == before and not IssueCorrection.objects.exists()
    # With a written reason, each hit is overridden and the correction goes in.
    services.article_update(
        article=article,
        by=personas.editor,
        title=article.title,
        body=f"补充：服务对象王小红，证件号{ID_NUMBER}。",
        correction_reason="补充内容",
        override_reason="监护人书面同意公开",
    )
    assert PrivacyOverride.objects.count() == 2
    assert IssueCorrection.objects.count() == 1


def test_article_withdrawn_from_a_published_issue(published, personas, client):
    article = published.articles.first()
    with pytest.raises(ValidationError):
        services.article_delete(article=article, by=personas.editor)
    services.article_delete(
        article=article, by=personas.editor, correction_reason="涉及未成年人隐私"
    )
    html = client.get(_public(published)).content.decode()
    assert article.title not in html.split("更正说明")[-1].split("</aside>")[-1]
    assert "撤下文章" in html and "涉及未成年人隐私" in html


def test_editor_note_correction(published, personas):
    services.issue_correct(
        issue=published,
        by=personas.editor,
        reason="补充编者按",
        editor_note="新的编者按",
    )
    published.refresh_from_db()
    assert published.editor_note == "新的编者按"
    assert IssueCorrection.objects.get().summary == "更正编者按"
