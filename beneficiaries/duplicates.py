"""Duplicate files: a person is transferred between stations, never filed twice.

Two rules (DESIGN.md §6): the same ID number anywhere in the installation, or the
same name and birth date in the same city. A match is offered to the user as the
existing file (masked) instead of creating a second one."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary


class DuplicateFile(ValidationError):
    """Raised by the services when a file would repeat an existing one. ``matches``
    are the existing files, with their station and place loaded; ``by_id`` says
    whether the ID number matched (a hard stop) or only name and birth date (the
    user may confirm it is someone else)."""

    def __init__(self, matches: list[Beneficiary], *, by_id: bool):
        if by_id:
            message = _(
                "系统中已有同一身份证号的档案，不能重复建档；如已迁入本站，请由原社工站办理转移。"
            )
        else:
            message = _("本市已有同名、同出生日期的档案，请核对是否为同一人。")
        super().__init__(message, code="duplicate")
        self.matches = matches
        self.by_id = by_id


def find_duplicates(
    *,
    id_number: str,
    name: str,
    birth_date: datetime.date | None,
    city_id: int,
    exclude_pk: int | None = None,
) -> tuple[list[Beneficiary], bool]:
    """(matching files, whether they matched by ID number). ID matches win: if
    any, name matches are not looked for."""
    base = Beneficiary.objects.select_related("station__town__county__city")
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    if id_number:
        by_id = list(base.filter(id_number=id_number)[:5])
        if by_id:
            return by_id, True
    if name and birth_date:
        same = list(
            base.filter(
                name=name,
                birth_date=birth_date,
                station__town__county__city_id=city_id,
            )[:5]
        )
        return same, False
    return [], False


def describe(match: Beneficiary) -> str:
    """A one-line, masked description of an existing file for a message or an
    import row error."""
    parts = [match.name]
    if match.id_number:
        parts.append(match.id_number_masked)
    parts.append(match.station.full_name)
    parts.append(str(match.get_status_display()))
    return "，".join(parts)
