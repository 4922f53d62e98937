"""The reviewable content of a report as display strings: what a reviewer reads
and may ask to change. Kept as plain values (JSON) so that a snapshot still
reads the same after the lists it names are renamed."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# The fields in the order the report page shows them, with their labels.
FIELDS = [
    ("title", _("标题")),
    ("subtitle", _("副标题")),
    ("dates", _("活动日期")),
    ("place", _("地点")),
    ("kind", _("活动类型")),
    ("categories", _("服务对象")),
    ("partners", _("合作单位")),
    ("villages", _("覆盖的村（居）")),
    ("person_times", _("服务人次")),
    ("households", _("户数")),
    ("persons", _("人数")),
    ("volunteers", _("志愿者人数")),
    ("service_hours", _("服务时长（小时）")),
    ("photos", _("照片张数")),
]

VERSION = 1


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _dates(report) -> str:
    text = _date(report.start_date)
    if report.end_date and report.end_date != report.start_date:
        text += " – " + _date(report.end_date)
    return text


def _count(value) -> str:
    if value is None:
        return ""
    return number_format(value, use_l10n=False)


def _place(report) -> str:
    place = report.place or ""
    if report.village_id and report.place_text:
        place += f"（{report.place_text}）"
    return place


def reviewable_content(report) -> dict:
    """The report's reviewable content. Uses ``categories``, ``partners``,
    ``photos`` and ``villages_reached`` as prefetched when they are (the report
    page loads them); a query each otherwise."""
    partners = [p.name for p in report.partners.all()]
    if report.other_partners:
        partners.append(report.other_partners)
    fields = {
        "title": report.title,
        "subtitle": report.subtitle,
        "dates": _dates(report),
        "place": _place(report),
        "kind": report.kind.name if report.kind_id else "",
        "categories": "、".join(c.name for c in report.categories.all()),
        "partners": "、".join(partners),
        "villages": "、".join(
            f"{v.town.name}{v.name}" for v in report.covered_villages()
        ),
        "person_times": _count(report.person_times),
        "households": _count(report.households),
        "persons": _count(report.persons),
        "volunteers": _count(report.volunteers),
        "service_hours": _count(report.service_hours),
    }
    photos = sorted(report.photos.all(), key=lambda p: (p.position, p.pk))
    fields["photos"] = str(len(photos))
    return {
        "version": VERSION,
        "fields": fields,
        "body": [line.strip() for line in report.body.splitlines() if line.strip()],
        "captions": [p.caption for p in photos],
    }
