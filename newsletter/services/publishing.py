"""Publishing an issue and correcting it afterwards.

Numbering must never give two issues the same number, even when two editors
publish at the same moment. On PostgreSQL the publication row is locked
(``select_for_update``) while the next numbers are read and written, so the
second publisher waits and then reads the first one's numbers. SQLite has no
row locks, but it lets one writer at a time into the database; the unique
constraints on (publication, year, number) and (publication, running_number) are
the last line on every database: a clash rolls the attempt back and it is tried
again with fresh numbers.
"""

from __future__ import annotations

import datetime
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ActivityReport, Status
from activities.services.reports import report_mark_published
from core.audit import audit_record
from core.models import AuditEntry
from core.notifications import Event, notify
from stations.models import County
from stations.permissions import require
from stations.selectors import robots_for

from .. import permissions, privacy
from ..models import Article, Issue, Publication
from ..models.issues import next_number_in_year
from ..public_cache import bump_version
from .editing import _correction_reason, _locked_issue, _record_correction
from .gate import PrivacyBlocked, privacy_override

__all__ = ["PrivacyBlocked", "issue_correct", "issue_publish", "privacy_override"]

ATTEMPTS = 5
PUBLISHED_FIELDS = (
    "status",
    "number",
    "running_number",
    "issue_date",
    "year",
    "published_at",
)


def next_numbers(publication: Publication, year: int) -> tuple[int, int]:
    """The next number in ``year`` and the next running number: one past the
    largest taken (imported past issues included), the running number starting
    at the publication's configured first one."""
    running = Issue.objects.filter(
        publication=publication, running_number__isnull=False
    ).aggregate(m=Max("running_number"))
    running_number = max((running["m"] or 0) + 1, publication.first_running_number)
    # The rule a draft's name follows too (Issue.short_name).
    return next_number_in_year(publication, year), running_number


def keeps_its_numbers(issue: Issue) -> bool:
    """A past issue held back by the gate at import keeps the numbers and date
    it was printed with when it is published (its running number may be
    empty: the file did not give one, and none is invented)."""
    return (
        issue.source == Issue.Source.IMPORTED
        and issue.number is not None
        and issue.issue_date is not None
    )


