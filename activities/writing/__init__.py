"""Figures for writing: which numbers in a text the records support, and which
contradict them ("正文写 60%，记录为 8/14 = 57%").

    from activities.writing import text_figure_checks
    checks = text_figure_checks(article.body, report=article.source_report)
    checks.records         # what the records support, to show beside the text
    checks.contradictions  # mentions that contradict a record, each with .message
    checks.supported       # mentions a record confirms
    checks.unverified      # numbers with a unit that no record covers

The text is searched for numbers with a unit (``465人``, ``3260人次``, ``390小时``,
``57%``, ``8条行政村``, ``约152户``, ``3000余人次``, ``十四个村``). Each is
compared with the records of the same kind of count:

- equal to one of them (within what "约", "余", "多" allow): supported;
- otherwise, when the words just before it tie it to one record (``覆盖率达``
  before a percentage, ``共``/``累计``/``达`` before a total, ``志愿者`` before
  persons), or when it is the only one of its kind and so is the record: it
  contradicts that record;
- otherwise it is left unverified. A text names many partial figures (走访重点
  青少年18人 within a report of 262 persons), so a number is flagged only when
  it can be tied to a record: a false alarm teaches editors to ignore the flags.

The records come from the report (its counts; villages it reached out of the
villages of its town; persons from attendance where recorded), its project's
progress (villages covered of the target, activities, person-times, cases) and
the trainings linked to it (sessions, trainees, person-times, hours). Queries:
one for the town's villages, one for linked trainings, three for a project
(none when the caller passes ``progress``), whatever the length of the text.
"""

from activities.writing.records import text_figure_checks

__all__ = ["text_figure_checks"]
