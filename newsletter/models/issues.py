"""Publications and their issues, each issue made of sections (DESIGN.md §7)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import PAST, WITHIN_A_YEAR, DatesInRange
from stations.models import City


class Publication(models.Model):
    """A newsletter such as 云浮民政简报: one per city bureau."""

    name = models.CharField(_("简报名称"), max_length=60)
    slug = models.SlugField(
        _("网址名"), max_length=40, unique=True, help_text=_("用于网址，如 yunfu。")
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("所属市"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    bureau = models.CharField(
        _("编印单位"), max_length=60, help_text=_("如“云浮市民政局”。")
    )
    masthead = models.CharField(
        _("刊头说明"),
        max_length=200,
        blank=True,
        help_text=_("刊名下方的一行小字，可留空。"),
    )
    first_running_number = models.PositiveIntegerField(
        _("起始总期号"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_(
            "本系统发布的第一期的总期号；已导入往期简报时，从往期最大总期号往后排。"
        ),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    # Shown on share previews (og:image) of pages without a photo of their own.
    emblem = models.ImageField(
        _("简报标志"),
        upload_to="newsletter/emblems",
        blank=True,
        help_text=_(
            "分享到微信等处时显示的图片，建议 1200×630 像素；可留空，使用网站默认图片。"
        ),
    )
    # The footer every Chinese government site carries, set per publication:
    # one installation may serve several cities' bureaus.
    sponsor = models.CharField(
        _("主办单位"),
        max_length=100,
        blank=True,
        help_text=_("页脚的主办单位；留空时使用编印单位。"),
    )
    icp_record = models.CharField(
        _("ICP 备案号"),
        max_length=60,
        blank=True,
        help_text=_("如“粤ICP备12345678号”，链接到工业和信息化部备案系统。"),
    )
    police_record = models.CharField(
        _("公安机关备案号"),
        max_length=60,
        blank=True,
        help_text=_(
            "如“粤公网安备44530202000001号”，链接到全国互联网安全管理服务平台。"
        ),
    )
    site_code = models.CharField(
        _("政府网站标识码"),
        max_length=20,
        blank=True,
        help_text=_("如“4453000001”。"),
    )
    contact = models.CharField(
        _("联系方式"),
        max_length=200,
        blank=True,
        help_text=_("页脚的联系电话、电子邮箱或地址。"),
    )

    class Meta:
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        ordering = ["city__code", "name"]

    def __str__(self):
        return self.name


def largest_number_taken(publication, year):
    """The largest number an issue of ``publication`` holds in ``year``, as a
    one-row query of it: published issues, and past issues imported with the
    number they were printed with (drafts the gate held back included). The
    next issue published in that year takes one more; publishing numbers by it
    and a draft is named by it. ``publication`` and ``year`` may be
    expressions of an outer query."""
    return (
        Issue.objects.filter(publication=publication, year=year, number__isnull=False)
        .order_by("-number")
        .values("number")[:1]
    )


def next_number_in_year(publication, year) -> int:
    """The number the next issue of ``publication`` published in ``year`` takes."""
    taken = list(largest_number_taken(publication, year))
    return (taken[0]["number"] if taken else 0) + 1


def next_number_expression(issue_path: str = ""):
    """The number the issue at ``issue_path`` (``""``: the row itself;
    ``"issue__"``: an article's issue) would take if published now, as an
    expression to annotate a query with: next_number_in_year of its
    publication and of the year it would come out (Issue.publishing_year)."""
    year = Coalesce(
        ExtractYear(OuterRef(f"{issue_path}issue_date")),
        Value(timezone.localdate().year),
    )
    taken = largest_number_taken(OuterRef(f"{issue_path}publication"), year)
    return Coalesce(Subquery(taken), 0) + 1


class IssueQuerySet(models.QuerySet):
    def with_next_number(self):
        """Each issue with ``next_number`` (next_number_expression), read in
        the same query: a list of drafts names each without a query a row."""
        return self.annotate(next_number=next_number_expression())


class Issue(DatesInRange, models.Model):
    """One issue. A draft has no number, running number or date yet: publishing
    takes the next ones (newsletter/services/publishing.py). Until then it is
    named by the number it would take if published next in its year and the
    day it was started: 云浮民政简报 2026年第2期（草稿，12月7日）."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    class Source(models.TextChoices):
        ASSEMBLED = "assembled", _("由活动报告组稿")
        WRITTEN = "written", _("编辑撰写")
        IMPORTED = "imported", _("往期导入")

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("简报"),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(
        _("期号"), null=True, blank=True, help_text=_("当年第几期，发布时编定。")
    )
    running_number = models.PositiveIntegerField(
        _("总期号"),
        null=True,
        blank=True,
        help_text=_("总第几期，发布时编定；往期导入时文件没有写的，可以留空。"),
    )
    issue_date = models.DateField(
        _("出刊日期"),
        null=True,
        blank=True,
        help_text=_("留空时，发布当天即为出刊日期。"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    editor_note = models.TextField(_("编者按"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    period_start = models.DateField(_("组稿起始日期"), null=True, blank=True)
    period_end = models.DateField(_("组稿截止日期"), null=True, blank=True)
    source = models.CharField(
        _("来源"), max_length=10, choices=Source.choices, default=Source.ASSEMBLED
    )
    source_name = models.CharField(
        _("导入文件名"), max_length=255, blank=True, help_text=_("往期导入时的文件名。")
    )
    source_checksum = models.CharField(
        _("导入文件校验值"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("导入文件的 SHA-256，用于跳过已导入的文件。"),
    )
    # Counts the corrections and publication changes that make the issue's set
    # public pages (IssuePage, ArticlePage) out of date: a page set from an
    # older revision is never served (newsletter/cooking.py).
    revision = models.PositiveIntegerField(_("修订次数"), default=0, editable=False)

    objects = IssueQuerySet.as_manager()

    # A draft may carry the date it is planned to come out; a period ending in
    # the future takes this month's reports before the month is over.
    date_ranges = {
        "issue_date": WITHIN_A_YEAR,
        "period_start": PAST,
        "period_end": WITHIN_A_YEAR,
    }

    class Meta:
        verbose_name = _("期")
        verbose_name_plural = _("期")
        ordering = ["-year", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "year", "number"],
                condition=Q(number__isnull=False),
                name="issue_unique_number_in_year",
                violation_error_message=_("这一年已经有同一期号的简报。"),
            ),
            models.UniqueConstraint(
                fields=["publication", "running_number"],
                condition=Q(running_number__isnull=False),
                name="issue_unique_running_number",
                violation_error_message=_("已经有同一总期号的简报。"),
            ),
            # A past issue whose file gives no running number is published
            # without one (an editor may add it later); every other published
            # issue has the one publishing gave it.
            models.CheckConstraint(
                name="issue_published_is_numbered",
                condition=Q(status="draft")
                | Q(
                    Q(running_number__isnull=False) | Q(source="imported"),
                    number__isnull=False,
                    issue_date__isnull=False,
                    published_at__isnull=False,
                ),
                violation_error_message=_(
                    "已发布的简报必须有期号、总期号、出刊日期和发布时间。"
                ),
            ),
            models.CheckConstraint(
                name="issue_period_in_order",
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                violation_error_message=_("组稿截止日期不能早于起始日期。"),
            ),
        ]
        indexes = [
            models.Index(
                fields=["publication", "status", "year"], name="issue_pub_status_idx"
            ),
            # Published issues newest first, the order of every public list of
            # articles (selectors.newest_first). With it a search's first page
            # walks the newest issues and stops at 20 hits instead of sorting
            # every match: 儿童 (80% of articles) at 100,000 articles, 1,358 ms
            # (parallel scan of all matches, top-N sort) -> 8.6 ms (index scan
            # of 4 issues, incremental sort). Figures at a million articles in
            # newsletter/search/query.py; bench/search_scale.py measures them.
            models.Index(
                F("issue_date").desc(),
                F("id").desc(),
                condition=Q(status="published"),
                name="issue_published_newest_idx",
            ),
        ]

    def __str__(self):
        return _("%(name)s %(issue)s") % {
            "name": self.publication.name,
            "issue": self.short_name,
        }

    def get_absolute_url(self):
        """The public page of a published issue, the editor's page of a draft."""
        if self.is_published:
            return reverse(
                "newsletter:issue",
                args=[self.publication.slug, self.year, self.number],
            )
        return reverse("newsletter_staff:issue", args=[self.pk])

    def get_date_ranges(self):
        # A past issue read from a file came out on its date: not after today.
        if self.source == self.Source.IMPORTED:
            return {**self.date_ranges, "issue_date": PAST}
        return self.date_ranges

    def clean(self):
        if (
            self.period_start
            and self.period_end
            and self.period_end < self.period_start
        ):
            raise ValidationError({"period_end": _("组稿截止日期不能早于起始日期。")})

    @property
    def short_name(self) -> str:
        """2026年第1期; for a draft, the number it would take if published now
        (a past issue held back by the gate: its own) and the day it was
        started: 2026年第2期（草稿，12月7日）. A draft read without
        ``next_number`` (``Issue.objects.with_next_number``) costs a query the
        first time."""
        if self.number:
            year, number = self.year, self.number
        else:
            year = self.publishing_year
            if getattr(self, "next_number", None) is None:
                self.next_number = next_number_in_year(self.publication_id, year)
            number = self.next_number
        if self.is_published:
            return _("%(year)s年第%(number)s期") % {"year": year, "number": number}
        # A past issue the gate held back keeps the number it was printed with.
        started = timezone.localdate(self.created_at or timezone.now())
        return _("%(year)s年第%(number)s期（草稿，%(month)s月%(day)s日）") % {
            "year": year,
            "number": number,
            "month": started.month,
            "day": started.day,
        }

    @property
    def publishing_year(self) -> int:
        """The year a draft would come out in if published now: its planned
        date's, else this year (issue_publish dates it so)."""
        return (self.issue_date or timezone.localdate()).year

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def number_label(self) -> str:
        """第N期（总第M期）, or 第N期 alone for a past issue whose file gave no
        running number; empty for a draft, which has no number yet."""
        if not self.number:
            return ""
        if self.running_number is None:
            return _("第%(n)s期") % {"n": self.number}
        return _("第%(n)s期（总第%(r)s期）") % {
            "n": self.number,
            "r": self.running_number,
        }

    def public_args(self) -> list:
        return [self.publication.slug, self.year, self.number]


class Section(models.Model):
    """A section (栏目) of an issue. New issues get the three standard ones."""

    class Kind(models.TextChoices):
        CITY = "city", _("市级动态")
        COUNTY = "county", _("县（市、区）动态")
        STATION = "station", _("社工站（点）动态")
        OTHER = "other", _("其他")

    issue = models.ForeignKey(
        Issue, verbose_name=_("期"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("栏目名称"), max_length=40)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    kind = models.CharField(
        _("类别"), max_length=10, choices=Kind.choices, default=Kind.OTHER
    )

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["issue_id", "position", "pk"]

    def __str__(self):
        return self.title


# The standard sections of a new issue, in their order (DESIGN.md §7).
STANDARD_SECTIONS = [
    (Section.Kind.CITY, "市级动态"),
    (Section.Kind.COUNTY, "县（市、区）动态"),
    (Section.Kind.STATION, "社工站（点）动态"),
]
