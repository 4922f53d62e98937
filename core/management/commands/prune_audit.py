from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.models import AuditEntry


class Command(BaseCommand):
    help = _("删除超过保留期（AUDIT_RETENTION_DAYS，至少 180 天）的审计日志。")

    def handle(self, *args, **options):
        deleted = AuditEntry.objects.prune()
        self.stdout.write(_("已删除 %(n)d 条过期审计日志。") % {"n": deleted})
