"""What an editor completes on a past issue after its import
(newsletter/services/legacy.py): the running number its file did not give,
and the pictures its file named but did not hold.

An imported picture the file did not hold is an ``ArticlePhoto`` with
``is_missing``, placed in the body by its ``[照片N]`` line; every page shows it
as a note that a picture stood there (newsletter/templatetags/
newsletter_public.py, newsletter/word_export.py). The editor either replaces it
with a picture (uploaded through the report photo pipeline: three renditions,
EXIF stripped) or removes it (its line goes, the later photos move up one).

These are restorations of the paper, not corrections of what the bureau
printed: they write an audit row but no public correction note. On a
published issue the public pages are renewed at once (the page cache's
version and the issue's set pages).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.photos import process_image, read_upload
from activities.services.photos import delete_files, store_renditions
from core.audit import audit_record
from core.models import AuditEntry
from stations.permissions import require

from .. import permissions, privacy
from ..cooking import forget_issue
from ..models import Article, ArticlePhoto, Issue
from ..public_cache import bump_version
from ..rendering import renumber_markers
from .editing import _locked_issue


def _renew_public_pages(issue: Issue) -> None:
    """A published issue changed: its set pages and every cached public page
    are out of date."""
    if issue.status == Issue.Status.PUBLISHED:
        forget_issue(issue.pk)
        bump_version()


@transaction.atomic
def issue_set_running_number(
    *, issue: Issue, by, running_number: int | None, request=None
) -> Issue:
    """Set (or, with None, clear) the running number (总第N期) of an imported
    issue, draft or published: the file may not have given one. It must be
    free in the publication. Issues made here get theirs when published."""
    require(permissions.can_edit_issue(by, issue))
    current = _locked_issue(issue)
    if current.source != Issue.Source.IMPORTED:
        raise ValidationError(
            _("只有往期导入的简报可以在这里设置总期号；其他各期在发布时自动编定。")
        )
    if running_number is not None and running_number < 1:
        raise ValidationError({"running_number": _("总期号应为正整数。")})
    if running_number == current.running_number:
        return issue
    if (
        running_number is not None
        and Issue.objects.filter(
            publication_id=current.publication_id, running_number=running_number
        )
        .exclude(pk=current.pk)
        .exists()
    ):
        taken = Issue.objects.select_related("publication").get(
            publication_id=current.publication_id, running_number=running_number
        )
        raise ValidationError(
            {
                "running_number": _(
                    "总第%(r)s期已经是“%(issue)s”的总期号，请核对后换一个。"
                )
                % {"r": running_number, "issue": taken}
            }
        )
    before = current.running_number
    current.running_number = running_number
    current.full_clean(validate_constraints=False)
    current.save(update_fields=["running_number", "updated_at"])
    issue.running_number = running_number
    _renew_public_pages(current)
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        target=current,
        request=request,
        label=str(current),
        detail=_("总期号：%(before)s → %(after)s")
        % {"before": before or _("（未设）"), "after": running_number or _("（未设）")},
    )
    return issue


def _locked_missing_photo(photo: ArticlePhoto, by) -> tuple[Issue, ArticlePhoto]:
    """The issue locked (the order every article edit takes), then the photo as
    stored now: still a missing picture, or a clear error."""
    issue = photo.article.issue
    require(permissions.can_edit_issue(by, issue))
    current_issue = _locked_issue(issue)
    current = (
        ArticlePhoto.objects.select_for_update()
        .filter(pk=photo.pk, is_missing=True)
        .first()
    )
    if current is None:
        raise ValidationError(
            _("这处图片已经替换或删除，请刷新页面查看现在的样子。"), code="gone"
        )
    return current_issue, current


def missing_photo_replace(
    *,
    photo: ArticlePhoto,
    by,
    file,
    caption: str = "",
    shows_people: bool = False,
    consent: bool = False,
    request=None,
) -> ArticlePhoto:
    """Put an uploaded picture where the file only named one: the photo keeps
    its number and place in the body and gets the three renditions. A picture
    the pipeline refuses, a caption the privacy gate finds something in, or
    people shown without consent change nothing (ValidationError)."""
    require(permissions.can_edit_issue(by, photo.article.issue))
    caption = (caption or "").strip()
    if len(caption) > ArticlePhoto._meta.get_field("caption").max_length:
        raise ValidationError({"caption": _("图片说明最多 200 个字。")})
    if shows_people and not consent:
        raise ValidationError(
            {"consent": _("照片中有可辨认的人，请确认已取得本人或监护人同意。")}
        )
    ids = privacy.identifiers_for_city(photo.article.issue.publication.city_id)
    privacy.check_public_text(caption, ids, field="caption", what=_("图片说明"))
    # The pixel work runs before any lock is taken, as for report photos.
    renditions = process_image(read_upload(file))
    saved: list[str] = []
    try:
        with transaction.atomic():
            issue, current = _locked_missing_photo(photo, by)
            saved = store_renditions(current, renditions)
            current.caption = caption
            current.shows_people, current.consent = bool(shows_people), bool(consent)
            current.is_missing = False
            current.full_clean(exclude=["article", "report_photo"])
            current.save()
            # An editor who opened the article before this sees a conflict on
            # saving, rather than a photo table that still says "missing".
            Article.objects.filter(pk=current.article_id).update(
                updated_at=timezone.now()
            )
            _renew_public_pages(issue)
            audit_record(
                actor=by,
                action=AuditEntry.Action.CHANGE,
                target=current.article,
                request=request,
                label=current.article.title[:200],
                detail=_("补上原文未能导入的图片（照片%(n)d）")
                % {"n": current.position},
            )
    except BaseException:
        delete_files(saved, ArticlePhoto._meta.get_field("web").storage)
        raise
    return current


@transaction.atomic
def missing_photo_remove(*, photo: ArticlePhoto, by, request=None) -> Article:
    """Take out a picture the file named but did not hold: its ``[照片N]`` line
    goes from the body (the paragraphs around it close up) and the article's
    later photos move up one number, their lines with them."""
    issue, current = _locked_missing_photo(photo, by)
    article = Article.objects.select_for_update().get(pk=current.article_id)
    removed = current.position
    later = list(
        ArticlePhoto.objects.filter(article=article, position__gt=removed).order_by(
            "position", "pk"
        )
    )
    mapping: dict[int, int | None] = {removed: None}
    for other in later:
        mapping[other.position] = other.position - 1
        other.position -= 1
    article.body = renumber_markers(article.body, mapping)
    current.delete()
    ArticlePhoto.objects.bulk_update(later, ["position"])
    article.save(update_fields=["body", "updated_at"])
    _renew_public_pages(issue)
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        target=article,
        request=request,
        label=article.title[:200],
        detail=_("删除原文未能导入的图片（照片%(n)d）") % {"n": removed},
    )
    return article
