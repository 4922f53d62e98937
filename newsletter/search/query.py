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


def search(
    terms: list[str], *, county_id: int | None = None, year: int | None = None
) -> QuerySet[Article]:
    """Published articles containing every term, in the county and the year
    when given, newest issue first (articles of one issue in its order)."""
    qs = matching(published_articles(), terms)
    if county_id is not None:
        qs = qs.filter(county_id=county_id)
    if year is not None:
        qs = qs.filter(issue__year=year)
    return qs
