"""Helpers shared by the table modules: the month and unit labels, and how many
rows of a long list the page shows."""

from __future__ import annotations

from django.utils.translation import gettext as _

# The page lists this many rows of a long list (missing months); the export all.
LIST_LIMIT = 100


def month_label(month) -> str:
    return _("%(y)d年%(m)d月") % {"y": month.year, "m": month.month}


def unit_header(unit) -> str:
    if unit.breakdown == "city":
        return _("市")
    return _("县（市、区）") if unit.breakdown == "county" else _("社工站")


def bureau_label(unit) -> str:
    return (
        _("市民政局（本级）")
        if unit.kind == "city"
        else _("县（市、区）民政局（本级）")
    )


def group_rows(groups, stations):
    """(label, station ids) per row of a table by unit: the breakdown's groups,
    or the one station of a station's dashboard."""
    if groups:
        return [(g.label, g.station_ids) for g in groups]
    return [(station.full_name, [station.pk]) for station in stations]
