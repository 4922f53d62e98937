"""Public pages set once from a published issue's rows (newsletter/cooking.py
says why and when). Kept in their own tables, so that the lists and joins that
read issues and articles never carry a page of HTML with each row."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .articles import Article
from .issues import Issue


class SetPage(models.Model):
    """What every set page holds: its public ``address`` (the page is read by
    it, from this table alone), the ``stamp`` of the templates and code that
    rendered it, the issue's ``revision`` it was rendered from, the rendered
    blocks of its template, the same for every reader, and the address of its
    share image."""

    address = models.CharField(_("公开地址"), max_length=255, unique=True)
    stamp = models.CharField(_("排版标记"), max_length=32)
    revision = models.PositiveIntegerField(_("所据修订"))
    title = models.TextField(_("标题块"))
    description = models.TextField(_("摘要块"))
    meta = models.TextField(_("页头块"))
    breadcrumbs = models.TextField(_("位置块"))
    content = models.TextField(_("正文块"))
    share_image = models.CharField(_("分享图片地址"), max_length=255, blank=True)
    set_at = models.DateTimeField(_("排定时间"), auto_now=True)

    class Meta:
        abstract = True


class IssuePage(SetPage):
    issue = models.OneToOneField(
        Issue,
        verbose_name=_("期"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="set_page",
    )

    class Meta:
        verbose_name = _("排定的期页面")
        verbose_name_plural = _("排定的期页面")

    def __str__(self):
        return str(self.issue)


class ArticlePage(SetPage):
    article = models.OneToOneField(
        Article,
        verbose_name=_("文章"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="set_page",
    )

    class Meta:
        verbose_name = _("排定的文章页面")
        verbose_name_plural = _("排定的文章页面")

    def __str__(self):
        return str(self.article)
