"""The audit log: who did what to which record, when and from where.

Rows are written by ``core.audit.audit_record`` and never changed afterwards.
The application offers no way to edit or delete them: ``save`` refuses updates,
``delete`` refuses, the queryset's ``update``/``delete`` refuse, and the admin is
read-only. The only removal is ``AuditEntry.objects.prune()`` (the ``prune_audit``
command), which deletes rows older than ``AUDIT_RETENTION_DAYS`` and never a row
younger than 180 days, the minimum the Cybersecurity Law sets for network logs.

``detail`` and ``target_label`` must never hold an ID number or a phone number in
full: callers pass masked values (the beneficiary files' masks)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_RETENTION_DAYS = 180


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete audit rows in the application."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("audit rows cannot be changed")

    def delete(self):
        raise AuditLogImmutable("audit rows cannot be deleted; use prune()")

    def prune(self, *, now=None) -> int:
        """Delete rows older than the retention period; returns how many."""
        days = max(
            int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)),
            MIN_RETENTION_DAYS,
        )
        cutoff = (now or timezone.now()) - timedelta(days=days)
        deleted, _counts = models.QuerySet.delete(self.filter(at__lt=cutoff))
        return deleted


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        CHANGE = "change", _("修改")
        DELETE = "delete", _("删除")
        VIEW = "view", _("查看")
        VIEW_FULL = "view_full", _("查看完整信息")
        EXPORT = "export", _("导出")
        EXPORT_FULL = "export_full", _("导出未脱敏数据")
        IMPORT = "import", _("导入")
        TRANSITION = "transition", _("流程变更")
        PUBLISH = "publish", _("发布")
        CORRECT = "correct", _("更正")
        OVERRIDE = "override", _("例外放行")
        ROLE = "role", _("角色变更")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    # Kept as text so the row still says who it was after the account is gone.
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    target_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    target_label = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.TextField(_("详情"), blank=True)
    reason = models.TextField(_("理由"), blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        # The table the log was first written to, when the organisation app
        # held it: moving the model moved no row.
        db_table = "stations_auditentry"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["user", "at"], name="audit_user_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("audit rows cannot be deleted; use prune()")
