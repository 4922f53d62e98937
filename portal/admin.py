"""The admin in Chinese where the apps it shows leave English behind.

- django-axes' admin leaves the lock-out status column and the clean-up
  action's message in English (an unlabelled method and an f-string no
  catalogue can hold). Its field names, filters and fieldsets are translated in
  locale/zh_Hans.
- Django stores each model's permissions under English names ("Can add 活动报告"),
  which the user and group pages list: they are shown by what they allow.
"""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    @admin.action(description=_("清除已失效的失败计数"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request, gettext("已清除 %(count)d 条失效的失败计数。") % {"count": count}
        )

    @admin.display(description=_("失效时间"))
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.display(description=_("状态"))
    def status(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left > 0:
            return gettext("还可尝试 %(n)d 次") % {"n": left}
        return gettext("已锁定")


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)


# Django's four permissions of every model, by the start of their codename.
PERMISSION_ACTIONS = {
    "add": pgettext_lazy("permission", "增加"),
    "change": pgettext_lazy("permission", "修改"),
    "delete": pgettext_lazy("permission", "删除"),
    "view": pgettext_lazy("permission", "查看"),
}


def permission_label(permission) -> str:
    """ "活动与服务 | 活动报告 | 可以增加活动报告" for Django's own four; a
    permission a model declares itself keeps its name."""
    content_type = permission.content_type
    model = content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    name = permission.name
    if model is not None and action in PERMISSION_ACTIONS:
        if model_name == model._meta.model_name:
            name = gettext("可以%(action)s%(model)s") % {
                "action": PERMISSION_ACTIONS[action],
                "model": model._meta.verbose_name,
            }
    return f"{content_type} | {name}"


class PermissionLabels:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


class ChineseUserAdmin(PermissionLabels, UserAdmin):
    pass


class ChineseGroupAdmin(PermissionLabels, GroupAdmin):
    pass


for model, model_admin in (
    (get_user_model(), ChineseUserAdmin),
    (Group, ChineseGroupAdmin),
):
    if admin.site.is_registered(model):
        registered = type(admin.site.get_model_admin(model))
        if registered in (UserAdmin, GroupAdmin):  # Django's own, not a project's
            admin.site.unregister(model)
            admin.site.register(model, model_admin)
