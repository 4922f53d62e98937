"""The kinds of job, as the apps register them from their ``AppConfig.ready()``,
and what a runner returns.

A kind says how its jobs run and who may see them: the framework asks the
kind, never an app's scope module, so adding a kind touches only the app that
owns it (its ``ready()`` calls ``register``) and writes no migration (the kind
is stored as its name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

MAX_ROW_ERRORS = 1000
LOG_TAIL_CHARS = 4000
CACHE_SECONDS = 24 * 3600


@dataclass
class JobResult:
    """What a runner hands back. ``ok=False`` means nothing was written for the
    batch (a file with errors, a refused request): the job ends as failed, with
    ``message`` and ``row_errors`` saying why."""

    ok: bool = True
    message: str = ""
    summary: dict = field(default_factory=dict)
    # [{"line": 3, "errors": ["…"]}, …]; line None for a whole-file problem.
    row_errors: list = field(default_factory=list)
    file_name: str = ""
    file_data: bytes | None = None
    url: str = ""


@dataclass(frozen=True)
class JobKind:
    """A kind of job.

    - ``name``: what ``Job.kind`` stores (30 characters at most);
    - ``label``: its name for people;
    - ``runner``: ``run(job, progress) -> JobResult``, next to the service it
      calls; it acts as ``job.started_by``, whose rights the service checks;
    - ``visible_to``: ``visible_to(user) -> Q`` over jobs, those of this kind
      the user may see besides their own (the managers of the job's unit, say);
      None for "the starter only";
    - ``sensitive_input``: its upload holds personal data, and goes after a day.
    """

    name: str
    label: str
    runner: Callable
    visible_to: Callable | None = None
    sensitive_input: bool = False


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Add ``kind``; registering the same name again replaces it (a test's
    stand-in runner, an app reloaded)."""
    if len(kind.name) > 30:
        raise ValueError(f"job kind name too long: {kind.name!r}")
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def kind_label(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind else name


def visible_q(user) -> Q:
    """The jobs ``user`` may see besides their own: each kind's rule for its
    jobs, OR-ed. Kinds sharing a rule share one term, so the rule's conditions
    appear once in the query, not once per kind."""
    by_rule: dict[Callable, list[str]] = {}
    for kind in kinds():  # by name: the same query whatever the order of ready()
        if kind.visible_to is not None:
            by_rule.setdefault(kind.visible_to, []).append(kind.name)
    q = Q(pk__in=[])
    for rule, names in by_rule.items():
        q |= Q(kind__in=names) & rule(user)
    return q
