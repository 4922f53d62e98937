"""Funded projects (公益创投): targets set by the funder, progress computed from
the reports linked to the project, ready to quote in a mid-term summary."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import WITHIN_TEN_YEARS, DatesInRange
from stations.models import Station


class Project(DatesInRange, models.Model):
    title = models.CharField(_("项目名称"), max_length=120)
    funder = models.CharField(
        _("资助方"), max_length=100, help_text=_("如“团市委公益创投”。")
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("承接社工站"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    target_villages = models.PositiveIntegerField(
        _("目标覆盖村（居）数"),
        null=True,
        blank=True,
        help_text=_("留空时按所在镇（街道）的全部村（居）计算。"),
    )
    target_activities = models.PositiveIntegerField(
        _("目标活动场次"), null=True, blank=True
    )
    target_person_times = models.PositiveIntegerField(
        _("目标服务人次"), null=True, blank=True
    )
    target_cases = models.PositiveIntegerField(_("目标个案数"), null=True, blank=True)
    description = models.TextField(_("项目简介"), blank=True)

    # A project is registered when funded, often before it starts.
    date_ranges = {"start_date": WITHIN_TEN_YEARS, "end_date": WITHIN_TEN_YEARS}

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="project_dates_in_order",
                condition=models.Q(end_date__gte=models.F("start_date")),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities_staff:project", args=[self.pk])
