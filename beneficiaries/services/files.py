"""Writes to beneficiary files, visits and attendance. Each service checks that
``by`` keeps the file (a member of the keeping station), validates, writes in a
transaction and leaves an audit row naming the file by its masked label.

Cases live in cases.py, attendance in attendance.py; the spreadsheet import
writes through ``beneficiaries_bulk_create`` below."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from activities.models import BeneficiaryCategory
from beneficiaries import permissions as access
from beneficiaries.audit import Action, record
from beneficiaries.duplicates import DuplicateFile, find_duplicates
from beneficiaries.models import Beneficiary, BeneficiaryTransfer, Case, Visit
from core.notifications import Event, notify
from stations.models import SocialWorker, Station
from stations.permissions import require
from stations.selectors import robots_for, station_members

# Fields whose change is named in the audit row (by label, never by value).
TRACKED_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "village",
    "address",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "living_situation",
    "opened_on",
    "notes",
)


def _check_duplicates(beneficiary: Beneficiary, *, confirm_distinct: bool) -> None:
    matches, by_id = find_duplicates(
        id_number=beneficiary.id_number,
        name=beneficiary.name,
        birth_date=beneficiary.birth_date,
        city_id=beneficiary.station.town.county.city_id,
        exclude_pk=beneficiary.pk,
    )
    if matches and (by_id or not confirm_distinct):
        raise DuplicateFile(matches, by_id=by_id)


def _save_unique(beneficiary: Beneficiary) -> None:
    """Save; a file with the same ID number written by someone else since the
    check (the unique constraint) is reported like any duplicate."""
    try:
        with transaction.atomic():
            beneficiary.save()
    except IntegrityError:
        matches, by_id = find_duplicates(
            id_number=beneficiary.id_number,
            name="",
            birth_date=None,
            city_id=beneficiary.station.town.county.city_id,
            exclude_pk=beneficiary.pk,
        )
        if not matches:
            raise
        raise DuplicateFile(matches, by_id=by_id) from None


def _station(station_or_id) -> Station:
    if isinstance(station_or_id, Station):
        return station_or_id
    return Station.objects.with_place().get(pk=station_or_id)


@transaction.atomic
def beneficiary_create(
    *,
    beneficiary: Beneficiary,
    station: Station,
    by,
    categories: Iterable[BeneficiaryCategory] = (),
    confirm_distinct: bool = False,
    request=None,
) -> Beneficiary:
    """Open a file at ``station``. Raises DuplicateFile when the person has one
    already (same ID anywhere; same name and birth date in the city, unless the
    user confirmed they are someone else)."""
    require(access.can_write_station(by, station.pk))
    beneficiary.station = station
    beneficiary.status = Beneficiary.Status.ACTIVE
    beneficiary.status_reason = ""
    beneficiary.created_by = by
    # Validation first: the birth date read from the ID number is what the
    # duplicate check compares.
    beneficiary.fill_from_id_number()
    beneficiary.full_clean(validate_constraints=False)
    _check_duplicates(beneficiary, confirm_distinct=confirm_distinct)
    _save_unique(beneficiary)
    beneficiary.categories.set(categories)
    record(
        by=by,
        action=Action.CREATE,
        target=beneficiary,
        request=request,
        detail=_("建档")
        + (_("（已确认与同名同出生日期的档案不是同一人）") if confirm_distinct else ""),
    )
    return beneficiary


@transaction.atomic
def beneficiary_update(
    *,
    beneficiary: Beneficiary,
    by,
    categories: Iterable[BeneficiaryCategory] | None = None,
    confirm_distinct: bool = False,
    request=None,
) -> Beneficiary:
    """Save changes to a file's details (not its status or station: those have
    their own services)."""
    current = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    require(access.can_write(by, current))
    beneficiary.station_id = current.station_id
    beneficiary.status = current.status
    beneficiary.status_reason = current.status_reason
    beneficiary.fill_from_id_number()
    beneficiary.full_clean(validate_constraints=False)
    identity_changed = (
        beneficiary.id_number != current.id_number
        or beneficiary.name != current.name
        or beneficiary.birth_date != current.birth_date
    )
    if identity_changed:
        _check_duplicates(beneficiary, confirm_distinct=confirm_distinct)
    changed = [
        str(Beneficiary._meta.get_field(name).verbose_name)
        for name in TRACKED_FIELDS
        if getattr(beneficiary, Beneficiary._meta.get_field(name).attname)
        != getattr(current, Beneficiary._meta.get_field(name).attname)
    ]
    _save_unique(beneficiary)
    if categories is not None:
        before = set(current.categories.values_list("pk", flat=True))
        after = {c.pk for c in categories}
        if before != after:
            changed.append(str(Beneficiary._meta.get_field("categories").verbose_name))
        beneficiary.categories.set(categories)
    record(
        by=by,
        action=Action.CHANGE,
        target=beneficiary,
        request=request,
        detail=_("修改：%(f)s") % {"f": "、".join(changed) if changed else _("无变化")},
    )
    return beneficiary


def _open_cases(beneficiary: Beneficiary) -> bool:
    return beneficiary.cases.exclude(status=Case.Status.CLOSED).exists()


@transaction.atomic
def beneficiary_set_status(
    *,
    beneficiary: Beneficiary,
    status: str,
    reason: str,
    by,
    on: datetime.date | None = None,
    request=None,
) -> Beneficiary:
    """Close a file, mark it moved away (out of the network), or reopen it."""
    current = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    require(access.can_write(by, current))
    reason = (reason or "").strip()
    if status not in Beneficiary.Status.values:
        raise ValidationError({"status": _("无效的档案状态。")})
    if status == current.status:
        raise ValidationError(
            {"status": _("档案已是“%(s)s”状态。") % {"s": current.get_status_display()}}
        )
    if status != Beneficiary.Status.ACTIVE:
        if not reason:
            raise ValidationError({"reason": _("迁出或结档时请填写原因。")})
        if _open_cases(current):
            raise ValidationError(
                _("该服务对象还有未结案的个案，请先结案再迁出或结档。")
            )
    # A targeted update below, not full_clean(): the date is the one field to
    # check (core/dates.py), on the locked copy before anything changes.
    current.status_changed_on = on or datetime.date.today()
    errors = current.date_range_errors(names={"status_changed_on"})
    if errors:
        raise ValidationError(errors)
    previous = current.get_status_display()
    beneficiary.status = status
    beneficiary.status_reason = reason if status != Beneficiary.Status.ACTIVE else ""
    beneficiary.status_changed_on = current.status_changed_on
    Beneficiary.objects.filter(pk=beneficiary.pk).update(
        status=beneficiary.status,
        status_reason=beneficiary.status_reason,
        status_changed_on=beneficiary.status_changed_on,
    )
    record(
        by=by,
        action=Action.CHANGE,
        target=beneficiary,
        request=request,
        detail=_("档案状态：%(a)s → %(b)s")
        % {"a": previous, "b": beneficiary.get_status_display()},
        reason=reason,
    )
    return beneficiary


@transaction.atomic
def beneficiary_transfer(
    *,
    beneficiary: Beneficiary,
    to_station: Station,
    reason: str,
    by,
    on: datetime.date | None = None,
    request=None,
) -> BeneficiaryTransfer:
    """Move a file to another station: the person, their visits and closed cases
    go along; the old station loses access. The village is kept when it lies in
    the new station's county, cleared otherwise (the address stays)."""
    current = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    require(access.can_write(by, current))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写转移原因。")})
    if to_station.pk == current.station_id:
        raise ValidationError({"to_station": _("请选择另一个社工站。")})
    if current.status != Beneficiary.Status.ACTIVE:
        raise ValidationError(_("只能转移在册的档案；请先恢复档案。"))
    if _open_cases(current):
        raise ValidationError(
            _("该服务对象还有未结案的个案，请先结案，由转入社工站重新开案。")
        )
    to_station = _station(to_station.pk)
    transfer = BeneficiaryTransfer(
        beneficiary=current,
        from_station_id=current.station_id,
        to_station=to_station,
        reason=reason,
        on=on or datetime.date.today(),
        by=by,
    )
    transfer.full_clean()
    transfer.save()
    village = current.village
    if village is not None and village.town.county_id != to_station.town.county_id:
        current.village = None
    current.station = to_station
    current.save(update_fields=["station", "village", "updated_at"])
    beneficiary.station = to_station
    beneficiary.village = current.village
    record(
        by=by,
        action=Action.CHANGE,
        target=current,
        request=request,
        detail=_("转移：%(a)s → %(b)s")
        % {"a": transfer.from_station.full_name, "b": to_station.full_name},
        reason=reason,
    )
    # The receiving station's workers and heads, and its county bureau's
    # group: the station names and a link, never the person's name.
    notify(
        Event.TRANSFER_IN,
        station_members(to_station.pk),
        _("有一份服务对象档案从%(a)s转入%(b)s")
        % {"a": transfer.from_station.full_name, "b": to_station.full_name},
        reverse("beneficiaries_staff:beneficiary", args=[current.pk]),
        robots=robots_for(to_station.town.county),
    )
    return transfer


