"""The admin of the newsletter: publications are set up here (name, slug, city,
bureau, first running number; the footer of its public pages and its share
image). Issues, articles and the editorial records are
shown read only: assembling, editing, the privacy gate, publishing and
corrections go through the staff pages and their services, so that every change
is checked and recorded."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Article,
    ArticlePhoto,
    Issue,
    IssueCorrection,
    PrivacyOverride,
    Publication,
    Section,
)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "city",
        "bureau",
        "first_running_number",
        "is_active",
    ]
    list_filter = ["is_active", "city"]
    search_fields = ["name", "slug", "bureau"]
    # A save bumps the public pages' version and forgets the publication's set
    # pages (newsletter/public_cache.py): the new footer shows at once.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "city",
                    "bureau",
                    "masthead",
                    "first_running_number",
                    "is_active",
                ]
            },
        ),
        (
            _("页脚"),
            {
                "fields": [
                    "sponsor",
                    "icp_record",
                    "police_record",
                    "site_code",
                    "contact",
                ],
                "description": _(
                    "公开网站每一页底部显示的主办单位、备案号、政府网站标识码和联系方式；"
                    "不属于某一份简报的页面（首页、搜索、社工站名录）显示排在最前的在用简报的页脚。"
                ),
            },
        ),
        (_("分享"), {"fields": ["emblem"]}),
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SectionInline(ReadOnlyInline):
    model = Section
    fields = ["position", "title", "kind"]


class CorrectionInline(ReadOnlyInline):
    model = IssueCorrection
    fields = ["at", "by", "article_title", "summary", "reason"]
    # "at" is not editable: listed as a field only, the admin's formset refuses it
    # and the issue's page fails (found by the permission matrix test).
    readonly_fields = fields


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "publication",
        "status",
        "year",
        "number",
        "running_number",
        "issue_date",
        "source",
    ]
    list_filter = ["status", "source", "publication"]
    search_fields = ["source_name"]
    inlines = [SectionInline, CorrectionInline]


class PhotoInline(ReadOnlyInline):
    model = ArticlePhoto
    fields = ["position", "caption", "shows_people", "consent", "is_missing"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "issue", "section", "position", "county", "station"]
    list_filter = ["issue__publication"]
    search_fields = ["title"]
    list_select_related = ["issue__publication", "section", "county", "station__town"]
    inlines = [PhotoInline]


@admin.register(PrivacyOverride)
class PrivacyOverrideAdmin(ReadOnlyAdmin):
    list_display = ["at", "by", "article", "kind", "masked", "reason"]
    list_filter = ["kind"]
    list_select_related = ["article", "by"]
    # Only the masked value and a keyed digest are stored: nothing here reveals
    # the value that was overridden.
    exclude = ["value_hash"]


@admin.register(IssueCorrection)
class IssueCorrectionAdmin(ReadOnlyAdmin):
    list_display = ["at", "by", "issue", "article_title", "summary"]
    list_select_related = ["issue__publication", "by"]
