"""Assembly finds every approved report not yet in an issue, whatever its date;
dates only narrow. A report another draft holds is named with that draft, and
when nothing is found the message says where the approved reports are."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from newsletter import services
from newsletter.models import Issue
from tests.newsletter.conftest import D


def _assemble(publication, personas, **dates):
    return services.issue_assemble(publication=publication, by=personas.editor, **dates)


def _sources(issue):
    return sorted(issue.articles.values_list("source_title", flat=True))


def test_without_dates_every_approved_report_of_any_date(
    approve, publication, personas
):
    # Long before last month, and last week: both are taken.
    approve("a1", "三年前的活动", D(2023, 2, 10))
    recent = timezone.localdate() - datetime.timedelta(days=3)
    approve("county_a1", "上周的活动", recent)
    issue = _assemble(publication, personas)
    assert _sources(issue) == ["三年前的活动", "上周的活动"]
    assert issue.period_start is None and issue.period_end is None
    assert issue.held_elsewhere == [] and issue.skipped_in_drafts == 0


def test_dates_narrow_one_side_or_both(approve, publication, personas):
    approve("a1", "一月", D(2023, 1, 15))
    approve("a1", "二月", D(2023, 2, 15))
    approve("a1", "三月", D(2023, 3, 15))
    first = _assemble(publication, personas, start=D(2023, 2, 1), end=D(2023, 2, 28))
    assert _sources(first) == ["二月"]
    second = _assemble(publication, personas, start=D(2023, 3, 1))
    assert _sources(second) == ["三月"]
    assert (second.period_start, second.period_end) == (D(2023, 3, 1), None)
    third = _assemble(publication, personas, end=D(2023, 1, 31))
    assert _sources(third) == ["一月"]


def test_report_held_by_another_draft_is_named_with_that_draft(
    draft, approve, publication, personas
):
    approve("a2", "开展新的活动", D(2023, 2, 26))
    second = _assemble(publication, personas)
    assert _sources(second) == ["开展新的活动"]
    [(holder, reports)] = second.held_elsewhere
    assert holder.pk == draft.pk and len(reports) == 8
    assert second.skipped_in_drafts == 8
    # Everything is in a draft now: the refusal names them.
    with pytest.raises(ValidationError) as refused:
        _assemble(publication, personas)
    text = " ".join(refused.value.messages)
    assert "都已在其他草稿中" in text
    draft_name = Issue.objects.with_next_number().get(pk=draft.pk).short_name
    assert draft_name in text and "开展新的活动" in text
    assert Issue.objects.count() == 2


def test_nothing_in_the_range_says_where_the_reports_are(
    approve, publication, personas
):
    approve("a1", "二月的活动", D(2023, 2, 10))
    approve("a1", "五月的活动", D(2023, 5, 20))
    with pytest.raises(ValidationError) as refused:
        _assemble(publication, personas, start=D(2023, 8, 1), end=D(2023, 8, 31))
    text = " ".join(refused.value.messages)
    assert "本市另有 2 篇" in text
    assert "2023年2月10日 至 2023年5月20日" in text and "清空起止日期" in text
    assert not Issue.objects.exists()


def test_nothing_at_all_points_to_the_reports_list(
    publication, personas, make_report, net
):
    make_report(personas.worker, net.a1, status="submitted", title="待审")
    with pytest.raises(ValidationError, match="审核人审核通过"):
        _assemble(publication, personas)


# --- The assembly page ------------------------------------------------------------


def test_page_opens_without_dates_and_assembles_an_old_report(
    approve, login, personas, publication
):
    approve("a1", "很久以前的活动", D(2023, 2, 10))
    client = login(personas.editor)
    page = client.get("/staff/issues/assemble/").content.decode()
    assert 'name="start"' in page and 'value="20' not in page  # no dates filled
    response = client.post(
        "/staff/issues/assemble/",
        {"publication": publication.pk, "start": "", "end": ""},
        follow=True,
    )
    issue = Issue.objects.get()
    assert response.redirect_chain[-1][0] == f"/staff/issues/{issue.pk}/"
    assert "已组稿：1 篇文章。" in response.content.decode()


def test_page_message_names_the_holding_draft(
    draft, approve, login, personas, publication
):
    approve("a2", "开展新的活动", D(2023, 2, 26))
    client = login(personas.editor)
    response = client.post(
        "/staff/issues/assemble/", {"publication": publication.pk}, follow=True
    )
    text = response.content.decode()
    name = Issue.objects.with_next_number().get(pk=draft.pk).short_name
    assert "另有 8 篇报告已在其他草稿中" in text and name in text
    # Nothing left: the form comes back with the drafts named, and the way to
    # the approved reports.
    response = client.post("/staff/issues/assemble/", {"publication": publication.pk})
    text = response.content.decode()
    assert response.status_code == 200 and "都已在其他草稿中" in text
    assert f'href="/staff/issues/{draft.pk}/"' in text
    assert "/staff/reports/?status=approved" in text


def test_page_overview_lists_what_is_found_and_where_the_rest_are(
    draft, approve, login, personas
):
    approve("a1", "新报告", D(2023, 4, 2))
    text = login(personas.editor).get("/staff/issues/assemble/").content.decode()
    assert "1 篇已审核通过、尚未刊登" in text
    name = Issue.objects.with_next_number().get(pk=draft.pk).short_name
    assert f'<a href="/staff/issues/{draft.pk}/">{name}</a> 8 篇' in text


def test_page_query_count_does_not_grow_with_drafts(
    three_levels, approve, assemble, login, personas, django_assert_num_queries
):
    client = login(personas.editor)
    assemble()
    # 10 = scope (3) + the publications + the overview's counts by draft + the
    # drafts named + the two forms' publication choices (two reads each).
    with django_assert_num_queries(10):
        assert client.get("/staff/issues/assemble/").status_code == 200
    for month in (3, 4, 5):
        approve("a1", f"{month}月活动", D(2023, month, 5))
        assemble(D(2023, month, 1), D(2023, month, 28))
    approve("a1", "未组稿", D(2023, 6, 5))
    with django_assert_num_queries(10):
        assert client.get("/staff/issues/assemble/").status_code == 200


@pytest.mark.parametrize("who", ["reviewer", "worker", "supervisor", "nobody"])
def test_only_editors_open_the_page(publication, login, personas, who):
    client = login(getattr(personas, who))
    assert client.get("/staff/issues/assemble/").status_code in (403, 404)
    assert client.post(
        "/staff/issues/assemble/", {"publication": publication.pk}
    ).status_code in (403, 404)
    assert not Issue.objects.exists()


def test_editor_of_another_city_cannot_assemble_this_publication(
    three_levels, publication, login, personas
):
    client = login(personas.other_editor)
    response = client.post("/staff/issues/assemble/", {"publication": publication.pk})
    assert response.status_code in (200, 404)
    assert not Issue.objects.exists()
