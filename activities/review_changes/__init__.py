"""What changed in a report since its reviewer last sent it back.

When a reviewer returns a report (or withdraws an approval), the services keep
what the report said at that moment (``reviewable_content``, stored as a
``ReportReviewSnapshot``). Once it is submitted again, its page compares that
with what it says now (``report_changes``): field by field, paragraph by
paragraph and caption by caption, each change marked up with ``<del>`` and
``<ins>`` and a text label, so the change reads without colour and to a screen
reader.

    content = reviewable_content(report)      # uses the report's prefetches
    changes = report_changes(snapshot.content, content)
    changes.fields, changes.paragraphs, changes.captions, bool(changes)
"""

from activities.review_changes.content import FIELDS, reviewable_content
from activities.review_changes.diff import Change, ReportChanges, report_changes

__all__ = ["FIELDS", "Change", "ReportChanges", "report_changes", "reviewable_content"]
