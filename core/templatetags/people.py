from django import template

from core.people import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    """``{{ job.started_by|person }}``: the person's name, not the login
    (core/people.py)."""
    return display_name(user)
