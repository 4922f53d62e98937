"""Editing an issue's articles (write, change, drop, move; the sections are in
sections.py). A draft changes freely; a published issue changes only as
a correction, with a reason that is recorded and shown on the public page, and
after the privacy gate has read the new text."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ReportPhoto
from core.audit import audit_record
from core.models import AuditEntry
from stations.permissions import require

from .. import permissions, privacy
from ..cooking import forget_issue
from ..models import Article, ArticlePhoto, Issue, IssueCorrection, Section
from ..public_cache import bump_version
from ..rendering import body_clean, renumber_markers
from .gate import check_before_write

_UNSET = object()


class ArticleEditConflict(ValidationError):
    """Someone saved the article after this editor opened it: their save is
    refused rather than silently overwriting the other's.
    ``current`` is the article as it is stored now, to show what changed."""

    def __init__(self, current: Article):
        self.current = current
        at = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M:%S")
        super().__init__(
            _(
                "没有保存：这篇文章在您打开之后已被其他人修改并保存（%(at)s）。"
                "您的修改仍在下面的表单里；请对照“其他人保存的版本”合并改动后再保存。"
            )
            % {"at": at},
            code="conflict",
        )


@dataclass(frozen=True)
class PhotoChoice:
    """A photo the article is to show, in the order wanted: one of its own
    (``ArticlePhoto``) or one of its source report's (``ReportPhoto``) to add."""

    photo: ArticlePhoto | ReportPhoto
    caption: str = ""


def _locked_issue(issue: Issue) -> Issue:
    current = Issue.objects.select_for_update().get(pk=issue.pk)
    # The publication never changes under an issue: the caller's, when it has
    # been read, saves a query.
    if Issue.publication.is_cached(issue):
        current.publication = issue.publication
    return current


def _locked_draft(issue: Issue) -> Issue:
    current = _locked_issue(issue)
    if current.status != Issue.Status.DRAFT:
        raise ValidationError(_("这一期已经发布，只能通过“更正”修改。"))
    return current


def _correction_reason(
    current: Issue, reason: str, *, field="correction_reason", ids=None
) -> str:
    """The reason of a correction of a published issue: four characters at
    least, and, since it is printed on the public page, nothing the privacy
    gate finds. ``field`` names the form field the error belongs to."""
    reason = (reason or "").strip()
    if current.status != Issue.Status.PUBLISHED:
        return reason
    if len(reason) < 4:
        raise ValidationError(
            {
                field: _(
                    "这一期已经发布，修改即为更正：请写明更正理由（至少 4 个字），"
                    "它会显示在公开页面上。"
                )
            }
        )
    if ids is None:
        ids = privacy.identifiers_for_city(current.publication.city_id)
    privacy.check_public_text(reason, ids, field=field, what=_("更正理由"))
    return reason


def _record_correction(*, issue, article, reason, summary, by, request=None, ids=None):
    # Every correction passes here: the cached public pages, and the issue's
    # set pages, are out of date.
    bump_version()
    forget_issue(issue.pk)
    # The summary is printed on the public page and the title goes into the
    # audit log: an article withdrawn for the ID number in its title must not
    # carry it there.
    if ids is None:
        ids = privacy.identifiers_for_city(issue.publication.city_id)
    summary = privacy.masked_text(summary, ids)
    title = privacy.masked_text(article.title, ids) if article else ""
    IssueCorrection.objects.create(
        issue=issue,
        article=article,
        article_title=title[:200],
        summary=summary[:200],
        reason=reason,
        by=by,
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.CORRECT,
        target=article or issue,
        request=request,
        label=(title if article else str(issue))[:200],
        detail=summary,
        reason=reason,
    )


def _renumber(section_id: int, order: list[Article] | None = None) -> None:
    """Positions 1..n in the section, in ``order`` or the current order."""
    if order is None:
        order = list(
            Article.objects.filter(section_id=section_id).order_by("position", "pk")
        )
    changed = []
    for n, article in enumerate(order, start=1):
        if article.position != n:
            article.position = n
            changed.append(article)
    Article.objects.bulk_update(changed, ["position"])


def _section_of(issue: Issue, section: Section) -> Section:
    if section is None or section.issue_id != issue.pk:
        raise ValidationError({"section": _("请选择本期的栏目。")})
    return section


def _check_unit(issue: Issue, county, station) -> None:
    city_id = issue.publication.city_id
    if county is not None and county.city_id != city_id:
        raise ValidationError({"county": _("只能选择本市的县（市、区）。")})
    if station is not None and station.town.county.city_id != city_id:
        raise ValidationError({"station": _("只能选择本市的社工站。")})


@transaction.atomic
def article_create(
    *,
    issue: Issue,
    section: Section,
    by,
    title: str,
    subtitle: str = "",
    body: str = "",
    county=None,
    station=None,
) -> Article:
    """An article written from scratch, at the end of ``section`` of a draft."""
    require(permissions.can_edit_issue(by, issue))
    _locked_draft(issue)
    section = _section_of(issue, section)
    _check_unit(issue, county, station)
    if station is not None and county is None:
        county = station.town.county
    article = Article(
        issue=issue,
        section=section,
        position=section.articles.count() + 1,
        title=(title or "").strip(),
        subtitle=(subtitle or "").strip(),
        body=body_clean(body),
        county=county,
        station=station,
    )
    article.full_clean(validate_constraints=False)
    article.save()
    return article


