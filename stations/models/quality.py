"""How stations are held to standard: the six-standard check (六有) and
supervision visits with their follow-up items."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import PAST, WITHIN_TEN_YEARS, DatesInRange

from .org import Station


class Standard(models.TextChoices):
    """The six station standards, in the order the bureau lists them."""

    PREMISES = "premises", _("有场地")
    EQUIPMENT = "equipment", _("有设备")
    STAFF = "staff", _("有人员")
    SERVICES = "services", _("有服务功能")
    PROCESS = "process", _("有工作流程")
    RULES = "rules", _("有规章制度")


class StandardsCheck(DatesInRange, models.Model):
    station = models.ForeignKey(
        Station,
        verbose_name=_("社工站"),
        on_delete=models.CASCADE,
        related_name="standards_checks",
    )
    checked_on = models.DateField(_("检查日期"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("总体意见"), blank=True)

    date_ranges = {"checked_on": PAST}

    class Meta:
        verbose_name = _("“六有”检查")
        verbose_name_plural = _("“六有”检查")
        ordering = ["station", "-checked_on", "-pk"]
        get_latest_by = "checked_on"

    def __str__(self):
        return f"{self.station} {self.checked_on:%Y-%m-%d}"


class StandardsCheckItem(models.Model):
    check_record = models.ForeignKey(
        StandardsCheck,
        verbose_name=_("检查"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    standard = models.CharField(_("标准"), max_length=12, choices=Standard.choices)
    met = models.BooleanField(_("达标"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    evidence_photo = models.ImageField(
        _("佐证照片"), upload_to="standards/%Y/%m/", null=True, blank=True
    )

    class Meta:
        verbose_name = _("“六有”检查项")
        verbose_name_plural = _("“六有”检查项")
        ordering = ["check_record", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["check_record", "standard"], name="standards_item_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_standard_display()}：{'达标' if self.met else '未达标'}"


class SupervisionVisit(DatesInRange, models.Model):
    station = models.ForeignKey(
        Station,
        verbose_name=_("社工站"),
        on_delete=models.CASCADE,
        related_name="supervision_visits",
    )
    visited_on = models.DateField(_("督导日期"))
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督导人员"),
        blank=True,
        related_name="+",
    )
    other_participants = models.CharField(
        _("其他参加人员"),
        max_length=300,
        blank=True,
        help_text=_("如县民政局分管领导、业务股室。"),
    )
    findings = models.TextField(_("发现的问题"), blank=True)
    requirements = models.TextField(_("提出的要求"), blank=True)

    date_ranges = {"visited_on": PAST}

    class Meta:
        verbose_name = _("督导走访")
        verbose_name_plural = _("督导走访")
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"{self.station} {self.visited_on:%Y-%m-%d}"


class FollowUpItem(DatesInRange, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        DONE = "done", _("已完成")

    visit = models.ForeignKey(
        SupervisionVisit,
        verbose_name=_("督导走访"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    description = models.CharField(_("整改事项"), max_length=300)
    due_on = models.DateField(_("完成期限"))
    status = models.CharField(
        _("状态"), max_length=4, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # The due date whose arrival was notified (followups_notify_due): told once,
    # and again only if the date is moved later.
    due_notified_for = models.DateField(_("已提醒的到期日"), null=True, editable=False)

    date_ranges = {"due_on": WITHIN_TEN_YEARS, "done_on": PAST}

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description

    @property
    def is_overdue(self):
        # Derived rather than stored, so it never goes stale.
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()
