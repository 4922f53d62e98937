"""Legacy import: past issues of the newsletter read from their plain-text or
Word (.docx) copies into published issues (DESIGN.md §7). This package reads
the files; it holds no model, view or service.

- ``reader.read_issue(data, filename)`` -> ``structure.ParsedIssue``: the table of
  contents, the sections and their articles (title, subtitle, blocks), paired
  with the contents. No database.
- ``matching.Gazetteer(city).match(...)``: the county or station an article is
  about, or the reason it was left unmatched.
- ``newsletter/services/legacy.py``, ``issue_import(...)``: the import itself,
  or its dry run; ``import_issue`` and the upload screen
  (``newsletter/views/legacy.py``) on top of it.

See README.md in this folder for the rules and the command's JSON.
"""
