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
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet

from ..models import Article
from ..selectors import published_articles
from .text import is_exact, query_grams


class GramsMatch(Func):
    """``search_grams @@ CAST(… AS tsquery)``: the tsvector column has the GIN
    index. The query is written in tsquery's input format as the column was in
    tsvector's: no parser or dictionary stands between them."""

    output_field = BooleanField()
    conditional = True
    template = "%(expressions)s @@ CAST(%%s AS tsquery)"

    def __init__(self, tsquery: str):
        super().__init__(F("search_grams"))
        self.tsquery = tsquery

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


def matching(qs: QuerySet[Article], terms: list[str]) -> QuerySet[Article]:
    """``qs`` narrowed to the articles that contain every term."""
    postgres = connection.vendor == "postgresql"
    for term in terms:
        if postgres:
            grams = query_grams(term)
            qs = qs.filter(GramsMatch(tsquery_for(grams)))
            if not is_exact(term):
                qs = qs.filter(_contains(term))
        else:
            qs = qs.filter(_contains(term))
    return qs


# How far a search counts its hits (SearchResults.count).
COUNT_CAP = 1000


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


def search(
    terms: list[str], *, county_id: int | None = None, year: int | None = None
) -> SearchResults:
    """Published articles containing every term, in the county and the year
    when given, newest issue first (articles of one issue in its order); their
    count stops past COUNT_CAP."""
    published = published_articles()
    qs = matching(
        SearchResults(Article, published.query.chain(), using=published.db), terms
    )
    if county_id is not None:
        qs = qs.filter(county_id=county_id)
    if year is not None:
        qs = qs.filter(issue__year=year)
    return qs
