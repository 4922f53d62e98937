"""What the editorial work leaves behind: privacy-gate overrides and corrections
of published issues. Both are written only by newsletter/services/."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .articles import Article
from .issues import Issue


class PrivacyOverride(models.Model):
    """An editor's decision that one hit of the privacy gate may be published.

    It holds only for the same value in the same article: the raw value is never
    stored, only its masked form (for people to read) and a keyed hash (to
    recognise the same value again; newsletter/privacy/scan.py, ``value_digest``)."""

    class Kind(models.TextChoices):
        NAME = "name", _("姓名")
        ID_NUMBER = "id_number", _("身份证号")
        ID_SHAPED = "id_shaped", _("疑似身份证号")
        PHONE = "phone", _("电话号码")
        MOBILE = "mobile", _("疑似手机号码")
        ADDRESS = "address", _("家庭住址")
        PHOTO = "photo", _("照片未确认同意")

    article = models.ForeignKey(
        Article,
        verbose_name=_("文章"),
        on_delete=models.CASCADE,
        related_name="privacy_overrides",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    value_hash = models.CharField(_("值的散列"), max_length=64)
    masked = models.CharField(_("脱敏值"), max_length=60)
    reason = models.TextField(_("理由"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("隐私检查放行记录")
        verbose_name_plural = _("隐私检查放行记录")
        ordering = ["article_id", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "kind", "value_hash"],
                name="privacy_override_once",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.masked}"


class IssueCorrection(models.Model):
    """One correction of a published issue: who, when, why, and what."""

    issue = models.ForeignKey(
        Issue,
        verbose_name=_("期"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("文章"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrections",
    )
    article_title = models.CharField(_("文章标题"), max_length=200, blank=True)
    summary = models.CharField(_("更正内容"), max_length=200, blank=True)
    reason = models.TextField(_("更正理由"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("更正时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("更正记录")
        verbose_name_plural = _("更正记录")
        ordering = ["issue_id", "at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.article_title or self.issue}"


class PrivacyFinding(models.Model):
    """What ``privacy_sweep`` found in a published issue: a value the gate
    would have stopped, in an article or in the issue's own texts, waiting for
    an editor to withdraw the article, hide the value, or judge that it may
    stay. Like an override it holds only the masked value, a masked context and
    the keyed digest; a finding judged to stay is not reported again."""

    class Resolution(models.TextChoices):
        WITHDRAWN = "withdrawn", _("已撤下文章")
        HIDDEN = "hidden", _("已隐去")
        KEPT = "kept", _("判断可以公开")
        GONE = "gone", _("文字已修改")

    issue = models.ForeignKey(
        Issue,
        verbose_name=_("期"),
        on_delete=models.CASCADE,
        related_name="privacy_findings",
    )
    # Kept when the article is withdrawn: the finding then records why.
    article = models.ForeignKey(
        Article,
        verbose_name=_("文章"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="privacy_findings",
    )
    article_title = models.CharField(_("文章标题（脱敏）"), max_length=200, blank=True)
    where = models.CharField(_("位置"), max_length=12)
    index = models.PositiveIntegerField(_("序号"), default=0)
    place = models.CharField(_("位置说明"), max_length=100)
    kind = models.CharField(
        _("类型"), max_length=10, choices=PrivacyOverride.Kind.choices
    )
    masked = models.CharField(_("脱敏值"), max_length=60)
    context = models.CharField(_("上下文（脱敏）"), max_length=200, blank=True)
    value_hash = models.CharField(_("值的散列"), max_length=64)
    found_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    resolution = models.CharField(
        _("处理结果"), max_length=10, choices=Resolution.choices, blank=True
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("隐私复查发现")
        verbose_name_plural = _("隐私复查发现")
        ordering = ["issue_id", "pk"]
        indexes = [
            models.Index(
                fields=["issue", "resolution"], name="privacy_finding_issue_idx"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.masked}"

    @property
    def is_open(self) -> bool:
        return not self.resolution

    @property
    def key(self) -> tuple:
        """What makes two sweeps' findings the same: the place and the value."""
        return (
            self.issue_id,
            self.article_id,
            self.where,
            self.index,
            self.kind,
            self.value_hash,
        )

    @property
    def is_number(self) -> bool:
        return self.kind not in (
            PrivacyOverride.Kind.NAME,
            PrivacyOverride.Kind.PHOTO,
        )
