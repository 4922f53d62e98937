from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from core.audit import audit_record
from core.models import AuditEntry

from . import resources
from .models import (
    City,
    Commendation,
    County,
    FollowUpItem,
    RoleAssignment,
    ServicePoint,
    SocialWorker,
    StandardsCheck,
    StandardsCheckItem,
    Station,
    SupervisionVisit,
    Town,
    Village,
)
from .sheets import SHEET_FORMATS

admin.site.site_header = _("民政简报与社工站平台 · 管理后台")
admin.site.site_title = _("管理后台")
admin.site.index_title = _("数据管理")


class ScopedImportExportAdmin(ImportExportModelAdmin):
    """The admin's imports apply the same per-row scope check as the staff screens,
    and its files are the portal's sheets (stations/sheets.py): typed text never
    runs as a formula, and a .csv export imports back unchanged."""

    formats = SHEET_FORMATS

    def get_import_resource_kwargs(self, request, **kwargs):
        return {
            **super().get_import_resource_kwargs(request, **kwargs),
            "user": request.user,
        }

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # import-export's own, except for one line: it gives numbers and dates
        # their own cell types only for its XLSX class itself (by exact type), so
        # the sheet formats, subclasses of it, would get display orders as text.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request, queryset, force_native_type=file_format.is_binary(), **kwargs
        )
        content = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            content = content.encode(encoding)
        return content


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province"]
    search_fields = ["name", "code"]


@admin.register(County)
class CountyAdmin(ScopedImportExportAdmin):
    resource_classes = [resources.CountyResource]
    list_display = ["name", "short_name", "kind", "code", "city", "display_order"]
    list_filter = ["city", "kind"]
    list_select_related = ["city"]
    search_fields = ["name", "short_name", "aliases", "code"]


@admin.register(Town)
class TownAdmin(ScopedImportExportAdmin):
    resource_classes = [resources.TownResource]
    list_display = ["name", "kind", "county", "display_order"]
    list_filter = ["county__city", "county", "kind"]
    list_select_related = ["county"]
    search_fields = ["name", "county__name"]


@admin.register(Village)
class VillageAdmin(ScopedImportExportAdmin):
    resource_classes = [resources.VillageResource]
    list_display = ["name", "kind", "town", "note"]
    list_filter = ["town__county", "kind"]
    list_select_related = ["town__county"]
    search_fields = ["name", "town__name"]
    autocomplete_fields = ["town"]


class ServicePointInline(admin.TabularInline):
    model = ServicePoint
    extra = 0
    autocomplete_fields = ["village"]


@admin.register(Station)
class StationAdmin(ScopedImportExportAdmin):
    resource_classes = [resources.StationResource]
    list_display = ["__str__", "town", "phone", "opened_on"]
    list_filter = ["town__county"]
    list_select_related = ["town__county"]
    search_fields = ["name", "town__name", "town__county__name"]
    autocomplete_fields = ["town"]
    inlines = [ServicePointInline]


@admin.register(ServicePoint)
class ServicePointAdmin(ScopedImportExportAdmin):
    resource_classes = [resources.ServicePointResource]
    list_display = ["name", "station", "village"]
    list_filter = ["station__town__county"]
    list_select_related = ["station__town", "village"]
    search_fields = ["name", "station__name", "village__name"]
    autocomplete_fields = ["station", "village"]


class CommendationInline(admin.TabularInline):
    model = Commendation
    extra = 0


@admin.register(SocialWorker)
class SocialWorkerAdmin(ScopedImportExportAdmin):
    resource_classes = [resources.SocialWorkerResource]
    list_display = ["real_name", "station", "post_type", "qualification", "status"]
    list_filter = ["post_type", "qualification", "status", "station__town__county"]
    list_select_related = ["station__town"]
    search_fields = ["real_name", "station__name"]
    autocomplete_fields = ["station", "user"]
    inlines = [CommendationInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "city", "county", "station", "granted_at"]
    list_filter = ["role"]
    list_select_related = ["user", "city", "county", "station__town"]
    search_fields = ["user__username", "user__first_name"]
    autocomplete_fields = ["user", "county", "station"]
    readonly_fields = ["granted_by", "granted_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
        _audit_role(request, obj, _("修改角色") if change else _("授予角色"))

    def delete_model(self, request, obj):
        _audit_role(request, obj, _("撤销角色"))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("user", "city", "county", "station__town"):
            _audit_role(request, obj, _("撤销角色"))
        super().delete_queryset(request, queryset)


def _audit_role(request, assignment, what):
    """Role changes made in the admin land in the audit log like those made
    through ``role_assign`` (issue 9, point 4)."""
    unit = assignment.city or assignment.county or assignment.station
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.ROLE,
        target=assignment,
        request=request,
        label=(
            f"{assignment.user.get_username()} · "
            f"{assignment.get_role_display()} · {unit or '-'}"
        ),
        detail=str(what),
    )


@admin.register(Commendation)
class CommendationAdmin(admin.ModelAdmin):
    list_display = ["worker", "year", "title", "awarded_by"]
    list_filter = ["year"]
    list_select_related = ["worker"]
    autocomplete_fields = ["worker"]


class StandardsCheckItemInline(admin.TabularInline):
    model = StandardsCheckItem
    extra = 0


@admin.register(StandardsCheck)
class StandardsCheckAdmin(admin.ModelAdmin):
    list_display = ["station", "checked_on", "checked_by"]
    list_select_related = ["station__town", "checked_by"]
    autocomplete_fields = ["station"]
    inlines = [StandardsCheckItemInline]


class FollowUpItemInline(admin.TabularInline):
    model = FollowUpItem
    extra = 0


@admin.register(SupervisionVisit)
class SupervisionVisitAdmin(admin.ModelAdmin):
    list_display = ["station", "visited_on"]
    list_select_related = ["station__town"]
    autocomplete_fields = ["station"]
    filter_horizontal = ["supervisors"]
    inlines = [FollowUpItemInline]
