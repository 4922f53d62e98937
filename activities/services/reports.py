"""Writes to activity reports: creating and editing drafts, and every workflow
transition (DESIGN.md §5). Each checks permission through
activities/permissions/reports.py, validates, writes in a transaction, records the
transition, and tells the next person in line (core.notifications: in the portal,
and by e-mail and group robot after the commit)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import permissions
from activities.models import (
    ActivityReport,
    Level,
    ReportReviewSnapshot,
    ReportTransition,
    Status,
)
from activities.review_changes import reviewable_content
from activities.selectors.reports import report_filed_with
from activities.services.photos import (
    delete_files,
    photo_storage,
    report_photos_store,
)
from core.audit import audit_record
from core.models import AuditEntry
from core.notifications import Event, notify
from core.outages import StorageFull
from stations.models import City, County, Role, Station, Village
from stations.permissions import get_scope, require
from stations.selectors import robots_for

Action = ReportTransition.Action

REPORT_DISK_FULL = gettext_lazy(
    "服务器存储空间已满，报告和照片都没有保存。请联系管理员清理空间后再试。"
)


def _record(report, *, action, from_status, by, comment=""):
    transition = ReportTransition.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=report.status,
        by=by,
        comment=comment,
    )
    # The shared audit log too: who, when and from which address,
    # beside the report's own history.
    audit_record(
        actor=by,
        action=(
            AuditEntry.Action.CREATE
            if action == Action.CREATE
            else AuditEntry.Action.TRANSITION
        ),
        target=report,
        label=report.title,
        detail=f"{action}: {from_status or '-'} → {report.status}",
        reason=comment,
    )
    return transition


def _set_unit(report: ActivityReport, unit) -> None:
    if isinstance(unit, Station):
        report.level = Level.STATION
        report.station = unit
        report.county = unit.town.county
        report.city = unit.town.county.city
    elif isinstance(unit, County):
        report.level = Level.COUNTY
        report.station = None
        report.county = unit
        report.city = unit.city
    elif isinstance(unit, City):
        report.level = Level.CITY
        report.station = report.county = None
        report.city = unit
    else:  # pragma: no cover - a programming error, not user input
        raise TypeError(unit)


def report_create(
    *,
    report: ActivityReport,
    unit,
    by,
    categories=(),
    partners=(),
    villages_reached=(),
    photos=(),
    client_key=None,
) -> ActivityReport:
    """Save a new draft filed by ``unit`` (a Station, County or City), with
    ``photos`` (``photos_check``'s) as its first photos: the report and its photos
    are saved together or not at all, and the files of a failed attempt are
    deleted. With ``client_key``, a key ``by`` has sent before returns the report
    it made then, and nothing is written: a form sent twice (a double tap, a
    phone's queue retrying after a lost answer) files one report."""
    _set_unit(report, unit)
    require(
        any(u == unit for _level, u in permissions.filing_units(by))
        or get_scope(by).is_superuser
    )
    earlier = report_filed_with(by=by, client_key=client_key)
    if earlier is not None:
        return earlier
    saved: list[str] = []
    try:
        with transaction.atomic():
            report.author = by
            report.status = Status.DRAFT
            report.client_key = client_key
            report.full_clean()
            report.save()
            report.categories.set(categories)
            report.partners.set(partners)
            report.villages_reached.set(villages_reached)
            report_photos_store(report=report, photos=list(photos), saved=saved)
            _record(report, action=Action.CREATE, from_status="", by=by)
    except (IntegrityError, ValidationError) as exc:
        delete_files(saved, photo_storage())
        # The same key sent again while the first request was still saving: the
        # constraint (checked by full_clean once the other has committed, by the
        # database before that) let one of them through, and that one is the
        # answer. Any other refusal goes to the caller.
        earlier = report_filed_with(by=by, client_key=client_key)
        if earlier is None and isinstance(exc, StorageFull):
            # A full disk at one of its photos: the report is not saved either.
            raise StorageFull(REPORT_DISK_FULL) from exc
        if earlier is None:
            raise
        return earlier
    except BaseException:
        delete_files(saved, photo_storage())
        raise
    return report


@transaction.atomic
def report_update(
    *,
    report: ActivityReport,
    by,
    categories=None,
    partners=None,
    villages_reached=None,
    expected_updated_at=None,
) -> ActivityReport:
    """Save changes to a draft or a returned report. With ``expected_updated_at``
    (the report's updated_at when the form was opened), a report saved by
    someone else since is refused, so neither overwrites the other."""
    require(permissions.can_write(by, report))
    current = ActivityReport.objects.select_for_update().get(pk=report.pk)
    if current.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(_("已提交或已通过的报告不能修改。"))
    if expected_updated_at is not None and current.updated_at != expected_updated_at:
        raise ValidationError(
            _(
                "没有保存：这篇报告在您打开之后已被其他人修改并保存。"
                "请先打开报告页面看看别人改了什么，再重新打开修改页面编辑。"
            ),
            code="conflict",
        )
    report.status = current.status
    report.full_clean()
    report.save()
    if categories is not None:
        report.categories.set(categories)
    if partners is not None:
        report.partners.set(partners)
    if villages_reached is not None:
        report.villages_reached.set(villages_reached)
    return report


BACKFILL_COMMENT = "历史数据导入"


@transaction.atomic
def report_backfill(*, report: ActivityReport, by) -> ActivityReport:
    """Record a past report, already published on paper, as approved history: the
    spreadsheet back-fill. Only someone who would review the report may; its one
    history step goes from nothing to approved. The caller sets its lists."""
    require(
        permissions.can_backfill(
            by, level=report.level, city_id=report.city_id, county_id=report.county_id
        )
    )
    report.author = by
    report.status = Status.APPROVED
    report.approved_by = by
    report.approved_at = report.approved_at or timezone.now()
    report.full_clean()
    report.save()
    _record(
        report, action=Action.CREATE, from_status="", by=by, comment=BACKFILL_COMMENT
    )
    return report


def _transition(report, *, allowed_from, to, action) -> str:
    """Lock the row, check the report may go ``to`` from where it is now, and
    return the status it leaves."""
    current = ActivityReport.objects.select_for_update().get(pk=report.pk)
    if current.status not in allowed_from:
        raise ValidationError(
            _("报告当前状态为“%(s)s”，不能%(a)s。")
            % {"s": current.get_status_display(), "a": Action(action).label}
        )
    from_status = current.status
    report.status = to
    return from_status


@transaction.atomic
def report_submit(*, report: ActivityReport, by) -> ActivityReport:
    require(permissions.can_write(by, report))
    # Judge what is stored, not what the caller holds: submitting does not save.
    stored_body = (
        ActivityReport.objects.select_for_update()
        .values_list("body", flat=True)
        .get(pk=report.pk)
    )
    problems = []
    if not stored_body.strip():
        problems.append(_("正文不能为空。"))
    if report.photos.filter(shows_people=True, consent=False).exists():
        problems.append(_("有照片拍到了可辨认的人但未确认已取得同意。"))
    if problems:
        raise ValidationError(problems)
    from_status = _transition(
        report,
        allowed_from=(Status.DRAFT, Status.RETURNED),
        to=Status.SUBMITTED,
        action=Action.SUBMIT,
    )
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    _record(report, action=Action.SUBMIT, from_status=from_status, by=by)
    _notify_reviewers(report)
    return report


@transaction.atomic
def report_approve(*, report: ActivityReport, by, comment: str = "") -> ActivityReport:
    require(permissions.can_review(by, report))
    from_status = _transition(
        report,
        allowed_from=(Status.SUBMITTED,),
        to=Status.APPROVED,
        action=Action.APPROVE,
    )
    report.approved_at = timezone.now()
    report.approved_by = by
    report.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    _record(
        report, action=Action.APPROVE, from_status=from_status, by=by, comment=comment
    )
    _notify_author(report, Action.APPROVE)
    return report


def _require_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("请填写退回或撤回的理由，让填报人知道要改什么。"))
    return comment


@transaction.atomic
def report_return(*, report: ActivityReport, by, comment: str) -> ActivityReport:
    require(permissions.can_review(by, report))
    comment = _require_comment(comment)
    from_status = _transition(
        report,
        allowed_from=(Status.SUBMITTED,),
        to=Status.RETURNED,
        action=Action.RETURN,
    )
    report.save(update_fields=["status", "updated_at"])
    step = _record(
        report, action=Action.RETURN, from_status=from_status, by=by, comment=comment
    )
    report_snapshot_take(report=report, transition=step)
    _notify_author(report, Action.RETURN)
    return report


@transaction.atomic
def report_withdraw(*, report: ActivityReport, by, comment: str) -> ActivityReport:
    """Take back an approval: the report goes back to its author as returned. Not
    once a published issue carries an article made from it."""
    require(permissions.can_review(by, report))
    comment = _require_comment(comment)
    from_status = _transition(
        report,
        allowed_from=(Status.APPROVED,),
        to=Status.RETURNED,
        action=Action.WITHDRAW,
    )
    # Checked after _transition has locked the row: a publish running at the same
    # moment (report_mark_published locks the same row) has either committed its
    # published_at, which we now see, or waits for us and then refuses.
    if ActivityReport.objects.filter(pk=report.pk, published_at__isnull=False).exists():
        report.status = Status.APPROVED
        raise ValidationError(_("该报告已在已发布的简报中刊登，不能撤回。"))
    report.approved_at = None
    report.approved_by = None
    report.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    step = _record(
        report, action=Action.WITHDRAW, from_status=from_status, by=by, comment=comment
    )
    report_snapshot_take(report=report, transition=step)
    _notify_author(report, Action.WITHDRAW)
    return report


def report_snapshot_take(
    *, report: ActivityReport, transition: ReportTransition
) -> ReportReviewSnapshot:
    """Keep what the report says as ``transition`` sends it back to its author,
    so that the reviewer of its next submission sees what changed since
    (activities/review_changes/). Read from the database, not from the caller's
    copy: the snapshot is what was stored when the reviewer decided."""
    stored = ActivityReport.objects.select_related("kind", "town", "village__town").get(
        pk=report.pk
    )
    prefetch_related_objects(
        [stored],
        "categories",
        "partners",
        "photos",
        Prefetch("villages_reached", queryset=Village.objects.select_related("town")),
    )
    return ReportReviewSnapshot.objects.create(
        report=stored, transition=transition, content=reviewable_content(stored)
    )


@transaction.atomic
def report_comment(*, report: ActivityReport, by, comment: str) -> ReportTransition:
    """A comment that changes nothing: how a supervisor takes part in review."""
    require(permissions.can_comment(by, report))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("评论不能为空。"))
    transition = ReportTransition.objects.create(
        report=report,
        action=Action.COMMENT,
        from_status=report.status,
        to_status=report.status,
        by=by,
        comment=comment,
    )
    return transition


