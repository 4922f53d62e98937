"""The admin of the newsletter: publications are set up here (name, slug, city,
bureau, first running number). Issues, articles and the editorial records are
shown read only: assembling, editing, the privacy gate, publishing and
corrections go through the staff pages and their services, so that every change
is checked and recorded."""

from django.contrib import admin

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
