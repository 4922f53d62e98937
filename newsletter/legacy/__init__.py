"""Legacy import: past issues of the newsletter read from the files a bureau
keeps of them (DESIGN.md §7) into published issues, or drafts where an editor
must look first. This package reads the files; it holds no model or view.

- ``source.read_lines(data, filename)``: any accepted file as lines, one a
  paragraph: text copies (reflow.py rejoins a text saved from a PDF), Word
  (.docx), old Word and WPS (.doc, .wps, converted by LibreOffice in
  convert.py), PDFs with a text layer (pdf.py, pdflayout.py) and scans, PDFs
  of page pictures or photos of pages (ocr.py, scan_pages.py). Page numbers
  and running heads are furniture.py's.
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
