"""Measures the public search on PostgreSQL: a sequential scan, pg_trgm and the
character-pairs index (newsletter/search/), for one-, two- and three-character
queries, common and rare, and prints the EXPLAIN ANALYZE figures that
newsletter/search/query.py quotes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/search_index.py [--articles 5000] [--runs 5]

It builds a throwaway test database (``test_<name>`` on the server DATABASE_URL
names, migrated, so the pairs index is the one migration 0002 makes) holding
``--articles`` published articles, each four to eight paragraphs drawn from
the seed issue (about 900 characters, like the seed's articles), a few of them
given words the seed does not have (鲸, 龙舟, 龙舟赛) so that rare queries are
measured too. For each query it times ``SELECT count(*)`` of the matches, the
work a search page does besides fetching 20 rows, three ways:

- seq: ``col LIKE '%q%'`` on title, subtitle and text (Django's ``contains``,
  which the search uses for a term without letter case, as Chinese is), no
  index;
- trgm: the same condition with pg_trgm GIN indexes on the three columns;
- pairs: ``search_grams @@ CAST(… AS tsquery)`` on the GIN index of that
  tsvector column, plus the ``contains`` check for three characters and more.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SEED = (
    Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_d4f9679c76b9e6b1.txt"
)
# (query, share of articles given it when the seed lacks it)
QUERIES = [
    ("童", 0),
    ("鲸", 0.004),
    ("儿童", 0),
    ("禁毒", 0),
    ("龙舟", 0.004),
    ("社工站", 0),
    ("夕阳红", 0),
    ("龙舟赛", 0.002),
]
RARE_SENTENCES = {
    "鲸": "社工带孩子们参观了鲸鱼科普展。",
    "龙舟": "端午节前，社工站组织村民观看龙舟表演。",
    "龙舟赛": "社工站协助村委举办龙舟赛，邀请困境家庭观赛。",
}


def build(count: int) -> None:
    from newsletter.models import Article, Issue, Publication, Section
    from newsletter.search.text import search_columns
    from stations.models import City, County

    paragraphs = [
        line.strip()
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 30
    ]
    rng = random.Random(6)
    city = City.objects.create(name="基准市", code="449900")
    county = County.objects.create(
        city=city, name="基准区", code="449901", kind="区", short_name="基准"
    )
    publication = Publication.objects.create(
        name="基准简报", slug="bench", city=city, bureau="基准市民政局"
    )
    articles = []
    per_issue = 20
    for n in range(count // per_issue):
        year, number = 2015 + n // 24, n % 24 + 1
        issue = Issue.objects.create(
            publication=publication,
            year=year,
            number=number,
            running_number=n + 1,
            issue_date=f"{year}-{(number - 1) // 2 + 1:02d}-{10 + number % 2 * 10}",
            status="published",
            published_at=f"{year}-{(number - 1) // 2 + 1:02d}-20T12:00:00+08:00",
        )
        section = Section.objects.create(
            issue=issue, title="社工站（点）动态", position=1
        )
        for position in range(per_issue):
            chosen = rng.sample(paragraphs, rng.randint(4, 8))
            for word, share in QUERIES:
                if share and rng.random() < share:
                    chosen.insert(rng.randint(0, len(chosen)), RARE_SENTENCES[word])
            title = chosen[0][:28]
            body = "\n".join(f"<p>{p}</p>" for p in chosen[1:])
            text, grams = search_columns(title, "", body)
            articles.append(
                Article(
                    issue=issue,
                    section=section,
                    position=position + 1,
                    title=title,
                    body=body,
                    county=county,
                    search_text=text,
                    search_grams=grams,
                )
            )
    Article.objects.bulk_create(articles, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def explain_ms(sql: str, params, runs: int) -> tuple[float, int, str]:
    """Median execution time, the count, and the plan's scan line."""
    times, plan = [], ""
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("EXPLAIN_ANALYZE", ""), params)
        found = cursor.fetchone()[0]
        for _ in range(runs):
            cursor.execute(
                sql.replace("EXPLAIN_ANALYZE", "EXPLAIN (ANALYZE, TIMING OFF)"), params
            )
            lines = [row[0] for row in cursor.fetchall()]
            times.append(
                float(re.search(r"Execution Time: ([\d.]+)", lines[-1]).group(1))
            )
            plan = next(
                (
                    line.strip().lstrip("-> ").split("  ")[0]
                    for line in lines
                    if "Scan" in line
                ),
                "",
            )
    return statistics.median(times), found, plan


