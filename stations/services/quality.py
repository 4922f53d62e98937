"""Recording how stations are held to standard: six-standard checks (六有),
supervision visits and their follow-up items. Kept apart from network.py, which
edits the network itself."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.notifications import Event, notify
from core.outages import files_kept_or_removed
from stations import permissions
from stations.models import (
    FollowUpItem,
    Standard,
    StandardsCheck,
    StandardsCheckItem,
    Station,
    SupervisionVisit,
)
from stations.selectors import robots_for, station_members, supervisors_of

CHECK_DISK_FULL = gettext_lazy(
    "服务器存储空间已满，这次检查和照片都没有保存。请联系管理员清理空间后再试。"
)


def _require(user, station):
    if not permissions.can_supervise_station(user, station):
        raise PermissionDenied


@transaction.atomic
def standards_check_record(
    *, station: Station, by, checked_on: datetime.date, note: str, items: dict
) -> StandardsCheck:
    """Record a six-standard check. ``items`` maps each Standard value to a dict with
    ``met``, ``note`` and optionally ``evidence_photo``; every standard must be there."""
    _require(by, station)
    missing = [value for value in Standard.values if value not in items]
    if missing:
        raise ValueError(f"missing standards: {missing}")
    check = StandardsCheck(
        station=station, checked_on=checked_on, checked_by=by, note=note
    )
    check.full_clean()
    check.save()
    # A full disk at the third photo: the two written go with the rolled-back
    # rows, and the user is told nothing was saved.
    with files_kept_or_removed(CHECK_DISK_FULL) as written:
        for value in Standard.values:
            data = items[value]
            item = StandardsCheckItem(
                check_record=check,
                standard=value,
                met=bool(data.get("met")),
                note=data.get("note", ""),
                evidence_photo=data.get("evidence_photo") or None,
            )
            item.full_clean()
            item.save()
            written.add_field(item.evidence_photo)
    return check


@transaction.atomic
def supervision_visit_record(
    *,
    station: Station,
    by,
    visited_on: datetime.date,
    supervisors,
    other_participants: str = "",
    findings: str = "",
    requirements: str = "",
    follow_ups: list[dict] = (),
) -> SupervisionVisit:
    _require(by, station)
    visit = SupervisionVisit(
        station=station,
        visited_on=visited_on,
        other_participants=other_participants,
        findings=findings,
        requirements=requirements,
    )
    visit.full_clean()
    visit.save()
    visit.supervisors.set(supervisors)
    for data in follow_ups:
        item = FollowUpItem(
            visit=visit, description=data["description"], due_on=data["due_on"]
        )
        item.full_clean()
        item.save()
    return visit


@transaction.atomic
def follow_up_complete(*, item: FollowUpItem, by, note: str = "") -> FollowUpItem:
    _require(by, item.visit.station)
    if item.status == FollowUpItem.Status.DONE:
        return item
    item.status = FollowUpItem.Status.DONE
    item.done_on = timezone.localdate()
    if note:
        item.note = note
    item.full_clean()
    item.save(update_fields=["status", "done_on", "note"])
    return item


def followups_notify_due(*, today: datetime.date | None = None) -> int:
    """Tell the station's head(s) and its supervisors (those assigned to it or
    its county, and those who made the visit) of each open follow-up item
    whose due date has come, once per item: the item remembers the due date it
    was told of, so a later run (the command runs daily, beat hourly) skips it,
    and a date moved later is told again when it comes. Items already overdue
    when this first runs are told once too. Returns how many items were told."""
    today = today or timezone.localdate()
    due = (
        FollowUpItem.objects.filter(status=FollowUpItem.Status.OPEN, due_on__lte=today)
        .exclude(due_notified_for__gte=F("due_on"))
        .select_related("visit__station__town__county")
        .order_by("due_on", "pk")
    )
    told = 0
    for item in due:
        station = item.visit.station
        with transaction.atomic():
            claimed = FollowUpItem.objects.filter(
                pk=item.pk, due_notified_for=item.due_notified_for
            ).update(due_notified_for=item.due_on)
            if not claimed:
                continue  # another run told it a moment ago
            recipients = [
                *station_members(station.pk, leads_only=True),
                *supervisors_of(station),
                *item.visit.supervisors.all(),
            ]
            notify(
                Event.FOLLOWUP_DUE,
                recipients,
                (
                    _("督导整改事项今天到期：%(station)s")
                    if item.due_on == today
                    else _("督导整改事项已逾期：%(station)s")
                )
                % {"station": station.full_name},
                reverse("stations_staff:station", args=[station.pk]),
                robots=robots_for(station.town.county),
            )
        told += 1
    return told
