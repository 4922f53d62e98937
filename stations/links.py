"""Links the public pages of the organisation (the station directory and a
station's page) show to pages of apps above it: the newsletter registers its
county and station news from its ``ready()``, so these pages link there without
naming the newsletter.

A link is a label and a function that gives the address for a unit, for units
of one kind ("county" or "station"); ``unit_links`` gives those that apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class UnitLink:
    kind: str  # "county" or "station"
    label: Callable  # (unit) -> str
    url: Callable  # (unit) -> str


_LINKS: list[UnitLink] = []


def register_unit_link(link: UnitLink) -> None:
    if link not in _LINKS:
        _LINKS.append(link)


def unit_links(kind: str, unit) -> list[tuple[str, str]]:
    """(label, address) of each link registered for units of ``kind``."""
    return [(link.label(unit), link.url(unit)) for link in _LINKS if link.kind == kind]
