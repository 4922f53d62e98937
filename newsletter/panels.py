"""What the newsletter shows on a report's staff page (activities' registry of
report panels): the issue a published report appeared in, with the link to its
article on the public site. One query, and none for a report not published."""

from __future__ import annotations


def published_panel(user, report) -> dict | None:
    if report.published_at is None:
        return None
    from .models import Article, Issue

    article = (
        Article.objects.filter(
            source_report_id=report.pk, issue__status=Issue.Status.PUBLISHED
        )
        .select_related("issue__publication")
        .only(
            "pk",
            "title",
            "issue__year",
            "issue__number",
            "issue__status",
            "issue__publication__slug",
            "issue__publication__name",
        )
        .order_by("issue__published_at", "pk")
        .first()
    )
    if article is None:
        return None
    return {"article": article, "issue": article.issue}


def register_panels() -> None:
    from activities.panels import ReportPanel, register_report_panel

    register_report_panel(
        ReportPanel(
            "published_in",
            "newsletter/staff/_report_published.html",
            published_panel,
        )
    )
