"""Cells of the beneficiary sheet that the network widgets read too slowly for
a 20,000-row file (bench/beneficiary_import.py)."""

from __future__ import annotations

import datetime
from functools import partial

from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, widgets

from stations.resources import ChineseDateWidget


class DateWidget(ChineseDateWidget):
    """Dates as the network sheets take them; ISO dates (what Excel and the
    template give) without strptime, which costs more than the rest of a row."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        return super().clean(value, row, **kwargs)


class ChoiceWidget(widgets.Widget):
    """A choice column that takes the stored value or its label (as
    stations.resources.choice_field), with the labels translated once per
    language instead of once per cell."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices
        self._maps: dict[str, dict[str, str]] = {}

    def _map(self) -> dict[str, str]:
        language = translation.get_language() or ""
        if language not in self._maps:
            mapping = {}
            for stored, label in self.choices:
                mapping[str(stored)] = stored
                mapping[str(label)] = stored
            self._maps[language] = mapping
        return self._maps[language]

    def clean(self, value, row=None, **kwargs):
        return self._clean(self._map(), value)

    def cleaner(self):
        """``clean`` for a whole file, read in one language: the labels are
        looked up once, not once per cell (the active language is a
        thread-local lookup that costs more than the rest of the cell)."""
        return partial(self._clean, self._map())

    def _clean(self, mapping, value):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        try:
            return mapping[text]
        except KeyError:
            raise ValueError(
                _("“%(v)s”无效，应为：%(ok)s")
                % {"v": text, "ok": "、".join(str(label) for _s, label in self.choices)}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


def choice_column(attribute, column, choices):
    return fields.Field(
        attribute=attribute, column_name=column, widget=ChoiceWidget(choices)
    )
