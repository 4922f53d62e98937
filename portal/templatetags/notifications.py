"""The header's unread notification count."""

from django import template

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """The signed-in user's unread notifications. Counted when the user was
    loaded (portal.accounts.PortalModelBackend), so no query of its own; a
    session begun under Django's plain ModelBackend costs one."""
    if user is None or not user.is_authenticated:
        return 0
    count = getattr(user, "unread_notifications", None)
    if count is None:
        count = user.unread_notifications = user.notifications.filter(
            read_at__isnull=True
        ).count()
    return count
