from urllib.parse import urlsplit

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import audit_target_choices, audit_target_label
from .models import AuditEntry, Delivery


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


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """What left the portal, or failed to: for whoever runs the server to see
    why an e-mail or a robot post did not arrive, and send it again. Written
    only by the sender (core/notifications/sending.py); a robot's webhook
    carries its key, so only its host is shown."""

    list_display = [
        "created_at",
        "channel",
        "event",
        "title",
        "target",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["state", "channel", "event"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "channel",
        "event",
        "title",
        "url",
        "target",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("发往"))
    def target(self, obj):
        if obj.channel == Delivery.Channel.EMAIL:
            return obj.address
        return urlsplit(obj.address).hostname or "—"

    @admin.action(description=_("重新发送所选的失败记录"))
    def send_again(self, request, queryset):
        count = queryset.filter(state=Delivery.State.FAILED).update(
            state=Delivery.State.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(
            request,
            _("%(n)s 条失败记录已重新排队，下一次 send_notifications 运行时发送。")
            % {"n": count},
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
