from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "newsletter"
    verbose_name = _("简报")

    def ready(self):
        # Pages cached for the public follow a publication changed in the admin.
        from core.audit import register_audit_targets

        from . import models
        from .jobs import register_kinds
        from .links import register_unit_links
        from .panels import register_panels
        from .public_cache import connect_signals

        connect_signals()
        register_kinds()
        register_panels()
        register_unit_links()
        register_audit_targets(models.Publication, models.Issue, models.Article)