# What Django's ``contains`` writes for a term without letter case (Chinese):
# the check the product runs (newsletter/search/query.py, ``_contains``).
CONTAINS = "(title LIKE %s OR subtitle LIKE %s OR search_text LIKE %s)"
LIKE = f"EXPLAIN_ANALYZE SELECT count(*) FROM newsletter_article WHERE {CONTAINS}"
PAIRS = (
    "EXPLAIN_ANALYZE SELECT count(*) FROM newsletter_article WHERE "
    "search_grams @@ CAST(%s AS tsquery)"
)


def pairs_sql(query: str) -> tuple[str, list]:
    from newsletter.search.query import tsquery_for
    from newsletter.search.text import is_exact, query_grams

    sql, params = PAIRS, [tsquery_for(query_grams(query))]
    if not is_exact(query):
        sql += f" AND {CONTAINS}"
        params += [f"%{query}%"] * 3
    return sql, params


def index_size(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_relation_size(%s::regclass))", [name])
        return cursor.fetchone()[0]


def product_queries(runs: int) -> None:
    """The search page's two queries as the product writes them (the count,
    and the first 20 newest with their issue, section and units), timed from
    Python, and whether the planner took the pairs index for them. For a term
    in most articles it rightly prefers to read them in order: with a tsvector
    column the match is a cheap lookup either way."""
    from newsletter.search.query import search
    from newsletter.selectors import article_cards

    print("the search page's queries through the ORM, median ms:")
    for query, _share in QUERIES:
        qs = search([query])
        counts, pages = [], []
        for _ in range(runs):
            started = time.perf_counter()
            qs.count()
            counts.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            list(article_cards(qs, with_text=True)[:20])
            pages.append((time.perf_counter() - started) * 1000)
        plan = article_cards(qs, with_text=True)[:20].explain()
        way = (
            "pairs index" if "newsletter_article_grams_gin" in plan else "scan in order"
        )
        print(
            f"  {query:<6} count {statistics.median(counts):6.2f}   first page "
            f"{statistics.median(pages):6.2f} ({way})"
        )


def run(args) -> None:
    build(args.articles)
    product_queries(args.runs)
    rows = {query: {} for query, _share in QUERIES}
    # First the scan and the pairs index (the only index production has), then
    # pg_trgm's indexes are added for the LIKE condition.
    for query, _share in QUERIES:
        rows[query]["seq"] = explain_ms(LIKE, [f"%{query}%"] * 3, args.runs)
        rows[query]["pairs"] = explain_ms(*pairs_sql(query), args.runs)
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in ("title", "subtitle", "search_text"):
            cursor.execute(
                f"CREATE INDEX bench_trgm_{column} ON newsletter_article "
                f"USING gin ({column} gin_trgm_ops)"
            )
        cursor.execute("ANALYZE newsletter_article")
    for query, _share in QUERIES:
        rows[query]["trgm"] = explain_ms(LIKE, [f"%{query}%"] * 3, args.runs)
    print(
        f"PostgreSQL {connection.pg_version // 10000}, {args.articles:,} articles; "
        f"index sizes: pairs {index_size('newsletter_article_grams_gin')}, "
        f"trigrams of the text {index_size('bench_trgm_search_text')}; "
        f"count(*) of the matches, median of {args.runs}, ms"
    )
    print(
        f"{'query':<8}{'found':>7}{'seq scan':>11}{'pg_trgm':>11}{'pairs':>9}   plans"
    )
    for query, _share in QUERIES:
        seq, trgm, pairs = (rows[query][k] for k in ("seq", "trgm", "pairs"))
        assert seq[1] == trgm[1] == pairs[1], (query, seq[1], trgm[1], pairs[1])
        print(
            f"{query:<8}{seq[1]:>7}{seq[0]:>11.2f}{trgm[0]:>11.2f}{pairs[0]:>9.2f}   "
            f"{seq[2]} / {trgm[2]} / {pairs[2]}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server: this measures its indexes.")
    setup_test_environment()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
