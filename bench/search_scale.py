"""Times the public search at province scale (a million articles by default) on
PostgreSQL: what /search/ really runs, against a sequential scan and against
the pairs index alone, for one-, two- and three-character queries, common and
rare.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/search_scale.py [--articles 1000000] [--runs 5] [--keep]

The corpus is the one ``search_index.py`` makes (four to eight of the seed
issue's paragraphs per article, a few given words the seed lacks), written with
COPY into ``test_<name>`` on the server DATABASE_URL names, migrated, 20
articles an issue, 21 publications. The body column is left empty: the search
never reads it (``article_cards`` defers it); ``search_text`` and
``search_grams`` are what ``search_columns`` would store (checked on a sample).
The pairs index is dropped during the load and built again afterwards, as
migration 0002 defines it. A million articles take about 25 minutes to build on
two shared cores; ``--keep`` leaves the database for the next run, which reuses
it when it holds the same number of articles.

For each query it prints, median of ``--runs``, in ms:

- page: GET /search/?q=… through the test client, the whole view (its count,
  first 20 results, the form's county and year lists, the template);
- count, first: the view's two search queries, timed from Python;
- seq: ``count(*)`` of the same matches with index scans switched off
  (``LIKE '%q%'`` on title, subtitle and text, published issues only);
- index: ``count(*)`` of the bare ``search_grams @@ …`` on the GIN index.

The target: a two-character word at a million articles under 100 ms.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from search_index import CONTAINS, QUERIES, RARE_SENTENCES, SEED  # noqa: E402

TARGET_MS = 100
FIRST_DAY = datetime.date(2016, 1, 1)
PER_ISSUE = 20
CITIES = 21
INDEX = "newsletter_article_grams_gin"


def seed_paragraphs() -> list[tuple[str, set[str]]]:
    """The seed's paragraphs, each with its grams: an article's grams are the
    union of its paragraphs' (a run never crosses a line), so they are made
    once here instead of once an article."""
    from newsletter.search.text import grams_of

    lines = SEED.read_text(encoding="utf-8").splitlines()
    paragraphs = [" ".join(line.split()) for line in lines if len(line.strip()) > 30]
    paragraphs += RARE_SENTENCES.values()
    return [(p, set(grams_of(p))) for p in paragraphs]


def make_org(count: int):
    """21 cities of six counties, a publication each, and enough published
    issues (three sections each) for ``count`` articles, newest in 2026."""
    from newsletter.models import Issue, Publication, Section
    from stations.models import City, County

    counties, sections = {}, []
    issues_per_pub = -(-count // PER_ISSUE // CITIES)
    for c in range(CITIES):
        city = City.objects.create(name=f"基准{c}市", code=f"44{c + 10:02d}00")
        counties[c] = [
            County.objects.create(
                city=city,
                name=f"基准{c}市{k}区",
                code=f"44{c + 10:02d}{k + 1:02d}",
                kind="区",
                short_name=f"基{c}区{k}",
            ).pk
            for k in range(6)
        ]
        pub = Publication.objects.create(
            name=f"基准{c}简报", slug=f"bench{c}", city=city, bureau=f"基准{c}市民政局"
        )
        issues = []
        for n in range(issues_per_pub):
            # Spread over ten years, so that the publications' issues interleave.
            date = FIRST_DAY + datetime.timedelta(days=n * 3650 // issues_per_pub)
            issues.append(
                Issue(
                    publication=pub,
                    year=date.year,
                    number=n + 1,
                    running_number=n + 1,
                    issue_date=date,
                    status="published",
                    published_at=f"{date}T12:00:00+08:00",
                )
            )
        for issue in Issue.objects.bulk_create(issues, batch_size=2000):
            trio = [
                Section(issue=issue, title=title, position=i + 1)
                for i, title in enumerate(
                    ("市级动态", "县（市、区）动态", "社工站（点）动态")
                )
            ]
            sections.append((issue.pk, trio, counties[c]))
    Section.objects.bulk_create(
        [s for _i, trio, _c in sections for s in trio], batch_size=5000
    )
    return [(pk, [s.pk for s in trio], county_pks) for pk, trio, county_pks in sections]


def article_rows(count: int, slots, paragraphs, rng):
    """The COPY values of ``count`` articles, spread over the issues' slots."""
    from newsletter.search.text import grams_of

    rare = set(RARE_SENTENCES.values())
    seed = [p for p in paragraphs if p[0] not in rare]
    by_text = dict(paragraphs)
    now = "2026-11-01T00:00:00+00:00"
    made = 0
    for issue_pk, section_pks, county_pks in slots:
        for position in range(PER_ISSUE):
            if made == count:
                return
            made += 1
            chosen = [p for p, _g in rng.sample(seed, rng.randint(4, 8))]
            for word, share in QUERIES:
                if share and rng.random() < share:
                    chosen.insert(rng.randint(1, len(chosen)), RARE_SENTENCES[word])
            title = chosen[0][:28]
            grams = set(grams_of(title))
            for p in chosen[1:]:
                grams |= by_text[p]
            text = "\n".join(chosen[1:])
            yield (
                issue_pk,
                section_pks[position % 3],
                position + 1,
                title,
                text,
                " ".join(grams),
                county_pks[position % 6],
                now,
            )


COLUMNS = (
    "issue_id, section_id, position, title, search_text, search_grams, county_id,"
    " created_at, updated_at, subtitle, body, source_title, source_subtitle,"
    " source_body"
)


