"""The privacy gate as services: recording an override, and checking an article
before a correction of a published issue is written."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.models import AuditEntry
from stations.permissions import require

from .. import permissions, privacy
from ..models import Article, PrivacyOverride


class PrivacyBlocked(ValidationError):
    """Publishing or a correction was refused because of gate hits that have no
    override. ``hits`` holds them (masked values only)."""

    def __init__(self, hits):
        self.hits = hits
        super().__init__(
            _(
                "隐私检查发现 %(n)d 处可能涉及服务对象个人信息的内容尚未处理："
                "请修改文字，或逐条填写理由放行。"
            )
            % {"n": len(hits)},
            code="privacy",
        )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError(
            _("请写明放行理由（至少 4 个字），例如“已取得本人书面同意”。")
        )
    return reason


def _record_override(*, article, hit, reason, by, request=None) -> PrivacyOverride:
    override = PrivacyOverride(
        article=article,
        kind=hit.kind,
        value_hash=hit.digest,
        masked=hit.masked[:60],
        reason=reason,
        by=by,
    )
    override.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError:
        # Already overridden (a second click): the first record stands.
        return PrivacyOverride.objects.get(
            article=article, kind=hit.kind, value_hash=hit.digest
        )
    audit_record(
        actor=by,
        action=AuditEntry.Action.OVERRIDE,
        target=article,
        request=request,
        label=article.title[:200],
        # The masked value and where it stands; never the value itself.
        detail=f"{hit.kind_label} {hit.masked} · {hit.place}",
        reason=reason,
    )
    return override


@transaction.atomic
def privacy_override(*, article: Article, hit, reason: str, by, request=None):
    """Let one gate hit of ``article`` be published, for a written reason. It
    holds for the same value in the same article only; the override stores the
    masked value and a keyed digest, never the value, and writes an audit row."""
    require(permissions.can_edit_issue(by, article.issue))
    reason = _reason(reason)
    current = privacy.article_hits(
        article, privacy.identifiers_for_city(article.issue.publication.city_id)
    )
    if privacy.find_hit(current, hit.key) is None:
        raise ValidationError(_("这处内容已经不在文章中，无需放行。请刷新页面。"))
    return _record_override(
        article=article, hit=hit, reason=reason, by=by, request=request
    )


def check_before_write(
    *, article, photos, by, override_reason="", request=None, ids=None
):
    """For a correction of a published issue: the gate on the article as it will
    be (``article`` unsaved, ``photos`` the photos it will have). Hits without
    an override block the write, unless ``override_reason`` is given: then each
    is overridden with it (and recorded). ``ids``: the city's identifiers, when
    the caller has read them."""
    if ids is None:
        ids = privacy.identifiers_for_city(article.issue.publication.city_id)
    hits = privacy.article_hits(
        article, ids, photos=photos, overrides=privacy.overrides_for([article])
    )
    blocking = privacy.blocking(hits)
    if not blocking:
        return
    if not (override_reason or "").strip():
        raise PrivacyBlocked(blocking)
    reason = _reason(override_reason)
    for hit in blocking:
        _record_override(
            article=article, hit=hit, reason=reason, by=by, request=request
        )
