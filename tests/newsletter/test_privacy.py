"""The privacy gate: what it finds (registered names, ID numbers and phones, any
ID-shaped string, photos without consent), how hits are shown (masked), and
overrides (a written reason, recorded, holding for the same value in the same
article only)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry
from newsletter import privacy, services
from newsletter.models import Article, Issue, PrivacyOverride
from tests.newsletter.conftest import D, add_photo
from tests.newsletter.privacy_helpers import (
    GUARDIAN_PHONE,
    ID_NUMBER,
    PHONE,
    registered,
)


@pytest.fixture
def child(personas, net):
    return registered(personas, net)


@pytest.fixture
def issue_with(approve, assemble, child):
    """issue_with(body, title=...) -> a draft holding one station article."""

    def _make(body, title="开展入户走访", **fields):
        approve("a1", title, D(2023, 2, 10), body=body, **fields)
        return assemble()

    return _make


def _kinds(hits):
    return sorted(h.kind for h in hits)


def test_gate_finds_name_id_number_and_phone(issue_with):
    issue = issue_with(
        f"社工走访了王小红一家。\n身份证号 {ID_NUMBER[:6]} {ID_NUMBER[6:]}。\n"
        "联系电话 138-1234-5678，监护人王建国电话 0766 8812345。"
    )
    hits = privacy.issue_privacy_check(issue)
    assert _kinds(hits) == ["id_number", "name", "name", "phone", "phone"]
    text = " ".join(h.masked for h in hits)
    assert ID_NUMBER not in text and PHONE not in text
    masked = {h.kind: h.masked for h in hits}
    assert masked["id_number"] == ID_NUMBER[:4] + "**********" + ID_NUMBER[-4:]
    assert sorted(h.masked for h in hits if h.kind == "name") == ["王**", "王**"]
    # The beneficiary files' masks (core/idcard.py): a mobile
    # keeps its first three and last four digits, a landline its last four.
    phones = sorted(h.masked for h in hits if h.kind == "phone")
    assert phones[1] == "138****5678"
    assert phones[0].endswith("2345") and "8812345" not in phones[0]
    by_place = {(h.where, h.index, h.start) for h in hits}
    assert ("block", 0, 5) in by_place  # 王小红 in the first paragraph


def test_unregistered_id_shaped_string_is_a_hit_too(issue_with):
    issue = issue_with("联系人证件号 440102199001011235 已核实。")
    [hit] = privacy.issue_privacy_check(issue)
    assert hit.kind == "id_shaped" and hit.masked == "4401**********1235"


def test_title_subtitle_and_caption_are_read(issue_with, personas):
    issue = issue_with("正文无人名。", title="为王小红庆生", subtitle="电话13812345678")
    article = issue.articles.get()
    add_photo(article.source_report, personas.superuser, 9, caption="王建国在活动中")
    # The report photo was added after assembly; the article takes it through
    # the editor's photo choice.
    services.article_update(
        article=article,
        by=personas.editor,
        title=article.title,
        subtitle=article.subtitle,
        body=article.body,
        photos=[
            services.PhotoChoice(
                photo=article.source_report.photos.get(), caption="王建国在活动中"
            )
        ],
    )
    places = {(h.where, h.kind) for h in privacy.issue_privacy_check(issue)}
    assert places == {("title", "name"), ("subtitle", "phone"), ("caption", "name")}


def test_names_of_another_city_are_not_hits(issue_with):
    assert privacy.issue_privacy_check(issue_with("乙城人参加了活动。")) == []


def test_photo_showing_people_without_consent_is_a_hit(draft, personas):
    article = draft.articles.filter(photos__isnull=False).first()
    photo = article.photos.first()
    photo.shows_people, photo.consent = True, False
    photo.save()  # as a past issue's import leaves it; reports require consent
    [hit] = privacy.issue_privacy_check(draft)
    assert hit.kind == "photo" and hit.where == "photo" and hit.index == 1


def test_publish_refused_until_every_hit_is_overridden(issue_with, personas):
    issue = issue_with("走访王小红，电话13812345678，证件号440102199001011235。")
    with pytest.raises(services.PrivacyBlocked) as refused:
        services.issue_publish(issue=issue, by=personas.editor)
    assert len(refused.value.hits) == 3
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and issue.number is None
    article = issue.articles.get()
    for hit in privacy.issue_privacy_check(issue):
        services.privacy_override(
            article=article, hit=hit, reason="已取得监护人书面同意", by=personas.editor
        )
    assert privacy.blocking(privacy.issue_privacy_check(issue)) == []
    services.issue_publish(issue=issue, by=personas.editor)
    assert issue.status == Issue.Status.PUBLISHED and issue.number == 1


def test_override_needs_a_reason_and_the_editor(issue_with, personas):
    issue = issue_with("走访王小红。")
    article = issue.articles.get()
    [hit] = privacy.issue_privacy_check(issue)
    with pytest.raises(ValidationError, match="放行理由"):
        services.privacy_override(
            article=article, hit=hit, reason=" ", by=personas.editor
        )
    for who in (personas.reviewer, personas.other_editor, personas.worker):
        with pytest.raises(PermissionDenied):
            services.privacy_override(
                article=article, hit=hit, reason="已取得书面同意", by=who
            )
    assert not PrivacyOverride.objects.exists()


def test_override_stores_masked_value_and_digest_never_the_value(issue_with, personas):
    issue = issue_with(f"证件号{ID_NUMBER}。")
    article = issue.articles.get()
    [hit] = privacy.issue_privacy_check(issue)
    services.privacy_override(
        article=article, hit=hit, reason="本人要求公开", by=personas.editor
    )
    row = PrivacyOverride.objects.get()
    assert row.masked == hit.masked and len(row.value_hash) == 64
    assert ID_NUMBER not in f"{row.masked}{row.value_hash}{row.reason}"
    audit = AuditEntry.objects.get(action=AuditEntry.Action.OVERRIDE)
    assert audit.reason == "本人要求公开" and audit.username == personas.editor.username
    assert ID_NUMBER not in f"{audit.detail}{audit.target_label}"
    assert hit.masked in audit.detail


def test_override_holds_only_for_the_same_value_in_the_same_article(
    issue_with, approve, personas
):
    approve("a2", "南镇活动", D(2023, 2, 11), body="王小红也来了。")
    issue = issue_with("走访王小红。")
    first = issue.articles.get(source_report__title="开展入户走访")
    hit = next(
        h for h in privacy.issue_privacy_check(issue) if h.article_id == first.pk
    )
    services.privacy_override(
        article=first, hit=hit, reason="已取得书面同意", by=personas.editor
    )
    left = privacy.blocking(privacy.issue_privacy_check(issue))
    assert [h.article_id for h in left] == [
        issue.articles.get(source_report__title="南镇活动").pk
    ]
    # The same article with a different value: blocked again.
    services.article_update(
        article=first,
        by=personas.editor,
        title=first.title,
        body="走访王小红，监护人王建国。",
    )
    left = privacy.blocking(privacy.issue_privacy_check(issue))
    assert sorted(h.masked for h in left if h.article_id == first.pk) == ["王**"]


def test_changing_the_text_clears_the_hit(issue_with, personas):
    issue = issue_with("走访王小红。")
    article = issue.articles.get()
    services.article_update(
        article=article, by=personas.editor, title=article.title, body="走访一名儿童。"
    )
    assert privacy.issue_privacy_check(issue) == []


def test_guardian_phone_with_other_separators(issue_with):
    digits = GUARDIAN_PHONE.replace("-", "")
    issue = issue_with(f"座机 {digits[:4]} {digits[4:]}。")
    [hit] = privacy.issue_privacy_check(issue)
    assert hit.kind == "phone" and digits not in hit.masked


def test_places_show_hits_masked_in_their_text(issue_with):
    issue = issue_with("社工走访了王小红一家，电话13812345678。")
    article = Article.objects.get(issue=issue)
    hits = privacy.issue_privacy_check(issue)
    [place] = privacy.places_with_hits(article, hits, [])
    shown = "".join(seg.text for seg in place.segments)
    assert shown == "社工走访了王**一家，电话138****5678。"
    assert [seg.hit.kind for seg in place.segments if seg.hit] == ["name", "phone"]


def test_a_name_or_id_in_the_editors_note_stops_publishing(issue_with, personas):
    issue = issue_with("社工开展入户走访，了解困境儿童的学习情况。")
    services.issue_update(
        issue=issue, by=personas.editor, editor_note="本期重点介绍王小红一家的变化。"
    )
    with pytest.raises(ValidationError) as refused:
        services.issue_publish(issue=issue, by=personas.editor)
    message = " ".join(refused.value.messages)
    assert "编者按" in message and "王小红" not in message and "王**" in message
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and issue.number is None
    services.issue_update(
        issue=issue, by=personas.editor, editor_note="本期重点介绍困境儿童关爱服务。"
    )
    services.issue_publish(issue=issue, by=personas.editor)
    assert issue.status == Issue.Status.PUBLISHED


def test_a_correction_of_the_note_is_checked_too(issue_with, personas, client):
    issue = issue_with("社工开展入户走访，了解困境儿童的学习情况。")
    services.issue_publish(issue=issue, by=personas.editor)
    with pytest.raises(ValidationError) as refused:
        services.issue_correct(
            issue=issue,
            by=personas.editor,
            reason="补充编者按",
            editor_note=f"联系电话 {PHONE}，证件 {ID_NUMBER}",
        )
    message = " ".join(refused.value.messages)
    assert PHONE not in message and ID_NUMBER not in message
    issue.refresh_from_db()
    assert issue.editor_note == "" and not issue.corrections.exists()
    # Through the page: the form says why, nothing changes.
    client.force_login(personas.editor)
    response = client.post(
        f"/staff/issues/{issue.pk}/correct/",
        {"editor_note": f"证件 {ID_NUMBER}", "reason": "补充编者按"},
    )
    assert (
        response.status_code == 200
        and "编者按中有个人信息" in response.content.decode()
    )
    issue.refresh_from_db()
    assert issue.editor_note == ""
