"""Activity reports with their photos' metadata, review history, categories and
attendance, written in one pass over the stations.

Report ``k`` of station ``s`` has id ``first + s * per_station + k``; most are
filed by the station, some by its county bureau or the city bureau (they stand
in the station's slot so the numbering stays arithmetic). Old reports are
nearly all approved; the last two months hold the drafts, the submitted ones
waiting in the review queue and the returned ones, as in a live system.

While writing, a reservoir sample of each city's approved reports per issue
month is kept (at most ``articles_per_issue``): the newsletter stage makes the
published articles from those, and only those few are held in memory.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from activities.models import (
    ActivityKind,
    ActivityReport,
    BeneficiaryCategory,
    ReportPhoto,
    ReportTransition,
)
from beneficiaries.models import Attendance

from . import text
from .plan import at

HOURS = tuple(Decimal(n) / 2 for n in range(2, 41))
RECENT_DAYS = 60
# Commit after this many reports (and their rows in the other tables).
REPORTS_PER_COMMIT = 20_000


@dataclass
class Candidate:
    """An approved report that may become a published article."""

    id: int
    level: str
    station_index: int
    start_date: datetime.date
    title: str
    body: str
    photos: list = field(default_factory=list)  # (id, caption, people, w, h)


@dataclass
class Reservoir:
    """A uniform sample of ``size`` items per key, whatever their number."""

    size: int
    rng: object
    seen: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)

    def slot(self, key) -> int | None:
        """Where the next item offered under ``key`` goes, or None (dropped)."""
        count = self.seen.get(key, 0) + 1
        self.seen[key] = count
        if count <= self.size:
            return count - 1
        slot = self.rng.randrange(count)
        return slot if slot < self.size else None

    def place(self, key, slot: int, item) -> None:
        kept = self.kept.setdefault(key, [])
        if slot == len(kept):
            kept.append(item)
        else:
            kept[slot] = item


def _status(rng, recent: bool) -> str:
    roll = rng.random()
    if recent:
        return (
            "approved"
            if roll < 0.5
            else "submitted"
            if roll < 0.8
            else "draft"
            if roll < 0.92
            else "returned"
        )
    return "approved" if roll < 0.95 else "returned" if roll < 0.97 else "draft"


def _body(rng, photos: int) -> str:
    pool = text.sentences()
    lines = []
    paragraphs = rng.randrange(2, 5)
    headed = rng.random() < 0.3
    for n in range(paragraphs):
        if headed and n < len(text.SUBHEADINGS) // 2:
            lines.append(text.SUBHEADINGS[n])
        lines.append("".join(rng.sample(pool, rng.randrange(1, 3))))
        if n < photos:
            lines.append(f"[照片{n + 1}]")
    lines.extend(f"[照片{n + 1}]" for n in range(paragraphs, photos))
    return "\n".join(lines)


class _Reports:
    """The tables of the reports stage and the state of one pass."""

    def __init__(self, writer, ids, sizes, net, people, files, calendar):
        self.writer, self.sizes, self.net = writer, sizes, net
        self.people, self.files, self.calendar = people, files, calendar
        per = sizes.reports_per_station
        total = len(net.stations) * per
        self.first = ids.take(ActivityReport, total)
        self.photo_first = ids.take(ReportPhoto, total * sizes.photos_per_report)
        self.transition_id = ids.take(ReportTransition, total * 5)
        through = ActivityReport.categories.through
        self.category_id = ids.take(through, total * 2)
        self.attendance_id = ids.take(
            Attendance, total * min(sizes.attendance_per_report, files.per_station)
        )
        kinds = dict(ActivityKind.objects.values_list("name", "id"))
        fallback = next(iter(kinds.values()))
        self.themes = [
            (kinds.get(k, fallback), theme) for k, theme in text.ACTIVITY_THEMES
        ]
        self.category_ids = list(
            BeneficiaryCategory.objects.values_list("id", flat=True)
        )
        self.reports = writer.table(
            ActivityReport,
            (
                "id",
                "level",
                "city_id",
                "county_id",
                "station_id",
                "title",
                "start_date",
                "end_date",
                "town_id",
                "village_id",
                "place_text",
                "kind_id",
                "person_times",
                "households",
                "persons",
                "volunteers",
                "service_hours",
                "body",
                "status",
                "author_id",
                "created_at",
                "updated_at",
                "submitted_at",
                "approved_at",
                "approved_by_id",
            ),
        )
        self.photos = writer.table(
            ReportPhoto,
            (
                "id",
                "report_id",
                "position",
                "thumb",
                "web",
                "print_image",
                "width",
                "height",
                "sha256",
                "caption",
                "shows_people",
                "consent",
                "uploaded_by_id",
                "created_at",
            ),
        )
        self.transitions = writer.table(
            ReportTransition,
            (
                "id",
                "report_id",
                "action",
                "from_status",
                "to_status",
                "by_id",
                "at",
                "comment",
            ),
        )
        self.categories = writer.table(
            through, ("id", "activityreport_id", "beneficiarycategory_id")
        )
        self.attendance = writer.table(
            Attendance,
            ("id", "report_id", "beneficiary_id", "recorded_by_id", "recorded_at"),
        )

    def transition(self, report_id, action, old, new, by, when, comment=""):
        self.writer.add(
            self.transitions,
            (self.transition_id, report_id, action, old, new, by, when, comment),
        )
        self.transition_id += 1

    def photos_of(self, rng, report_id, number, author, created) -> list:
        made = []
        for p in range(self.sizes.photos_per_report):
            photo_id = self.photo_first + number * self.sizes.photos_per_report + p
            name = f"{rng.getrandbits(128):032x}"
            folder = name[:2]
            width, height = (1200, 900) if rng.random() < 0.8 else (900, 1200)
            caption = rng.choice(text.PHOTO_CAPTIONS)
            people = rng.random() < 0.4
            self.writer.add(
                self.photos,
                (
                    photo_id,
                    report_id,
                    p + 1,
                    f"reports/thumb/{folder}/{name}.jpg",
                    f"reports/web/{folder}/{name}.jpg",
                    f"reports/print/{folder}/{name}.jpg",
                    width,
                    height,
                    f"{rng.getrandbits(256):064x}",
                    caption,
                    people,
                    people,
                    author,
                    created,
                ),
            )
            made.append((photo_id, caption, people, width, height))
        return made

    def history(self, rng, report_id, status, author, approver, times) -> None:
        created, submitted, decided = times
        self.transition(report_id, "create", "", "draft", author, created)
        if status == "draft":
            return
        self.transition(report_id, "submit", "draft", "submitted", author, submitted)
        if status == "approved":
            self.transition(
                report_id, "approve", "submitted", "approved", approver, decided
            )
        elif status == "returned":
            comment = rng.choice(text.RETURN_COMMENTS)
            self.transition(
                report_id, "return", "submitted", "returned", approver, decided, comment
            )


def _times(rng, start, status, now):
    """When the report was created, submitted and approved or returned."""
    created = min(
        at(start + datetime.timedelta(days=rng.randrange(3)), 9 + rng.randrange(9)),
        now,
    )
    if status == "draft":
        return created, None, None
    submitted = min(created + datetime.timedelta(hours=rng.randrange(1, 30)), now)
    if status == "submitted":
        return created, submitted, None
    decided = min(submitted + datetime.timedelta(hours=rng.randrange(2, 120)), now)
    return created, submitted, decided


def build_reports(writer, ids, sizes, rng, net, people, files, calendar) -> Reservoir:
    stage = _Reports(writer, ids, sizes, net, people, files, calendar)
    reservoir = Reservoir(sizes.articles_per_issue, rng)
    per = sizes.reports_per_station
    today = calendar.today
    now = datetime.datetime.now(datetime.UTC)
    span = calendar.span_days
    attend = min(sizes.attendance_per_report, files.per_station)
    themes, category_ids = stage.themes, stage.category_ids
    timedelta = datetime.timedelta
    for station in net.stations:
        county = station.county
        city = county.city
        reviewer = people.reviewer_first + county.index
        editor = people.editor_first + city.index
        for k in range(per):
            number = station.index * per + k
            report_id = stage.first + number
            roll = rng.random()
            start = today - timedelta(days=rng.randrange(span))
            status = _status(rng, (today - start).days < RECENT_DAYS)
            kind_id, theme = rng.choice(themes)
            title = f"{rng.choice(text.TITLE_VERBS)}{theme}活动"
            if roll < 0.94:
                level, county_id, station_id = "station", county.id, station.id
                author = people.user_id(
                    station.index, rng.randrange(people.per_station)
                )
                approver, town_id, place = reviewer, station.town_id, ""
                village_id = (
                    rng.choice(station.village_ids)
                    if station.village_ids and rng.random() < 0.7
                    else None
                )
            elif roll < 0.99:
                level, county_id, station_id = "county", county.id, None
                author, approver, town_id, village_id, place = (
                    reviewer,
                    editor,
                    station.town_id,
                    None,
                    "",
                )
            else:
                level, county_id, station_id = "city", None, None
                author, approver, town_id, village_id = editor, editor, None, None
                place = f"{city.name}民政局"
            times = _times(rng, start, status, now)
            created, submitted, decided = times
            person_times = rng.randrange(8, 160)
            persons = rng.randrange(max(1, person_times // 3), person_times + 1)
            body = _body(rng, sizes.photos_per_report)
            approved = status == "approved"
            writer.add(
                stage.reports,
                (
                    report_id,
                    level,
                    city.id,
                    county_id,
                    station_id,
                    title,
                    start,
                    start if rng.random() < 0.6 else None,
                    town_id,
                    village_id,
                    place,
                    kind_id,
                    person_times,
                    rng.randrange(1, persons + 1),
                    persons,
                    rng.randrange(12),
                    rng.choice(HOURS),
                    body,
                    status,
                    author,
                    created,
                    decided or submitted or created,
                    submitted,
                    decided if approved else None,
                    approver if approved else None,
                ),
            )
            photos = stage.photos_of(rng, report_id, number, author, created)
            stage.history(rng, report_id, status, author, approver, times)
            for category in {
                rng.choice(category_ids) for _ in range(rng.randrange(1, 3))
            }:
                writer.add(stage.categories, (stage.category_id, report_id, category))
                stage.category_id += 1
            if attend:
                j0 = rng.randrange(files.per_station)
                for a in range(attend):
                    beneficiary = files.id(station.index, (j0 + a) % files.per_station)
                    writer.add(
                        stage.attendance,
                        (stage.attendance_id, report_id, beneficiary, author, created),
                    )
                    stage.attendance_id += 1
            if approved:
                month = calendar.month_index(start)
                slot = None if month is None else reservoir.slot((city.index, month))
                if slot is not None:
                    reservoir.place(
                        (city.index, month),
                        slot,
                        Candidate(
                            report_id, level, station.index, start, title, body, photos
                        ),
                    )
            if (number + 1) % REPORTS_PER_COMMIT == 0:
                writer.commit()
    writer.commit()
    return reservoir
