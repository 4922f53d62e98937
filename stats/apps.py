from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """Statistics (stats/__init__.py); no models: it counts the others'."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "stats"
    verbose_name = _("统计")

    def ready(self):
        from .jobs import register_kinds

        register_kinds()
