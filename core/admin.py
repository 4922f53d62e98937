from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit import audit_target_choices, audit_target_label
from .models import AuditEntry


class TargetTypeFilter(admin.SimpleListFilter):
    """The target types the apps registered, by their names for people."""

    title = _("对象类型")
    parameter_name = "target_type"

    def lookups(self, request, model_admin):
        return audit_target_choices()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(target_type=self.value())
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody changes or deletes audit rows in the application."""

    list_display = ["at", "username", "ip", "action", "target_kind", "target_label"]
    list_filter = ["action", TargetTypeFilter]
    search_fields = ["username", "target_label", "target_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("对象类型"), ordering="target_type")
    def target_kind(self, entry):
        return audit_target_label(entry.target_type)
