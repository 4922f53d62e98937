"""Writes to trainings: the training itself, its sessions and their attendance."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import Training, TrainingAttendance, TrainingSession
from activities.permissions.trainings import (
    can_manage_training,
    can_organise,
    trainees_eligible_for,
)
from stations.permissions import require

MAX_SESSION_HOURS = Decimal(24)


def _organiser_errors(training: Training) -> dict:
    if training.county_id and training.county.city_id != training.city_id:
        return {"county": _("所选县（市、区）不属于所选的市。")}
    return {}


@transaction.atomic
def training_create(*, training: Training, by) -> Training:
    """Save a new training organised by ``training.city`` (and ``county`` when a
    county bureau organises it)."""
    require(can_organise(by, city_id=training.city_id, county_id=training.county_id))
    errors = _organiser_errors(training)
    if errors:
        raise ValidationError(errors)
    training.full_clean()
    training.save()
    return training


@transaction.atomic
def training_update(*, training: Training, by) -> Training:
    """Save changes to a training. Moving it to another organiser needs the right to
    manage both the old and the new one."""
    current = Training.objects.select_for_update().get(pk=training.pk)
    require(can_manage_training(by, current) and can_manage_training(by, training))
    errors = _organiser_errors(training)
    if errors:
        raise ValidationError(errors)
    if (current.city_id, current.county_id) != (training.city_id, training.county_id):
        outside = TrainingAttendance.objects.filter(session__training=training).exclude(
            worker__in=trainees_eligible_for(training)
        )
        if outside.exists():
            raise ValidationError(
                {"county": _("已有参训社工不属于新的主办单位范围，不能更换主办单位。")}
            )
    training.full_clean()
    training.save()
    return training


def _as_hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"hours": _("请填写学时，例如 3 或 1.5。")}) from None
    return hours


def _validate_session(session: TrainingSession) -> None:
    """Hours above 0 and at most 24; the model checks the rest, the date among
    it (at most a year ahead, core/dates.py), so both show at once."""
    errors = {}
    hours = session.hours
    if hours is not None and hours <= 0:
        errors["hours"] = _("学时必须大于 0。")
    elif hours is not None and hours > MAX_SESSION_HOURS:
        errors["hours"] = _("一次课程的学时不能超过 24 小时。")
    try:
        session.full_clean(exclude=set(errors))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def training_session_add(
    *, training: Training, by, date, topic: str, hours, teacher: str = ""
) -> TrainingSession:
    """Add a session: hours above 0 and at most 24, a date at most a year ahead."""
    require(can_manage_training(by, training))
    session = TrainingSession(
        training=training,
        date=date,
        topic=(topic or "").strip(),
        teacher=(teacher or "").strip(),
        hours=_as_hours(hours),
    )
    _validate_session(session)
    session.save()
    return session


@transaction.atomic
def training_session_update(*, session: TrainingSession, by) -> TrainingSession:
    require(can_manage_training(by, session.training))
    session.hours = _as_hours(session.hours)
    _validate_session(session)
    session.save()
    return session


@transaction.atomic
def training_session_delete(*, session: TrainingSession, by) -> None:
    """Delete a session with its attendance (a session added by mistake)."""
    require(can_manage_training(by, session.training))
    session.delete()


@transaction.atomic
def training_attendance_set(*, session: TrainingSession, workers, by) -> tuple:
    """Make ``workers`` (SocialWorker objects or ids) the attendees of ``session``.
    Every worker must belong to a station of the organiser's area; otherwise
    nothing is written. Returns (added, removed) counts."""
    require(can_manage_training(by, session.training))
    wanted = {getattr(w, "pk", w) for w in workers}
    eligible = set(
        trainees_eligible_for(session.training)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if wanted - eligible:
        raise ValidationError(
            _(
                "有 %(n)d 名社工不属于本次培训主办单位的范围，签到未保存。"
                "请只勾选列表中的社工。"
            )
            % {"n": len(wanted - eligible)}
        )
    # Lock the session so two people saving the same sign-in sheet do not both
    # insert the same rows.
    TrainingSession.objects.select_for_update().get(pk=session.pk)
    current = set(
        TrainingAttendance.objects.filter(session=session).values_list(
            "worker_id", flat=True
        )
    )
    removed = current - wanted
    added = wanted - current
    if removed:
        TrainingAttendance.objects.filter(session=session, worker__in=removed).delete()
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(session=session, worker_id=pk) for pk in sorted(added)
    )
    return len(added), len(removed)
