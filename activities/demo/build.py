"""Filing the demo reports through the services, as their authors and reviewers
would, with photos drawn by Pillow; a report that exists is left as it is."""

from __future__ import annotations

import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from activities import services
from stations.models import City, County, Station, Village

from ..models import (
    ActivityKind,
    ActivityReport,
    BeneficiaryCategory,
    Level,
    Partner,
    Project,
    Status,
)
from ..reference_lists import reference_lists_seed
from ..services import project_create, project_link_report, report_photo_add
from .content import DEMO_REPORTS, PROJECT_TITLE, D, DemoReport
from .training import build_training

CITY_CODE = "445300"  # 云浮市


# --- Photos ------------------------------------------------------------------------

PALETTES = [
    ((38, 92, 160), (242, 201, 76), (231, 111, 81), (42, 157, 143)),
    ((46, 125, 50), (255, 183, 77), (121, 85, 72), (3, 169, 244)),
    ((123, 31, 162), (255, 112, 67), (255, 238, 88), (0, 150, 136)),
    ((21, 101, 192), (239, 83, 80), (255, 202, 40), (102, 187, 106)),
]


def demo_jpeg(key: str, number: int, size=(1200, 900)) -> bytes:
    """A stand-in photo: sky, ground, a few coloured shapes and a caption-like
    band, drawn the same way for the same ``key`` and ``number``. No people, so
    no consent question."""
    rng = random.Random(f"{key}#{number}")
    sky, accent, warm, ground = rng.choice(PALETTES)
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.7))
    for y in range(0, horizon, 6):  # a soft gradient, in bands to stay quick
        shade = tuple(min(255, c + y * 60 // horizon) for c in sky)
        draw.rectangle([0, y, width, y + 6], fill=shade)
    draw.rectangle([0, horizon, width, height], fill=ground)
    sun = rng.randint(100, width - 100)
    draw.ellipse([sun - 70, 60, sun + 70, 200], fill=accent)
    for _ in range(rng.randint(3, 5)):
        x = rng.randint(40, width - 300)
        w, h = rng.randint(120, 260), rng.randint(120, 260)
        top = horizon - h + rng.randint(0, 40)
        draw.rectangle([x, top, x + w, top + h], fill=warm, outline=(40, 40, 40))
        draw.polygon(
            [(x - 10, top), (x + w // 2, top - h // 3), (x + w + 10, top)],
            fill=accent,
        )
    band = height - 110
    draw.rectangle([0, band, width, height], fill=(20, 20, 20))
    draw.rectangle([40, band + 30, 40 + rng.randint(500, 900), band + 50], fill=warm)
    draw.text(
        (40, band + 65),
        f"DEMO {number}",
        fill=(230, 230, 230),
        font=ImageFont.load_default(),
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


# --- Building -----------------------------------------------------------------------


def _unit(city: City, spec_unit: tuple):
    if spec_unit[0] == "city":
        return city
    if spec_unit[0] == "county":
        return County.objects.get(city=city, name=spec_unit[1])
    return Station.objects.with_place().get(
        town__county__city=city,
        town__county__name=spec_unit[1],
        town__name=spec_unit[2],
    )


def _existing(unit, title: str) -> ActivityReport | None:
    if isinstance(unit, Station):
        qs = ActivityReport.objects.filter(level=Level.STATION, station=unit)
    elif isinstance(unit, County):
        qs = ActivityReport.objects.filter(level=Level.COUNTY, county=unit)
    else:
        qs = ActivityReport.objects.filter(level=Level.CITY, city=unit)
    return qs.filter(title=title).first()


def _project(city: City, by) -> Project:
    station = _unit(city, ("station", "郁南县", "平台镇"))
    project = Project.objects.filter(station=station, title=PROJECT_TITLE).first()
    if project is None:
        project = project_create(
            project=Project(
                title=PROJECT_TITLE,
                funder="团市委公益创投",
                station=station,
                start_date=D(2022, 9, 1),  # demo: "近半年" before the summary
                end_date=D(2023, 8, 31),
                target_villages=14,
                description=(
                    "郁南县平台镇社工站、平台镇社会工作与志愿服务协会承接团市委公益创投，"
                    "通过早发现、早介入、早预防，与学校、社区联动开展宣传活动，"
                    "并对重点青少年进行一对一的个案帮扶。"
                ),
            ),
            by=by,
        )
    return project


def _file(spec: DemoReport, unit, users, lists, project) -> ActivityReport:
    author = users[spec.author]
    town = unit.town if isinstance(unit, Station) else None
    village = (
        Village.objects.get(town=town, name=spec.village) if spec.village else None
    )
    report = ActivityReport(
        title=spec.title,
        subtitle=spec.subtitle,
        start_date=spec.start_date
        or timezone.localdate() - datetime.timedelta(days=spec.days_ago),
        end_date=spec.end_date,
        town=town,
        village=village,
        place_text=spec.place_text,
        kind=lists["kinds"][spec.kind],
        other_partners=spec.other_partners,
        body="\n".join(spec.body),
        **spec.counts,
    )
    services.report_create(
        report=report,
        unit=unit,
        by=author,
        categories=[lists["categories"][name] for name in spec.categories],
        partners=[lists["partners"][name] for name in spec.partners],
        villages_reached=list(
            Village.objects.filter(town=town, name__in=spec.villages_reached)
        )
        if spec.villages_reached
        else (),
    )
    for number, caption in enumerate(spec.photos, start=1):
        report_photo_add(
            report=report,
            by=author,
            file=ContentFile(demo_jpeg(spec.title, number), name="demo.jpg"),
            caption=caption,
            shows_people=False,
        )
    if spec.in_project:
        project_link_report(project=project, report=report, by=users["admin"])

    if spec.state == Status.DRAFT:
        return report
    services.report_submit(report=report, by=author)
    if spec.state == Status.APPROVED:
        services.report_approve(report=report, by=users[spec.reviewer])
    elif spec.state == Status.RETURNED:
        services.report_return(
            report=report, by=users[spec.reviewer], comment=spec.comment
        )
    return report


def _users(specs) -> dict:
    names = {spec.author for spec in specs} | {s.reviewer for s in specs if s.reviewer}
    return {
        user.username: user
        for user in get_user_model().objects.filter(username__in=names | {"admin"})
    }


def file_reports(
    city: City, specs, *, project: Project | None = None
) -> tuple[dict[str, ActivityReport], int]:
    """File each of ``specs`` (DemoReports) that is not there yet, through the
    services as its author and reviewer would, and leave it in its state.
    Returns every one of them by title, and how many were filed now. Runs in
    the caller's transaction; the specs' users must exist."""
    users = _users(specs)
    # A database flushed since it was migrated (a transactional test's teardown,
    # an operator's ``flush``) has lost the lists, and the reports name them.
    reference_lists_seed()
    lists = {
        "kinds": {k.name: k for k in ActivityKind.objects.all()},
        "categories": {c.name: c for c in BeneficiaryCategory.objects.all()},
        "partners": {p.name: p for p in Partner.objects.all()},
    }
    reports = {}
    created = 0
    for spec in specs:
        unit = _unit(city, spec.unit)
        report = _existing(unit, spec.title)
        if report is None:
            report = _file(spec, unit, users, lists, project)
            created += 1
        reports[spec.title] = report
    return reports, created


def build_reports(stdout=None) -> dict[str, ActivityReport]:
    """Add the demo reports that are not there yet; returns every demo report by
    title."""
    with transaction.atomic():
        city = City.objects.get(code=CITY_CODE)
        project = _project(city, _users(DEMO_REPORTS)["admin"])
        reports, created = file_reports(city, DEMO_REPORTS, project=project)
        editor = get_user_model().objects.filter(username="editor").first()
        if editor is not None:
            build_training(
                city=city,
                editor=editor,
                report=reports.get("建立健全社会工作常态化培训学习机制"),
            )
    if stdout is not None:
        stdout.write(
            f"活动报告：新增 {created} 份，已有 {len(DEMO_REPORTS) - created} 份。"
        )
    return reports
