"""From a query to the published articles that contain it.

PostgreSQL: ``search_grams`` is a ``tsvector`` column with a GIN index
(migration 0002, newsletter/search/fields.py). A term of one or two letters is
one lexeme of it (童, 儿童), answered by the index alone; a longer term is all
of its pairs AND-ed (儿童之家: 儿童 & 童之 & 之家), and the rows the index
returns are checked with ``contains`` against the title, subtitle and text,
since the pairs may stand apart. SQLite: a plain scan of the same three
columns. Only articles of published issues are ever searched.

Measured with ``bench/search_index.py`` (PostgreSQL 15 on a shared two-core
machine; 5,000 published articles of about 900 characters drawn from the seed
issue's paragraphs, a few given words the seed lacks; EXPLAIN ANALYZE
execution time of ``count(*)`` of the matches, median of 5, in ms):

    query   found  seq scan  pg_trgm  pairs  (plan of pairs)
    童       4000     25.6     27.0    24.3  seq scan: in 80% of articles
    鲸         22     29.8     30.1    0.03  bitmap on the pairs index
    儿童     3989     30.3     30.5    23.7  seq scan: in 80% of articles
    禁毒     1933     30.5     32.3    0.54  bitmap on the pairs index
    龙舟       21     29.4     30.1    0.02  bitmap on the pairs index
    社工站   4879     16.9     17.5    38.3  seq scan: in 98% of articles
    夕阳红   1395     41.1      7.5     7.7  bitmap on the pairs index
    龙舟赛     10     28.8     0.04    0.04  bitmap on the pairs index

With 20,000 articles: 禁毒 2.4 ms against 122 ms scanned, 龙舟 0.06 against
120, 夕阳红 36 against 167 (pg_trgm 43); 儿童 141 against 123.

So: pg_trgm (trigram GIN indexes on the three columns; not installed here)
helps only from three characters on: for 童, 儿童 or 禁毒 it has no trigram to
look up and PostgreSQL scans every text. The pairs index answers one and two
characters from the index, exactly, and three or more as well as pg_trgm. A
term in most articles (儿童 in 80% of this seed-made corpus, 社工站 in 98%) is
read by a scan either way, the planner rightly judging that the index would
not spare it many rows; the pairs column then costs a little more than the
plain scan (each row's vector is read from TOAST): 1.15 times for 儿童 at
20,000 articles, 2.7 for 社工站 (it checks the text as well).

Two designs were measured and dropped. An expression index on
``to_tsvector('simple', grams)`` over a text column: the planner takes
to_tsvector for cheap, scanned with it on every row for 社工站, and took 1.8 s
at 5,000 articles. pg_trgm alone: no help for one or two characters, above.

At a million articles (``bench/search_scale.py``, the same corpus written with
COPY; median of 3, ms) the search page is two queries besides the form's
lists: the count and the first 20 hits newest first. Both had to change:

    query   found     page  count  first   seq scan  bare @@ count
    儿童   798,800     58.8    8.5    8.0     5,473     3,890
    禁毒   391,609     70.5   16.7   10.5     6,304     6,919
    龙舟     5,902    102.8    9.1   58.8     7,114       8.1
    鲸       4,016     81.3    5.4   36.7     6,405       5.2

- The count stops at COUNT_CAP + 1 (SearchResults): counting every hit of a
  common word means reading every matching row, seconds however it is done
  (the bare ``@@`` count of 儿童 on the pairs index: 3.9 s).
- The first page used to sort every hit (儿童: a parallel scan of all the
  matches and a top-N sort, 1.4 s at 100,000 articles). With the index of
  published issues newest first (``issue_published_newest_idx``,
  newsletter/models/issues.py) PostgreSQL walks the newest issues and stops at
  20 hits: 8 ms. A term in about 1% of the articles is the worst case: the
  walk reads some 4,000 articles' grams from TOAST before it has 20 (龙舟,
  59 ms), where gathering its 5,902 hits from the index and sorting them would
  take less; the planner does not price that reading.

So the page is now read in three ways, chosen by what the search found
(HitPages), never by the planner's estimates, which are wrong both ways
here: a gram outside the column's most common ones is estimated at 0.5% of
the rows (海, in 9%, as 鲸, in 0.4%), and a three-character term, the AND of
its pairs, at a few rows (阶段性, in 9%: a plan trusting that gathered all
89,117 hits to sort them, 1.6 s).

- The count reads the hits' ids instead of counting them (the same rows). At
  most COUNT_CAP, they are all the hits: the page is those ids sorted.
- Past the cap, the page is looked for among the articles of the newest 20
  issues (20 more a page), with the pairs index out of reach (GramsMatch,
  ``indexed=False``): some 400 articles checked one by one, the same ones for
  every search, so their grams stay in the cache. A common word fills the
  page there.
- When it does not (鲸, 龙舟, 龙舟赛: 0.2 to 0.6% of the articles), every hit
  is gathered from the pairs index and sorted (``_sparse``). The gathering
  reads about one heap page a hit, scattered over ten years of issues, where
  the walk read the grams of every article it passed. On a loaded machine
  (load average 5 on two cores), the rare words' search queries took 67 to
  106 ms against 59 to 143 walked for one or two characters, about even, and
  98 to 211 against 183 to 439 for three. The three-character words in 9%
  of the articles (阶段性, 为契机) took 88 ms against 3.7 and 7.8 s: the plain
  query, estimating them rare, gathered and sorted all 89,000 hits.
- With a county or a year the page walks the newest issues as before: the
  newest issues hold few of the county's or the year's articles.

The worst cases left: a word common in old issues and absent from the newest
ones (all its hits are gathered and sorted: tens of thousands for a past
campaign's slogan; the walk it replaces read back to them), and a word in
about 2 to 5% of the articles that the window misses by chance. This corpus
has neither: its words are in 0.2 to 0.6% of the articles or in 9% and more.

Each subquery that must run on its own is ``= ANY(ARRAY(…))`` (_InArray):
written as ``IN (…)``, PostgreSQL joined it with the rest, and once chose to
join all the million articles with their units to keep 20 of them. Measured
by ``bench/search_scale.py`` (50 queries, p50 and p95; bench/README.md).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    DateField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.functional import cached_property

from ..models import Article
from ..selectors import (
    article_cards,
    newest_first,
    published_articles,
    published_issues,
)
from .text import is_exact, query_grams


class GramsMatch(Func):
    """``search_grams @@ CAST(… AS tsquery)``: the tsvector column has the GIN
    index. The query is written in tsquery's input format as the column was in
    tsvector's: no parser or dictionary stands between them. Not ``indexed``,
    the same test is wrapped in ``IS TRUE``, which the index cannot answer:
    PostgreSQL then checks it row by row on the rows the rest of the query
    chose (HitPages's walk over the newest issues)."""

    output_field = BooleanField()
    conditional = True
    template = "%(expressions)s @@ CAST(%%s AS tsquery)"

    def __init__(self, tsquery: str, *, indexed: bool = True):
        super().__init__(F("search_grams"))
        self.tsquery = tsquery
        if not indexed:
            self.template = "(%(expressions)s @@ CAST(%%s AS tsquery)) IS TRUE"

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return sql, (*params, self.tsquery)


def tsquery_for(grams: list[str]) -> str:
    # Grams hold letters and digits only (text.RUN_RE): nothing to escape.
    return " & ".join(f"'{gram}'" for gram in grams)


def _contains(term: str) -> Q:
    # Chinese has no letter case: a plain LIKE then, which PostgreSQL runs four
    # times faster than icontains's UPPER(…) LIKE UPPER(…) on long texts.
    lookup = "contains" if term.lower() == term.upper() else "icontains"
    return (
        Q(**{f"title__{lookup}": term})
        | Q(**{f"subtitle__{lookup}": term})
        | Q(**{f"search_text__{lookup}": term})
    )


def matching(
    qs: QuerySet[Article], terms: list[str], *, indexed: bool = True
) -> QuerySet[Article]:
    """``qs`` narrowed to the articles that contain every term."""
    postgres = connection.vendor == "postgresql"
    for term in terms:
        if postgres:
            grams = query_grams(term)
            qs = qs.filter(GramsMatch(tsquery_for(grams), indexed=indexed))
            if not is_exact(term):
                qs = qs.filter(_contains(term))
        else:
            qs = qs.filter(_contains(term))
    return qs


# How far a search counts its hits (SearchResults.count).
COUNT_CAP = 1000

# How many of the newest published issues, per page asked for, HitPages reads
# the articles of before taking a word for sparse.
WINDOW_ISSUES = 20


class SearchResults(QuerySet):
    """Search hits, whose count stops at ``COUNT_CAP + 1``.

    Counting every hit of a common word means reading every matching row (儿童
    is in 80% of the bench corpus: 800,000 rows at a million articles, seconds
    whatever the index), and nobody pages past the first few hundred. So the
    count reads at most ``COUNT_CAP + 1`` hits: the page says "more than
    1,000" when it gets that many, and a rare word is still counted exactly
    from the index."""

    def count(self) -> int:
        if self._result_cache is not None:
            return len(self._result_cache)
        capped = self.order_by()[: COUNT_CAP + 1]
        return capped.query.get_count(using=self.db)


class HitPages(Paginator):
    """The pages of a search, newest first: what the search page runs.

    The count comes first, as the ids of at most ``COUNT_CAP + 1`` hits. Under
    the cap those are every hit, and a page is the first of them, sorted on
    their issue and section (``_cards``). Past it, the page is looked for
    among the articles of the newest ``WINDOW_ISSUES`` published issues (times
    the page's number), checked one by one with the pairs index left aside
    (``walked``): a common word fills the page there. When it does not, the
    word is sparse (鲸: one article in 250) and every hit is gathered from the
    pairs index, then sorted (``_sparse``). With a county or a year (no
    ``walked``), the page walks the newest issues of the whole index instead:
    the window of the newest issues would hold few of the county's or the
    year's articles. Whichever way, the hits and their order are those of
    ``newest_first``."""

    def __init__(
        self,
        hits: QuerySet[Article],
        walked: QuerySet[Article] | None,
        per_page: int,
    ):
        self.hits = hits
        self.walked = walked
        super().__init__(article_cards(hits, with_text=True), per_page)

    @cached_property
    def count(self) -> int:
        ids = list(self.hits.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
        self.every_id = ids if len(ids) <= COUNT_CAP else None
        return len(ids)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if self.every_id is not None:
            hits = newest_first(published_articles().filter(pk__in=self.every_id))
            return self._get_page(_cards(hits, bottom, top), number, self)
        if self.walked is None:
            return self._get_page(self.object_list[bottom:top], number, self)
        newest = published_issues().order_by("-issue_date", "-pk")
        window = newest.values("pk")[: number * WINDOW_ISSUES]
        recent = list(
            article_cards(self.walked, with_text=True).filter(
                _among("issue_id", window)
            )[bottom:top]
        )
        if len(recent) == top - bottom:
            return self._get_page(recent, number, self)
        return self._get_page(_cards(_sparse(self.hits), bottom, top), number, self)


class _InArray(Func):
    """``field = ANY(ARRAY(subquery))``: PostgreSQL runs the subquery once, by
    its own plan, before the query around it, which then looks the values up
    in the field's index. ``field IN (subquery)`` would be a join, planned
    with the rest: for the 20 ids of a page PostgreSQL chose to hash-join them
    with every article and its units."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, values: QuerySet):
        super().__init__(F(field), Subquery(values))

    def as_sql(self, compiler, connection, **extra):
        field, field_params = compiler.compile(self.source_expressions[0])
        values, values_params = compiler.compile(self.source_expressions[1])
        return f"{field} = ANY(ARRAY{values})", (*field_params, *values_params)


def _among(field: str, values: QuerySet) -> Q | _InArray:
    if connection.vendor == "postgresql":
        return _InArray(field, values)
    return Q(**{f"{field}__in": values})


def _cards(ordered: QuerySet[Article], bottom: int, top: int) -> QuerySet[Article]:
    """The cards of ``ordered[bottom:top]``: the hits are sorted on their issue
    and section alone, and the cards' other joins (units, publication) made
    for the 20 of the page only."""
    chosen = ordered.values("pk")[bottom:top]
    return article_cards(Article.objects.filter(_among("pk", chosen)), with_text=True)


def _sparse(hits: QuerySet[Article]) -> QuerySet[Article]:
    """``hits`` newest first, sorted on a key that no index yields: the issue's
    date plus nothing of the article's (``position * 0``). PostgreSQL then
    gathers the hits from the pairs index and sorts them, instead of walking
    the newest issues to find them, as it would for the plain order: each
    article walked past reads its grams from TOAST, which its cost model does
    not price."""
    ordered = newest_first(hits)
    if connection.vendor != "postgresql":
        return ordered
    day = ExpressionWrapper(
        F("issue__issue_date") + F("position") * 0, output_field=DateField()
    )
    return ordered.order_by(day.desc(), *ordered.query.order_by[1:])


def search(
    terms: list[str],
    *,
    county_id: int | None = None,
    year: int | None = None,
    indexed: bool = True,
) -> SearchResults:
    """Published articles containing every term, in the county and the year
    when given, newest issue first (articles of one issue in its order); their
    count stops past COUNT_CAP. Not ``indexed``: the same, with the pairs
    index out of PostgreSQL's reach (GramsMatch)."""
    published = published_articles()
    qs = matching(
        SearchResults(Article, published.query.chain(), using=published.db),
        terms,
        indexed=indexed,
    )
    if county_id is not None:
        qs = qs.filter(county_id=county_id)
    if year is not None:
        qs = qs.filter(issue__year=year)
    return qs


def search_pages(
    terms: list[str],
    *,
    county_id: int | None = None,
    year: int | None = None,
    per_page: int = 20,
) -> HitPages:
    """The pages of ``search(terms, …)`` (HitPages)."""
    hits = search(terms, county_id=county_id, year=year)
    filtered = county_id is not None or year is not None
    walked = None if filtered else search(terms, indexed=False)
    return HitPages(hits, walked, per_page)
