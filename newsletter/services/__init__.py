"""Every change to the newsletter goes through these functions (CONVENTIONS.md):
each checks permission, validates, writes in a transaction and records who did
it. Split by concept: assembling issues, editing them, the gate, publishing
and corrections, and the privacy sweep of what is published."""

from .assembly import (
    county_title,
    issue_add_reports,
    issue_assemble,
    issue_create,
    issue_update,
    station_title,
)
from .editing import (
    ArticleEditConflict,
    PhotoChoice,
    article_create,
    article_delete,
    article_move,
    article_update,
)
from .past_issues import (
    issue_set_running_number,
    missing_photo_remove,
    missing_photo_replace,
)
from .publishing import (
    PrivacyBlocked,
    issue_correct,
    issue_publish,
    privacy_override,
)
from .sections import section_create, section_delete, section_move, section_rename
from .sweep import (
    SweepReport,
    finding_hide,
    finding_keep,
    finding_withdraw,
    privacy_sweep,
)

__all__ = [
    "ArticleEditConflict",
    "PhotoChoice",
    "PrivacyBlocked",
    "SweepReport",
    "article_create",
    "article_delete",
    "article_move",
    "article_update",
    "county_title",
    "finding_hide",
    "finding_keep",
    "finding_withdraw",
    "issue_add_reports",
    "issue_assemble",
    "issue_correct",
    "issue_create",
    "issue_publish",
    "issue_set_running_number",
    "issue_update",
    "missing_photo_remove",
    "missing_photo_replace",
    "privacy_override",
    "privacy_sweep",
    "section_create",
    "section_delete",
    "section_move",
    "section_rename",
    "station_title",
]
