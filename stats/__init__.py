"""Statistics: what the stations did, for whom, and whether they reported on
time, by station, county, city and province. An app above activities and
beneficiaries, whose figures it counts; nothing below imports it.

- ``scope.py``: the unit a dashboard is about (city, county, station, a
  supervisor's stations) and which units a user may choose; always on top of
  the scope module's filters.
- ``period.py``: whole months from/to, parsed from the query string.
- ``reports.py``, ``timeliness.py``, ``network.py``, ``beneficiaries.py``: the
  figures, each a grouped query in the database (``values().annotate()``,
  conditional aggregation, ``TruncMonth``); Python arranges grouped rows, it
  never loads report rows to count them.
- ``dashboard.py`` and ``sections/``: the figures as tiles and tables;
  ``charts.py`` draws their bar charts as SVG; ``export.py`` writes the same
  tables to an Excel workbook; ``snapshots.py`` keeps the figures of the
  province, the cities and the counties between counts.
- ``views.py``, ``staff_urls.py``, ``jobs.py`` (the background export);
  ``templatetags/stats_tables.py`` writes the tables' rows.

Counts of different kinds (人次, 户, 人) are summed each on its own and never
added to each other (DESIGN.md §2). Figures for writing (a text's numbers
against the records) belong to activities (activities/writing/).
"""
