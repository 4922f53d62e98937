"""The rules around an import: year and number from the arguments or the file,
clashes, who may import, bad files, and what the privacy gate would find."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry
from newsletter import privacy
from newsletter.models import Article, ArticlePhoto, Issue, Publication, Section
from newsletter.services.legacy import issue_import
from stations import services as station_services
from stations.models import Role
from tests import factories
from tests.newsletter.legacy.helpers import replace
from tests.newsletter.privacy_helpers import file_beneficiary

MASTHEAD = (
    "云浮民政简报\n\n2023年第2期（总第35期）\n\n云浮市民政局编印    2023年3月10日\n\n"
)


def run(publication, data, by=None, **kwargs):
    return issue_import(
        publication=publication, source=data, filename="issue.txt", by=by, **kwargs
    )


def nothing_written():
    return (
        not any(
            model.objects.exists() for model in (Issue, Section, Article, ArticlePhoto)
        )
        and not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()
    )


def test_without_year_and_number_the_import_is_refused(publication, seed_bytes):
    with pytest.raises(ValidationError) as caught:
        run(publication, seed_bytes)
    assert "请指定年份和期号" in caught.value.messages[0]
    assert nothing_written()
    preview = run(publication, seed_bytes, dry_run=True)
    assert not preview.ok and "请指定年份和期号" in preview.errors[0]
    assert preview.as_json()["warnings"][0] == preview.errors[0]


def test_year_number_running_number_and_date_from_the_masthead(publication, seed_text):
    issue = run(publication, (MASTHEAD + seed_text).encode()).issue
    assert (issue.year, issue.number, issue.running_number) == (2023, 2, 35)
    assert issue.issue_date == datetime.date(2023, 3, 10)


def test_a_masthead_date_out_of_range_is_refused_in_the_preview(publication, seed_text):
    old = MASTHEAD.replace("2023年", "1998年")
    preview = run(publication, (old + seed_text).encode(), dry_run=True)
    assert any("出刊日期不能早于" in e for e in preview.errors)
    with pytest.raises(ValidationError) as caught:
        run(publication, (old + seed_text).encode())
    assert "出刊日期不能早于" in " ".join(caught.value.messages)
    assert nothing_written()


def test_a_year_that_is_no_year_is_refused(publication, seed_bytes):
    preview = run(publication, seed_bytes, year=0, number=1, dry_run=True)
    assert preview.errors  # asked for (0 is no year) and never a crash
    preview = run(publication, seed_bytes, year=99999, number=1, dry_run=True)
    assert any("不是有效的年份" in e for e in preview.errors)


def test_arguments_win_over_the_masthead(publication, seed_text):
    issue = run(
        publication,
        (MASTHEAD + seed_text).encode(),
        year=2022,
        number=12,
        running_number=30,
        issue_date=datetime.date(2022, 12, 28),
    ).issue
    assert (issue.year, issue.number, issue.running_number, issue.issue_date) == (
        2022,
        12,
        30,
        datetime.date(2022, 12, 28),
    )


def test_a_number_already_taken_is_a_clear_error(publication, seed_text):
    run(publication, (MASTHEAD + seed_text).encode())
    other = replace(seed_text, "一推一剪皆是爱", "一推一剪都是爱")
    before = Issue.objects.count()
    with pytest.raises(ValidationError) as caught:
        run(publication, other.encode(), year=2023, number=2)
    assert "2023年第2期已经存在" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        run(publication, other.encode(), year=2023, number=5, running_number=35)
    assert "总第35期已经存在" in caught.value.messages[0]
    assert Issue.objects.count() == before


def test_no_running_number_is_invented_for_files_without_one(publication, seed_text):
    publication.first_running_number = 40
    publication.save()
    first = run(publication, seed_text.encode(), year=2023, number=3).issue
    other = replace(seed_text, "一推一剪皆是爱", "一推一剪都是爱")
    second = run(publication, other.encode(), year=2023, number=4).issue
    # Two past issues without one do not clash over an empty running number,
    # and the next issue published here still starts at the configured one.
    assert (first.running_number, second.running_number) == (None, None)
    assert first.is_published and second.is_published
    from newsletter.services.publishing import next_numbers

    assert next_numbers(publication, 2024) == (1, 40)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01binary\x00" * 50, "关于召开会议的通知\n\n请准时参加。".encode()],
    ids=["empty", "binary", "not-a-newsletter"],
)
def test_bad_files_create_nothing(publication, data):
    with pytest.raises(ValidationError):
        run(publication, data, year=2023, number=3)
    with pytest.raises(ValidationError):
        run(publication, data, year=2023, number=3, dry_run=True)
    assert nothing_written()


@pytest.fixture
def city_a_publication(net):
    return Publication.objects.create(
        name="甲市民政简报", slug="jia", city=net.city_a, bureau="甲市民政局"
    )


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_the_city_editor_and_a_superuser_may_import(
    city_a_publication, personas, seed_bytes, who
):
    result = run(
        city_a_publication, seed_bytes, by=getattr(personas, who), year=2023, number=3
    )
    assert result.issue.created_by == getattr(personas, who)
    # 甲市 has none of the seed's places: nothing matched, and each article says why.
    assert len(result.unmatched) == 9
    assert all(a.warnings for a in result.unmatched)


@pytest.mark.parametrize(
    "who",
    ["other_editor", "reviewer", "supervisor", "head", "worker", "nobody"],
)
def test_everyone_else_may_not_import_even_a_dry_run(
    city_a_publication, personas, seed_bytes, who
):
    for dry_run in (True, False):
        with pytest.raises(PermissionDenied):
            run(
                city_a_publication,
                seed_bytes,
                by=getattr(personas, who),
                year=2023,
                number=3,
                dry_run=dry_run,
            )
    assert nothing_written()


def test_an_import_with_hits_is_kept_as_a_draft_with_the_hits_listed_masked(
    publication, seed_text, yunfu, yunfu_editor
):
    station = yunfu.station("云安区", "富林镇")
    worker = factories.UserFactory(username="fulin_worker")
    station_services.role_assign(user=worker, role=Role.SOCIAL_WORKER, unit=station)
    file_beneficiary(worker, station, "曾同学")
    text = replace(
        seed_text, "送去温暖。", "送去温暖（联系人身份证号445302199001011234）。"
    )
    preview = run(publication, text.encode(), year=2023, number=3, dry_run=True)
    assert preview.privacy_hits == 2 and "保留为草稿" in preview.summary()
    result = run(publication, text.encode(), year=2023, number=3)
    fulin = next(a for a in result.articles if a.title.startswith("云安区富林镇"))
    gate = [w for w in fulin.warnings if w.startswith("隐私检查")]
    assert gate == [
        "隐私检查：正文第 1 段有疑似身份证号“4453**********1234”，请核对是否可以公开。",
        "隐私检查：正文第 3 段有姓名“曾**”，请核对是否可以公开。",
    ]
    assert not any("445302199001011234" in w or "曾同学" in w for w in fulin.warnings)
    # The same gate as every issue: held back as a draft, with the numbers and
    # the date it was printed with, until an editor clears the hits.
    issue = result.issue
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and issue.published_at is None
    assert (issue.year, issue.number) == (2023, 3)
    assert result.held_back and "隐私检查页" in result.summary()
    hits = privacy.issue_privacy_check(issue)
    assert len(privacy.blocking(hits)) == 2
    from newsletter import services

    with pytest.raises(services.PrivacyBlocked):
        services.issue_publish(issue=issue, by=yunfu_editor)
    article = issue.articles.get(title__startswith="云安区富林镇")
    for hit in hits:
        services.privacy_override(
            article=article, hit=hit, reason="已核实：非服务对象", by=yunfu_editor
        )
    services.issue_publish(issue=issue, by=yunfu_editor)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED
    assert (issue.year, issue.number, issue.running_number) == (
        2023,
        3,
        result.running_number,
    )
    assert issue.issue_date == result.issue_date
    assert issue.published_at.date() == result.issue_date


def test_warnings_that_quote_the_file_are_masked(publication, seed_text):
    # A contents line the body does not match is quoted in a warning.
    text = seed_text.replace("●市级动态", "●市级动态 440102199001011235", 1)
    preview = run(publication, text.encode(), year=2023, number=3, dry_run=True)
    quoted = [w for w in preview.warnings if "目录中的" in w]
    assert quoted and all("440102199001011235" not in w for w in quoted)
    assert any("4401**********1235" in w for w in quoted)


def test_a_clean_import_is_published_on_its_paper_date(publication, seed_bytes):
    result = run(publication, seed_bytes, year=2023, number=3)
    issue = result.issue
    assert not result.held_back and issue.status == Issue.Status.PUBLISHED
    assert issue.published_at.date() == issue.issue_date


def test_a_town_without_station_is_said_in_the_article_warnings(
    publication, seed_bytes
):
    from stations.models import Station

    Station.objects.filter(town__name="河口镇").delete()
    result = run(publication, seed_bytes, year=2023, number=3, dry_run=True)
    hekou = next(a for a in result.articles if a.title.startswith("郁南县河口镇"))
    assert (hekou.county.name, hekou.station) == ("郁南县", None)
    assert hekou.unmatched and "河口镇 没有登记社工站" in hekou.warnings[0]
    assert hekou.as_json()["station"] is None
