from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import construct_instance
from django.http import HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from core.sheets import SHEET_FORMATS

from . import permissions, resources, services
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

admin.site.site_header = _("民政简报与社工站平台 · 管理后台")
admin.site.site_title = _("管理后台")
admin.site.index_title = _("数据管理")


class ScopedImportExportAdmin(ImportExportModelAdmin):
    """The admin's imports apply the same per-row scope check as the staff screens,
    and its files are the portal's sheets (core/sheets.py): typed text never
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


# A bureau's group robot (企业微信 or 钉钉) for notifications: the model's clean()
# checks the address (stations.models.org.GroupRobot).
ROBOT_FIELDSET = (
    _("群机器人通知"),
    {
        "fields": ["robot_kind", "robot_webhook", "robot_secret"],
        "description": _(
            "本单位的通知（报告提交、退回、通过、刊登，档案转入，整改到期）"
            "同时推送到这个群。县（市、区）的事项推送到县（市、区）民政局的群，"
            "市级的事项推送到市民政局的群。"
        ),
    },
)


class GroupRobotForm(forms.ModelForm):
    # The secret is shown as dots, kept when the form is saved unchanged.
    robot_secret = forms.CharField(
        label=_("钉钉加签密钥"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=True),
        help_text=_(
            "钉钉机器人的安全设置选了“加签”时填写（以 SEC 开头）；企业微信不用填。"
        ),
    )


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    form = GroupRobotForm
    list_display = ["name", "code", "province", "robot_kind"]
    search_fields = ["name", "code"]
    fieldsets = [(None, {"fields": ["province", "name", "code"]}), ROBOT_FIELDSET]


@admin.register(County)
class CountyAdmin(ScopedImportExportAdmin):
    form = GroupRobotForm
    resource_classes = [resources.CountyResource]
    list_display = [
        "name",
        "short_name",
        "kind",
        "code",
        "city",
        "display_order",
        "robot_kind",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "city",
                    "name",
                    "code",
                    "kind",
                    "short_name",
                    "aliases",
                    "display_order",
                ]
            },
        ),
        ROBOT_FIELDSET,
    ]
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


class PointsThroughServices:
    """Service points edited in the admin (their own page or a station's
    inline) are saved and deleted by the services, which check the station's
    scope as the staff pages do."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not ServicePoint:
            return super().save_formset(request, form, formset, change)
        points = formset.save(commit=False)
        for point in formset.deleted_objects:
            services.point_delete(point=point, by=request.user)
        for point in points:
            services.point_save(point=point, by=request.user)
        formset.save_m2m()


@admin.register(Station)
class StationAdmin(PointsThroughServices, ScopedImportExportAdmin):
    resource_classes = [resources.StationResource]
    list_display = ["__str__", "town", "phone", "opened_on"]
    list_filter = ["town__county"]
    list_select_related = ["town__county"]
    search_fields = ["name", "town__name", "town__county__name"]
    autocomplete_fields = ["town"]
    inlines = [ServicePointInline]

    def save_model(self, request, obj, form, change):
        services.station_save(station=obj, by=request.user)


