"""Reads for the newsletter pages. Each selector owns its joins and prefetches, so
the page built on it runs a fixed number of queries whatever the number of
sections, articles and photos (tests/newsletter/ pins them)."""

from __future__ import annotations

import enum

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404

from activities.models import ActivityReport, Status
from core.todo import first_and_total
from stations.models import County

from . import permissions, public_cache
from .models import (
    Article,
    ArticlePhoto,
    Issue,
    IssueCorrection,
    PrivacyFinding,
    Publication,
    Section,
)
from .rendering import article_blocks

# What a rendered article needs besides its row: where it is from, for the link
# to its station or county page.
ARTICLE_RELATED = ("county", "station__town__county")
# The search columns (newsletter/search/): only the search reads them, and on
# PostgreSQL the vector is large to send. Pages that show articles defer them.
SEARCH_COLUMNS = ("search_text", "search_grams")


def reports_for_assembly(
    publication: Publication, *, start=None, end=None
) -> QuerySet[ActivityReport]:
    """Approved reports of the publication's city that no published issue
    carries, annotated with ``held``: whether a draft of this publication already
    holds them. ``start``/``end`` bound the day the activity started."""
    held = Article.objects.filter(
        source_report=OuterRef("pk"),
        issue__publication=publication,
        issue__status=Issue.Status.DRAFT,
    )
    in_published = Article.objects.filter(
        source_report=OuterRef("pk"), issue__status=Issue.Status.PUBLISHED
    )
    qs = ActivityReport.objects.filter(
        city_id=publication.city_id,
        status=Status.APPROVED,
        published_at__isnull=True,
    ).exclude(Exists(in_published))
    if start:
        qs = qs.filter(start_date__gte=start)
    if end:
        qs = qs.filter(start_date__lte=end)
    return qs.annotate(
        held=Exists(held),
        held_by=Subquery(held.order_by("issue_id").values("issue")[:1]),
    )


def drafts_named(pks) -> dict[int, Issue]:
    """The drafts of ``pks`` by pk, each with its publication and the number its
    name carries: one query."""
    return {
        issue.pk: issue
        for issue in Issue.objects.filter(pk__in=pks)
        .select_related("publication")
        .with_next_number()
    }


def assembly_overview(publication: Publication) -> dict:
    """What assembling would find in ``publication`` without dates: how many
    approved, unpublished reports are free and the span of their activity
    dates, and the drafts that hold the others with their number each. Two
    queries (one when no draft holds any)."""
    rows = list(
        reports_for_assembly(publication)
        .order_by()
        .values("held_by")
        .annotate(n=Count("pk"), first=Min("start_date"), last=Max("start_date"))
    )
    free = next((row for row in rows if row["held_by"] is None), None)
    held = [row for row in rows if row["held_by"] is not None]
    drafts = drafts_named([row["held_by"] for row in held]) if held else {}
    return {
        "publication": publication,
        "free": free["n"] if free else 0,
        "first": free["first"] if free else None,
        "last": free["last"] if free else None,
        "held": sorted(
            ((drafts[row["held_by"]], row["n"]) for row in held),
            key=lambda pair: pair[0].pk,
        ),
    }


def reports_to_add(issue: Issue, limit: int = 200) -> list[ActivityReport]:
    """The reports an editor may still add to a draft, newest activity first: one
    query, the unit of each joined."""
    return list(
        reports_for_assembly(issue.publication)
        .filter(held=False)
        .select_related("city", "county", "station__town__county", "kind")
        .order_by("-start_date", "-pk")[:limit]
    )


