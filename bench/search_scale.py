"""Times the public search at province scale (a million articles by default) on
PostgreSQL: what /search/ really runs, against a sequential scan and against
the pairs index alone, for one-, two- and three-character queries, common and
rare.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/search_scale.py [--articles 1000000] [--runs 5] [--keep] \\
        [--scan-sample 10] [--scan-runs 1] [--table]

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

It prints, by default, the figures the target is on: 50 queries (``QUERY_SET``:
one, two and three characters; words of the seed's paragraphs, in a tenth of
the articles or more, words only the rare sentences have, in 0.2 to 0.6% of
them, and words in neither), each timed ``--runs`` times (median), in ms:

- view: GET /search/?q=… through the test client, the whole view (the form,
  its count, its first 20 results, highlighting, the template). The target is
  on this figure: it is what a reader waits for, less the network;
- sql: the view's own search queries within that time (``queries``: how many);
- p50 and p95 of the 50 medians (nearest rank: p95 is the 48th of 50), and the
  slowest;
- the baseline, ``count(*)`` of the same hits by a sequential scan (``LIKE
  '%q%'`` on title, subtitle and text, published issues only, index scans
  off): a few seconds each, so by default for 10 of the 50 (every fifth,
  ``--scan-sample``), once each (``--scan-runs``); the view's figures for
  those same queries beside it, and the ratio;
- before: the search queries as the view ran them before HitPages (the capped
  count, then the first page as one plain ``ORDER BY … LIMIT 20``), median of
  up to 3, and the view's search queries against them at p50 and p95;
- whether the view's 20 hits are those of that plain query, in the same
  order, for every query;
- the machine's load average before and after (two shared cores).

``--table`` prints instead the older table of ``QUERIES`` (8 queries) with a
second baseline, the bare ``search_grams @@ …`` count on the pairs index.

The target: p95 of the whole view under 50 ms over the 50 queries.
"""

import argparse
import datetime
import io
import math
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
from django.template import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from search_index import CONTAINS, QUERIES, RARE_SENTENCES, SEED  # noqa: E402

# Template rendering as production runs it, before setup_test_environment
# instruments it.
PRODUCTION_RENDER = Template._render
TARGET_MS = 50
TABLE_TARGET_MS = 100
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


# The 50 queries the target is on: (query, kind). "common" words are in the
# seed's paragraphs (each paragraph is in about a tenth of the articles: 海,
# 契机, 阶段性 are in one; 社, 社工 in most); "rare" ones only in
# RARE_SENTENCES (0.2 to 0.6% of the articles); "absent" ones in neither.
QUERY_SET = [
    *[(q, "common") for q in "社工的童站镇老毒爱海"],
    *[(q, "rare") for q in "鲸鱼舟赛端"],
    *[(q, "absent") for q in "熊蛇"],
    *[
        (q, "common")
        for q in ("社工", "儿童", "禁毒", "服务", "开展")
        + ("活动", "关爱", "民政", "夕阳", "契机")
    ],
    *[(q, "rare") for q in ("鲸鱼", "龙舟", "科普", "端午", "观赛")],
    *[(q, "absent") for q in ("熊猫", "火箭")],
    *[
        (q, "common")
        for q in ("社工站", "夕阳红", "民政局", "青少年", "困境儿")
        + ("进一步", "双百工", "阶段性", "为契机")
    ],
    *[(q, "rare") for q in ("龙舟赛", "科普展", "端午节", "看龙舟", "境家庭")],
    *[(q, "absent") for q in ("大熊猫", "宇航员")],
]
assert len(QUERY_SET) == 50


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


SEQ = (
    "SELECT count(*) FROM newsletter_article a JOIN newsletter_issue i "
    f"ON i.id = a.issue_id WHERE i.status = 'published' AND {CONTAINS}"
)
INDEX_ONLY = (
    "SELECT count(*) FROM newsletter_article WHERE search_grams @@ CAST(%s AS tsquery)"
)


class SearchSQL:
    """Times each statement that reads articles while it is installed as the
    connection's execute wrapper: the view's search queries (the form's
    choices are cached, and read no article)."""

    def __init__(self):
        self.times: list[float] = []

    def __call__(self, execute, sql, params, many, context):
        if "newsletter_article" not in sql:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times.append((time.perf_counter() - started) * 1000)