@transaction.atomic
def report_repair(*, report: ActivityReport, by, changed: list[str]) -> ActivityReport:
    """A data repair to a report under review or approved (the admin's change
    page): allowed to those who may comment on it, validated as any save, and
    left in its history as a comment naming the fields, so its author sees what
    changed. The status and review dates are not the admin's to change (its form
    does not offer them); a report still editable goes through
    ``report_update``."""
    require(permissions.can_comment(by, report))
    current = ActivityReport.objects.select_for_update().get(pk=report.pk)
    if current.status in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(_("草稿和退回的报告请在报告页面修改。"))
    report.status = current.status
    report.full_clean()
    report.save()
    report_comment(
        report=report,
        by=by,
        comment=_("在管理后台修改了：%(fields)s")
        % {"fields": "、".join(changed) or _("（无）")},
    )
    return report


# --- Notifications: tell the next person in line ------------------------------------


def reviewers_of(report: ActivityReport):
    """Users who decide on the report: the county reviewer for a station report,
    the city editor for the rest (and as the fallback)."""
    User = get_user_model()
    if report.level == Level.STATION:
        reviewers = User.objects.filter(
            is_active=True,
            role_assignments__role=Role.COUNTY_REVIEWER,
            role_assignments__county=report.county_id,
        )
        if reviewers.exists():
            return reviewers.distinct()
    return User.objects.filter(
        Q(
            role_assignments__role=Role.CITY_EDITOR,
            role_assignments__city=report.city_id,
        ),
        is_active=True,
    ).distinct()


