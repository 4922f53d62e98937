"""Nothing is published while any text the public will see holds a value the
gate flags without an override: article titles, subtitles, bodies and
captions, and the issue's own section titles, editor's note and correction
reasons, in the spellings an input method types. The privacy page shows what
it found, masked, to the editor, and only a reviewer's own articles to them."""

import pytest
from django.core.exceptions import ValidationError

from newsletter import privacy, services
from newsletter.models import Issue, IssueCorrection
from tests.newsletter.conftest import D, add_photo
from tests.newsletter.privacy_helpers import ID_NUMBER, PHONE, registered

# As an input method in full-width mode types them.
WIDE_ID = f"{ID_NUMBER[:6]}\u3000{ID_NUMBER[6:14]}－{ID_NUMBER[14:]}"
WIDE_PHONE = "１３８　１２３４　５６７８"


@pytest.fixture
def child(personas, net):
    return registered(personas, net)


@pytest.fixture
def draft_of(approve, assemble, child):
    def _make(**fields):
        fields.setdefault("body", "社工开展入户走访，了解困境儿童的学习情况。")
        approve("a1", fields.pop("title", "开展入户走访"), D(2023, 2, 10), **fields)
        return assemble()

    return _make


def _refused(issue, editor, match=None):
    with pytest.raises(ValidationError) as refused:
        services.issue_publish(issue=issue, by=editor)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and issue.number is None
    message = " ".join(refused.value.messages)
    for value in (ID_NUMBER, PHONE, "王小红"):
        assert value not in message
    if match:
        assert match in message
    return message


def test_a_section_title_with_a_flagged_value_stops_publishing(draft_of, personas):
    issue = draft_of()
    section = issue.sections.order_by("position").first()
    services.section_rename(section=section, title=f"动态{WIDE_ID}", by=personas.editor)
    message = _refused(issue, personas.editor, "栏目名称")
    assert "4411**********" in message
    services.section_rename(section=section, title="市级动态", by=personas.editor)
    services.issue_publish(issue=issue, by=personas.editor)
    assert issue.status == Issue.Status.PUBLISHED


@pytest.mark.parametrize(
    "fields",
    [
        {"subtitle": f"联系电话{WIDE_PHONE}"},
        {"title": "为王·小紅庆生"},
        {"body": f"证号ID{ID_NUMBER}已核实。"},
        {"body": "监护人电话：零七六六－八八一二三四五。"},
    ],
)
def test_article_texts_in_any_spelling_stop_publishing(draft_of, personas, fields):
    issue = draft_of(**fields)
    _refused(issue, personas.editor, "隐私检查")
    assert privacy.blocking(privacy.issue_privacy_check(issue))


def test_a_caption_stops_publishing(draft_of, personas):
    issue = draft_of()
    article = issue.articles.get()
    add_photo(article.source_report, personas.superuser, 1)
    services.article_update(
        article=article,
        by=personas.editor,
        title=article.title,
        body=article.body,
        photos=[
            services.PhotoChoice(
                photo=article.source_report.photos.get(), caption="王 小 红在活动中"
            )
        ],
    )
    _refused(issue, personas.editor)
    [hit] = privacy.issue_privacy_check(issue)
    assert (hit.where, hit.kind, hit.masked) == ("caption", "name", "王**")


def test_the_editors_note_in_another_spelling_stops_publishing(draft_of, personas):
    issue = draft_of()
    services.issue_update(
        issue=issue, by=personas.editor, editor_note="本期介绍王\u3000小红一家。"
    )
    _refused(issue, personas.editor, "编者按")


def test_a_correction_reason_is_read_and_a_summary_is_masked(draft_of, personas):
    issue = draft_of()
    services.issue_publish(issue=issue, by=personas.editor)
    article = issue.articles.get()
    with pytest.raises(ValidationError) as refused:
        services.article_update(
            article=article,
            by=personas.editor,
            title=article.title,
            body=article.body,
            correction_reason=f"应家长{WIDE_PHONE}要求修改",
        )
    assert "更正理由" in " ".join(refused.value.messages)
    assert not IssueCorrection.objects.exists()
    # An override lets a name into the title; the public correction note then
    # quotes the title masked.
    services.article_update(
        article=article,
        by=personas.editor,
        title="为王小红庆生",
        body=article.body,
        correction_reason="补充标题",
        override_reason="已取得监护人书面同意",
    )
    correction = IssueCorrection.objects.get()
    assert "王小红" not in correction.summary and "王**" in correction.summary


def test_privacy_page_shows_section_hits_masked_to_the_editor(
    draft_of, personas, login
):
    issue = draft_of()
    section = issue.sections.order_by("position").first()
    services.section_rename(section=section, title=f"动态{PHONE}", by=personas.editor)
    html = login(personas.editor).get(f"/staff/issues/{issue.pk}/privacy/")
    html = html.content.decode()
    assert "栏目名称和编者按" in html and "138****5678" in html
    assert PHONE not in html and "去发布" not in html
    publish = login(personas.editor).get(f"/staff/issues/{issue.pk}/publish/")
    assert "栏目名称或编者按中有个人信息" in publish.content.decode()


def test_a_reviewer_reads_the_gate_of_their_own_articles_only(
    approve, assemble, child, personas, login
):
    approve("a1", "东镇走访", D(2023, 2, 10), body="走访王小红一家。")
    approve("a2", "南镇走访", D(2023, 2, 11), body=f"走访，电话{PHONE}。")
    issue = assemble()
    html = login(personas.reviewer).get(f"/staff/issues/{issue.pk}/privacy/")
    html = html.content.decode()
    assert "东镇走访" in html and "王**" in html
    assert "南镇走访" not in html and "138****5678" not in html
    html = login(personas.other_reviewer).get(f"/staff/issues/{issue.pk}/privacy/")
    html = html.content.decode()
    assert "南镇走访" in html and "东镇走访" not in html
