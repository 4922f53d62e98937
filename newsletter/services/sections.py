"""Editing an issue's sections: add, rename, move and remove them. Only a
draft's sections change; a published issue keeps the sections it was printed
with."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stations.permissions import require

from .. import permissions
from ..models import Issue, Section
from .editing import _locked_draft


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写栏目名称。")})
    if len(title) > 40:
        raise ValidationError({"title": _("栏目名称不能超过 40 个字。")})
    return title


@transaction.atomic
def section_create(*, issue: Issue, title: str, by, kind=Section.Kind.OTHER) -> Section:
    require(permissions.can_edit_issue(by, issue))
    _locked_draft(issue)
    last = (
        issue.sections.order_by("-position").values_list("position", flat=True).first()
    )
    section = Section(
        issue=issue, title=_clean_title(title), position=(last or 0) + 1, kind=kind
    )
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_rename(*, section: Section, title: str, by) -> Section:
    require(permissions.can_edit_issue(by, section.issue))
    _locked_draft(section.issue)
    section.title = _clean_title(title)
    section.save(update_fields=["title"])
    return section


@transaction.atomic
def section_move(*, section: Section, position: int, by) -> Section:
    issue = section.issue
    require(permissions.can_edit_issue(by, issue))
    _locked_draft(issue)
    order = list(issue.sections.exclude(pk=section.pk).order_by("position", "pk"))
    index = min(max(int(position), 1), len(order) + 1) - 1
    order.insert(index, section)
    changed = []
    for n, item in enumerate(order, start=1):
        if item.position != n:
            item.position = n
            changed.append(item)
    Section.objects.bulk_update(changed, ["position"])
    section.position = index + 1
    return section


@transaction.atomic
def section_delete(*, section: Section, by) -> None:
    """Remove an empty section of a draft."""
    issue = section.issue
    require(permissions.can_edit_issue(by, issue))
    _locked_draft(issue)
    if section.articles.exists():
        raise ValidationError(_("栏目中还有文章，请先移走或删除这些文章。"))
    section.delete()
    order = list(issue.sections.order_by("position", "pk"))
    for n, item in enumerate(order, start=1):
        item.position = n
    Section.objects.bulk_update(order, ["position"])