@transaction.atomic
def beneficiary_delete(*, beneficiary: Beneficiary, by, reason: str, request=None):
    """Delete a file opened by mistake, with its visits and attendance. A file
    with case records is closed instead, never deleted: case work is history."""
    current = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    require(access.can_write(by, current))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写删除原因。")})
    if current.cases.exists():
        raise ValidationError(_("该档案有个案记录，不能删除；请改为结档并写明原因。"))
    # The audit row is written before the row goes, so it can name it.
    record(
        by=by,
        action=Action.DELETE,
        target=current,
        request=request,
        reason=reason,
        detail=_("删除档案（走访记录 %(v)d 条、活动参与 %(a)d 条一并删除）")
        % {"v": current.visits.count(), "a": current.attendances.count()},
    )
    current.delete()


def _visit_by_key(by, client_key: uuid.UUID) -> Visit | None:
    return Visit.objects.filter(created_by=by, client_key=client_key).first()


@transaction.atomic
def visit_add(
    *,
    beneficiary: Beneficiary,
    by,
    kind: str,
    date: datetime.date,
    worker: SocialWorker | None = None,
    notes: str = "",
    needs_found: str = "",
    follow_up_due: datetime.date | None = None,
    client_key: uuid.UUID | None = None,
    request=None,
) -> Visit:
    """Add a visit to the file. With ``client_key`` (drawn by the form when it
    was opened), a second send of the same form by the same person returns the
    visit the first one made: the phone's offline queue sends again whenever
    it cannot tell whether a send arrived."""
    require(access.can_write(by, beneficiary))
    if client_key is not None:
        existing = _visit_by_key(by, client_key)
        if existing is not None:
            return existing
    if beneficiary.status != Beneficiary.Status.ACTIVE:
        raise ValidationError(_("档案已迁出或结档，不能再添加走访记录。"))
    if worker is not None and worker.station_id != beneficiary.station_id:
        raise ValidationError({"worker": _("走访社工必须是本社工站的社工。")})
    visit = Visit(
        beneficiary=beneficiary,
        kind=kind,
        date=date,
        worker=worker,
        notes=notes,
        needs_found=needs_found,
        follow_up_due=follow_up_due,
        created_by=by,
        client_key=client_key,
    )
    # The key's constraint is left to the database (below), which also sees a
    # send that is still being written.
    visit.full_clean(exclude=["client_key"])
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        # Two sends of one form raced past the lookup above: the constraint let
        # one in, and this one returns it.
        existing = _visit_by_key(by, client_key) if client_key else None
        if existing is None:
            raise
        return existing
    record(
        by=by,
        action=Action.CHANGE,
        target=beneficiary,
        request=request,
        detail=_("新增走访记录：%(d)s %(k)s")
        % {"d": visit.date.isoformat(), "k": visit.get_kind_display()},
    )
    return visit


@transaction.atomic
def beneficiaries_bulk_create(
    *,
    station: Station,
    beneficiaries: list[Beneficiary],
    categories: dict[int, list[int]],
    by,
) -> list[Beneficiary]:
    """Write already validated files in bulk (the spreadsheet import): the rows,
    then their categories. ``categories`` maps an index in ``beneficiaries`` to
    category ids. The unique constraint on the ID number still guards against a
    file created between the check and the write."""
    require(access.can_write_station(by, station.pk))
    for b in beneficiaries:
        # The import has set both already; setting them again costs a
        # descriptor call per row.
        if b.station_id != station.pk:
            b.station = station
        if b.created_by_id != by.pk:
            b.created_by = by
    created = Beneficiary.objects.bulk_create(beneficiaries, batch_size=1000)
    through = Beneficiary.categories.through
    links = [
        through(beneficiary_id=created[index].pk, beneficiarycategory_id=category_id)
        for index, ids in categories.items()
        for category_id in ids
    ]
    through.objects.bulk_create(links, batch_size=2000)
    return created
