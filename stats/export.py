"""The dashboard as an Excel workbook: one sheet per table, Chinese headers, the
same unit and period as the page (tablib, written by core/sheets.py so that
a typed title or name is a text cell, never a formula).
A first sheet says what the file holds and by which rules it was counted."""

from __future__ import annotations

import re

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.audit import audit_record
from core.models import AuditEntry
from core.sheets import xlsx_bytes
from stats.dashboard import Dashboard, build_dashboard
from stats.tables import Table, cell_value

# Excel refuses these in a sheet name and cuts names at 31 characters.
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set) -> str:
    name = SHEET_NAME_BAD.sub("", title)[:28] or "表"
    base, n = name, 2
    while name in used:
        name = f"{base[:26]}{n}"
        n += 1
    used.add(name)
    return name


def _dataset(table: Table, title: str) -> tablib.Dataset:
    data = tablib.Dataset(headers=[str(h) for h in table.headers], title=title)
    for row in table.rows:
        data.append([cell_value(v) for v in row])
    if table.total is not None:
        data.append([cell_value(v) for v in table.total])
    return data


def _about(dashboard: Dashboard, user) -> tablib.Dataset:
    # "项目" here is an item of the sheet, not a project (models/projects.py).
    data = tablib.Dataset(
        headers=[pgettext("sheet column", "项目"), _("内容")], title=_("说明")
    )
    data.append([_("统计范围"), dashboard.unit.label])
    data.append([_("统计期间"), dashboard.period.label])
    data.append([_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    data.append([_("导出人"), user.get_username()])
    for tile in dashboard.tiles:
        data.append([str(tile.label), str(tile.value)])
    for section in dashboard.sections:
        if section.intro:
            data.append([str(section.title), str(section.intro)])
    data.append(
        [
            _("百分比"),
            _("各表中“率（%）”列为整数百分比，四舍五入；分母为 0 时留空。"),
        ]
    )
    return data


def dashboard_workbook(dashboard: Dashboard, user) -> bytes:
    used: set = set()
    book = tablib.Databook()
    about = _about(dashboard, user)
    used.add(about.title)
    book.add_sheet(about)
    for section in dashboard.sections:
        for table in section.tables:
            title = _sheet_title(f"{section.title}-{table.title}", used)
            book.add_sheet(_dataset(table, title))
    return xlsx_bytes(book)


def export_filename(dashboard: Dashboard) -> str:
    unit = SHEET_NAME_BAD.sub("", dashboard.unit.label).replace(" ", "")
    return f"{_('统计')}-{unit}-{dashboard.period.slug}.xlsx"


def export_dashboard(user, unit, period, *, request=None, progress=None):
    """``(content, file name)``: every table of the dashboard,
    unabridged, as an .xlsx workbook, for the page's download and the export
    job alike. Figures only, no person's data; the export is still recorded in
    the audit log. ``progress(done, total, step)`` is told of the two steps."""
    if progress:
        progress(0, 2, _("统计各项数字"))
    board = build_dashboard(user, unit, period, late_limit=None, list_limit=None)
    if progress:
        progress(1, 2, _("生成 Excel 文件"))
    content = dashboard_workbook(board, user)
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        target=unit.obj,
        request=request,
        label=unit.label,
        detail=_("统计表导出：%(p)s") % {"p": period.label},
    )
    return content, export_filename(board)
