"""One list on the staff home's to-do lists: its first items, oldest first, and
how many there are in all. The apps' selectors build these from their own
querysets; the staff home (portal) only lays them out."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Window

# Items each list shows; a link leads to the whole list.
TODO_LIMIT = 5


@dataclass
class TodoList:
    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        """How many the home does not show."""
        return max(0, self.total - len(self.items))

    def __bool__(self) -> bool:
        return bool(self.total)


def first_and_total(qs: QuerySet, limit: int = TODO_LIMIT) -> TodoList:
    """The first ``limit`` rows of ``qs`` (already ordered) and the number of all
    its rows, in one query: the count is a window over the whole result, taken
    before the limit applies."""
    items = list(qs.annotate(todo_total=Window(expression=Count("*")))[:limit])
    total = items[0].todo_total if items else 0
    return TodoList(items=items, total=total)
