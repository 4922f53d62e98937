"""``generate_scale --size small``: what it writes, that the rows hold together
and work in the application, and that it refuses a database with reports."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from activities.models import ActivityReport, ReportPhoto
from beneficiaries.models import Attendance, Beneficiary, Visit
from core.idcard import parse_id_number
from newsletter.models import Article, Issue, Section
from portal.scale.run import written_models
from portal.scale.writer import foreign_key_orphans
from stations.models import City, SocialWorker, Station

TODAY = datetime.date(2026, 11, 29)


def _generate(*args):
    out = io.StringIO()
    call_command(
        "generate_scale", "--size", "small", "--today", str(TODAY), *args, stdout=out
    )
    return out.getvalue()


@pytest.fixture
def generated(db):
    return _generate()


def test_small_size_writes_the_planned_rows(generated):
    # Yunfu's first two counties keep their 8 + 7 real towns; the synthetic city
    # has 2 counties of 2 towns: 19 stations.
    assert list(City.objects.values_list("name", flat=True))[0] == "云浮市"
    assert Station.objects.count() == 19
    assert SocialWorker.objects.count() == 19 * 3
    # Workers, one reviewer per county (4) and one editor per city (2).
    assert get_user_model().objects.filter(username__startswith="gen_").count() == 63
    assert ActivityReport.objects.count() == 19 * 12
    assert ReportPhoto.objects.count() == 19 * 12
    assert Attendance.objects.count() == 19 * 12 * 2
    assert Beneficiary.objects.count() == 19 * 6
    assert Visit.objects.count() == 19 * 6
    issues = Issue.objects.filter(status="published")
    # At most one issue per city and month; a month without approved reports has none.
    assert 20 <= issues.count() <= 24
    assert Section.objects.count() == issues.count() * 3
    assert issues.count() <= Article.objects.count() <= issues.count() * 3
    assert "activities.ActivityReport" in generated and "total:" in generated


def test_rows_hold_together(generated):
    assert foreign_key_orphans(written_models()) == {}
    numbers = list(Beneficiary.objects.values_list("id_number", "birth_date", "gender"))
    assert len({n for n, _, _ in numbers}) == len(numbers)
    for number, birth, gender in numbers:
        facts = parse_id_number(number, today=TODAY)
        assert (facts.birth_date, facts.gender) == (birth, gender)
    # Numbers run 1, 2, … in each year and the running number never repeats.
    for issue in Issue.objects.all():
        assert issue.running_number and issue.number and issue.issue_date <= TODAY
    assert not ActivityReport.objects.filter(
        articles__isnull=False, published_at__isnull=True
    ).exists()
    assert not ActivityReport.objects.filter(
        status="approved", approved_at__isnull=True
    ).exists()


def test_published_issue_and_its_articles_are_public(generated, client):
    issue = Issue.objects.filter(status="published").order_by("-issue_date").first()
    page = client.get(issue.get_absolute_url())
    assert page.status_code == 200
    article = issue.articles.first()
    assert article.title in page.content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200
    word = article.search_text[:2]
    found = client.get(reverse("newsletter:search"), {"q": word})
    assert found.status_code == 200
    assert found.context["page"].paginator.count >= 1


def test_county_reviewer_sees_generated_reports_in_review_queue(generated, client):
    waiting = ActivityReport.objects.filter(status="submitted", level="station")
    report = waiting.select_related("county").first()
    reviewer = get_user_model().objects.get(username=f"gen_r{report.county.code}")
    client.force_login(reviewer)
    page = client.get(reverse("activities_staff:review"))
    assert page.status_code == 200
    listed = {r.pk for r in page.context["page"]}
    # Few enough at this size for one page of the queue.
    assert listed == set(
        waiting.filter(county=report.county).values_list("pk", flat=True)
    )


def test_second_run_refuses_and_changes_nothing(generated):
    before = {m._meta.label: m.objects.count() for m in written_models()}
    with pytest.raises(CommandError, match="--append"):
        _generate()
    assert {m._meta.label: m.objects.count() for m in written_models()} == before


def test_append_adds_a_second_network_beside_the_first(generated):
    stations = Station.objects.count()
    _generate("--append", "--cities", "1")
    # Yunfu's codes are taken now: the appended city is a synthetic one.
    assert City.objects.count() == 3
    assert Station.objects.count() == stations + 4
    assert foreign_key_orphans(written_models()) == {}
