"""What a dashboard's query string asks for (the page's, its download's, or the
one an export job keeps): the unit and the period, and when it names no period,
the one the page opens on (``stats.period.opening_period``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from stats.period import Period, opening_period, period_chosen, period_from_params
from stats.reports import latest_approved_start
from stats.scope import StatsUnit, resolve_unit, unit_options


@dataclass(frozen=True)
class StatsRequest:
    options: list[StatsUnit]
    unit: StatsUnit
    period: Period
    errors: list  # messages for the page: bad input fell back to the defaults
    chosen: bool  # the query string named the period
    # When the period was not chosen: the start date of the unit's latest
    # approved report, which the period opens on (None: the unit has none).
    latest: datetime.date | None = None

    @property
    def empty(self) -> bool:
        """Opened without a period on a unit that has no approved report at
        all: nothing to count, and the page says so instead of showing zeros."""
        return not self.chosen and self.latest is None


def requested_unit(user, params, *, today: datetime.date | None = None):
    """The ``StatsRequest`` of a query string. A malformed unit or period falls
    back to the default with a message; a unit outside scope is a 404
    (``resolve_unit``); a user with nothing to count (a superuser of an
    installation without any city) is refused.

    A period that is not named, or named wrongly, is the one the page opens on:
    the latest year with an approved report in the unit, read with one query."""
    today = today or timezone.localdate()
    options = unit_options(user)
    unit, unit_error = resolve_unit(user, params.get("unit", ""), options)
    if unit is None:
        raise PermissionDenied
    errors = [unit_error] if unit_error else []
    if period_chosen(params):
        period, period_error = period_from_params(params, today)
        if period_error is None:
            return StatsRequest(options, unit, period, errors, chosen=True)
        errors.append(period_error)
    latest = latest_approved_start(user, unit)
    return StatsRequest(
        options,
        unit,
        opening_period(latest, today),
        errors,
        chosen=False,
        latest=latest,
    )