def copy_articles(rows, batch: int = 20000) -> None:
    def escape(value) -> str:
        return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", " ")

    with connection.cursor() as cursor:
        buffer, n = io.StringIO(), 0
        for row in rows:
            line = "\t".join(escape(v) for v in row)
            buffer.write(f"{line}\t{row[-1]}\t\t\t\t\t\n")
            n += 1
            if n % batch == 0:
                buffer.seek(0)
                cursor.copy_expert(
                    f"COPY newsletter_article ({COLUMNS}) FROM STDIN", buffer
                )
                buffer = io.StringIO()
                print(f"  {n:,} articles", file=sys.stderr, end="\r")
        buffer.seek(0)
        cursor.copy_expert(f"COPY newsletter_article ({COLUMNS}) FROM STDIN", buffer)


def check_sample() -> None:
    """The stored columns are what Article.save would have written."""
    from newsletter.models import Article
    from newsletter.search.text import search_columns

    for article in Article.objects.order_by("?")[:20]:
        body = "".join(f"<p>{p}</p>" for p in article.search_text.split("\n"))
        text, grams = search_columns(article.title, "", body)
        assert text == article.search_text, article.pk
        stored = set(article.search_grams.replace("'", "").split())
        assert stored == set(grams.split()), article.pk


def build(count: int) -> None:
    rng = random.Random(6)
    started = time.perf_counter()
    slots = make_org(count)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {INDEX}")
    copy_articles(article_rows(count, slots, seed_paragraphs(), rng))
    print(file=sys.stderr)  # after the progress line
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '2GB'")
        cursor.execute(
            f"CREATE INDEX {INDEX} ON newsletter_article USING gin (search_grams)"
        )
    indexed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    check_sample()
    print(
        f"built {count:,} articles: COPY {loaded - started:.0f} s, "
        f"GIN index {indexed - loaded:.0f} s, VACUUM ANALYZE "
        f"{time.perf_counter() - indexed:.0f} s",
        file=sys.stderr,
    )


def sql_ms(sql: str, params, runs: int, *, seq: bool = False) -> tuple[float, int]:
    times = []
    with connection.cursor() as cursor:
        if seq:
            cursor.execute("SET enable_indexscan = off")
            cursor.execute("SET enable_bitmapscan = off")
        try:
            for _ in range(runs):
                started = time.perf_counter()
                cursor.execute(sql, params)
                found = cursor.fetchone()[0]
                times.append((time.perf_counter() - started) * 1000)
        finally:
            cursor.execute("RESET enable_indexscan")
            cursor.execute("RESET enable_bitmapscan")
    return statistics.median(times), found


def timed(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


SEQ = (
    "SELECT count(*) FROM newsletter_article a JOIN newsletter_issue i "
    f"ON i.id = a.issue_id WHERE i.status = 'published' AND {CONTAINS}"
)
INDEX_ONLY = (
    "SELECT count(*) FROM newsletter_article WHERE search_grams @@ CAST(%s AS tsquery)"
)


def measure(query: str, runs: int, client: Client) -> dict:
    from newsletter.search.query import COUNT_CAP, search, tsquery_for
    from newsletter.search.text import query_grams
    from newsletter.selectors import article_cards

    qs = article_cards(search([query]), with_text=True)
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200, response.status_code
    row = {
        "page": timed(lambda: client.get("/search/", {"q": query}), runs),
        "count": timed(qs.count, runs),
        "first": timed(lambda: list(qs[:20]), runs),
    }
    row["seq"], row["found"] = sql_ms(SEQ, [f"%{query}%"] * 3, runs, seq=True)
    row["index"], row["index_found"] = sql_ms(
        INDEX_ONLY, [tsquery_for(query_grams(query))], runs
    )
    # The page counts to COUNT_CAP + 1 at most; the scan counts every hit.
    assert qs.count() == min(row["found"], COUNT_CAP + 1), (query, qs.count())
    return row


def kept_fits(count: int) -> bool:
    from newsletter.models import Article

    return Article.objects.count() in (0, count)


def run(args) -> None:
    from newsletter.models import Article

    if not Article.objects.exists():
        build(args.articles)
    client = Client()
    print(
        f"search at {args.articles:,} articles (PostgreSQL "
        f"{connection.pg_version // 10000}), median of {args.runs}, ms; target: a "
        f"two-character word under {TARGET_MS} ms"
    )
    print(
        f"{'query':<6}{'found':>9}{'page':>9}{'count':>9}{'first':>9}"
        f"{'seq':>9}{'index':>9}{'÷seq':>7}{'÷index':>8}  target"
    )
    for query, _share in QUERIES:
        row = measure(query, args.runs, client)
        verdict = ""
        if len(query) == 2:
            verdict = "met" if row["page"] < TARGET_MS else "MISSED"
        print(
            f"{query:<6}{row['found']:>9,}{row['page']:>9.1f}{row['count']:>9.1f}"
            f"{row['first']:>9.1f}{row['seq']:>9.1f}{row['index']:>9.1f}"
            f"{row['page'] / row['seq']:>7.2f}{row['page'] / row['index']:>8.2f}"
            f"  {verdict}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database for the next run"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server: this measures its indexes.")
    setup_test_environment()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep
    )
    if args.keep and not kept_fits(args.articles):
        sys.exit(
            "The kept database holds another number of articles: run once without "
            "--keep to drop it, or give its --articles."
        )
    try:
        run(args)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
