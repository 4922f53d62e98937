"""Ten years of monthly published issues per city, made as ``issue_assemble``
and ``issue_publish`` would make them: the three standard sections, one article
per sampled approved report in its level's section (ordered by county, then
date), titles prefixed with the county and town, bodies in the article format,
search columns computed by the same function ``Article.save`` uses, numbers
counted per year and running numbers from 1, and the source reports marked
published."""

from __future__ import annotations

import datetime

from activities.models import ActivityReport
from newsletter.models import Article, ArticlePhoto, Issue, Publication, Section
from newsletter.models.issues import STANDARD_SECTIONS
from newsletter.rendering import report_body_to_html
from newsletter.search.text import search_columns
from newsletter.services.assembly import article_title
from stations.models import County, Station, Town

from .plan import Calendar, at

SECTION_OF_LEVEL = {"city": "city", "county": "county", "station": "station"}


def _title(candidate, net) -> str:
    """The article title the assembly would give, from unsaved model objects."""
    station = net.stations[candidate.station_index]
    county = County(
        name=station.county.name, short_name=station.county.short_name, aliases=""
    )
    town = Town(name=station.town_name, county=county)
    report = ActivityReport(
        level=candidate.level,
        title=candidate.title,
        county=county if candidate.level != "city" else None,
        station=Station(name=station.name, town=town)
        if candidate.level == "station"
        else None,
    )
    return article_title(report)


def _order(candidate, net):
    if candidate.level == "city":
        return (-1, candidate.start_date, candidate.id)
    county = net.stations[candidate.station_index].county
    return (county.index, candidate.start_date, candidate.id)


class _Tables:
    def __init__(self, writer):
        self.publications = writer.table(
            Publication, ("id", "name", "slug", "city_id", "bureau", "is_active")
        )
        self.issues = writer.table(
            Issue,
            (
                "id",
                "publication_id",
                "year",
                "number",
                "running_number",
                "issue_date",
                "status",
                "published_at",
                "created_by_id",
                "created_at",
                "updated_at",
                "period_start",
                "period_end",
                "source",
            ),
        )
        self.sections = writer.table(
            Section, ("id", "issue_id", "title", "position", "kind")
        )
        self.articles = writer.table(
            Article,
            (
                "id",
                "issue_id",
                "section_id",
                "position",
                "title",
                "body",
                "source_report_id",
                "county_id",
                "station_id",
                "source_title",
                "source_body",
                "created_at",
                "updated_at",
                "search_text",
                "search_grams",
            ),
        )
        self.photos = writer.table(
            ArticlePhoto,
            (
                "id",
                "article_id",
                "position",
                "report_photo_id",
                "caption",
                "shows_people",
                "consent",
                "width",
                "height",
            ),
        )


def build_issues(writer, ids, sizes, net, people, reservoir, calendar) -> None:
    tables = _Tables(writer)
    months = calendar.months
    most = len(net.cities) * len(months)
    publication_id = ids.take(Publication, len(net.cities))
    issue_id = ids.take(Issue, most)
    section_id = ids.take(Section, most * len(STANDARD_SECTIONS))
    article_id = ids.take(Article, most * sizes.articles_per_issue)
    photo_id = ids.take(
        ArticlePhoto, most * sizes.articles_per_issue * sizes.photos_per_report
    )
    published: dict[datetime.datetime, list[int]] = {}
    for city in net.cities:
        pub = publication_id + city.index
        short = city.name.removesuffix("市")
        writer.add(
            tables.publications,
            (
                pub,
                f"{short}民政简报",
                f"scale-{city.code}",
                city.id,
                f"{city.name}民政局",
                True,
            ),
        )
        editor = people.editor_first + city.index
        running, year, number = 0, None, 0
        for m, (y, month) in enumerate(months):
            candidates = reservoir.kept.get((city.index, m))
            if not candidates:
                continue  # a month without approved reports has no issue
            issue_date = Calendar.issue_date(y, month)
            running += 1
            number = number + 1 if issue_date.year == year else 1
            year = issue_date.year
            when = at(issue_date, 10)
            made = at(issue_date - datetime.timedelta(days=5), 9)
            last_day = issue_date.replace(day=1) - datetime.timedelta(days=1)
            writer.add(
                tables.issues,
                (
                    issue_id,
                    pub,
                    year,
                    number,
                    running,
                    issue_date,
                    "published",
                    when,
                    editor,
                    made,
                    when,
                    last_day.replace(day=1),
                    last_day,
                    "assembled",
                ),
            )
            sections = {}
            for position, (kind, title) in enumerate(STANDARD_SECTIONS, start=1):
                writer.add(
                    tables.sections, (section_id, issue_id, title, position, kind)
                )
                sections[str(kind)] = [section_id, 0]
                section_id += 1
            for candidate in sorted(candidates, key=lambda c: _order(c, net)):
                section = sections[SECTION_OF_LEVEL[candidate.level]]
                section[1] += 1
                station = net.stations[candidate.station_index]
                title = _title(candidate, net)
                body = report_body_to_html(candidate.body)
                search_text, grams = search_columns(title, "", body)
                writer.add(
                    tables.articles,
                    (
                        article_id,
                        issue_id,
                        section[0],
                        section[1],
                        title,
                        body,
                        candidate.id,
                        station.county.id if candidate.level != "city" else None,
                        station.id if candidate.level == "station" else None,
                        candidate.title,
                        candidate.body,
                        made,
                        made,
                        search_text,
                        grams,
                    ),
                )
                for position, photo in enumerate(candidate.photos, start=1):
                    report_photo, caption, shows_people, width, height = photo
                    writer.add(
                        tables.photos,
                        (
                            photo_id,
                            article_id,
                            position,
                            report_photo,
                            caption,
                            shows_people,
                            shows_people,
                            width,
                            height,
                        ),
                    )
                    photo_id += 1
                published.setdefault(when, []).append(candidate.id)
                article_id += 1
            issue_id += 1
    writer.commit()
    for when, report_ids in published.items():
        ActivityReport.objects.filter(pk__in=report_ids).update(published_at=when)
    writer.commit()
