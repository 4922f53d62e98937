"""Template filters of the print view (templates/newsletter/print.html)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from newsletter.typesetting import PAPER_SUBTITLE_WIDTH, PAPER_TITLE_WIDTH, title_lines

register = template.Library()


def _paper_lines(text: str, width: int):
    lines = title_lines(text, width) if text else []
    if len(lines) < 2:
        return conditional_escape(text)
    return format_html(
        '<span class="nl-title-screen">{}</span><span class="nl-title-paper">{}</span>',
        text,
        mark_safe("<br>".join(conditional_escape(line) for line in lines)),  # escaped
    )


@register.filter
def paper_title(title):
    """An article's title as the print view shows it. A title that fits one
    line of the paper is left as it is. A longer one is given twice, in one
    HTML for every reader: the paper's lines (newsletter/typesetting.py:
    broken between phrases, never a line of one or two characters) joined with
    ``<br>`` in ``.nl-title-paper``, shown where the sheet has the paper's width
    (printed, or a wide screen); the plain title in ``.nl-title-screen``,
    shown where the width varies (a phone, a narrow window). The style sheet
    (static/css/newsletter-print.css) shows one and hides the other with
    ``display: none``, so screen readers and copied text get the title once."""
    return _paper_lines(str(title or ""), PAPER_TITLE_WIDTH)


@register.filter
def paper_subtitle(subtitle):
    """A subtitle after its dash (——), broken as ``paper_title`` breaks a
    title, at the subtitle's size."""
    return _paper_lines(f"——{subtitle}" if subtitle else "", PAPER_SUBTITLE_WIDTH)
