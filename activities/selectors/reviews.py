"""What changed in a resubmitted report since its reviewer last sent it back,
read from the history the report page has loaded (no query of its own)."""

from __future__ import annotations

from dataclasses import dataclass

from activities.models import ActivityReport, ReportTransition, Status
from activities.review_changes import ReportChanges, report_changes, reviewable_content

SENT_BACK = (ReportTransition.Action.RETURN, ReportTransition.Action.WITHDRAW)


@dataclass(frozen=True)
class Resubmission:
    step: ReportTransition  # the return (or withdrawal) it answers
    changes: ReportChanges


def resubmission_changes(report: ActivityReport) -> Resubmission | None:
    """For a report submitted again after it was sent back: the step that sent
    it back and what changed since. None for any other report, and for one sent
    back before snapshots were kept. Uses the history and lists as loaded by
    ``report_for_page``."""
    if report.status != Status.SUBMITTED:
        return None
    steps = [t for t in report.transitions.all() if t.action in SENT_BACK]
    if not steps:
        return None
    step = steps[-1]
    snapshot = getattr(step, "snapshot", None)
    if snapshot is None:
        return None
    return Resubmission(
        step=step, changes=report_changes(snapshot.content, reviewable_content(report))
    )
