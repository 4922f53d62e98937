"""Spreadsheet export and import of activity reports (django-import-export).

Export gives the reports the user may read (activities/permissions/reports.py), in
a fixed number of queries whatever their number: ``reports_export_queryset(user)``.

Import is for back-filling reports written before the portal existed, so that the
statistics and the archive start from the real history. Decisions:

- A back-filled row becomes an **approved** report straight away: the work was
  done and reported long ago, and sending hundreds of old reports through the
  review queue would bury the current ones. Its history holds one step, "创建 →
  已通过", by the importing user with the comment "历史数据导入"; the importing
  user is recorded as author and approver. It is not marked as published
  (``published_at`` stays empty): if a row turns out wrong, the reviewer can still
  withdraw it and the author correct it.
- Only users who review the unit may back-fill it, since the rows skip review: a
  county reviewer for their county's stations and their county bureau, a city
  editor for everything in their city, a superuser for all. Workers and
  supervisors may not back-fill.
- Rows only add reports; nothing is updated or deleted. A row that repeats a
  report (same filing unit, title and start date) in the file or in the database
  is refused, so running the same file twice adds nothing.
- "状态" is exported for reading and ignored on import. Partner names that are not
  in the editable list go to "其他合作单位" rather than being refused, as on the
  filing form; an unknown activity kind or beneficiary category is an error.
- Every problem is reported against its row in Chinese, and nothing is written
  unless the whole file is clean (``import_reports`` runs a dry run first; the
  admin only offers to confirm a clean dry run and rolls back on any error).
"""

from .backfill import import_reports, template_headers
from .reports import BACKFILL_COMMENT, ActivityReportResource
from .scope import reports_export_queryset

__all__ = [
    "ActivityReportResource",
    "BACKFILL_COMMENT",
    "import_reports",
    "reports_export_queryset",
    "template_headers",
]
