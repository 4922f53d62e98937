"""The admin of the activities app: the editable lists, and reports, projects and
trainings for data repairs.

Workflow stays in the services: a report's status and review dates cannot be
edited here, reports are filed on the staff pages (or back-filled through the
import), and the review history is read-only, since it is the audit trail.
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities import permissions, services
from stations.admin import ScopedImportExportAdmin

from .models import (
    ActivityKind,
    ActivityReport,
    BeneficiaryCategory,
    Partner,
    Project,
    ReportPhoto,
    ReportTransition,
    Training,
    TrainingAttendance,
    TrainingSession,
)
from .resources import ActivityReportResource


@admin.register(ActivityKind, Partner)
class EditableListAdmin(admin.ModelAdmin):
    list_display = ["name", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PhotoInline(ReadOnlyInline):
    """Photos are added through the pipeline in activities/photos/ (checked,
    EXIF stripped, renditions made); here they are only looked at."""

    model = ReportPhoto
    fields = ["preview", "caption", "shows_people", "consent", "uploaded_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("缩略图"))
    def preview(self, photo):
        if not photo.thumb:
            return "—"
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" style="max-height:80px"></a>',
            photo.web.url if photo.web else photo.thumb.url,
            photo.thumb.url,
            photo.caption,
        )


class TransitionInline(ReadOnlyInline):
    model = ReportTransition
    fields = ["at", "action", "from_status", "to_status", "by", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(ActivityReport)
class ActivityReportAdmin(ScopedImportExportAdmin):
    resource_classes = [ActivityReportResource]
    list_display = ["title", "unit_display", "kind", "status", "start_date"]
    list_filter = ["status", "level", "kind", "county"]
    list_select_related = ["city", "county", "station__town__county", "kind"]
    search_fields = ["title", "subtitle", "station__town__name", "county__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["town", "village", "villages_reached", "project"]
    filter_horizontal = ["categories", "partners"]
    # The unit and everything the workflow writes are shown, never edited.
    readonly_fields = [
        "level",
        "city",
        "county",
        "station",
        "author",
        "status",
        "submitted_at",
        "approved_at",
        "approved_by",
        "published_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (_("填报单位"), {"fields": ["level", "city", "county", "station", "author"]}),
        (
            _("活动"),
            {
                "fields": [
                    "title",
                    "subtitle",
                    ("start_date", "end_date"),
                    ("town", "village"),
                    "place_text",
                    "villages_reached",
                    "kind",
                    "categories",
                    "partners",
                    "other_partners",
                    "project",
                ]
            },
        ),
        (
            _("数字"),
            {
                "fields": [
                    ("person_times", "households", "persons"),
                    ("volunteers", "service_hours"),
                ]
            },
        ),
        (_("正文"), {"fields": ["body"]}),
        (
            _("审核"),
            {
                "fields": [
                    "status",
                    ("submitted_at", "approved_at", "approved_by"),
                    "published_at",
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]
    inlines = [PhotoInline, TransitionInline]

    @admin.display(description=_("填报单位"), ordering="level")
    def unit_display(self, report):
        return report.unit_name

    def get_queryset(self, request):
        # Staff with admin access see, and export, only the reports in their scope.
        return permissions.reports_visible_to(request.user)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {
            **super().get_export_resource_kwargs(request, **kwargs),
            "user": request.user,
        }

    def get_import_data_kwargs(self, **kwargs):
        # One bad row means nothing is written, also when the file changed between
        # the dry run and the confirmation.
        return {
            **super().get_import_data_kwargs(**kwargs),
            "rollback_on_validation_errors": True,
        }

    def has_add_permission(self, request):
        # A report is filed on the staff pages through report_create (or
        # back-filled by the import, which has its own permission check).
        return False

    def save_model(self, request, obj, form, change):
        if obj.is_editable:
            services.report_update(report=obj, by=request.user)
            return
        # A repair to a report under review or approved, through its service.
        services.report_repair(
            report=obj,
            by=request.user,
            changed=[
                str(form.fields[name].label)
                for name in form.changed_data
                if name in form.fields
            ],
        )


@admin.register(ReportTransition)
class ReportTransitionAdmin(admin.ModelAdmin):
    """The audit trail of reports: read, never written, here."""

    list_display = ["report", "action", "from_status", "to_status", "by", "at"]
    list_filter = ["action"]
    list_select_related = ["report", "by"]
    search_fields = ["report__title", "comment", "by__username"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(report__in=permissions.reports_visible_to(request.user))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "funder",
        "station",
        "start_date",
        "end_date",
        "target_villages",
    ]
    list_filter = ["station__town__county"]
    list_select_related = ["station__town__county"]
    search_fields = ["title", "funder", "station__town__name"]
    autocomplete_fields = ["station"]


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    fields = ["date", "topic", "teacher", "hours"]
    extra = 0
    show_change_link = True  # attendance is kept on the session's own page


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "county", "place"]
    list_filter = ["city", "county"]
    list_select_related = ["city", "county"]
    search_fields = ["title", "place"]
    autocomplete_fields = ["report"]
    inlines = [TrainingSessionInline]


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    extra = 0
    autocomplete_fields = ["worker"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("worker")


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["date", "topic", "training", "teacher", "hours"]
    list_select_related = ["training"]
    search_fields = ["topic", "training__title", "teacher"]
    autocomplete_fields = ["training"]
    inlines = [TrainingAttendanceInline]


@admin.register(BeneficiaryCategory)
class BeneficiaryCategoryAdmin(EditableListAdmin):
    """The editable list, with the visit periods edited beside the names."""

    list_display = ["name", "display_order", "is_active", "visit_every_days"]
    list_editable = ["display_order", "is_active", "visit_every_days"]
