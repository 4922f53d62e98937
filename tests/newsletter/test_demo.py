"""`load_demo` sets up the publication 云浮民政简报 and one draft assembled from the
demo's approved reports; a rerun changes nothing."""

import io

import pytest
from django.core.management import call_command

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
    assert by_section["市级动态"] == ["建立健全社会工作常态化培训学习机制"]
    # County order as the seed has it: 云城区, 云安区, 新兴县.
    assert [t[:3] for t in by_section["县（市、区）动态"]] == [
        "云城区",
        "云安民",
        "新兴县",
    ]
    assert by_section["社工站（点）动态"][0] == (
        "云城区安塘街道社工站：温暖“童”行，“双百工程”社工助力适龄儿童顺利入园"
    )
    assert (
        "新兴县六祖镇社工站开展2023年“夕阳红，幸福家”义影义剪志愿活动"
        in (by_section["社工站（点）动态"])
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
