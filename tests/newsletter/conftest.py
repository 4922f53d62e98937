"""Fixtures of the newsletter tests, built through the services: a publication of
city A, approved reports of each level, an assembled draft, and publishing.

City A's counties: 甲一区 (stations 东镇 a1, 西镇 a1b) comes before 甲二县
(station 南镇 a2) in display order."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from activities.services import report_photo_add
from newsletter import services
from newsletter.models import Publication

D = datetime.date
FEB_1, FEB_20, FEB_28 = D(2023, 2, 1), D(2023, 2, 20), D(2023, 2, 28)


@pytest.fixture
def publication(net):
    # A publication is set up once by an administrator in the admin, not through
    # a workflow: there is no service to go through.
    return Publication.objects.create(
        name="甲市民政简报", slug="jia", city=net.city_a, bureau="甲市民政局"
    )


@pytest.fixture
def other_publication(net):
    return Publication.objects.create(
        name="乙市民政简报", slug="yi", city=net.city_b, bureau="乙市民政局"
    )


def jpeg(seed: int = 0, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (seed * 40 % 255, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def add_photo(report, by, n, caption="", **flags):
    return report_photo_add(
        report=report,
        by=by,
        file=ContentFile(jpeg(n), name="p.jpg"),
        caption=caption,
        **flags,
    )


@pytest.fixture
def approve(net, personas, make_report):  # noqa: F811
    """approve(unit_key, title, date, photos=0, **fields) -> an approved report of
    the unit ("a1", "a1b", "a2", "county_a1", "county_a2", "city_a", "city_b"),
    filed by its own filer and approved by its reviewer."""
    filers = {
        "a1": (personas.worker, net.a1, personas.reviewer),
        "a1b": (personas.superuser, net.a1b, personas.reviewer),
        "a2": (personas.other_worker, net.a2, personas.other_reviewer),
        "county_a1": (personas.reviewer, net.county_a1, personas.editor),
        "county_a2": (personas.other_reviewer, net.county_a2, personas.editor),
        "city_a": (personas.editor, net.city_a, personas.editor),
        "city_b": (personas.other_editor, net.city_b, personas.other_editor),
    }

    def _approve(unit, title, date=FEB_20, photos=0, **fields):
        by, where, reviewer = filers[unit]
        report = make_report(by, where, title=title, start_date=date, **fields)
        for n in range(1, photos + 1):
            add_photo(report, by, n, caption=f"{title}照片{n}")
        from activities import services as report_services

        report_services.report_submit(report=report, by=by)
        report_services.report_approve(report=report, by=reviewer)
        report.refresh_from_db()
        return report

    return _approve


@pytest.fixture
def three_levels(approve):
    """Approved reports of all three levels in February 2023, filed out of order."""
    return {
        "a2": approve("a2", "开展敬老活动", D(2023, 2, 3)),
        "a1_late": approve("a1", "开展禁毒宣传", D(2023, 2, 20)),
        "a1_early": approve("a1", "东镇社工站开展入户走访", D(2023, 2, 10), photos=2),
        "a1b": approve("a1b", "温暖童行", D(2023, 2, 15)),
        "county_a2": approve("county_a2", "召开社工站站长会议", D(2023, 2, 1)),
        "county_a1": approve("county_a1", "甲一区民政局组织培训", D(2023, 2, 25)),
        "city_late": approve("city_a", "全市培训圆满结束", D(2023, 2, 27)),
        "city_early": approve(
            "city_a", "建立常态化培训机制", D(2023, 2, 2), subtitle="甲市民政局举办培训"
        ),
    }


@pytest.fixture
def assemble(publication, personas):
    def _assemble(start=FEB_1, end=FEB_28, by=None):
        return services.issue_assemble(
            publication=publication, start=start, end=end, by=by or personas.editor
        )

    return _assemble


@pytest.fixture
def draft(three_levels, assemble):
    return assemble()


def titles(issue):
    """{section title: [article titles in order]}"""
    return {
        s.title: [a.title for a in s.articles.order_by("position", "pk")]
        for s in issue.sections.order_by("position", "pk")
    }


def _fill(issue, editor, total):
    """Write articles from scratch until the issue has ``total``, spread over the
    three sections."""
    sections = list(issue.sections.order_by("position"))
    n = issue.articles.count()
    while n < total:
        services.article_create(
            issue=issue,
            section=sections[n % 3],
            by=editor,
            title=f"编辑来稿{n}",
            body="第一段。\n一、小标题\n第二段。",
        )
        n += 1
    return issue


@pytest.fixture
def two_drafts(three_levels, assemble, approve, personas):
    """A draft of 10 articles (8 from reports, 2 photos) and one of 40 (with 3
    photos more)."""
    small = _fill(assemble(), personas.editor, 10)
    report = approve("a2", "三月活动", D(2023, 3, 5), photos=3)
    large = _fill(assemble(D(2023, 3, 1), D(2023, 3, 31)), personas.editor, 40)
    assert report.photos.count() == 3
    return small, large
