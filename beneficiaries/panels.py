"""What the beneficiaries app shows on a report's staff page (activities'
registry of report panels): how many files attend the report, and the link to
record them for the station's own members. Two queries, as before the move."""

from __future__ import annotations


def attendance_panel(user, report) -> dict | None:
    from . import permissions, selectors

    attendance = selectors.attendance_summary(report)
    can_record = permissions.can_record_attendance(user, report)
    if not attendance and not can_record:
        return None
    return {
        "attendance": attendance,
        "can_record": can_record,
        # The figures check of the report's text: persons by attendance.
        "facts": {"attendance_persons": (attendance or {}).get("persons")},
    }


def register_panels() -> None:
    from activities.panels import ReportPanel, register_report_panel

    register_report_panel(
        ReportPanel(
            "attendance",
            "beneficiaries/staff/_report_attendance.html",
            attendance_panel,
        )
    )
