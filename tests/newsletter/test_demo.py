"""`load_demo` sets up the publication 云浮民政简报 and one draft assembled from the
demo's approved reports; a rerun changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import ActivityReport, Status
from newsletter.models import Article, Issue, Publication


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def _snapshot():
    return {
        "publications": list(Publication.objects.values_list("pk", "slug", "name")),
        "issues": list(Issue.objects.values_list("pk", "status", "updated_at")),
        "articles": list(Article.objects.values_list("pk", "title", "updated_at")),
    }


def test_demo_publication_and_draft(demo):
    publication = Publication.objects.get(slug="yunfu")
    assert (publication.name, publication.bureau, publication.city.name) == (
        "云浮民政简报",
        "云浮市民政局",
        "云浮市",
    )
    draft = Issue.objects.get(publication=publication, status=Issue.Status.DRAFT)
    by_section = {
        s.title: [a.title for a in s.articles.order_by("position")]
        for s in draft.sections.order_by("position")
    }
    assert by_section["市级动态"] == ["全市“双百工程”社工站年度工作推进会召开"]
    assert by_section["县（市、区）动态"] == ["云城区民政局开展社工站服务质量督导"]
    # County order: 云城区 before 郁南县, whose reviewer reads the draft too.
    assert by_section["社工站（点）动态"] == [
        "云城区安塘街道社工站开展冬季用电用火安全入户宣传",
        "郁南县平台镇社工站开展“温暖冬日 快乐成长”留守儿童小组活动",
    ]
    # Its pictures are placed in the text, as a report's [照片N] lines put them.
    assert draft.articles.filter(photos__isnull=False).distinct().count() == 4


def test_demo_draft_shares_no_report_with_the_published_issue(demo):
    publication = Publication.objects.get(slug="yunfu")
    draft = Issue.objects.get(publication=publication, status=Issue.Status.DRAFT)
    seed = Issue.objects.get(publication=publication, status=Issue.Status.PUBLISHED)
    in_draft = set(draft.articles.values_list("source_report", flat=True))
    in_seed = set(
        seed.articles.filter(source_report__isnull=False).values_list(
            "source_report", flat=True
        )
    )
    assert None not in in_draft and in_seed and not in_draft & in_seed
    assert not set(draft.articles.values_list("title", flat=True)) & set(
        seed.articles.values_list("title", flat=True)
    )
    # The seed carried the demo's approved reports: they are published there,
    # and assembly finds none of them again.
    approved = ActivityReport.objects.filter(status=Status.APPROVED)
    assert (
        set(approved.filter(published_at__isnull=False).values_list("pk", flat=True))
        == in_seed
    )
    assert (
        set(approved.filter(published_at__isnull=True).values_list("pk", flat=True))
        == in_draft
    )
    # The draft is named by the number it would take: the seed is 2023's.
    year = timezone.localdate().year
    assert str(Issue.objects.with_next_number().get(pk=draft.pk)).startswith(
        f"云浮民政简报 {year}年第1期（草稿，"
    )


def test_demo_rerun_changes_nothing(demo):
    before = _snapshot()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert _snapshot() == before
    assert "未重复组稿" in out.getvalue()


def test_privacy_sweep_finds_the_seed_clean(demo):
    """The seed's ten articles, with the demo's files and three ordinary names
    registered besides (the gate's false hits must stay rare), give no hit:
    published, in the draft, or in the issue's own texts."""
    from django.contrib.auth import get_user_model

    from beneficiaries.models import Beneficiary
    from beneficiaries.services.files import beneficiary_create
    from newsletter import privacy
    from newsletter.models import PrivacyFinding

    worker = get_user_model().objects.get(username="worker")
    station = worker.role_assignments.get().station
    for name in ("王小红", "陈晓红", "李明"):
        beneficiary_create(
            beneficiary=Beneficiary(name=name, gender="女"), station=station, by=worker
        )
    out = io.StringIO()
    call_command("privacy_sweep", stdout=out)
    assert "待处理 0 处" in out.getvalue()
    assert not PrivacyFinding.objects.exists()
    publication = Publication.objects.get(slug="yunfu")
    seed = Issue.objects.get(publication=publication, status=Issue.Status.PUBLISHED)
    assert seed.articles.count() == 10
    ids = privacy.identifiers_for_city(publication.city_id)
    assert len(ids.names) > 3
    for issue in Issue.objects.filter(publication=publication):
        assert privacy.issue_privacy_check(issue, ids=ids) == []
        assert privacy.issue_text_hits(issue, ids) == []
