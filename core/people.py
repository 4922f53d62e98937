"""A person's name as staff pages show it: the name, never the login.

Core knows only Django's user. An app that keeps people's names registers a
source in its ``ready()`` (stations: a social worker's 姓名, kept on the
worker's record, which the station maintains and imports); without one, or
when it has no name for a user, the account's own name fields are used, and
the login name only when they are empty.

A source reads a relation of the user (``related``): a list shows names
without a query per row when its queryset selects that relation too,
``select_related(*name_related("started_by"))``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_sources: list[tuple[Callable[[object], str | None], str]] = []

# A Chinese name is written family name first, without a space.
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def register_name_source(resolve: Callable[[object], str | None], *, related: str):
    """``resolve(user)`` returns the person's name, or None when it has none;
    ``related`` is the relation of the user it reads. Registering the same
    source twice (a test that calls ready() again) keeps one."""
    if (resolve, related) not in _sources:
        _sources.append((resolve, related))


def name_related(prefix: str = "") -> list[str]:
    """The ``select_related`` paths the sources read, from a model's user
    field ``prefix`` (empty for a queryset of users)."""
    return [f"{prefix}__{related}" if prefix else related for _r, related in _sources]


def account_name(user) -> str:
    """The name on the account: 姓 then 名 without a space for a Chinese name,
    Django's "first last" otherwise."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


def display_name(user) -> str:
    """The person's name for a staff page; "" for no user."""
    if user is None:
        return ""
    for resolve, _related in _sources:
        name = resolve(user)
        if name:
            return name
    return account_name(user) or user.get_username()
