"""The admin of beneficiary files and cases.

Files and cases are registered read-only, with the ID number and phones masked
in every column and on the change page. They are written only on the staff
pages, through the services that check the keeping station and leave audit
rows; the full values are never shown here. Opening a file or a case here is
logged as a view, like on the staff pages.
"""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .audit import Action as AuditAction
from .audit import record as audit_write
from .models import Beneficiary, Case


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if obj is not None:
            audit_write(
                by=request.user,
                action=AuditAction.VIEW,
                target=obj,
                request=request,
                detail=gettext("管理后台查看"),
            )
        return response


@admin.register(Beneficiary)
class BeneficiaryAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "gender",
        "masked_id",
        "masked_phone",
        "station",
        "status",
        "opened_on",
    ]
    list_filter = ["status", "station__town__county"]
    list_select_related = ["station__town"]
    # By name only: a search by number would put the number in the address bar.
    search_fields = ["name"]
    fields = [
        "name",
        "gender",
        "birth_date",
        "masked_id",
        "masked_phone",
        "station",
        "village",
        "address",
        "categories",
        "living_situation",
        "guardian_name",
        "guardian_relation",
        "masked_guardian_phone",
        "opened_on",
        "status",
        "status_reason",
        "created_by",
    ]
    readonly_fields = fields

    @admin.display(description=_("身份证号（脱敏）"))
    def masked_id(self, b):
        return b.id_number_masked or "—"

    @admin.display(description=_("联系电话（脱敏）"))
    def masked_phone(self, b):
        return b.phone_masked or "—"

    @admin.display(description=_("监护人电话（脱敏）"))
    def masked_guardian_phone(self, b):
        return b.guardian_phone_masked or "—"


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "beneficiary", "worker", "status", "opened_on"]
    list_filter = ["status"]
    list_select_related = ["beneficiary", "worker"]
    search_fields = ["title", "beneficiary__name"]
    fields = [
        "title",
        "beneficiary",
        "worker",
        "status",
        "opened_on",
        "assessment",
        "goals",
        "plan",
        "closed_on",
        "closing_summary",
        "opened_by",
    ]
    readonly_fields = fields
