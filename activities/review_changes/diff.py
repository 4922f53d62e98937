"""The difference between two reviewable contents (``content.py``) as marked-up
changes: ``<del>`` for what went, ``<ins>`` for what came, each with a hidden
text label for screen readers, and a visible word for the kind of change, so
nothing relies on colour."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .content import FIELDS

CHANGED, ADDED, REMOVED = "changed", "added", "removed"
# Below this similarity a paragraph reads better as replaced whole than as a
# patchwork of one-character changes.
INLINE_MIN_RATIO = 0.4
# Values that read better replaced whole ("21" → "25") than as the characters
# that changed ("2" kept, "1" → "5"): counts, dates, the kind.
WHOLE_FIELDS = {
    "dates",
    "kind",
    "person_times",
    "households",
    "persons",
    "volunteers",
    "service_hours",
    "photos",
}


@dataclass(frozen=True)
class Change:
    kind: str  # changed, added, removed
    label: str  # the field, 第N段 or 第N张照片的说明
    html: SafeString

    @property
    def kind_label(self) -> str:
        return {CHANGED: _("修改"), ADDED: _("新增"), REMOVED: _("删除")}[self.kind]


@dataclass
class ReportChanges:
    fields: list = field(default_factory=list)
    paragraphs: list = field(default_factory=list)
    captions: list = field(default_factory=list)
    unchanged_paragraphs: int = 0

    def __bool__(self) -> bool:
        return bool(self.fields or self.paragraphs or self.captions)

    @property
    def count(self) -> int:
        return len(self.fields) + len(self.paragraphs) + len(self.captions)


ARROW = '<span class="change-arrow" aria-hidden="true"> → </span>'


def _del(text: str) -> str:
    if not text:
        return ""
    return (
        f'<del><span class="visually-hidden">{escape(_("［删除："))}</span>'
        f'{escape(text)}<span class="visually-hidden">］</span></del>'
    )


def _ins(text: str) -> str:
    if not text:
        return ""
    return (
        f'<ins><span class="visually-hidden">{escape(_("［新增："))}</span>'
        f'{escape(text)}<span class="visually-hidden">］</span></ins>'
    )


def inline_diff(old: str, new: str, *, whole: bool = False) -> SafeString:
    """``old`` turned into ``new``, character by character (Chinese has no spaces
    to split words on); a whole replacement when ``whole`` or when they have
    little in common."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if whole or matcher.ratio() < INLINE_MIN_RATIO:
        # An arrow between the two, so that "21" struck and "25" underlined do
        # not read as one number "2125".
        return mark_safe(_del(old) + ARROW + _ins(new))
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(old[i1:i2]))
        else:
            parts.append(_del(old[i1:i2]) + _ins(new[j1:j2]))
    return mark_safe("".join(parts))


def _one(old: str, new: str, label: str, *, whole: bool = False) -> Change | None:
    if old == new:
        return None
    if not old:
        return Change(ADDED, label, mark_safe(_ins(new)))
    if not new:
        return Change(REMOVED, label, mark_safe(_del(old)))
    return Change(CHANGED, label, inline_diff(old, new, whole=whole))


def _lists(old: list, new: list, label) -> tuple[list, int]:
    """Changes between two lists of texts (paragraphs, captions), aligned so that
    an added paragraph does not show every later one as changed; ``label(n)``
    names the n-th (1-based, in the new text; in the old one for a removal)."""
    changes, unchanged = [], 0
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            unchanged += i2 - i1
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            before = olds[k] if k < len(olds) else ""
            after = news[k] if k < len(news) else ""
            number = j1 + k + 1 if k < len(news) else i1 + k + 1
            change = _one(before, after, label(number))
            if change is not None:
                changes.append(change)
    return changes, unchanged


def report_changes(before: dict, after: dict) -> ReportChanges:
    """What changed from ``before`` (a snapshot's content) to ``after``."""
    changes = ReportChanges()
    old_fields, new_fields = before.get("fields", {}), after.get("fields", {})
    for name, label in FIELDS:
        change = _one(
            old_fields.get(name, ""),
            new_fields.get(name, ""),
            str(label),
            whole=name in WHOLE_FIELDS,
        )
        if change is not None:
            changes.fields.append(change)
    changes.paragraphs, changes.unchanged_paragraphs = _lists(
        before.get("body", []),
        after.get("body", []),
        lambda n: _("第%(n)s段") % {"n": n},
    )
    changes.captions, _unchanged = _lists(
        before.get("captions", []),
        after.get("captions", []),
        lambda n: _("第%(n)s张照片的说明") % {"n": n},
    )
    return changes