def issue_list(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    """A list of issues with their publication, article count and, for a
    draft's name, the number it would take: one query."""
    return (
        issues.select_related("publication")
        .with_next_number()
        .annotate(article_count=Count("articles"))
        .order_by("status", "-year", "-number", "-pk")
    )


# The ``reader`` of an issue's contents: a staff user reads the articles
# permissions.articles_visible_in_issue gives them (a county reviewer: the
# county's only); PUBLIC, the public site, reads a published issue whole and a
# draft not at all, so a staff page that forgot to name its reader shows an
# empty draft rather than another county's articles; UNSCOPED is for trusted
# callers with no user, such as export_issue.
class Reader(enum.Enum):
    PUBLIC = "public"
    UNSCOPED = "unscoped"


PUBLIC, UNSCOPED = Reader.PUBLIC, Reader.UNSCOPED


def articles_for_reader(issue: Issue, reader) -> QuerySet[Article]:
    """The articles of ``issue`` that ``reader`` (a user, PUBLIC or UNSCOPED)
    may read."""
    if reader is UNSCOPED:
        return Article.objects.filter(issue=issue)
    if reader is PUBLIC:
        if not issue.is_published:
            return Article.objects.none()
        return Article.objects.filter(issue=issue)
    return permissions.articles_visible_in_issue(reader, issue)


def _sections(issue: Issue, articles: QuerySet[Article], *, counted: bool):
    """The issue's sections, each with its ``articles`` (those of ``articles``)
    prefetched and ``hidden_count``: how many of its articles the reader may
    not read, counted in the sections' own query when ``counted``."""
    sections = Section.objects.filter(issue=issue)
    if counted:
        sections = sections.annotate(article_total=Count("articles"))
    sections = list(
        sections.prefetch_related(Prefetch("articles", queryset=articles)).order_by(
            "position", "pk"
        )
    )
    for section in sections:
        shown = len(section.articles.all())
        section.hidden_count = section.article_total - shown if counted else 0
    return sections


def hidden_count(sections: list[Section]) -> int:
    """How many articles of the issue the reader of ``sections`` may not read:
    shown to a county reviewer as a count, in place of the articles."""
    return sum(section.hidden_count for section in sections)


def issue_for_editor(issue: Issue, *, reader) -> list[Section]:
    """The sections of an issue with the articles ``reader`` may read (unit
    joined, photos counted, and among them the pictures a past issue's file
    did not hold), and each section's ``hidden_count``, for the editor's
    page: two queries."""
    articles = (
        articles_for_reader(issue, reader)
        .select_related(*ARTICLE_RELATED, "source_report")
        .defer(*SEARCH_COLUMNS)
        .annotate(
            photo_count=Count("photos"),
            missing_photo_count=Count("photos", filter=Q(photos__is_missing=True)),
        )
        .order_by("position", "pk")
    )
    return _sections(issue, articles, counted=not isinstance(reader, Reader))


def _photos():
    return Prefetch(
        "photos",
        queryset=ArticlePhoto.objects.select_related("report_photo").order_by(
            "position", "pk"
        ),
    )


def issue_contents(issue: Issue, *, reader=PUBLIC) -> list[Section]:
    """The sections with the articles ``reader`` may read, each article's
    ``blocks`` ready to render, and each section's ``hidden_count``: three
    queries (sections, articles with their units, photos with their report
    photos). Used alike by the preview, the public page, the print view and
    the Word file."""
    articles = (
        articles_for_reader(issue, reader)
        .select_related(*ARTICLE_RELATED)
        .defer(*SEARCH_COLUMNS)
        .prefetch_related(_photos())
        .order_by("position", "pk")
    )
    # The public reads a published issue whole, and so does a command: only a
    # user's share of an issue has anything to count.
    sections = _sections(issue, articles, counted=not isinstance(reader, Reader))
    for section in sections:
        for article in section.articles.all():
            article.blocks = article_blocks(article)
    return sections


def corrections_of(issue: Issue) -> list[IssueCorrection]:
    return list(issue.corrections.order_by("at", "pk"))


def first_photo(article: Article):
    """The first photo with a picture, for a share preview; None without one."""
    return next(
        (b.photo for b in article.blocks if b.is_photo and b.photo.has_picture), None
    )


def public_issue(slug: str, year: int, number: int) -> Issue:
    """A published issue by its public address; 404 for anything else (drafts
    included)."""
    return get_object_or_404(
        Issue.objects.select_related("publication"),
        publication__slug=slug,
        year=year,
        number=number,
        status=Issue.Status.PUBLISHED,
    )


def article_of(issue: Issue, pk: int, *, reader=PUBLIC) -> Article:
    """An article of ``issue`` with its section, units and photos (two queries),
    ``blocks`` set; 404 when the issue has no such article or ``reader`` may not
    read it."""
    article = get_object_or_404(
        articles_for_reader(issue, reader)
        .select_related(*ARTICLE_RELATED, "section")
        .defer(*SEARCH_COLUMNS)
        .prefetch_related(_photos()),
        pk=pk,
    )
    article.issue = issue
    article.blocks = article_blocks(article)
    # For the page description and share previews: the first paragraph.
    article.summary = next((b.text for b in article.blocks if b.is_paragraph), "")
    return article


# --- The public site ------------------------------------------------------------------
# Every selector below returns published content only, and each runs a fixed
# number of queries whatever the number of issues and articles.

# The article columns a list never shows: the bodies (the list shows the start
# of the plain text, cut in the database) and the editor's copies.
_HEAVY = ("body", "source_title", "source_subtitle", "source_body", "search_grams")
CARD_RELATED = ("issue__publication", "section", *ARTICLE_RELATED)
EXCERPT_LENGTH = 120


def published_issues() -> QuerySet[Issue]:
    return Issue.objects.filter(status=Issue.Status.PUBLISHED)


def published_articles() -> QuerySet[Article]:
    return Article.objects.filter(issue__status=Issue.Status.PUBLISHED)


def newest_first(qs: QuerySet[Article]) -> QuerySet[Article]:
    """Newest issue first; within an issue, the order of its contents."""
    return qs.order_by(
        "-issue__issue_date",
        "-issue__pk",
        "section__position",
        "section__pk",
        "position",
        "pk",
    )


def article_cards(qs: QuerySet[Article], *, with_text: bool = False):
    """Articles for a list: issue, publication, section and units joined, the
    body left in the database and ``lead`` (its first characters) read instead;
    ``search_text`` too when ``with_text`` (a search excerpt needs it). One
    query."""
    heavy = _HEAVY if with_text else (*_HEAVY, "search_text")
    # One character more than an excerpt holds: a lead that long was cut, and
    # its summary says so (syndication.summarize).
    return newest_first(
        qs.select_related(*CARD_RELATED)
        .defer(*heavy)
        .annotate(lead=Substr("search_text", 1, EXCERPT_LENGTH + 1))
    )


def latest_correction(of: str = "article", outer: str = "pk"):
    """When the row was last corrected, None if never: the corrections whose
    ``of`` (``article`` or ``issue``) is the row's ``outer`` field (an
    article's own: the default; its issue's: ``of="issue", outer="issue"``).
    A subquery to annotate a list with, so it costs no query of its own."""
    return Subquery(
        IssueCorrection.objects.filter(**{of: OuterRef(outer)})
        .order_by("-at")
        .values("at")[:1]
    )


def with_thumbs(articles: list[Article]) -> list[Article]:
    """Each article's first photo with a picture as ``thumb`` (None without
    one): one query for all their photos, report photos joined."""
    prefetch_related_objects(articles, _photos())
    for article in articles:
        article.thumb = next((p for p in article.photos.all() if p.has_picture), None)
    return articles


def latest_issues() -> list[Issue]:
    """The latest published issue of each active publication: one query."""
    latest = (
        published_issues()
        .filter(publication=OuterRef("publication"))
        .order_by("-issue_date", "-running_number", "-pk")
        .values("pk")[:1]
    )
    return list(
        published_issues()
        .filter(publication__is_active=True, pk=Subquery(latest))
        .select_related("publication")
        .order_by("publication__city__code", "publication__name", "pk")
    )


def issue_tocs(issues: list[Issue]) -> list[Issue]:
    """Each issue's table of contents as ``toc``: its sections with their
    articles (titles and links only). Two queries for all the issues."""
    articles = (
        Article.objects.select_related(None)
        .only("pk", "issue_id", "section_id", "title", "subtitle", "position")
        .order_by("position", "pk")
    )
    sections = (
        Section.objects.filter(issue__in=issues)
        .prefetch_related(Prefetch("articles", queryset=articles))
        .order_by("issue_id", "position", "pk")
    )
    by_issue: dict[int, list[Section]] = {issue.pk: [] for issue in issues}
    for section in sections:
        by_issue[section.issue_id].append(section)
    for issue in issues:
        issue.toc = by_issue[issue.pk]
        for section in issue.toc:
            for article in section.articles.all():
                article.issue = issue
    return issues


def archive(publication: Publication | None = None, year: int | None = None):
    """Published issues, newest first, with their publication and article
    count: one query."""
    qs = published_issues().select_related("publication")
    if publication is not None:
        qs = qs.filter(publication=publication)
    if year is not None:
        qs = qs.filter(year=year)
    return list(
        qs.annotate(article_count=Count("articles")).order_by(
            "publication__city__code",
            "publication__name",
            "publication_id",
            "-year",
            "-number",
        )
    )


def archive_years() -> list[tuple[Publication, list[tuple[int, int]]]]:
    """[(publication, [(year, number of issues)])]: every publication with a
    published issue and its years, newest first, in the archive's order: two
    queries whatever the number of issues (a province holds thousands; the
    archive's root lists years, each year's page its issues)."""
    rows = list(
        published_issues()
        .values("publication_id", "year")
        .annotate(issues=Count("pk"))
        .order_by("publication_id", "-year")
    )
    publications = Publication.objects.filter(
        pk__in={row["publication_id"] for row in rows}
    ).order_by("city__code", "name", "pk")
    years: dict[int, list[tuple[int, int]]] = {}
    for row in rows:
        years.setdefault(row["publication_id"], []).append((row["year"], row["issues"]))
    return [(publication, years[publication.pk]) for publication in publications]


def public_publication(slug: str) -> Publication:
    """A publication with at least one published issue; 404 otherwise."""
    return get_object_or_404(
        Publication.objects.filter(
            Exists(published_issues().filter(publication=OuterRef("pk")))
        ),
        slug=slug,
    )


def article_neighbours(article: Article) -> tuple[dict | None, dict | None]:
    """The articles before and after ``article`` in its issue's order (pk and
    title), None at either end: one query."""
    rows = list(
        Article.objects.filter(issue_id=article.issue_id)
        .order_by("section__position", "section__pk", "position", "pk")
        .values("pk", "title")
    )
    index = next(i for i, row in enumerate(rows) if row["pk"] == article.pk)
    before = rows[index - 1] if index > 0 else None
    after = rows[index + 1] if index + 1 < len(rows) else None
    return before, after


def _per_publication_version(name: str, build):
    """``build()``, kept in the cache until the next publication or correction
    (newsletter/public_cache.py bumps the version): what only publishing
    changes need not be read again on every search."""
    if settings.PUBLIC_CACHE_SECONDS <= 0:  # the public caches are off
        return build()
    key = f"newsletter:{name}:{public_cache.version()}"
    # With Redis, what a process read is kept in its own memory too, as the
    # pages are: the footers are read on every page rendered. Only what
    # Redis gave: with Redis stopped each process reads the rows.
    value = public_cache.get_kept(key)
    if value is None:
        value = build()
        # As the pages: a process that missed a bump catches up at expiry.
        cache.set(key, value, settings.PUBLIC_CACHE_SECONDS)
    return value


# The national record systems the footer's record numbers link to.
ICP_RECORD_URL = "https://beian.miit.gov.cn/"
POLICE_RECORD_URL = "https://beian.mps.gov.cn/#/query/webSearch"


def _footer(publication: Publication) -> dict:
    digits = "".join(ch for ch in publication.police_record if ch.isdigit())
    return {
        "sponsor": publication.sponsor or publication.bureau,
        "contact": publication.contact,
        "icp_record": publication.icp_record,
        "icp_url": ICP_RECORD_URL,
        "police_record": publication.police_record,
        "police_url": f"{POLICE_RECORD_URL}?code={digits}"
        if digits
        else POLICE_RECORD_URL,
        "site_code": publication.site_code,
    }


def _footers() -> dict:
    publications = Publication.objects.only(
        "slug",
        "is_active",
        "bureau",
        "sponsor",
        "contact",
        "icp_record",
        "police_record",
        "site_code",
    )  # in the model's order, the home page's: city code, then name
    by_slug, default = {}, None
    for publication in publications:
        by_slug[publication.slug] = _footer(publication)
        if default is None and publication.is_active:
            default = publication.slug
    return {"by_slug": by_slug, "default": default}


def publication_footer(slug: str | None) -> dict | None:
    """What the footer of a public page shows of its publication (主办单位,
    the ICP and police record numbers with their links, 政府网站标识码,
    联系方式): the publication ``slug``'s, or on a page of no publication
    (home, search, the station directory) the first active publication's in
    the home page's order, the only one where an installation serves one city.
    None when there is none. One query, then none until the next publication,
    correction or change of a publication (a save in the admin bumps the
    version, newsletter/public_cache.py)."""
    footers = _per_publication_version("footers", _footers)
    return footers["by_slug"].get(slug or footers["default"])


def counties_with_news() -> list:
    """The counties that published articles are about, with their city, in the
    directory's order: one query, then none until the next publication (47 ms
    at a million articles, bench/search_scale.py; the search form asks on
    every search)."""
    return _per_publication_version(
        "counties-with-news",
        lambda: list(
            County.objects.filter(
                Exists(published_articles().filter(county=OuterRef("pk")))
            ).select_related("city")
        ),
    )


def county_choices() -> list[tuple[str, int, str]]:
    """(code, id, label) of each county with news, for the search form: kept
    as plain values, which a cache reads back in microseconds where model
    instances took milliseconds at a province's counties. The label names the
    city too when there are several."""

    def build():
        counties = counties_with_news()
        several_cities = len({county.city_id for county in counties}) > 1
        return [
            (
                county.code,
                county.pk,
                f"{county.city.name}{county.name}" if several_cities else county.name,
            )
            for county in counties
        ]

    return _per_publication_version("county-choices", build)


def news_years() -> list[int]:
    """The years that have a published issue, newest first: one query, then
    none until the next publication."""
    return _per_publication_version(
        "news-years",
        lambda: list(
            published_issues()
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        ),
    )


def privacy_findings(publications, *, open_only: bool = False):
    """The privacy sweep's findings in ``publications`` (a queryset or a list),
    with their issue and publication; with ``open_only``, those no editor has
    handled yet."""
    findings = PrivacyFinding.objects.filter(
        issue__publication__in=publications
    ).select_related("issue__publication")
    return findings.filter(resolution="") if open_only else findings


def open_findings_count(user) -> int:
    """Open findings in the publications the user edits (the staff home's
    reminder). One query."""
    return privacy_findings(
        permissions.publications_editable_by(user), open_only=True
    ).count()


# --- The staff home's lists for editors ----------------------------------------


def editor_todos(user) -> dict:
    """What waits for the user as an editor, each list its first items and total
    (core.todo), oldest first: approved reports in no issue yet (``approved``),
    drafts being put together (``drafts``), open findings of the privacy sweep
    (``findings``) and past issues imported as drafts because the privacy gate
    found something or OCR read them (``imported``). Four queries."""
    publications = permissions.publications_editable_by(user)
    in_an_issue = Article.objects.filter(source_report=OuterRef("pk"))
    approved = (
        ActivityReport.objects.filter(
            city__in=publications.values("city"),
            status=Status.APPROVED,
            published_at__isnull=True,
        )
        .exclude(Exists(in_an_issue))
        .select_related("city", "county", "station__town__county", "kind")
        .order_by("approved_at", "pk")
    )
    # A draft's name carries the number it would take, read in the same query.
    drafts = (
        Issue.objects.filter(publication__in=publications, status=Issue.Status.DRAFT)
        .select_related("publication")
        .with_next_number()
    )
    drafts = drafts.annotate(article_count=Count("articles")).order_by(
        "created_at", "pk"
    )
    return {
        "approved": first_and_total(approved),
        "drafts": first_and_total(drafts.exclude(source=Issue.Source.IMPORTED)),
        "findings": first_and_total(
            privacy_findings(publications, open_only=True).order_by("found_at", "pk")
        ),
        "imported": first_and_total(drafts.filter(source=Issue.Source.IMPORTED)),
    }
