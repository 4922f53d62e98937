"""Social workers, role assignments that give scope, and commendations."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import HIRE, DatesInRange

from .org import City, County, Station, phone_validator


class SocialWorker(DatesInRange, models.Model):
    """A 双百 social worker. The login account is optional: a station's staff list
    is imported before accounts are issued, and an account is linked later."""

    class Gender(models.TextChoices):
        MALE = "男", _("男")
        FEMALE = "女", _("女")

    class PostType(models.TextChoices):
        ADMINISTRATIVE = "事务性", _("事务性岗位")
        SERVICE = "服务性", _("服务性岗位")

    class Qualification(models.TextChoices):
        NONE = "无", _("无")
        ASSISTANT = "助理社会工作师", _("助理社会工作师")
        SOCIAL_WORKER = "社会工作师", _("社会工作师")
        SENIOR = "高级社会工作师", _("高级社会工作师")

    class Status(models.TextChoices):
        ACTIVE = "在岗", _("在岗")
        LEAVE = "休假", _("休假")
        LEFT = "离岗", _("离岗")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_worker",
    )
    real_name = models.CharField(_("姓名"), max_length=30)
    gender = models.CharField(_("性别"), max_length=2, choices=Gender.choices)
    post_type = models.CharField(_("岗位类型"), max_length=4, choices=PostType.choices)
    qualification = models.CharField(
        _("职业资格"),
        max_length=8,
        choices=Qualification.choices,
        default=Qualification.NONE,
    )
    hire_date = models.DateField(_("入职日期"), null=True, blank=True)
    station = models.ForeignKey(
        Station,
        verbose_name=_("所属社工站"),
        on_delete=models.PROTECT,
        related_name="workers",
        null=True,
        blank=True,
        help_text=_("县、市督导等不属于某个社工站的人员可留空。"),
    )
    phone = models.CharField(
        _("手机号"), max_length=20, blank=True, validators=[phone_validator]
    )
    status = models.CharField(
        _("状态"), max_length=4, choices=Status.choices, default=Status.ACTIVE
    )

    date_ranges = {"hire_date": HIRE}

    class Meta:
        verbose_name = _("社工")
        verbose_name_plural = _("社工")
        ordering = ["station", "real_name"]
        constraints = [
            # The import screens identify a worker by station and name.
            models.UniqueConstraint(
                fields=["station", "real_name"], name="worker_unique_name"
            )
        ]

    def __str__(self):
        return self.real_name


class Role(models.TextChoices):
    CITY_EDITOR = "city_editor", _("市级编辑")
    COUNTY_REVIEWER = "county_reviewer", _("县区审核员")
    SUPERVISOR = "supervisor", _("社工督导")
    STATION_HEAD = "station_head", _("站长")
    DEPUTY_HEAD = "deputy_head", _("副站长")
    SOCIAL_WORKER = "social_worker", _("社工")


# Which level of org unit each role is scoped to. A supervisor may be assigned a
# whole county or single stations (DESIGN.md §4: "assigned stations").
ROLE_SCOPE_LEVELS = {
    Role.CITY_EDITOR: {"city"},
    Role.COUNTY_REVIEWER: {"county"},
    Role.SUPERVISOR: {"county", "station"},
    Role.STATION_HEAD: {"station"},
    Role.DEPUTY_HEAD: {"station"},
    Role.SOCIAL_WORKER: {"station"},
}
SCOPE_LEVEL_LABELS = {
    "city": _("市"),
    "county": _("县（市、区）"),
    "station": _("社工站"),
}


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    city = models.ForeignKey(
        City, verbose_name=_("市"), on_delete=models.CASCADE, null=True, blank=True
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("县（市、区）"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("社工站"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授权人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                name="role_exactly_one_scope",
                condition=(
                    Q(city__isnull=False, county__isnull=True, station__isnull=True)
                    | Q(city__isnull=True, county__isnull=False, station__isnull=True)
                    | Q(city__isnull=True, county__isnull=True, station__isnull=False)
                ),
            ),
            # One constraint per scope level: SQLite cannot treat NULLs as equal
            # in a single unique constraint over all three columns.
            models.UniqueConstraint(
                fields=["user", "role", "city"],
                condition=Q(city__isnull=False),
                name="role_unique_city",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "county"],
                condition=Q(county__isnull=False),
                name="role_unique_county",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "station"],
                condition=Q(station__isnull=False),
                name="role_unique_station",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} · {self.scope_unit}"

    @property
    def scope_level(self):
        if self.city_id:
            return "city"
        if self.county_id:
            return "county"
        if self.station_id:
            return "station"
        return None

    @property
    def scope_unit(self):
        return self.city or self.county or self.station

    def clean(self):
        level = self.scope_level
        if level is None:
            raise ValidationError(
                _("请选择且只选择一个范围：市、县（市、区）或社工站。")
            )
        if [self.city_id, self.county_id, self.station_id].count(None) != 2:
            raise ValidationError(
                _("请选择且只选择一个范围：市、县（市、区）或社工站。")
            )
        allowed = ROLE_SCOPE_LEVELS.get(self.role, set())
        if level not in allowed:
            labels = "、".join(str(SCOPE_LEVEL_LABELS[x]) for x in sorted(allowed))
            raise ValidationError(
                _("“%(role)s”只能授权到：%(levels)s。")
                % {"role": self.get_role_display(), "levels": labels}
            )


class Commendation(models.Model):
    worker = models.ForeignKey(
        SocialWorker,
        verbose_name=_("社工"),
        on_delete=models.CASCADE,
        related_name="commendations",
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("荣誉"), max_length=40, default="优秀社工")
    awarded_by = models.CharField(_("授予单位"), max_length=60, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-year", "worker"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year", "title"], name="commendation_unique"
            )
        ]

    def __str__(self):
        return f"{self.year}年度{self.title}：{self.worker}"
