"""Trainings of social workers (the seed's city training series): sessions, who
attended each, hours. The figures are computed from attendance, never typed."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import WITHIN_A_YEAR, DatesInRange
from stations.models import City, County, SocialWorker


class Training(models.Model):
    title = models.CharField(_("培训名称"), max_length=120)
    city = models.ForeignKey(City, verbose_name=_("主办市"), on_delete=models.PROTECT)
    county = models.ForeignKey(
        County,
        verbose_name=_("主办县（市、区）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("县区民政局主办时填写；市民政局主办时留空。"),
    )
    place = models.CharField(_("地点"), max_length=100, blank=True)
    description = models.TextField(_("简介"), blank=True)
    report = models.ForeignKey(
        "activities.ActivityReport",
        verbose_name=_("相关活动报告"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
    )

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities_staff:training", args=[self.pk])


class TrainingSession(DatesInRange, models.Model):
    training = models.ForeignKey(
        Training,
        verbose_name=_("培训"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    date = models.DateField(_("日期"))
    topic = models.CharField(_("课程主题"), max_length=120)
    teacher = models.CharField(_("授课人"), max_length=100, blank=True)
    hours = models.DecimalField(_("学时（小时）"), max_digits=5, decimal_places=1)
    attendees = models.ManyToManyField(
        SocialWorker,
        verbose_name=_("参训社工"),
        through="TrainingAttendance",
        related_name="training_sessions",
        blank=True,
    )

    # Sessions are planned ahead, a year at most.
    date_ranges = {"date": WITHIN_A_YEAR}

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["training", "date", "pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("培训课程"), on_delete=models.CASCADE
    )
    worker = models.ForeignKey(
        SocialWorker, verbose_name=_("社工"), on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("培训签到")
        verbose_name_plural = _("培训签到")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "worker"], name="attendance_unique"
            )
        ]

    def __str__(self):
        return f"{self.worker} @ {self.session}"
