"""The rows of a dashboard table, written in Python.

A county's page holds some 3,000 cells; through the template language each one
cost a loop step, three ``{% if %}`` and a failed ``value.href`` lookup on an
int (a dict, an attribute and a list index tried in turn, each raising), about
60 ms of the page at province scale. This writes the same markup, a cell value
rendered as ``{{ value }}`` renders it (localized, then escaped).
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

# What the template put between two rows (the line break and indentation of
# _table.html), kept so that the page's bytes do not change.
ROW_END = "</tr>\n      "


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """``<tr>`` per row of ``table``: the first cell a row header, numeric cells
    classed ``num``, a ``Link`` as a link, None as a dash; a table without rows
    says ``table.empty``."""
    if not table.rows:
        empty = table.empty or _("没有数据。")
        return mark_safe(
            f'<tr><td colspan="{len(table.headers)}">'
            f"{render_value_in_context(empty, context)}</td></tr>"
        )
    # A cell beyond the headers is not shown (as ``Table.cells`` pairs them).
    opening = ['<th scope="row">'] + [
        '<td class="num">' if numeric else "<td>" for numeric in table.numeric[1:]
    ]
    opening = opening[: len(table.numeric)]
    parts = []
    for row in table.rows:
        parts.append("<tr>")
        for index, (value, tag) in enumerate(zip(row, opening, strict=False)):
            parts.append(tag)
            href = getattr(value, "href", None)
            if href:
                parts.append(
                    f'<a href="{render_value_in_context(href, context)}">'
                    f"{render_value_in_context(value.text, context)}</a>"
                )
            elif value is None:
                parts.append("—")
            else:
                parts.append(render_value_in_context(value, context))
            parts.append("</th>" if index == 0 else "</td>")
        parts.append(ROW_END)
    return mark_safe("".join(parts))
