from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: it owns the account pages and signals
    (portal/accounts.py) and the operator commands; it has no models."""

    name = "portal"
    verbose_name = "门户"

    def ready(self):
        from . import accounts  # noqa: F401 - connects the account signals