def view_runs(query: str, runs: int, client: Client) -> dict:
    """GET /search/?q=… once to warm up and to read its hits, then ``runs``
    times: the medians of the whole view and of its search queries."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200, response.status_code
    page = response.context["page"]
    views, sqls, queries = [], [], 0
    # The test environment's template instrumentation lets the client copy
    # every context rendered (as above), which no production request does:
    # about 10 ms of a search page with its form. Timed without it.
    instrumented = Template._render
    Template._render = PRODUCTION_RENDER
    try:
        for _ in range(runs):
            timer = SearchSQL()
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                client.get("/search/", {"q": query})
                views.append((time.perf_counter() - started) * 1000)
            sqls.append(sum(timer.times))
            queries = len(timer.times)
    finally:
        Template._render = instrumented
    return {
        "view": statistics.median(views),
        "sql": statistics.median(sqls),
        "queries": queries,
        "count": page.paginator.count,
        "hits": [article.pk for article in page.object_list],
    }


def before(query: str, runs: int) -> tuple[list[int], float]:
    """What the view's search queries were before HitPages: the capped count,
    then the first 20 hits as one ``ORDER BY … LIMIT 20`` over the search's
    filter (PostgreSQL walks the newest issues to find them). Its hits are
    what the view's page must equal; with them, the median time of the two."""
    from newsletter.search.query import search
    from newsletter.selectors import article_cards

    hits = search([query])
    plain = article_cards(hits, with_text=True)
    first = [article.pk for article in plain[:20]]

    def view_before():
        # As the Paginator did: no page query when nothing was found.
        if count := hits.count():
            list(plain[: min(20, count)])

    return first, timed(view_before, runs)


