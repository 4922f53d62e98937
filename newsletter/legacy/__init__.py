"""Legacy import: past issues of the newsletter read from their plain-text or
Word (.docx) copies into published issues (DESIGN.md §7, issue 7).

- ``reader.read_issue(data, filename)`` -> ``structure.ParsedIssue``: the table of
  contents, the sections and their articles (title, subtitle, blocks), paired
  with the contents. No database.
- ``matching.Gazetteer(city).match(...)``: the county or station an article is
  about, or the reason it was left unmatched.
- ``services.issue_import(...)``: the import itself, or its dry run.
- ``management/commands/import_issue.py`` and the upload screen (views.py,
  urls.py) on top of it.

See README.md in this folder for the rules and the command's JSON.
"""
