"""Cases (个案): case work with one beneficiary, run by a worker of the station that
keeps the file. Notes are append-only: a note is never edited, a correction is a
new note. Referrals go to a partner from the editable list or to a named body."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities.models.lists import Partner
from beneficiaries.models.files import Beneficiary
from core.dates import PAST, DatesInRange
from stations.models import SocialWorker


class CaseNotesAppendOnly(Exception):
    """Raised on any attempt to change or delete a case note."""


class Case(DatesInRange, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("已开案")
        IN_PROGRESS = "in_progress", _("服务中")
        CLOSED = "closed", _("已结案")

    # The case follows its beneficiary: the keeping station is the file's station,
    # so a transferred file takes its cases along instead of leaving them behind.
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("服务对象"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    title = models.CharField(_("个案名称"), max_length=100)
    worker = models.ForeignKey(
        SocialWorker,
        verbose_name=_("负责社工"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("开案日期"), default=datetime.date.today)
    assessment = models.TextField(_("需求评估"), blank=True)
    goals = models.TextField(_("服务目标"), blank=True)
    plan = models.TextField(_("服务计划"), blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    closing_summary = models.TextField(_("结案小结"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开案人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    date_ranges = {"opened_on": PAST, "closed_on": PAST}

    class Meta:
        db_table = "activities_case"
        verbose_name = _("个案")
        verbose_name_plural = _("个案")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="case_closed_has_summary",
                condition=~Q(status="closed")
                | (Q(closed_on__isnull=False) & ~Q(closing_summary="")),
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "status"], name="case_caseload_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("beneficiaries_staff:case", args=[self.pk])

    def clean(self):
        errors = {}
        if self.status == self.Status.CLOSED:
            if not self.closed_on:
                errors["closed_on"] = _("结案时请填写结案日期。")
            if not self.closing_summary.strip():
                errors["closing_summary"] = _("结案时请填写结案小结。")
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = _("结案日期不能早于开案日期。")
        if (
            self.worker_id
            and self.beneficiary_id
            and self.worker.station_id != self.beneficiary.station_id
        ):
            errors["worker"] = _("负责社工必须是建档社工站的社工。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CaseNoteQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise CaseNotesAppendOnly("case notes cannot be changed")

    def delete(self):
        raise CaseNotesAppendOnly("case notes cannot be deleted")


class CaseNote(DatesInRange, models.Model):
    case = models.ForeignKey(
        Case,
        verbose_name=_("个案"),
        on_delete=models.PROTECT,
        related_name="notes",
    )
    date = models.DateField(_("服务日期"), default=datetime.date.today)
    text = models.TextField(_("记录内容"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text=_("这条记录更正此前的哪一条；原记录保留不变。"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Kept as text so the note still says who wrote it after the account is gone.
    author_name = models.CharField(_("记录人姓名"), max_length=150, blank=True)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    date_ranges = {"date": PAST}

    objects = CaseNoteQuerySet.as_manager()

    class Meta:
        db_table = "activities_casenote"
        verbose_name = _("个案记录")
        verbose_name_plural = _("个案记录")
        ordering = ["case", "at", "pk"]

    def __str__(self):
        return f"{self.date} {self.author_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise CaseNotesAppendOnly("case notes cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise CaseNotesAppendOnly("case notes cannot be deleted")

    def clean(self):
        if self.corrects_id and self.case_id and self.corrects.case_id != self.case_id:
            raise ValidationError({"corrects": _("只能更正本个案的记录。")})


class Referral(DatesInRange, models.Model):
    case = models.ForeignKey(
        Case,
        verbose_name=_("个案"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    referred_on = models.DateField(_("转介日期"), default=datetime.date.today)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("转介单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partner_other = models.CharField(
        _("其他转介单位"),
        max_length=100,
        blank=True,
        help_text=_("不在列表中时填写单位名称。"),
    )
    purpose = models.TextField(_("转介事由"))
    outcome = models.TextField(_("转介结果"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转介人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    date_ranges = {"referred_on": PAST}

    class Meta:
        db_table = "activities_referral"
        verbose_name = _("转介记录")
        verbose_name_plural = _("转介记录")
        ordering = ["case", "referred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="referral_has_one_partner",
                condition=(Q(partner__isnull=False) & Q(partner_other=""))
                | (Q(partner__isnull=True) & ~Q(partner_other="")),
            )
        ]

    def __str__(self):
        return self.partner_name

    @property
    def partner_name(self) -> str:
        return self.partner.name if self.partner_id else self.partner_other

    def clean(self):
        self.partner_other = self.partner_other.strip()
        if self.partner_id and self.partner_other:
            raise ValidationError(
                {"partner_other": _("请在列表中选择单位或填写其他单位，只选一项。")}
            )
        if not self.partner_id and not self.partner_other:
            raise ValidationError({"partner": _("请选择转介单位或填写其他单位。")})