def timed(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def rank(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with ``share`` of them at or
    below it (p95 of 50 values: the 48th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run_set(args) -> None:
    from newsletter.search.query import COUNT_CAP

    client = Client()
    print(
        f"search at {args.articles:,} articles (PostgreSQL "
        f"{connection.pg_version // 10000}), {len(QUERY_SET)} queries, median of "
        f"{args.runs} runs each, ms; load average {load()} (1/5/15 min, two cores)"
    )
    print(
        f"{'query':<7}{'kind':<8}{'found':>7}{'view':>8}{'sql':>8}{'queries':>8}"
        f"{'before':>8}{'seq scan':>10}  same 20 hits"
    )
    rows, sample = [], set(range(0, len(QUERY_SET), len(QUERY_SET) // args.scan_sample))
    for i, (query, kind) in enumerate(QUERY_SET):
        row = view_runs(query, args.runs, client)
        plain_hits, row["plain"] = before(query, min(args.runs, 3))
        row["same"] = row["hits"] == plain_hits
        row["seq"] = None
        if i in sample:
            row["seq"], found = sql_ms(
                SEQ, [f"%{query}%"] * 3, args.scan_runs, seq=True
            )
            assert row["count"] == min(found, COUNT_CAP + 1), (query, found)
        rows.append(row)
        found = f"{COUNT_CAP}+" if row["count"] > COUNT_CAP else f"{row['count']}"
        seq = f"{row['seq']:>10,.0f}" if row["seq"] is not None else f"{'':>10}"
        print(
            f"{query:<7}{kind:<8}{found:>7}{row['view']:>8.1f}{row['sql']:>8.1f}"
            f"{row['queries']:>8}{row['plain']:>8.1f}{seq}  "
            f"{'yes' if row['same'] else 'NO'}"
        )
    views = [r["view"] for r in rows]
    sqls = [r["sql"] for r in rows]
    scanned = [r for r in rows if r["seq"] is not None]
    scan_view = [r["view"] for r in scanned]
    seqs = [r["seq"] for r in scanned]
    p95 = rank(views, 0.95)
    print(
        f"the whole view, {len(rows)} queries: p50 {rank(views, 0.5):.1f}, p95 "
        f"{p95:.1f}, slowest {max(views):.1f} ({QUERY_SET[views.index(max(views))][0]})"
    )
    print(
        f"its search queries alone: p50 {rank(sqls, 0.5):.1f}, p95 "
        f"{rank(sqls, 0.95):.1f}, slowest {max(sqls):.1f}"
    )
    print(
        f"sequential scan, {len(scanned)} of the {len(rows)} queries (every "
        f"{len(QUERY_SET) // args.scan_sample}th, {args.scan_runs} run each): p50 "
        f"{rank(seqs, 0.5):,.0f}, p95 {rank(seqs, 0.95):,.0f}; the view for the "
        f"same {len(scanned)}: p50 {rank(scan_view, 0.5):.1f}, p95 "
        f"{rank(scan_view, 0.95):.1f}; view ÷ scan: p50 "
        f"{rank(scan_view, 0.5) / rank(seqs, 0.5):.4f}, p95 "
        f"{rank(scan_view, 0.95) / rank(seqs, 0.95):.4f}"
    )
    plains = [r["plain"] for r in rows]
    print(
        f"before HitPages (the capped count, then the first page as one plain "
        f"query), the same 50: p50 "
        f"{rank(plains, 0.5):.1f}, p95 {rank(plains, 0.95):.1f}; the view's search "
        f"queries ÷ it: p50 {rank(sqls, 0.5) / rank(plains, 0.5):.2f}, p95 "
        f"{rank(sqls, 0.95) / rank(plains, 0.95):.2f}"
    )
    same = sum(r["same"] for r in rows)
    print(
        f"the same 20 hits in the same order as the plain query: {same} of {len(rows)}"
    )
    verdict = "met" if p95 < TARGET_MS else "MISSED"
    print(
        f"target: p95 of the whole view under {TARGET_MS} ms: {verdict} "
        f"({p95:.1f}); load average now {load()}"
    )
    if same != len(rows):
        sys.exit("The page's hits differ from the plain query's.")


def measure(query: str, runs: int, client: Client) -> dict:
    from newsletter.search.query import COUNT_CAP, tsquery_for
    from newsletter.search.text import query_grams

    row = view_runs(query, runs, client)
    row["seq"], row["found"] = sql_ms(SEQ, [f"%{query}%"] * 3, runs, seq=True)
    row["index"], row["index_found"] = sql_ms(
        INDEX_ONLY, [tsquery_for(query_grams(query))], runs
    )
    # The page counts to COUNT_CAP + 1 at most; the scan counts every hit.
    assert row["count"] == min(row["found"], COUNT_CAP + 1), (query, row["count"])
    return row


def kept_fits(count: int) -> bool:
    from newsletter.models import Article

    return Article.objects.count() in (0, count)


def run_table(args) -> None:
    client = Client()
    print(
        f"search at {args.articles:,} articles (PostgreSQL "
        f"{connection.pg_version // 10000}), median of {args.runs}, ms; load "
        f"average {load()}; target: a two-character word under {TABLE_TARGET_MS} ms"
    )
    print(
        f"{'query':<6}{'found':>9}{'page':>9}{'sql':>9}"
        f"{'seq':>9}{'index':>9}{'÷seq':>7}{'÷index':>8}  target"
    )
    for query, _share in QUERIES:
        row = measure(query, args.runs, client)
        verdict = ""
        if len(query) == 2:
            verdict = "met" if row["view"] < TABLE_TARGET_MS else "MISSED"
        print(
            f"{query:<6}{row['found']:>9,}{row['view']:>9.1f}{row['sql']:>9.1f}"
            f"{row['seq']:>9.1f}{row['index']:>9.1f}"
            f"{row['view'] / row['seq']:>7.2f}{row['view'] / row['index']:>8.2f}"
            f"  {verdict}"
        )


def run(args) -> None:
    from newsletter.models import Article

    if not Article.objects.exists():
        build(args.articles)
    if args.table:
        run_table(args)
    else:
        run_set(args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database for the next run"
    )
    parser.add_argument(
        "--scan-sample",
        type=int,
        default=10,
        help="how many of the 50 queries the sequential scan times (every n-th)",
    )
    parser.add_argument("--scan-runs", type=int, default=1)
    parser.add_argument(
        "--table", action="store_true", help="the older table of 8 queries instead"
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