def _photo_plan(article: Article, photos: list[PhotoChoice]):
    """From the editor's choice: the photos to keep (renumbered), to add and to
    drop, and how the body's markers move (old number -> new, or None)."""
    current = {p.pk: p for p in article.photos.all()}
    used_report_photos = {
        p.report_photo_id for p in current.values() if p.report_photo_id
    }
    kept, added, seen = [], [], set()
    mapping: dict[int, int | None] = {}
    for n, choice in enumerate(photos, start=1):
        photo, caption = choice.photo, (choice.caption or "").strip()
        if isinstance(photo, ArticlePhoto):
            if photo.pk not in current or photo.pk in seen:
                raise ValidationError(_("所选照片不属于这篇文章。"))
            seen.add(photo.pk)
            photo = current[photo.pk]
            mapping[photo.position] = n
            photo.position, photo.caption = n, caption
            kept.append(photo)
        else:
            if (
                article.source_report_id is None
                or photo.report_id != article.source_report_id
                or photo.pk in used_report_photos
            ):
                raise ValidationError(_("只能添加来源报告中尚未使用的照片。"))
            used_report_photos.add(photo.pk)
            added.append(ArticlePhoto.of_report_photo(article, n, photo, caption))
    dropped = [p for pk, p in current.items() if pk not in seen]
    for photo in dropped:
        mapping[photo.position] = None
    for photo in kept + added:
        photo.full_clean(exclude=["article", "report_photo"])
    return kept, added, dropped, mapping


@transaction.atomic
def article_update(
    *,
    article: Article,
    by,
    title: str,
    subtitle: str = "",
    body: str = "",
    county=_UNSET,
    station=_UNSET,
    photos: list[PhotoChoice] | None = None,
    correction_reason: str = "",
    override_reason: str = "",
    request=None,
    expected_updated_at=None,
) -> Article:
    """Save the editor's changes: title, subtitle, body (any text; it is cleaned
    to the shared format), the county and station, and with ``photos`` which
    photos it shows in which order with which captions (the body's [照片N] lines
    follow their photo; a dropped photo's line goes).

    ``expected_updated_at`` is the article's ``updated_at`` when the editor
    opened it (the edit form carries it): if the stored article has been saved
    since, ArticleEditConflict is raised and nothing is written.

    On a published issue this is a correction: ``correction_reason`` is
    required, the gate reads the new text first (hits block it unless
    ``override_reason`` overrides them), and the correction is recorded."""
    issue = article.issue
    require(permissions.can_edit_issue(by, issue))
    current_issue = _locked_issue(issue)
    if expected_updated_at is not None:
        # Locked, so a second editor saving at the same moment waits here and
        # then sees the first one's save.
        stored = Article.objects.select_for_update().get(pk=article.pk)
        if stored.updated_at != expected_updated_at:
            raise ArticleEditConflict(stored)
    published = current_issue.status == Issue.Status.PUBLISHED
    ids = privacy.identifiers_for_city(issue.publication.city_id) if published else None
    reason = _correction_reason(current_issue, correction_reason, ids=ids)
    article.title = (title or "").strip()
    article.subtitle = (subtitle or "").strip()
    if county is not _UNSET or station is not _UNSET:
        county = article.county if county is _UNSET else county
        station = article.station if station is _UNSET else station
        _check_unit(issue, county, station)
        if station is not None and county is None:
            county = station.town.county
        article.county, article.station = county, station
    body = body_clean(body)
    kept = added = dropped = None
    if photos is not None:
        kept, added, dropped, mapping = _photo_plan(article, photos)
        body = renumber_markers(body, mapping)
    article.body = body
    article.full_clean(validate_constraints=False)
    if published:
        future = kept + added if photos is not None else list(article.photos.all())
        check_before_write(
            article=article,
            photos=future,
            by=by,
            override_reason=override_reason,
            request=request,
            ids=ids,
        )
    article.save()
    if photos is not None:
        ArticlePhoto.objects.filter(pk__in=[p.pk for p in dropped]).delete()
        ArticlePhoto.objects.bulk_update(kept, ["position", "caption"])
        ArticlePhoto.objects.bulk_create(added)
    if published:
        _record_correction(
            issue=current_issue,
            article=article,
            reason=reason,
            summary=_("更正文章《%(t)s》") % {"t": article.title},
            by=by,
            request=request,
            ids=ids,
        )
    return article


@transaction.atomic
def article_delete(*, article: Article, by, correction_reason: str = "", request=None):
    """Drop an article from a draft (its report becomes available again). From
    a published issue only as a correction, with a reason."""
    issue = article.issue
    require(permissions.can_edit_issue(by, issue))
    current_issue = _locked_issue(issue)
    published = current_issue.status == Issue.Status.PUBLISHED
    ids = privacy.identifiers_for_city(issue.publication.city_id) if published else None
    reason = _correction_reason(current_issue, correction_reason, ids=ids)
    section_id, title = article.section_id, article.title
    if published:
        if Article.objects.filter(issue=issue).count() <= 1:
            raise ValidationError(_("这是本期唯一的文章，不能撤下。"))
        _record_correction(
            issue=current_issue,
            article=None,
            reason=reason,
            summary=_("撤下文章《%(t)s》") % {"t": title},
            by=by,
            request=request,
            ids=ids,
        )
    article.delete()
    _renumber(section_id)


@transaction.atomic
def article_move(*, article: Article, section: Section, position: int, by) -> Article:
    """Put the article at ``position`` (1-based, clamped) of ``section`` of the
    same draft; the articles after it move down."""
    issue = article.issue
    require(permissions.can_edit_issue(by, issue))
    _locked_draft(issue)
    section = _section_of(issue, section)
    old_section_id = article.section_id
    others = list(
        Article.objects.filter(section=section)
        .exclude(pk=article.pk)
        .order_by("position", "pk")
    )
    index = min(max(int(position), 1), len(others) + 1) - 1
    article.section = section
    article.save(update_fields=["section", "updated_at"])
    others.insert(index, article)
    _renumber(section.pk, others)
    if old_section_id != section.pk:
        _renumber(old_section_id)
    return article
