"""The privacy gate run again over what is already published, and what an
editor does with what it finds.

``privacy_sweep`` reads every published issue of a publication as the gate
reads a draft: the articles (titles, subtitles, bodies, captions, photos
without consent) and the issue's own texts (section titles, editor's note,
corrections). Each value the gate would have stopped, and that no one has let
through, becomes a ``PrivacyFinding``; one already reported stays as it is,
one whose text has changed since is closed as gone. The sweep is idempotent:
run it after every change to the gate or to the files (``privacy_sweep`` from
cron, or 重新复查 on the findings page).

An editor then takes one step per finding:

- ``finding_withdraw``: the article comes off the public site, as a correction
  whose public note names no one;
- ``finding_hide``: every value the gate stops in that article (or text) is
  replaced by its mask, as a correction; photos without consent come off;
- ``finding_keep``: the value may stay, for a written reason (a name that is
  someone else's, say): an override like the gate's, not reported again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.models import AuditEntry
from stations.permissions import require

from .. import permissions, privacy
from ..models import (
    Article,
    Issue,
    IssueCorrection,
    PrivacyFinding,
    Publication,
    Section,
)
from ..rendering import body_to_lines
from .editing import PhotoChoice, _record_correction, article_delete, article_update
from .gate import _reason, _record_override

# Issues read at a time: the issues with their publication, sections and
# corrections, and their articles, photos and overrides, are six queries per
# batch, whatever its size.
BATCH = 50

Resolution = PrivacyFinding.Resolution


@dataclass
class SweepReport:
    publication: Publication
    issues: int = 0
    articles: int = 0
    new: list[PrivacyFinding] = field(default_factory=list)
    still_open: int = 0
    gone: int = 0

    @property
    def open(self) -> int:
        return len(self.new) + self.still_open


def _finding_of_hit(issue, article, photos, hit, ids) -> PrivacyFinding:
    return PrivacyFinding(
        issue=issue,
        article=article,
        article_title=privacy.masked_text(article.title, ids)[:200],
        where=hit.where,
        index=hit.index,
        place=hit.place[:100],
        kind=hit.kind,
        masked=hit.masked[:60],
        context=privacy.hit_context(article, photos, hit, ids)[:200],
        value_hash=hit.digest,
    )


def _finding_of_text(issue, hit) -> PrivacyFinding:
    return PrivacyFinding(
        issue=issue,
        where=hit.where,
        index=hit.index,
        place=hit.label[:100],
        kind=hit.kind,
        masked=hit.masked[:60],
        context=hit.context[:200],
        value_hash=hit.digest,
    )


def _batches(publication):
    ids = list(
        Issue.objects.filter(
            publication=publication, status=Issue.Status.PUBLISHED
        ).values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        issues = {
            i.pk: i
            for i in Issue.objects.filter(pk__in=chunk)
            .select_related("publication")
            .prefetch_related("sections", "corrections")
        }
        articles = list(
            Article.objects.filter(issue_id__in=chunk)
            .prefetch_related("photos")
            .order_by("issue_id", "section__position", "position", "pk")
        )
        yield issues, articles, privacy.overrides_for(articles)


def _findings_now(publication, ids, report) -> list[PrivacyFinding]:
    found: list[PrivacyFinding] = []
    for issues, articles, overrides in _batches(publication):
        report.issues += len(issues)
        report.articles += len(articles)
        for article in articles:
            issue = issues[article.issue_id]
            photos = list(article.photos.all())
            for hit in privacy.article_hits(
                article, ids, photos=photos, overrides=overrides
            ):
                if not hit.overridden:
                    found.append(_finding_of_hit(issue, article, photos, hit, ids))
        for issue in issues.values():
            for hit in privacy.issue_text_hits(issue, ids):
                found.append(_finding_of_text(issue, hit))
    return found


@transaction.atomic
def privacy_sweep(*, publication: Publication, by=None) -> SweepReport:
    """Run the gate over every published issue of ``publication`` and bring
    its findings up to date. ``by`` is the editor (permission checked), or
    None for the operator at the console."""
    if by is not None:
        require(permissions.can_edit_publication(by, publication))
    ids = privacy.identifiers_for_city(publication.city_id)
    report = SweepReport(publication)
    known: dict[tuple, PrivacyFinding] = {}
    for finding in PrivacyFinding.objects.filter(issue__publication=publication):
        # The latest decision on a place and value is the one that counts.
        known[finding.key] = finding
    seen = set()
    for finding in _findings_now(publication, ids, report):
        if finding.key in seen:
            continue
        seen.add(finding.key)
        before = known.get(finding.key)
        if before is not None and before.resolution in ("", Resolution.KEPT):
            # Reported already, or judged to stay.
            report.still_open += before.is_open
            continue
        report.new.append(finding)
    PrivacyFinding.objects.bulk_create(report.new)
    gone = [f.pk for key, f in known.items() if f.is_open and key not in seen]
    report.gone = PrivacyFinding.objects.filter(pk__in=gone).update(
        resolution=Resolution.GONE, resolved_at=timezone.now()
    )
    return report


# --- An editor's step ------------------------------------------------------------


def _open_finding(finding: PrivacyFinding, by) -> PrivacyFinding:
    # Only the finding's row is locked: its article is on the nullable side of
    # a join, which PostgreSQL will not lock.
    current = (
        PrivacyFinding.objects.select_for_update(of=("self",))
        .select_related("issue__publication", "article")
        .get(pk=finding.pk)
    )
    require(permissions.can_edit_issue(by, current.issue))
    if not current.is_open:
        raise ValidationError(_("这一处已经处理过了。"))
    return current


def _resolve(findings, resolution, by, reason=""):
    now = timezone.now()
    for finding in findings:
        finding.resolution = resolution
        finding.resolved_at = now
        finding.resolved_by = by
        finding.reason = reason
    PrivacyFinding.objects.bulk_update(
        findings, ["resolution", "resolved_at", "resolved_by", "reason"]
    )


def _open_of_article(finding):
    return list(
        PrivacyFinding.objects.filter(article_id=finding.article_id, resolution="")
    )


@transaction.atomic
def finding_withdraw(*, finding: PrivacyFinding, by, request=None) -> None:
    """Take the finding's article off the public site: a correction whose
    public note says why without naming anyone. Every open finding of the
    article is closed with it."""
    finding = _open_finding(finding, by)
    if finding.article is None:
        raise ValidationError(_("这一处不在文章中，不能撤下文章：请用“隐去”。"))
    others = _open_of_article(finding)
    _resolve(others, Resolution.WITHDRAWN, by)
    article = finding.article
    article.issue = finding.issue
    article_delete(
        article=article,
        by=by,
        correction_reason=_("隐私复查发现文章含有个人信息，已撤下。"),
        request=request,
    )


def _blocking_values(article, ids) -> tuple[set, list]:
    """The (kind, digest) of each value the gate stops in ``article``, and its
    photos without consent."""
    photos = list(article.photos.all())
    hits = privacy.blocking(
        privacy.article_hits(
            article, ids, photos=photos, overrides=privacy.overrides_for([article])
        )
    )
    values = {(h.kind, h.digest) for h in hits if h.kind != privacy.Kind.PHOTO}
    unconsented = {h.index for h in hits if h.kind == privacy.Kind.PHOTO}
    return values, [p for p in photos if p.position not in unconsented]


def _hide_in_article(finding, by, request, ids) -> None:
    article = (
        Article.objects.select_related("issue__publication")
        .prefetch_related("photos")
        .get(pk=finding.article_id)
    )
    values, kept_photos = _blocking_values(article, ids)
    lines = [
        privacy.masked_text(line, ids, values)
        for line in body_to_lines(article.body).splitlines()
    ]
    article_update(
        article=article,
        by=by,
        title=privacy.masked_text(article.title, ids, values),
        subtitle=privacy.masked_text(article.subtitle, ids, values),
        body="\n".join(lines),
        photos=[
            PhotoChoice(photo=p, caption=privacy.masked_text(p.caption, ids, values))
            for p in kept_photos
        ],
        correction_reason=_("隐私复查发现文中有个人信息，已隐去。"),
        request=request,
    )
    _resolve(_open_of_article(finding), Resolution.HIDDEN, by)


def _hide_in_text(finding, by, request, ids) -> None:
    issue = finding.issue
    values = {(finding.kind, finding.value_hash)}
    if finding.where == "section":
        section = Section.objects.select_for_update().get(pk=finding.index, issue=issue)
        section.title = privacy.masked_text(section.title, ids, values)
        section.save(update_fields=["title"])
        summary = _("隐去栏目名称中的个人信息")
    elif finding.where == "editor_note":
        issue.editor_note = privacy.masked_text(issue.editor_note, ids, values)
        issue.save(update_fields=["editor_note", "updated_at"])
        summary = _("隐去编者按中的个人信息")
    else:
        correction = IssueCorrection.objects.select_for_update().get(
            pk=finding.index, issue=issue
        )
        correction.summary = privacy.masked_text(correction.summary, ids, values)
        correction.reason = privacy.masked_text(correction.reason, ids, values)
        correction.save(update_fields=["summary", "reason"])
        summary = _("隐去更正说明中的个人信息")
    _record_correction(
        issue=issue,
        article=None,
        reason=_("隐私复查发现个人信息，已隐去。"),
        summary=summary,
        by=by,
        request=request,
        ids=ids,
    )
    same = PrivacyFinding.objects.filter(
        issue=issue,
        article__isnull=True,
        where=finding.where,
        index=finding.index,
        kind=finding.kind,
        value_hash=finding.value_hash,
        resolution="",
    )
    _resolve(list(same), Resolution.HIDDEN, by)


@transaction.atomic
def finding_hide(*, finding: PrivacyFinding, by, request=None) -> None:
    """Replace the value by its mask where it stands, as a correction. In an
    article, every value the gate stops goes at once (a correction must leave
    the article passing the gate), and photos without consent come off."""
    finding = _open_finding(finding, by)
    ids = privacy.identifiers_for_city(finding.issue.publication.city_id)
    if finding.article_id is not None:
        _hide_in_article(finding, by, request, ids)
    else:
        _hide_in_text(finding, by, request, ids)


@dataclass(frozen=True)
class _Judged:
    """What the override record needs of a finding (the shape of a Hit)."""

    kind: str
    digest: str
    masked: str
    place: str
    kind_label: str


@transaction.atomic
def finding_keep(*, finding: PrivacyFinding, by, reason: str, request=None) -> None:
    """The value may stay where it is, for a written reason: in an article an
    override like the gate's (it holds for the same value in that article from
    now on); in the issue's own texts the finding records the decision. Either
    way it is not reported again."""
    finding = _open_finding(finding, by)
    reason = _reason(reason)
    judged = _Judged(
        finding.kind,
        finding.value_hash,
        finding.masked,
        finding.place,
        finding.get_kind_display(),
    )
    if finding.article is not None:
        _record_override(
            article=finding.article, hit=judged, reason=reason, by=by, request=request
        )
        same = PrivacyFinding.objects.filter(
            article=finding.article,
            kind=finding.kind,
            value_hash=finding.value_hash,
            resolution="",
        )
    else:
        audit_record(
            actor=by,
            action=AuditEntry.Action.OVERRIDE,
            target=finding.issue,
            request=request,
            label=str(finding.issue),
            detail=f"{judged.kind_label} {judged.masked} · {judged.place}",
            reason=reason,
        )
        same = PrivacyFinding.objects.filter(pk=finding.pk)
    _resolve(list(same), Resolution.KEPT, by, reason)
