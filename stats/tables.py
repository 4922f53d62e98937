"""The dashboard's tables as plain data, so that the page and the Excel export
show the same rows under the same Chinese headers (one definition, two
renderings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.safestring import SafeString

from activities.selectors.projects import percent


def one_decimal(value) -> Decimal:
    """Hours as one decimal, whatever the database hands back for a sum (SQLite
    an integer or float, PostgreSQL a numeric of its own scale)."""
    return Decimal(value or 0).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Ratio:
    """``done`` of ``total`` as a whole percentage, halves rounded up (8 of 14 is
    57%, as the project progress figures round). A table cell shows "57%", the
    figure in full is "8 / 14 = 57%"."""

    done: int
    total: int

    @property
    def percent(self) -> int | None:
        return percent(self.done, self.total)

    @property
    def full(self) -> str:
        if not self.total:
            return f"{self.done} / 0"
        return f"{self.done} / {self.total} = {self.percent}%"

    def __str__(self) -> str:
        return f"{self.percent}%" if self.total else "—"


@dataclass(frozen=True)
class Link:
    """A cell that links to another dashboard (a station of a breakdown)."""

    text: str
    href: str

    def __str__(self) -> str:
        return self.text


def cell_value(value):
    """What a cell holds in the Excel file: numbers stay numbers, a ratio is its
    percentage, links and labels are text, nothing is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, Ratio):
        return value.percent if value.total else ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal | float):
        return value
    return str(value)


def is_number(value) -> bool:
    return isinstance(value, int | Decimal | float | Ratio) and not isinstance(
        value, bool
    )


def _text(value):
    return str(value) if isinstance(value, Promise) else value


@dataclass
class Table:
    key: str  # anchor on the page, sheet name in the file
    title: str
    headers: list[str]
    rows: list[list]
    total: list | None = None
    note: str = ""
    chart: SafeString | None = None
    empty: str = ""
    # Shown when the page lists fewer rows than there are (the export has all).
    more: int = 0
    numeric: list[bool] = field(default_factory=list)

    def __post_init__(self):
        # Lazy translations become text now, in the language being counted (a
        # snapshot's key holds it): unpickling a lazy string makes a class of
        # its own (django.utils.functional.lazy), which took 15 ms of reading
        # a county's snapshot.
        self.headers = [_text(h) for h in self.headers]
        self.rows = [[_text(c) for c in row] for row in self.rows]
        if self.total is not None:
            self.total = [_text(c) for c in self.total]
        if not self.numeric:
            # A column is numeric when any of its cells is a number.
            rows = [*self.rows, *([self.total] if self.total else [])]
            self.numeric = [
                any(is_number(row[n]) for row in rows if n < len(row))
                for n in range(len(self.headers))
            ]

    @property
    def numeric_columns(self) -> set[int]:
        return {n for n, numeric in enumerate(self.numeric) if numeric}

    @property
    def cells(self):
        """Rows for the template: (value, numeric) pairs."""
        return [list(zip(row, self.numeric, strict=False)) for row in self.rows]

    @property
    def total_cells(self):
        if self.total is None:
            return None
        return list(zip(self.total, self.numeric, strict=False))
