"""``{% unit_links "station" station as links %}``: the links other apps
registered for a unit (stations/links.py), as (label, address) pairs."""

from django import template

from ..links import unit_links as _unit_links

register = template.Library()


@register.simple_tag
def unit_links(kind, unit):
    return _unit_links(kind, unit)
