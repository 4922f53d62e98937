"""What apps above activities show on a report's staff page: a panel each,
registered from their ``AppConfig.ready()``, so the report page shows what it
is given without naming the app (the attendance of beneficiary files, from the
beneficiaries app).

A panel is a template and a function ``context(user, report) -> dict | None``
(None: nothing to show for this report); the template reads its dict as
``panel``. A panel may also hand the page facts under ``"facts"``: the figures
check of the report's text reads ``attendance_persons`` there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportPanel:
    name: str
    template: str
    context: Callable


_PANELS: dict[str, ReportPanel] = {}


def register_report_panel(panel: ReportPanel) -> None:
    _PANELS[panel.name] = panel


def report_panels(user, report) -> list[tuple[str, dict]]:
    """(template, context) of each panel that has something to show, in the
    order they were registered."""
    shown = []
    for panel in _PANELS.values():
        context = panel.context(user, report)
        if context is not None:
            shown.append((panel.template, context))
    return shown


def report_facts(panels: list[tuple[str, dict]]) -> dict:
    facts: dict = {}
    for _template, context in panels:
        facts.update(context.get("facts", {}))
    return facts
