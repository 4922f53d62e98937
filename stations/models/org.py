"""The administrative divisions and the station network built on them.

City → County → Town → Station (one per town) → ServicePoint, and Town → Village.
Divisions are reference data loaded from a file and editable, never hard-coded.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import PAST, DatesInRange
from core.notifications import RobotTarget, validate_webhook

division_code_validator = RegexValidator(
    r"^\d{6}$", _("行政区划代码应为 6 位数字，例如 445302。")
)
phone_validator = RegexValidator(
    r"^[0-9+\-() ]{5,20}$", _("电话号码只能包含数字、空格和 + - ( )。")
)


class GroupRobot(models.Model):
    """A bureau's group robot (企业微信 or 钉钉): where the portal posts the
    notifications about the bureau's unit (stations.selectors.robots_for). The
    URL must be the vendor's own webhook address (core/notifications/robots.py)
    unless NOTIFICATIONS_ALLOW_LOCAL_ROBOTS is on."""

    class RobotKind(models.TextChoices):
        NONE = "", _("不推送")
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    robot_kind = models.CharField(
        _("群机器人"), max_length=10, choices=RobotKind.choices, blank=True
    )
    robot_webhook = models.CharField(
        _("机器人 Webhook 地址"),
        max_length=500,
        blank=True,
        help_text=_(
            "在群设置里添加机器人后复制的地址，如 "
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… 或 "
            "https://oapi.dingtalk.com/robot/send?access_token=…"
        ),
    )
    robot_secret = models.CharField(
        _("钉钉加签密钥"),
        max_length=200,
        blank=True,
        help_text=_(
            "钉钉机器人的安全设置选了“加签”时填写（以 SEC 开头）；企业微信不用填。"
        ),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.robot_webhook = (self.robot_webhook or "").strip()
        self.robot_secret = (self.robot_secret or "").strip()
        if not self.robot_kind:
            return
        if not self.robot_webhook:
            raise ValidationError(
                {"robot_webhook": _("选择了群机器人，请填写它的 Webhook 地址。")}
            )
        try:
            validate_webhook(self.robot_kind, self.robot_webhook)
        except ValidationError as exc:
            raise ValidationError({"robot_webhook": exc.messages}) from None
        if self.robot_secret and self.robot_kind != self.RobotKind.DINGTALK:
            raise ValidationError(
                {"robot_secret": _("只有钉钉机器人使用加签密钥，企业微信请留空。")}
            )

    @property
    def robot(self):
        """The robot as a ``RobotTarget``, or None when none is configured."""
        if not self.robot_kind or not self.robot_webhook:
            return None
        return RobotTarget(self.robot_kind, self.robot_webhook, self.robot_secret)


class City(GroupRobot):
    province = models.CharField(_("省"), max_length=20, default="广东省")
    name = models.CharField(_("市名称"), max_length=30)
    code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        unique=True,
        validators=[division_code_validator],
    )

    class Meta:
        verbose_name = _("市")
        verbose_name_plural = _("市")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"], name="city_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class County(GroupRobot):
    class Kind(models.TextChoices):
        DISTRICT = "区", _("区")
        COUNTY = "县", _("县")
        COUNTY_CITY = "县级市", _("县级市")

    city = models.ForeignKey(
        City,
        verbose_name=_("所属市"),
        on_delete=models.PROTECT,
        related_name="counties",
    )
    name = models.CharField(_("名称"), max_length=30)
    code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        unique=True,
        validators=[division_code_validator],
    )
    kind = models.CharField(_("类型"), max_length=6, choices=Kind.choices)
    short_name = models.CharField(
        _("简称"), max_length=10, help_text=_("如“云安”，用于标题和名称匹配。")
    )
    aliases = models.CharField(
        _("别名"),
        max_length=200,
        blank=True,
        help_text=_("用顿号或逗号分隔，如“云安民政”；导入往期简报时用于匹配。"),
    )
    display_order = models.PositiveSmallIntegerField(_("显示顺序"), default=0)

    class Meta:
        verbose_name = _("县（市、区）")
        verbose_name_plural = _("县（市、区）")
        ordering = ["city__code", "display_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="county_unique_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stations:directory") + f"#county-{self.pk}"


class Town(models.Model):
    class Kind(models.TextChoices):
        TOWN = "镇", _("镇")
        STREET = "街道", _("街道")

    county = models.ForeignKey(
        County,
        verbose_name=_("所属县（市、区）"),
        on_delete=models.PROTECT,
        related_name="towns",
    )
    name = models.CharField(_("名称"), max_length=30)
    kind = models.CharField(_("类型"), max_length=4, choices=Kind.choices)
    display_order = models.PositiveSmallIntegerField(_("显示顺序"), default=0)

    class Meta:
        verbose_name = _("镇（街道）")
        verbose_name_plural = _("镇（街道）")
        ordering = ["county__display_order", "display_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="town_unique_name")
        ]

    def __str__(self):
        return f"{self.county.name}{self.name}"


class Village(models.Model):
    class Kind(models.TextChoices):
        VILLAGE = "村", _("村")
        COMMUNITY = "社区", _("社区")

    town = models.ForeignKey(
        Town,
        verbose_name=_("所属镇（街道）"),
        on_delete=models.PROTECT,
        related_name="villages",
    )
    name = models.CharField(_("名称"), max_length=30)
    kind = models.CharField(
        _("类型"), max_length=4, choices=Kind.choices, default=Kind.VILLAGE
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("村（居）")
        verbose_name_plural = _("村（居）")
        ordering = ["town", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="village_unique_name")
        ]

    def __str__(self):
        return self.name


class StationQuerySet(models.QuerySet):
    def with_place(self):
        return self.select_related("town__county__city")


class Station(DatesInRange, models.Model):
    town = models.OneToOneField(
        Town,
        verbose_name=_("所在镇（街道）"),
        on_delete=models.PROTECT,
        related_name="station",
    )
    name = models.CharField(
        _("名称"), max_length=60, blank=True, help_text=_("留空时使用“镇名+社工站”。")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(
        _("联系电话"), max_length=20, blank=True, validators=[phone_validator]
    )
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    publish_head_name = models.BooleanField(
        _("公开站长姓名"),
        default=False,
        help_text=_("勾选后，公开的站点页面显示站长姓名；不显示任何其他个人信息。"),
    )

    date_ranges = {"opened_on": PAST}

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("社工站")
        verbose_name_plural = _("社工站")
        ordering = [
            "town__county__city__code",
            "town__county__display_order",
            "town__display_order",
        ]

    def __str__(self):
        return self.name or f"{self.town.name}社工站"

    def save(self, *args, **kwargs):
        if not self.name and self.town_id:
            self.name = f"{self.town.name}社工站"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("stations:station", args=[self.pk])

    @property
    def full_name(self):
        """The name a newsletter title uses: 罗定市泗纶镇社工站."""
        return f"{self.town.county.name}{self}"

    @property
    def county(self):
        return self.town.county

    @property
    def city(self):
        return self.town.county.city


class ServicePoint(DatesInRange, models.Model):
    station = models.ForeignKey(
        Station,
        verbose_name=_("所属社工站"),
        on_delete=models.CASCADE,
        related_name="points",
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("所在村（居）"),
        on_delete=models.PROTECT,
        related_name="points",
    )
    name = models.CharField(_("名称"), max_length=60, help_text=_("如“夏卢服务点”。"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)

    date_ranges = {"opened_on": PAST}

    class Meta:
        verbose_name = _("社工点")
        verbose_name_plural = _("社工点")
        ordering = ["station", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"], name="point_unique_name"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.station_id
            and self.village_id
            and self.village.town_id != self.station.town_id
        ):
            raise ValidationError(
                {"village": _("社工点所在的村（居）必须属于本站所在的镇（街道）。")}
            )