@admin.register(ServicePoint)
class ServicePointAdmin(ScopedImportExportAdmin):
    resource_classes = [resources.ServicePointResource]
    list_display = ["name", "station", "village"]
    list_filter = ["station__town__county"]
    list_select_related = ["station__town", "village"]
    search_fields = ["name", "station__name", "village__name"]
    autocomplete_fields = ["station", "village"]

    def save_model(self, request, obj, form, change):
        services.point_save(point=obj, by=request.user)

    def delete_model(self, request, obj):
        services.point_delete(point=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for point in queryset:
                services.point_delete(point=point, by=request.user)


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

    def save_model(self, request, obj, form, change):
        services.worker_save(worker=obj, by=request.user)


class RoleAssignmentForm(forms.ModelForm):
    """The admin's form for a grant. It runs the services' own checks
    (``role_assign_check``), so bad input or a refusal is a message on the form,
    never an error page; RoleAssignmentAdmin.save_model then writes through the
    services."""

    # The user the form acts for, set by RoleAssignmentAdmin.get_form.
    by = None

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "city", "county", "station"]

    def _unit(self):
        chosen = [
            self.cleaned_data.get(name)
            for name in ("city", "county", "station")
            if self.cleaned_data.get(name) is not None
        ]
        # None for no unit or several: the service says so in its own words.
        return chosen[0] if len(chosen) == 1 else None

    def _post_clean(self):
        # In place of ModelForm's model validation, not after it: that would say
        # a missing unit twice, once in the words of a database constraint, and
        # a duplicate only in those words.
        opts = self._meta
        try:
            self.instance = construct_instance(
                self, self.instance, opts.fields, opts.exclude
            )
        except ValidationError as error:
            self._update_errors(error)
            return
        if self._errors:  # a field's own error (no role chosen) says enough
            return
        user, role = self.cleaned_data["user"], self.cleaned_data["role"]
        unit = self._unit()
        try:
            services.role_assign_check(user=user, role=role, unit=unit, by=self.by)
        except ValidationError as error:
            self.add_error(None, error.messages)
            return
        except PermissionDenied:
            self.add_error(
                None, gettext("你无权管理“%(unit)s”的角色。") % {"unit": unit}
            )
            return
        # Revoking the grant a change replaces: has_change_permission checks it.
        duplicate = RoleAssignment.objects.filter(
            user=user, role=role, **{self.instance.scope_level: unit}
        ).exclude(pk=self.instance.pk)
        if duplicate.exists():
            self.add_error(
                None,
                gettext("该用户已在“%(unit)s”担任“%(role)s”。")
                % {"unit": unit, "role": self.instance.get_role_display()},
            )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Every write goes through stations.services: ``role_assign`` for an
    addition, ``role_revoke`` for a deletion (single or "delete selected"), so
    each grant and each revoke is checked against the user's scope and writes
    its one audit row there.

    A change is the revoke of the old grant and a new grant, in one transaction,
    and the saved assignment is a new row. Editing the row in place would make
    it claim a grant nobody made: its granter and time (read-only here) would
    stay those of the old role, and the audit log would hold a "change" no other
    caller can make. Refusing changes altogether would keep that honest too, but
    make the common correction (a social worker becoming the head) two screens
    instead of one."""

    form = RoleAssignmentForm
    list_display = ["user", "role", "city", "county", "station", "granted_at"]
    list_filter = ["role"]
    list_select_related = ["user", "city", "county", "station__town"]
    search_fields = ["user__username", "user__first_name"]
    autocomplete_fields = ["user", "county", "station"]
    readonly_fields = ["granted_by", "granted_at"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.by = request.user  # a class made for this request: safe to set
        return form

    # Staff other than superusers see the rows they may not manage read-only,
    # and "delete selected" lists what they may not delete instead of failing
    # half-way.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_manage_roles_at(request.user, obj.scope_unit)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_manage_roles_at(request.user, obj.scope_unit)
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The form ran the services' checks, so this is a change between the
            # check and the write (the unit deleted meanwhile, say). The admin's
            # transaction has been rolled back: nothing was written.
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # saved unchanged: nothing granted, nothing revoked
        with transaction.atomic():
            if change:
                # role_revoke reads and locks the row by its id, so the old grant
                # is what it revokes, not the edited values held in obj.
                services.role_revoke(assignment=obj, by=request.user, request=request)
            new = services.role_assign(
                user=obj.user,
                role=obj.role,
                unit=obj.scope_unit,
                by=request.user,
                request=request,
            )
        # The admin goes on with obj (its history entry, its redirect): make it
        # the row the service wrote.
        obj.pk = new.pk
        obj.granted_by = new.granted_by
        obj.granted_at = new.granted_at

    def delete_model(self, request, obj):
        services.role_revoke(assignment=obj, by=request.user, request=request)

    def delete_queryset(self, request, queryset):
        # All or nothing: a refusal part-way leaves every selected grant in place.
        with transaction.atomic():
            for assignment in queryset.select_related("user"):
                services.role_revoke(
                    assignment=assignment, by=request.user, request=request
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
