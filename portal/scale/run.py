"""Running the stages in order, with progress per table and the total time."""

from __future__ import annotations

import datetime
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext as _

from activities.models import ActivityReport, ReportPhoto, ReportTransition
from beneficiaries.models import Attendance, Beneficiary, Visit
from newsletter.models import Article, ArticlePhoto, Issue, Publication, Section
from newsletter.public_cache import bump_version
from stations.models import (
    City,
    County,
    RoleAssignment,
    ServicePoint,
    SocialWorker,
    Station,
    Town,
    Village,
)

from .beneficiaries import build_beneficiaries
from .issues import build_issues
from .org import build_network
from .people import build_people
from .plan import Calendar, Ids, rng_for
from .reports import build_reports
from .writer import Writer


class RefusedError(Exception):
    """The database already holds reports and the caller did not say --append."""


def written_models():
    """Every table the generator writes, for resetting sequences and ANALYZE."""
    return [
        City,
        County,
        Town,
        Village,
        Station,
        ServicePoint,
        get_user_model(),
        SocialWorker,
        RoleAssignment,
        Beneficiary,
        Beneficiary.categories.through,
        Visit,
        ActivityReport,
        ActivityReport.categories.through,
        ReportPhoto,
        ReportTransition,
        Attendance,
        Publication,
        Issue,
        Section,
        Article,
        ArticlePhoto,
    ]


def check_empty(append: bool) -> None:
    if not append and ActivityReport.objects.exists():
        raise RefusedError(
            _(
                "数据库中已有活动报告，未生成任何数据。如确要在现有数据之外追加生成，"
                "请加 --append（或 --force）。"
            )
            + " / The database already holds reports; nothing was written. "
            "Pass --append (or --force) to add generated data next to them."
        )


def generate(sizes, *, seed: int, append: bool, out, today=None) -> dict:
    """Build everything ``sizes`` asks for; print one line per stage and table
    to ``out``; return the rows written per table label."""
    check_empty(append)
    today = today or datetime.date.today()
    calendar = Calendar.ending(today, sizes.years)
    writer = Writer()
    ids = Ids()
    started = time.perf_counter()
    writer.begin()
    try:

        def stage(name, build):
            before = {k: (v.rows, v.seconds) for k, v in writer.stats.items()}
            t0 = time.perf_counter()
            result = build(rng_for(seed, name))
            writer.commit()
            out(f"{name}: {time.perf_counter() - t0:.1f} s")
            for label, stats in writer.stats.items():
                rows0, secs0 = before.get(label, (0, 0.0))
                if stats.rows > rows0:
                    out(
                        f"  {label:<40} {stats.rows - rows0:>10,} rows "
                        f"{stats.seconds - secs0:7.1f} s writing"
                    )
            return result

        net = stage("network", lambda r: build_network(writer, ids, sizes, r, today))
        people = stage(
            "people", lambda r: build_people(writer, ids, sizes, r, net, today)
        )
        files = stage(
            "beneficiaries",
            lambda r: build_beneficiaries(writer, ids, sizes, r, net, people, calendar),
        )
        reservoir = stage(
            "reports",
            lambda r: build_reports(
                writer, ids, sizes, r, net, people, files, calendar
            ),
        )
        stage(
            "newsletter",
            lambda r: build_issues(
                writer, ids, sizes, net, people, reservoir, calendar
            ),
        )
        finishing = time.perf_counter()
        writer.finish(written_models())
        out(
            f"foreign-key check, sequences and VACUUM ANALYZE: {time.perf_counter() - finishing:.1f} s"
        )
    except BaseException:
        if writer.managed:
            connection.rollback()
            connection.set_autocommit(True)
        raise
    bump_version()
    out(f"total: {time.perf_counter() - started:.1f} s")
    return {label: stats.rows for label, stats in writer.stats.items()}
