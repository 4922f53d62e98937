"""The workflow's personas, actions and history, shared by the workflow test
modules (DESIGN.md §4, §5)."""

from activities.models import ReportTransition

Action = ReportTransition.Action


PERSONAS = [
    "worker",
    "head",
    "other_worker",
    "supervisor",
    "reviewer",
    "other_reviewer",
    "editor",
    "other_editor",
    "nobody",
    "superuser",
]


def _history(report):
    return list(
        ReportTransition.objects.filter(report=report)
        .order_by("at", "pk")
        .values_list("action", "from_status", "to_status", "by__username", "comment")
    )
