"""`load_demo` adds the seed issue's reports, in every workflow state, for
stations and for the county and city bureaus, each with photos drawn by Pillow;
a rerun changes nothing."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from activities.demo import DEMO_REPORTS, PROJECT_TITLE, demo_jpeg
from activities.models import (
    ActivityReport,
    Level,
    Project,
    ReportPhoto,
    ReportTransition,
    Status,
)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def _report(title):
    return ActivityReport.objects.select_related(
        "kind", "station__town__county", "county", "village"
    ).get(title=title)


def _snapshot():
    return {
        "reports": list(
            ActivityReport.objects.order_by("pk").values_list(
                "pk", "status", "updated_at", "project_id"
            )
        ),
        "photos": list(ReportPhoto.objects.order_by("pk").values_list("pk", "sha256")),
        "transitions": ReportTransition.objects.count(),
        "projects": list(Project.objects.values_list("pk", "title")),
    }


def test_demo_reports_cover_every_state_level_and_several_stations(demo):
    # The newsletter's demo files a few recent reports of its own for its draft
    # issue; these are the activities demo's.
    reports = ActivityReport.objects.filter(title__in=[r.title for r in DEMO_REPORTS])
    assert reports.count() == len(DEMO_REPORTS)
    assert set(reports.values_list("status", flat=True)) == set(Status.values)
    assert set(reports.values_list("level", flat=True)) == set(Level.values)
    stations = reports.filter(level=Level.STATION).values("station").distinct()
    assert stations.count() >= 5

    returned = reports.get(status=Status.RETURNED)
    last = returned.transitions.last()
    assert last.action == ReportTransition.Action.RETURN
    assert last.by.username == "editor"
    assert last.comment  # the author sees why it came back
    assert returned.author.username == "worker_fulin"

    # Each report went through the services: created, then submitted and decided.
    for report in reports:
        actions = list(report.transitions.values_list("action", flat=True))
        expected = {
            Status.DRAFT: ["create"],
            Status.SUBMITTED: ["create", "submit"],
            Status.APPROVED: ["create", "submit", "approve"],
            Status.RETURNED: ["create", "submit", "return"],
        }[report.status]
        assert actions == expected, report.title


def test_demo_reports_carry_the_seed_content_and_counts(demo):
    training = _report("建立健全社会工作常态化培训学习机制")
    assert training.level == Level.CITY
    assert training.kind.name == "培训"
    assert (training.persons, training.person_times, training.service_hours) == (
        465,
        3260,
        390,
    )
    assert training.status == Status.APPROVED

    meeting = _report("云城区民政局组织开展2023年“双百工程”社工站副站长会议")
    assert (meeting.level, meeting.county.name, meeting.kind.name) == (
        Level.COUNTY,
        "云城区",
        "会议",
    )

    kindergarten = _report("温暖“童”行，“双百工程”社工助力适龄儿童顺利入园")
    assert kindergarten.station.town.name == "安塘街道"
    assert kindergarten.kind.name == "个案"
    assert kindergarten.village.name == "都栗村"
    assert kindergarten.author.username == "worker"
    assert kindergarten.approved_by.username == "reviewer"

    fulin = _report("开展“暖心护苗 呵护成长”关爱农村困境儿童和留守儿童活动")
    assert fulin.station.town.name == "富林镇"
    assert fulin.persons == 21
    assert "司法所" in {p.name for p in fulin.partners.all()}

    liuzu = _report("开展2023年“夕阳红，幸福家”义影义剪志愿活动")
    assert (liuzu.kind.name, liuzu.village.name) == ("志愿服务", "夏卢村")
    assert liuzu.volunteers

    silun = _report("开展“珍爱生命，远离毒品”宣传活动")
    assert (silun.kind.name, silun.village.name) == ("宣传", "高和村")

    hekou = _report("开展防止返贫三类和重残对象入户走访工作")
    assert (hekou.kind.name, hekou.persons) == ("入户走访", 262)
    assert hekou.station.town.county.name == "郁南县"

    pingtai = _report(
        "对“青春同行，向阳而生”关爱重点青少年群体服务项目进行中期阶段性总结"
    )
    assert pingtai.kind.name == "项目"
    assert pingtai.villages_reached.count() == 8
    project = Project.objects.get(title=PROJECT_TITLE)
    assert (project.funder, project.target_villages) == ("团市委公益创投", 14)
    assert project.station == pingtai.station
    assert list(project.reports.all()) == [pingtai]
    # The body keeps the seed's numbered subheadings.
    subheadings = [value for kind, value in pingtai.blocks() if kind == "subheading"]
    assert subheadings[:2] == ["一、项目开展（实施）情况", "二、项目成效"]


def test_demo_photos_are_jpegs_drawn_by_pillow(demo):
    for report in ActivityReport.objects.prefetch_related("photos"):
        photos = list(report.photos.all())
        assert 1 <= len(photos) <= 2, report.title
        for photo in photos:
            assert photo.caption
            assert not photo.shows_people
            assert (photo.width, photo.height) == (1200, 900)
            with photo.web.open("rb") as file, Image.open(file) as image:
                assert image.format == "JPEG"
    data = demo_jpeg("x", 1)
    assert data == demo_jpeg("x", 1)  # drawn the same way every time
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 900)


def test_load_demo_twice_changes_no_report(demo):
    before = _snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert _snapshot() == before


def test_demo_has_the_city_training_series_with_computed_figures(demo):
    from activities.models import Training, TrainingAttendance
    from activities.selectors import trainings_with_figures
    from stations.models import SocialWorker

    training = trainings_with_figures(Training.objects.all()).get()
    assert training.title == "2022年度“双百工程”系列培训"
    assert training.report.title == "建立健全社会工作常态化培训学习机制"
    assert training.session_count == 50
    assert training.total_hours == 390  # the seed's 390 hours
    # Every demo worker attends one of the five periods of ten days.
    assert training.trainee_count == SocialWorker.objects.count()
    assert training.person_times == 10 * SocialWorker.objects.count()
    attendance = TrainingAttendance.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert Training.objects.count() == 1
    assert TrainingAttendance.objects.count() == attendance


def test_demo_puts_back_lists_a_flushed_database_lost(db):
    """A transactional test's teardown flushes the lists the migrations seeded;
    load_demo must still work on that database."""
    from activities.models import ActivityKind, BeneficiaryCategory

    ActivityKind.objects.all().delete()
    BeneficiaryCategory.objects.all().delete()
    call_command("load_demo", stdout=io.StringIO())
    assert ActivityKind.objects.filter(name="培训").exists()
    assert BeneficiaryCategory.objects.get(name="困境儿童").visit_every_days == 30
