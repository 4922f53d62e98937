"""The ranges every date the portal records must lie in, kept in one place.

Three kinds of date, and the range each may take:

- what has happened (an activity, a visit, a note, a case opened or closed, a
  referral, a transfer, a check, a supervision visit, a station opened, an
  imported past issue): from ``settings.PORTAL_EARLIEST_DATE`` to today;
- what is planned (a follow-up or case deadline, a project's period): from the
  earliest date to ten years ahead; a training session or a draft issue's date,
  planned at most a year ahead (further is a mistyped year);
- dates of a person's life that may predate the portal by decades: a birth date
  from 1900-01-01, a hire date from 1950-01-01, each to today.

"Today" is the local date in Asia/Shanghai (``timezone.localdate()``), read each
time a date is checked, never when a module is imported: a process that runs for
days must not keep refusing yesterday's tomorrow.

A model declares its rules in ``date_ranges`` and takes ``DatesInRange``, which
checks them in ``clean_fields()``: ``full_clean()`` then refuses an out-of-range
date, whoever calls it (a service, a ModelForm, the admin, a spreadsheet import),
with the error on the field. The rules are not model field validators because a
validator is written into migrations: every field of three apps would be altered
now, and again whenever a rule changes, for a check that touches no column.
``DateRangesForm`` gives a ModelForm's date fields the model's rules, checked on
the field and drawn as the input's ``min``/``max`` (so a phone's date picker offers
only valid dates); a plain form uses ``DateInRangeField``, which does the same.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# No one alive and in care was born before this: a birth date before it is a
# typing mistake. The portal's earliest date does not apply, since most people
# served were born long before the portal.
BIRTH_EARLIEST = datetime.date(1900, 1, 1)
# A hire date may predate the portal and the 双百 programme (county and city staff
# with long careers, workers taken over from an agency), but no one hired before
# 1950 is still on any staff list.
HIRE_EARLIEST = datetime.date(1950, 1, 1)


def earliest_date() -> datetime.date:
    """The earliest date of anything recorded as happening in the portal."""
    return settings.PORTAL_EARLIEST_DATE


def today() -> datetime.date:
    return timezone.localdate()


def years_from_today(years: int) -> datetime.date:
    day = today()
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateRange:
    """A rule: the earliest and the latest date allowed, each worked out when a
    date is checked, and the message for a date past the latest."""

    floor: Callable[[], datetime.date]
    ceiling: Callable[[], datetime.date]
    too_late: str

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return self.floor(), self.ceiling()

    def validate(self, value: datetime.date | None, *, label=None) -> None:
        """Raise a ValidationError in Chinese naming the allowed range when
        ``value`` lies outside it; None passes (emptiness is the field's rule)."""
        if value is None:
            return
        label = label or _("日期")
        floor, ceiling = self.bounds()
        if value < floor:
            raise ValidationError(
                _("%(label)s不能早于 %(date)s。"),
                code="date_too_early",
                params={"label": label, "date": date_format(floor)},
            )
        if value > ceiling:
            raise ValidationError(
                self.too_late,
                code="date_too_late",
                params={"label": label, "date": date_format(ceiling)},
            )

    def html_attrs(self) -> dict[str, str]:
        floor, ceiling = self.bounds()
        return {"min": floor.isoformat(), "max": ceiling.isoformat()}


# What has happened: from the earliest date to today.
PAST = DateRange(earliest_date, today, _("%(label)s不能晚于今天。"))
BIRTH = DateRange(lambda: BIRTH_EARLIEST, today, _("%(label)s不能晚于今天。"))
HIRE = DateRange(lambda: HIRE_EARLIEST, today, _("%(label)s不能晚于今天。"))
# Planned at most a year ahead: a training session, a draft issue's date.
WITHIN_A_YEAR = DateRange(
    earliest_date,
    lambda: years_from_today(1),
    _("%(label)s不能晚于一年以后（%(date)s）。"),
)
# Deadlines and project periods: at most ten years ahead.
WITHIN_TEN_YEARS = DateRange(
    earliest_date,
    lambda: years_from_today(10),
    _("%(label)s不能晚于 10 年以后（%(date)s）。"),
)


class DatesInRange:
    """Model mixin: ``full_clean()`` checks the fields named in ``date_ranges``
    (field name -> DateRange) like field validators, skipping excluded fields,
    empty ones and those that already failed."""

    date_ranges: ClassVar[dict[str, DateRange]] = {}

    def get_date_ranges(self) -> dict[str, DateRange]:
        """The rules for this row; a model whose rule depends on the row's
        other values (an imported issue) overrides this."""
        return self.date_ranges

    def date_range_errors(
        self, names=None, exclude=()
    ) -> dict[str, list[ValidationError]]:
        """The errors of the ranged fields (of ``names`` only, when given), for
        a service that writes a date without ``full_clean()``."""
        errors = {}
        for name, rule in self.get_date_ranges().items():
            if name in exclude or (names is not None and name not in names):
                continue
            label = self._meta.get_field(name).verbose_name
            try:
                rule.validate(getattr(self, name), label=label)
            except ValidationError as exc:
                errors[name] = exc.error_list
        return errors

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        errors.update(self.date_range_errors(exclude=exclude | set(errors)))
        if errors:
            raise ValidationError(errors)


class DateInput(forms.DateInput):
    """A date picker (``<input type="date">``). Given a ``date_range``, it
    carries that range's ``min`` and ``max``, worked out as the page is drawn."""

    input_type = "date"

    def __init__(self, *, date_range: DateRange | None = None, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
        self.date_range = date_range

    def get_context(self, name, value, attrs):
        if self.date_range is not None:
            attrs = {**self.date_range.html_attrs(), **(attrs or {})}
        return super().get_context(name, value, attrs)


class DateInRangeField(forms.DateField):
    """A date form field held to ``date_range``, for forms not backed by a
    model (the model's own check would come too late to show on the field)."""

    widget = DateInput

    def __init__(self, *, date_range: DateRange, **kwargs):
        super().__init__(**kwargs)
        self.date_range = date_range
        self.widget.date_range = date_range

    def validate(self, value):
        super().validate(value)
        self.date_range.validate(value, label=self.label)


class DateRangesForm:
    """ModelForm mixin: the fields of the model's ranged dates check their range
    and their inputs carry it (``min`` and ``max``). Checked on the field, the
    range is what a user hears of first: a form's or model's comparison of two
    dates ("the end before the start") skips a date that already failed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, rule in self.instance.get_date_ranges().items():
            field = self.fields.get(name)
            if field is None:
                continue
            field.validators.append(partial(rule.validate, label=field.label))
            if isinstance(field.widget, DateInput):
                field.widget.date_range = rule
