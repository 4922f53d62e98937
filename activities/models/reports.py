"""Activity reports: what a station, a county bureau or the city bureau did, with
its counts, body and photos, and the review history that leads to publication."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import PAST, DatesInRange
from stations.models import City, County, Station, Town, Village

from .lists import ActivityKind, BeneficiaryCategory, Partner


class Level(models.TextChoices):
    """Who filed the report; it decides the newsletter section it feeds."""

    STATION = "station", _("社工站")
    COUNTY = "county", _("县（市、区）民政局")
    CITY = "city", _("市民政局")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")


# A short body line that is a numbered subheading: 一、广泛宣传强意识 / （二）… /
# 1.开展法律法规宣传 / "义剪"——用剪刀剪去长者们的忧愁
SUBHEADING_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.．、]|[“\"][^”\"]{1,8}[”\"]——)\S"
)
# A body line that places photo N: [照片2] or 【照片2】
PHOTO_MARKER_RE = re.compile(r"^\s*[\[【]照片\s*(\d+)\s*[\]】]\s*$")


class ActivityReport(DatesInRange, models.Model):
    level = models.CharField(_("填报层级"), max_length=8, choices=Level.choices)
    city = models.ForeignKey(
        City, verbose_name=_("市"), on_delete=models.PROTECT, related_name="reports"
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("县（市、区）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("社工站"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )

    title = models.CharField(_("标题"), max_length=120)
    subtitle = models.CharField(_("副标题"), max_length=120, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    town = models.ForeignKey(
        Town,
        verbose_name=_("地点：镇（街道）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("地点：村（居）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place_text = models.CharField(
        _("地点（其他）"),
        max_length=100,
        blank=True,
        help_text=_("不在某个村（居）时填写，如“云浮市委党校”。"),
    )
    villages_reached = models.ManyToManyField(
        Village,
        verbose_name=_("覆盖的村（居）"),
        blank=True,
        related_name="reports_reaching",
        help_text=_("活动走访或覆盖的全部村（居），用于统计覆盖率。"),
    )

    kind = models.ForeignKey(
        ActivityKind,
        verbose_name=_("活动类型"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    categories = models.ManyToManyField(
        BeneficiaryCategory,
        verbose_name=_("服务对象类别"),
        blank=True,
        related_name="+",
    )
    partners = models.ManyToManyField(
        Partner, verbose_name=_("合作单位"), blank=True, related_name="+"
    )
    other_partners = models.CharField(
        _("其他合作单位"),
        max_length=200,
        blank=True,
        help_text=_("不在列表中的，用顿号分隔。"),
    )

    # The counts are kept apart and never added to each other (DESIGN.md §2).
    person_times = models.PositiveIntegerField(_("服务人次"), null=True, blank=True)
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    persons = models.PositiveIntegerField(_("人数"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("志愿者人数"), null=True, blank=True)
    service_hours = models.DecimalField(
        _("服务时长（小时）"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100000)],
    )

    body = models.TextField(
        _("正文"),
        blank=True,
        help_text=_(
            "每段一行；“一、”“（二）”开头的行是小标题；单独一行写“[照片1]”把第 1 张照片放在这里。"
        ),
    )
    project = models.ForeignKey(
        "activities.Project",
        verbose_name=_("所属项目"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )

    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set by the newsletter when an issue with an article made from this report is
    # published; from then on the approval can no longer be withdrawn.
    published_at = models.DateTimeField(_("见刊时间"), null=True, blank=True)
    # Drawn by the form when it is opened (or by the phone's offline queue when it
    # writes the report): the same key sent again by the same author finds the
    # report already made instead of making a second one.
    client_key = models.UUIDField(_("提交标识"), null=True, blank=True, editable=False)

    date_ranges = {"start_date": PAST, "end_date": PAST}

    class Meta:
        verbose_name = _("活动报告")
        verbose_name_plural = _("活动报告")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="report_level_matches_unit",
                condition=(
                    Q(level="station", station__isnull=False, county__isnull=False)
                    | Q(level="county", station__isnull=True, county__isnull=False)
                    | Q(level="city", station__isnull=True, county__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="report_dates_in_order",
                condition=Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
            ),
            models.UniqueConstraint(
                fields=["author", "client_key"],
                condition=Q(client_key__isnull=False),
                name="report_client_key_once_per_author",
            ),
        ]
        indexes = [
            # The review queue: a county's (or city's) submitted reports, oldest first.
            models.Index(
                fields=["status", "county", "submitted_at"], name="report_queue_idx"
            ),
            models.Index(fields=["station", "status"], name="report_station_idx"),
            # The report list of a county reviewer and of a city editor, newest
            # activity first (selectors.report_list): the page's 30 rows are read
            # from the index instead of sorting all the unit's reports. EXPLAIN
            # ANALYZE at full scale (990,030 reports, bench/scale_staff.py): a
            # county of 12,682 reports 168 ms -> 1.0 ms; a city of 38,430
            # (rows' ids) 128 ms -> 0.3 ms.
            models.Index(
                fields=["county", "start_date", "id"], name="report_county_newest_idx"
            ),
            models.Index(
                fields=["city", "start_date", "id"], name="report_city_newest_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities_staff:report", args=[self.pk])

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("结束日期不能早于开始日期。")
        if self.village_id and self.town_id and self.village.town_id != self.town_id:
            errors["village"] = _("所选村（居）不在所选镇（街道）。")
        if self.village_id and not self.town_id:
            self.town_id = self.village.town_id
        if errors:
            raise ValidationError(errors)

    @property
    def unit(self):
        """The org unit that filed the report."""
        return self.station or self.county or self.city

    @property
    def unit_name(self):
        if self.level == Level.STATION:
            return self.station.full_name
        if self.level == Level.COUNTY:
            return f"{self.county.name}民政局"
        return f"{self.city.name}民政局"

    @property
    def is_editable(self):
        return self.status in (Status.DRAFT, Status.RETURNED)

    @property
    def place(self):
        if self.village_id:
            return f"{self.village.town.name}{self.village.name}"
        if self.town_id:
            return self.town.name
        return self.place_text

    def covered_villages(self) -> list:
        """The villages the activity covered: the one it took place in, then those
        listed as reached, each once. The report page and its figure check both
        count these, so the two never disagree (as the statistics count a
        village reached: listed, or held there). Uses ``villages_reached`` as
        prefetched and ``village`` as loaded, each with its town."""
        villages = [self.village] if self.village_id else []
        seen = {self.village_id}
        for village in self.villages_reached.all():
            if village.pk not in seen:
                seen.add(village.pk)
                villages.append(village)
        return villages

    def blocks(self):
        """The body as (kind, value) blocks: ("subheading", text), ("paragraph",
        text) and ("photo", ReportPhoto). Photos not placed in the text follow the
        last paragraph, in their order. Uses ``photos`` as prefetched."""
        photos = list(self.photos.all())
        by_number = {n: photo for n, photo in enumerate(photos, start=1)}
        placed = set()
        blocks = []
        for raw in self.body.splitlines():
            line = raw.strip()
            if not line:
                continue
            marker = PHOTO_MARKER_RE.match(line)
            if marker:
                photo = by_number.get(int(marker.group(1)))
                if photo is not None and photo.pk not in placed:
                    blocks.append(("photo", photo))
                    placed.add(photo.pk)
                continue
            if SUBHEADING_RE.match(line) and len(line) <= 40:
                blocks.append(("subheading", line))
            else:
                blocks.append(("paragraph", line))
        blocks.extend(("photo", p) for p in photos if p.pk not in placed)
        return blocks


def random_jpeg_name(root, folder):
    """A random file name under ``root/folder``: never the name the file was
    uploaded with. Report photos and newsletter photos both name files so."""
    name = uuid.uuid4().hex
    return f"{root}/{folder}/{name[:2]}/{name}.jpg"


def _random_jpeg_name(folder):
    return random_jpeg_name("reports", folder)


def photo_path_thumb(instance, filename):
    return _random_jpeg_name("thumb")


def photo_path_web(instance, filename):
    return _random_jpeg_name("web")


def photo_path_print(instance, filename):
    return _random_jpeg_name("print")


class ReportPhoto(models.Model):
    """A report photo as three renditions made once at upload (activities/photos/).
    The uploaded file itself is not kept: the print rendition, re-encoded without
    EXIF, is the largest copy."""

    report = models.ForeignKey(
        ActivityReport,
        verbose_name=_("活动报告"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    thumb = models.ImageField(_("缩略图"), upload_to=photo_path_thumb)
    web = models.ImageField(_("网页图"), upload_to=photo_path_web)
    print_image = models.ImageField(_("印刷图"), upload_to=photo_path_print)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    sha256 = models.CharField(_("校验值"), max_length=64, db_index=True)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    shows_people = models.BooleanField(_("照片中有可辨认的人"), default=False)
    consent = models.BooleanField(
        _("已取得当事人（或监护人）同意"),
        default=False,
        help_text=_("照片中有可辨认的人时必须勾选。"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["report", "position", "pk"]

    def __str__(self):
        return self.caption or f"照片 {self.pk}"

    def clean(self):
        if self.shows_people and not self.consent:
            raise ValidationError(
                {"consent": _("照片中有可辨认的人，请确认已取得本人或监护人同意。")}
            )


class ReportTransition(models.Model):
    """One step of a report's history: who did what, when, from which status to
    which, and why. Written only by activities/services/reports.py."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        SUBMIT = "submit", _("提交审核")
        APPROVE = "approve", _("审核通过")
        RETURN = "return", _("退回修改")
        WITHDRAW = "withdraw", _("撤回通过")
        COMMENT = "comment", _("评论")

    report = models.ForeignKey(
        ActivityReport,
        verbose_name=_("活动报告"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    from_status = models.CharField(
        _("原状态"), max_length=10, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=10, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
