"""Beneficiary files (建档立卡), their transfers between stations, the visit log
(动态更新档案) and attendance of beneficiaries at reported activities.

The most sensitive data in the system (DESIGN.md §6): ID numbers and phones are
shown only masked, except on the file page to the keeping station after an
explicit, logged action (``file_full`` in beneficiaries/views/files.py)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities.models.lists import BeneficiaryCategory
from core.dates import BIRTH, PAST, WITHIN_TEN_YEARS, DatesInRange
from core.idcard import (
    mask_id_number,
    mask_phone,
    normalize_id_number,
    parse_id_number,
    validate_id_number,
)
from stations.models import SocialWorker, Station, Village
from stations.models.org import phone_validator


class Gender(models.TextChoices):
    MALE = "男", _("男")
    FEMALE = "女", _("女")


class Beneficiary(DatesInRange, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("在册")
        MOVED = "moved", _("已迁出")
        CLOSED = "closed", _("已结档")

    class Living(models.TextChoices):
        WITH_PARENTS = "与父母同住", _("与父母同住")
        GRANDPARENTS = "隔代抚养", _("隔代抚养")
        RELATIVES = "亲属抚养", _("亲属抚养")
        ALONE = "独居", _("独居")
        WITH_SPOUSE = "与配偶同住", _("与配偶同住")
        WITH_CHILDREN = "与子女同住", _("与子女同住")
        INSTITUTION = "机构供养", _("机构供养")
        OTHER = "其他", _("其他")

    station = models.ForeignKey(
        Station,
        verbose_name=_("建档社工站"),
        on_delete=models.PROTECT,
        related_name="beneficiaries",
    )
    name = models.CharField(_("姓名"), max_length=30)
    gender = models.CharField(_("性别"), max_length=2, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = models.CharField(
        _("身份证号"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        help_text=_("18 位居民身份证号；暂无的留空。"),
    )
    phone = models.CharField(
        _("联系电话"), max_length=20, blank=True, validators=[phone_validator]
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("所在村（居）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="beneficiaries",
    )
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    categories = models.ManyToManyField(
        BeneficiaryCategory,
        verbose_name=_("服务对象类别"),
        blank=True,
        related_name="beneficiaries",
    )
    guardian_name = models.CharField(_("监护人姓名"), max_length=30, blank=True)
    guardian_relation = models.CharField(
        _("与监护人关系"), max_length=20, blank=True, help_text=_("如祖母、父亲。")
    )
    guardian_phone = models.CharField(
        _("监护人电话"), max_length=20, blank=True, validators=[phone_validator]
    )
    living_situation = models.CharField(
        _("居住情况"), max_length=10, choices=Living.choices, blank=True
    )
    opened_on = models.DateField(_("建档日期"), default=datetime.date.today)
    status = models.CharField(
        _("档案状态"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(_("迁出或结档原因"), max_length=200, blank=True)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建档人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    date_ranges = {
        "birth_date": BIRTH,
        "opened_on": PAST,
        "status_changed_on": PAST,
    }

    class Meta:
        db_table = "activities_beneficiary"
        verbose_name = _("服务对象档案")
        verbose_name_plural = _("服务对象档案")
        ordering = ["station", "name", "pk"]
        constraints = [
            # A person is transferred between stations, never filed twice.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="beneficiary_unique_id_number",
            ),
            models.CheckConstraint(
                name="beneficiary_closed_has_reason",
                condition=Q(status="active") | ~Q(status_reason=""),
            ),
        ]
        indexes = [
            models.Index(fields=["station", "status"], name="beneficiary_station_idx"),
            models.Index(fields=["name", "birth_date"], name="beneficiary_person_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("beneficiaries_staff:beneficiary", args=[self.pk])

    def fill_from_id_number(self) -> None:
        """Normalise the ID number and take the birth date and gender from it
        when they are blank (before validation, which requires the gender)."""
        self.id_number = normalize_id_number(self.id_number)
        if self.id_number and (self.birth_date is None or not self.gender):
            try:
                facts = parse_id_number(self.id_number)
            except ValidationError:
                return  # clean() reports it
            self.birth_date = self.birth_date or facts.birth_date
            self.gender = self.gender or facts.gender

    def clean(self):
        self.id_number = normalize_id_number(self.id_number)
        errors = {}
        if self.id_number:
            try:
                facts = parse_id_number(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages
            else:
                if self.birth_date is None:
                    self.birth_date = facts.birth_date
                elif self.birth_date != facts.birth_date:
                    errors["birth_date"] = _(
                        "出生日期与身份证号不一致（身份证号显示为 %(date)s）。"
                    ) % {"date": facts.birth_date.isoformat()}
                if not self.gender:
                    self.gender = facts.gender
                elif self.gender != facts.gender:
                    errors["gender"] = _(
                        "性别与身份证号不一致（身份证号第 17 位显示为%(gender)s）。"
                    ) % {"gender": facts.gender}
        if (
            self.village_id
            and self.station_id
            and self.village.town.county_id != self.station.town.county_id
        ):
            errors["village"] = _("所在村（居）不在本社工站所在的县（市、区）。")
        if self.status != self.Status.ACTIVE and not self.status_reason.strip():
            errors["status_reason"] = _("迁出或结档时请填写原因。")
        if errors:
            raise ValidationError(errors)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def guardian_phone_masked(self) -> str:
        return mask_phone(self.guardian_phone)

    @property
    def is_minor(self) -> bool:
        if not self.birth_date:
            return False
        today = datetime.date.today()
        age = today.year - self.birth_date.year
        if (today.month, today.day) < (self.birth_date.month, self.birth_date.day):
            age -= 1
        return age < 18

    @property
    def audit_label(self) -> str:
        """What audit rows call this file: the name and the masked ID, nothing
        that identifies the person beyond what a list shows."""
        masked = self.id_number_masked
        return f"{self.name}（{masked}）" if masked else self.name


class BeneficiaryTransfer(DatesInRange, models.Model):
    """A file moved from one station to another: the history stays with it."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("服务对象"),
        on_delete=models.CASCADE,
        related_name="transfers",
    )
    from_station = models.ForeignKey(
        Station,
        verbose_name=_("转出社工站"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_station = models.ForeignKey(
        Station,
        verbose_name=_("转入社工站"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(_("转移日期"), default=datetime.date.today)
    reason = models.CharField(_("转移原因"), max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("操作时间"), auto_now_add=True)

    date_ranges = {"on": PAST}

    class Meta:
        db_table = "activities_beneficiarytransfer"
        verbose_name = _("档案转移记录")
        verbose_name_plural = _("档案转移记录")
        ordering = ["beneficiary", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="transfer_between_two_stations",
                condition=~Q(from_station=models.F("to_station")),
            )
        ]

    def __str__(self):
        return f"{self.from_station_id} → {self.to_station_id} {self.on}"


class Visit(DatesInRange, models.Model):
    class Kind(models.TextChoices):
        HOME = "home", _("入户走访")
        PHONE = "phone", _("电话")
        OFFICE = "office", _("来站")

    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("服务对象"),
        on_delete=models.CASCADE,
        related_name="visits",
    )
    date = models.DateField(_("日期"), default=datetime.date.today)
    kind = models.CharField(_("方式"), max_length=8, choices=Kind.choices)
    worker = models.ForeignKey(
        SocialWorker,
        verbose_name=_("走访社工"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
    )
    notes = models.TextField(_("走访情况"), blank=True)
    needs_found = models.TextField(_("发现的需求"), blank=True)
    follow_up_due = models.DateField(_("跟进截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    # Drawn by the visit form when it is opened: the phone's offline queue sends
    # a visit again when it cannot tell whether the first send arrived, and the
    # same key from the same person finds the visit already made.
    client_key = models.UUIDField(_("提交标识"), null=True, blank=True, editable=False)

    date_ranges = {"date": PAST, "follow_up_due": WITHIN_TEN_YEARS}

    class Meta:
        db_table = "activities_visit"
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["beneficiary", "-date", "-pk"]
        indexes = [
            models.Index(fields=["beneficiary", "date"], name="visit_latest_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_key"],
                condition=Q(client_key__isnull=False),
                name="visit_client_key_once_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.follow_up_due and self.date and self.follow_up_due < self.date:
            errors["follow_up_due"] = _("跟进截止日期不能早于走访日期。")
        if errors:
            raise ValidationError(errors)


class Attendance(models.Model):
    """A beneficiary took part in a reported activity. Where a report has
    attendance, its unique-person count can be computed from it."""

    report = models.ForeignKey(
        "activities.ActivityReport",
        verbose_name=_("活动报告"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("服务对象"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        db_table = "activities_attendance"
        verbose_name = _("活动参与记录")
        verbose_name_plural = _("活动参与记录")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "beneficiary"], name="report_attendance_unique"
            )
        ]

    def __str__(self):
        return f"{self.beneficiary_id} @ {self.report_id}"
