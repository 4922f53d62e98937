"""Each user's choice of which events reach them by e-mail (default: all)."""

from __future__ import annotations

from django.db import transaction

from ..models import EmailPreference, Event


def email_choices(user) -> dict[str, bool]:
    """Every event with whether it is e-mailed to ``user``. One query."""
    chosen = dict(
        EmailPreference.objects.filter(user=user).values_list("event", "enabled")
    )
    return {event: chosen.get(event, True) for event in Event.values}


@transaction.atomic
def email_choices_set(*, user, enabled: set[str]) -> None:
    """Store ``user``'s choice: the events in ``enabled`` are e-mailed, the
    others are not."""
    for event in Event.values:
        EmailPreference.objects.update_or_create(
            user=user, event=event, defaults={"enabled": event in enabled}
        )
