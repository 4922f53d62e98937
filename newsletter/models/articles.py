"""Articles: the editor's copy of a report (or a piece written from scratch, or
one read from a past issue), and their photos."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityReport, ReportPhoto
from activities.models.reports import random_jpeg_name
from stations.models import County, Station

from ..search.fields import GramsField
from ..search.text import search_columns
from .issues import Issue, Section

# The fields the search columns are made from (Article.save).
SEARCH_SOURCES = frozenset({"title", "subtitle", "body"})


class Article(models.Model):
    issue = models.ForeignKey(
        Issue, verbose_name=_("期"), on_delete=models.CASCADE, related_name="articles"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("栏目"),
        on_delete=models.CASCADE,
        related_name="articles",
    )
    position = models.PositiveSmallIntegerField(_("栏目内顺序"), default=0)
    title = models.CharField(_("标题"), max_length=200)
    subtitle = models.CharField(_("副标题"), max_length=200, blank=True)
    # Sanitised HTML: p, h3, strong, em, br and nothing else
    # (newsletter/rendering.py, body_clean).
    body = models.TextField(_("正文"), blank=True)
    # PROTECT: the article is the published record of the report. A report an
    # article was made from cannot be deleted (nothing in the application deletes
    # reports; this keeps the admin from doing it either), so "what changed from
    # the report" stays answerable for every article.
    source_report = models.ForeignKey(
        ActivityReport,
        verbose_name=_("来源报告"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("所涉县（市、区）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("所涉社工站"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    # The report as it was when the article was made from it, so the editor's
    # changes can be shown as a difference.
    source_title = models.CharField(_("原报告标题"), max_length=200, blank=True)
    source_subtitle = models.CharField(_("原报告副标题"), max_length=200, blank=True)
    source_body = models.TextField(_("原报告正文"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # What the public search reads (newsletter/search/text.py): the body's plain
    # text, and the characters and character pairs of title, subtitle and body.
    # Written by save() only, so they follow every change the services (and the
    # legacy import) make.
    search_text = models.TextField(_("检索用正文"), blank=True, editable=False)
    search_grams = GramsField(_("检索用字词"), blank=True, editable=False)

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["issue_id", "section__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "source_report"],
                condition=Q(source_report__isnull=False),
                name="article_report_once_per_issue",
                violation_error_message=_("这篇报告已经在本期中。"),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not SEARCH_SOURCES.isdisjoint(update_fields):
            self.fill_search_columns()
            if update_fields is not None:
                kwargs["update_fields"] = {
                    *update_fields,
                    "search_text",
                    "search_grams",
                }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        issue = self.issue
        if issue.is_published:
            return reverse("newsletter:article", args=[*issue.public_args(), self.pk])
        return reverse("newsletter_staff:article_edit", args=[self.pk])

    def clean(self):
        if self.section_id and self.issue_id and self.section.issue_id != self.issue_id:
            raise ValidationError({"section": _("栏目不属于本期。")})
        if (
            self.station_id
            and self.county_id
            and self.station.town.county_id != self.county_id
        ):
            raise ValidationError({"station": _("社工站不在所选县（市、区）。")})

    def fill_search_columns(self) -> None:
        """What ``save`` does before writing; ``bulk_create`` callers call it."""
        self.search_text, self.search_grams = search_columns(
            self.title, self.subtitle, self.body
        )

    @property
    def full_title(self) -> str:
        """The title and subtitle as one line, as the table of contents of a
        past issue sometimes gives it: 建立健全…机制——云浮市民政局顺利举办…"""
        if self.subtitle:
            return f"{self.title}——{self.subtitle}"
        return self.title


def _random_jpeg_name(folder):
    return random_jpeg_name("newsletter", folder)


def article_photo_thumb(instance, filename):
    return _random_jpeg_name("thumb")


def article_photo_web(instance, filename):
    return _random_jpeg_name("web")


def article_photo_print(instance, filename):
    return _random_jpeg_name("print")


class ArticlePhoto(models.Model):
    """A photo of an article: a report photo chosen by the editor, or a picture
    with its own renditions (a past issue's Word file), or only a marker such as
    ``[image: image2.png]`` from a past issue's text (``is_missing``)."""

    class Rendition(models.TextChoices):
        THUMB = "thumb", _("缩略图")
        WEB = "web", _("网页图")
        PRINT = "print_image", _("印刷图")

    article = models.ForeignKey(
        Article,
        verbose_name=_("文章"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    # 1-based: the body places photo N with a paragraph "[照片N]".
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    # SET_NULL: a superuser may still delete a photo of an approved report (a
    # repair); the article photo then shows as missing rather than blocking it.
    report_photo = models.ForeignKey(
        ReportPhoto,
        verbose_name=_("报告照片"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="article_photos",
    )
    thumb = models.ImageField(
        _("缩略图"), upload_to=article_photo_thumb, null=True, blank=True
    )
    web = models.ImageField(
        _("网页图"), upload_to=article_photo_web, null=True, blank=True
    )
    print_image = models.ImageField(
        _("印刷图"), upload_to=article_photo_print, null=True, blank=True
    )
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    sha256 = models.CharField(_("校验值"), max_length=64, blank=True)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    shows_people = models.BooleanField(_("照片中有可辨认的人"), default=False)
    consent = models.BooleanField(_("已取得当事人（或监护人）同意"), default=False)
    is_missing = models.BooleanField(
        _("图片缺失"),
        default=False,
        help_text=_(
            "往期文本只留下图片标记、没有图片本身时勾选；说明中保留标记的文件名。"
        ),
    )

    class Meta:
        verbose_name = _("文章照片")
        verbose_name_plural = _("文章照片")
        ordering = ["article_id", "position", "pk"]

    def __str__(self):
        return self.caption or _("照片%(n)s") % {"n": self.position}

    @classmethod
    def of_report_photo(cls, article, position, photo, caption=None):
        """An unsaved photo of ``article`` showing the report's ``photo``, with
        its consent and size; its caption unless another is given."""
        return cls(
            article=article,
            position=position,
            report_photo=photo,
            caption=photo.caption if caption is None else caption,
            shows_people=photo.shows_people,
            consent=photo.consent,
            width=photo.width,
            height=photo.height,
        )

    def rendition(self, kind: str = "web"):
        """The image file to show (``thumb``, ``web`` or ``print_image``): the
        article's own when it has one, else its report photo's; None when there
        is no picture (a marker only, or a report photo since deleted)."""
        own = getattr(self, kind)
        if own:
            return own
        if self.report_photo_id and self.report_photo is not None:
            return getattr(self.report_photo, kind)
        return None

    @property
    def web_file(self):
        return self.rendition("web")

    @property
    def thumb_file(self):
        return self.rendition("thumb")

    @property
    def print_file(self):
        return self.rendition("print_image")

    @property
    def size(self) -> tuple[int, int]:
        if self.width and self.height:
            return self.width, self.height
        photo = self.report_photo if self.report_photo_id else None
        if photo is not None:
            return photo.width, photo.height
        return 0, 0

    @property
    def has_picture(self) -> bool:
        return not self.is_missing and self.web_file is not None

    @property
    def needs_consent(self) -> bool:
        return self.shows_people and not self.consent