def paper_time(date: datetime.date) -> datetime.datetime:
    """When a past issue counts as published: noon of its date on paper (the
    archive and the feeds order by it)."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(12, 0)))


def _publish_once(issue: Issue, by, request) -> Issue:
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(
            pk=issue.publication_id
        )
        current = _locked_issue(issue)
        if current.status != Issue.Status.DRAFT:
            raise ValidationError(_("这一期已经发布。"))
        current.publication = publication
        articles = privacy.issue_articles_for_check(current)
        if not articles:
            raise ValidationError(_("这一期还没有文章，不能发布。"))
        ids = privacy.identifiers_for_city(publication.city_id)
        blocking = privacy.blocking(
            privacy.issue_privacy_check(current, articles, ids=ids)
        )
        if blocking:
            raise PrivacyBlocked(blocking)
        privacy.check_issue_texts(current, ids)
        reports = [a.source_report_id for a in articles if a.source_report_id]
        withdrawn = list(
            Article.objects.filter(pk__in=[a.pk for a in articles])
            .filter(source_report__isnull=False)
            .exclude(source_report__status=Status.APPROVED)
            .values_list("title", flat=True)
        )
        if withdrawn:
            raise ValidationError(
                _("以下文章的来源报告已被撤回审核通过，请删除或改写后再发布：%(t)s")
                % {"t": "；".join(withdrawn)}
            )
        now = timezone.now()
        if keeps_its_numbers(current):
            # A past issue held back by the gate at import: it was numbered and
            # dated on paper, and is published as it was printed.
            current.published_at = paper_time(current.issue_date)
        else:
            date = current.issue_date or timezone.localdate(now)
            current.issue_date = date
            current.year = date.year
            current.number, current.running_number = next_numbers(
                publication, date.year
            )
            current.published_at = now
        current.status = Issue.Status.PUBLISHED
        current.full_clean(validate_constraints=False)
        current.save()
        report_mark_published(reports=reports, at=current.published_at)
        # Every cached public page (home, archive, feeds…) is out of date.
        bump_version()
        _notify_published(current, articles)
        audit_record(
            actor=by,
            action=AuditEntry.Action.PUBLISH,
            target=current,
            request=request,
            label=str(current),
            detail=(
                _("第%(n)d期（总第%(r)d期），%(a)d 篇文章")
                if current.running_number is not None
                else _("第%(n)d期，%(a)d 篇文章")
            )
            % {"n": current.number, "r": current.running_number, "a": len(articles)},
        )
        return current


def _notify_published(issue: Issue, articles) -> None:
    """Tell each source report's author where it appeared (已刊登于 2026年第1期,
    linking to the public article), each county bureau's group robot how many
    of its reports the issue carries, and the city bureau's robot that the
    issue is out. Sent after the publishing transaction commits."""
    by_report = {a.source_report_id: a for a in articles if a.source_report_id}
    reports = ActivityReport.objects.filter(pk__in=by_report).select_related("author")
    issue_path = issue.get_absolute_url()
    per_county: dict[int, int] = {}
    for report in reports:
        notify(
            Event.PUBLISHED,
            [report.author],
            _("《%(t)s》已刊登于 %(issue)s")
            % {"t": report.title, "issue": issue.short_name},
            reverse(
                "newsletter:article",
                args=[*issue.public_args(), by_report[report.pk].pk],
            ),
        )
        if report.county_id:
            per_county[report.county_id] = per_county.get(report.county_id, 0) + 1
    name = issue.publication.name
    for county in County.objects.filter(pk__in=per_county):
        notify(
            Event.PUBLISHED,
            [],
            _("《%(p)s》%(issue)s已发布，刊登%(county)s的报告 %(n)d 篇")
            % {
                "p": name,
                "issue": issue.short_name,
                "county": county.name,
                "n": per_county[county.pk],
            },
            issue_path,
            robots=robots_for(county),
        )
    notify(
        Event.PUBLISHED,
        [],
        _("《%(p)s》%(issue)s已发布，共 %(n)d 篇文章")
        % {"p": name, "issue": issue.short_name, "n": len(articles)},
        issue_path,
        robots=robots_for(issue.publication.city),
    )


def issue_publish(*, issue: Issue, by, request=None) -> Issue:
    """Publish a draft: the gate must have no hit left without an override in
    its articles, and none at all in its section titles and editor's note; the
    issue takes the next number in its year and the next running number, its
    date (today unless the editor set one), and its source reports are marked
    published. A past issue the gate held back at import keeps the numbers and
    date it was printed with. Raises PrivacyBlocked or ValidationError and
    changes nothing."""
    require(permissions.can_edit_issue(by, issue))
    for attempt in range(ATTEMPTS):
        try:
            published = _publish_once(issue, by, request)
        except (IntegrityError, OperationalError):
            # Another editor took the numbers (unique constraint) or held the
            # database (SQLite's lock) a moment ago: try again with fresh numbers.
            if attempt == ATTEMPTS - 1:
                raise ValidationError(
                    _("另一位编辑正在同时发布，期号分配冲突。请稍后重试。")
                ) from None
            time.sleep(0.05 * (attempt + 1))
            continue
        for name in PUBLISHED_FIELDS:
            setattr(issue, name, getattr(published, name))
        return issue
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def issue_correct(
    *, issue: Issue, by, reason: str, editor_note: str, request=None
) -> Issue:
    """Correct a published issue's editor's note, recording who, when and why.
    (Articles are corrected with ``article_update(..., correction_reason=…)`` and
    dropped with ``article_delete(..., correction_reason=…)``.)"""
    require(permissions.can_edit_issue(by, issue))
    current = _locked_issue(issue)
    if current.status != Issue.Status.PUBLISHED:
        raise ValidationError(_("草稿可以直接修改，无需更正。"))
    ids = privacy.identifiers_for_city(current.publication.city_id)
    reason = _correction_reason(current, reason, field="reason", ids=ids)
    privacy.check_public_text(editor_note, ids, field="editor_note", what=_("编者按"))
    current.editor_note = (editor_note or "").strip()
    current.save(update_fields=["editor_note", "updated_at"])
    issue.editor_note = current.editor_note
    _record_correction(
        issue=current,
        article=None,
        reason=reason,
        summary=_("更正编者按"),
        by=by,
        request=request,
        ids=ids,
    )
    return issue