def report_robots(report: ActivityReport) -> list:
    """The group robots told of events about ``report``: its county bureau's for
    a station or county-bureau report, the city bureau's for a city-level one
    (stations.selectors.robots_for)."""
    return robots_for(report.city if report.level == Level.CITY else report.county)


def _notify_reviewers(report):
    notify(
        Event.SUBMITTED,
        reviewers_of(report),
        _("待审核：%(unit)s《%(t)s》") % {"unit": report.unit_name, "t": report.title},
        report.get_absolute_url(),
        robots=report_robots(report),
    )


def _notify_author(report, action):
    # The reviewer's comment stays on the report's page: a message that leaves
    # the portal carries titles and links only.
    titles = {
        Action.APPROVE: (Event.APPROVED, _("已通过：《%(t)s》")),
        Action.RETURN: (Event.RETURNED, _("被退回：《%(t)s》，请查看审核意见")),
        Action.WITHDRAW: (Event.RETURNED, _("已撤回通过：《%(t)s》，请查看审核意见")),
    }
    event, title = titles[action]
    notify(
        event,
        [report.author],
        title % {"t": report.title},
        report.get_absolute_url(),
        robots=report_robots(report),
    )


# --- The newsletter marks what it publishes -------------------------------------------


@transaction.atomic
def report_mark_published(*, reports, at) -> int:
    """Record that an issue carrying articles made from ``reports`` (reports or
    their pks) was published at ``at``: from then on their approval cannot be
    withdrawn (``report_withdraw``). Called by the newsletter's publish service,
    which has checked its own permission and runs in the same transaction. Each
    report must still be approved; the rows are locked so a withdrawal running at
    the same moment waits and then sees ``published_at``. A report already marked
    keeps its first date. Returns how many were marked."""
    pks = {getattr(r, "pk", r) for r in reports}
    if not pks:
        return 0
    rows = list(
        ActivityReport.objects.select_for_update()
        .filter(pk__in=pks)
        .values_list("pk", "status", "title")
    )
    not_approved = [title for _pk, status, title in rows if status != Status.APPROVED]
    if not_approved or len(rows) != len(pks):
        raise ValidationError(
            _("以下报告已不是“已通过”状态，不能刊登：%(t)s")
            % {"t": "；".join(not_approved) or "—"}
        )
    return ActivityReport.objects.filter(pk__in=pks, published_at__isnull=True).update(
        published_at=at
    )
