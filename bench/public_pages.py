"""Requests per second of the public issue and article pages, cached and
uncached, against a minimal Django view rendering a static template of the same
size, all served by one gunicorn with the production settings, in one run.

    .venv/bin/python bench/public_pages.py [--seconds 2] [--rounds 7] [--redis]
        [--database postgres|sqlite] [--server postgres://postgres@127.0.0.1:5432]
        [--existing postgres://…/portal_scale]

It makes a throwaway folder with media and collected static files, and a
throwaway database: on PostgreSQL by default, as production runs (a database
``bench_public_<random>`` made on ``--server`` and dropped at the end, with the
product's persistent connections), or a SQLite file with ``--database sqlite``
(the embedded mode, which opens a connection per request), or, with
``--existing``, a database that already holds published issues (the
province-scale data of ``generate_scale``: nothing is built or changed there
but the set pages the reads make; the newest issue with the most articles and
its first article are measured); migrates; runs ``load_demo`` (the seed issue imported and published, and
a draft of the demo's reports) and publishes the draft through the service, so
that there is an issue of ten articles and articles with photos. It then starts
gunicorn (two sync workers, DJANGO_DEBUG=0, a throw-away secret key,
ALLOWED_HOSTS=127.0.0.1) on a free port with ``bench.public_site.settings``:
the product's settings and URLs plus the baseline view, which renders a saved
copy of each measured page as a static template (``{% verbatim %}``) through
the same middleware and context processors. Requests carry
``X-Forwarded-Proto: https``, as behind the reverse proxy.

Clients are two processes of four threads (http.client, a new connection per
request, as gunicorn's sync workers close them). The pages are requested:

- baseline: the static copy;
- cached: the page as an anonymous reader gets it (each worker's first request
  filled its cache during the warm-up);
- uncached: the same page with a query string the cache does not keep (only
  ``?page=N`` is cached), so every request renders it from the database.

Each measurement runs ``--seconds``; a round measures the three kinds of a page
one after the other (in reverse order every other round), and each ratio is
taken against the baseline measured in the same round, so that load from
elsewhere on the machine falls on both sides. The medians over ``--rounds``
are printed with the targets: cached at least 0.9 of the baseline, uncached at
least 0.5. ``--redis`` starts
a throw-away redis-server and sets REDIS_URL, as production does; without it
the cache is local memory, per worker.
"""

import argparse
import http.client
import multiprocessing
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
TARGETS = {"cached": 0.9, "uncached": 0.5}
HOST = "127.0.0.1"
HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https", "User-Agent": "bench"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def environment(folder: Path, redis_url: str, database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.public_site.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(folder / "media"),
        BENCH_STATIC_ROOT=str(folder / "static"),
        BENCH_TEMPLATE_DIR=str(folder / "templates"),
        PYTHONPATH=str(ROOT),
        DJANGO_LOG_LEVEL="ERROR",
    )
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


PUBLISH = """
from django.contrib.auth import get_user_model
from newsletter import services
from newsletter.models import Article, Issue
editor = get_user_model().objects.get(username="editor")
for draft in Issue.objects.filter(status="draft"):
    services.issue_publish(issue=draft, by=editor)
seed = Issue.objects.filter(source="imported").get()
article = (
    Article.objects.filter(issue__status="published", photos__isnull=False)
    .exclude(issue=seed).distinct().order_by("pk").first()
)
print(seed.get_absolute_url())
print(article.get_absolute_url())
"""


FIND = """
from django.db.models import Count
from newsletter.models import Issue
issue = (
    Issue.objects.filter(status="published").annotate(n=Count("articles"))
    .order_by("-issue_date", "-n", "-pk").first()
)
print(issue.get_absolute_url())
print(issue.articles.order_by("section__position", "position", "pk").first().get_absolute_url())
"""


def find_pages(env: dict) -> tuple[str, str]:
    subprocess.run(
        [str(PYTHON), str(ROOT / "manage.py"), "collectstatic", "--noinput"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    found = subprocess.run(
        [str(PYTHON), str(ROOT / "manage.py"), "shell", "-c", FIND],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    issue_url, article_url = found.stdout.split()[-2:]
    return issue_url, article_url


def build(env: dict) -> tuple[str, str]:
    def manage(*args, **kwargs):
        return subprocess.run(
            [str(PYTHON), str(ROOT / "manage.py"), *args],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            **kwargs,
        )

    manage("migrate", "--noinput")
    manage("load_demo")
    manage("collectstatic", "--noinput")
    issue_url, article_url = manage("shell", "-c", PUBLISH).stdout.split()[-2:]
    return issue_url, article_url


def pg_admin(server: str, statement: str) -> None:
    """Run one statement on the server's ``postgres`` database (outside a
    transaction, as CREATE/DROP DATABASE must)."""
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def get(port: int, path: str) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def _client(port, path, seconds, threads, out):
    counts = [0] * threads
    deadline = time.perf_counter() + seconds

    def loop(i):
        while time.perf_counter() < deadline:
            status, _body, _headers = get(port, path)
            if status != 200:
                raise SystemExit(f"{path}: {status}")
            counts[i] += 1

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    out.put(sum(counts))


def rate(port: int, path: str, seconds: float, processes=2, threads=4) -> float:
    queue = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(
            target=_client, args=(port, path, seconds, threads, queue)
        )
        for _ in range(processes)
    ]
    started = time.perf_counter()
    for client in clients:
        client.start()
    total = sum(queue.get() for _ in clients)
    for client in clients:
        client.join()
    return total / (time.perf_counter() - started)


def throwaway_database(kind: str, server: str, folder: Path, prefix: str):
    """(name, URL) of a database made for one run: a new PostgreSQL database
    on ``server`` (its name, to drop at the end), or SQLite in ``folder``
    (name None)."""
    if kind == "postgres":
        name = f"{prefix}_{secrets.token_hex(4)}"
        pg_admin(server, f"CREATE DATABASE {name}")
        return name, f"{server}/{name}"
    return None, f"sqlite:///{folder / 'bench.sqlite3'}"


def gunicorn(app: str, port: int, env: dict, cwd: Path, workers: int):
    """A gunicorn serving ``app`` from ``cwd``; its errors kept for wait_for."""
    return subprocess.Popen(
        [
            str(GUNICORN),
            app,
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(port: int, process, path: str = "/healthz") -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped: " + process.stderr.read().decode())
        try:
            get(port, path)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer")


def save_baseline(port: int, folder: Path, name: str, path: str) -> int:
    """A static copy of the page, as a template, and its size."""
    status, body, headers = get(port, path)
    assert status == 200, (path, status)
    text = body.decode()
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates" / f"baseline_{name}.html").write_text(
        "{% verbatim %}" + text + "{% endverbatim %}", encoding="utf-8"
    )
    return len(body)


def measure(args, port, pages) -> dict:
    """{(page, kind): [requests per second, one per round]}. Within a round the
    three kinds of a page run one after the other, in reverse order every other
    round, so that load from elsewhere on the machine falls on all alike and a
    ratio is taken between neighbours."""
    kinds = {}
    for name, path in pages.items():
        kinds[(name, "baseline")] = f"/bench/baseline/{name}/"
        kinds[(name, "cached")] = path
        kinds[(name, "uncached")] = f"{path}?uncached=1"
    # Warm up: every worker renders every page once and caches what it may.
    for path in kinds.values():
        rate(port, path, 0.5, processes=1, threads=2)
    for path in pages.values():
        _s, _b, headers = get(port, path)
        assert headers.get("X-Public-Cache") == "hit", (path, headers)
        _s, _b, headers = get(port, f"{path}?uncached=1")
        assert "X-Public-Cache" not in headers
    results = {key: [] for key in kinds}
    for round_ in range(args.rounds):
        for name in pages:
            order = ["baseline", "cached", "uncached"]
            if round_ % 2:
                order.reverse()
            for kind in order:
                key = (name, kind)
                results[key].append(rate(port, kinds[key], args.seconds))
        print(f"  round {round_ + 1} of {args.rounds} done", flush=True)
    return results


def start_redis(folder: Path):
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process, f"redis://{HOST}:{port}/0"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", action="store_true")
    parser.add_argument(
        "--database", choices=["postgres", "sqlite"], default="postgres"
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--existing", default="", help="an existing database URL")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-public-"))
    redis = None
    server = None
    database = None
    try:
        redis_url = ""
        if args.redis:
            redis, redis_url = start_redis(folder)
        if args.existing:
            database_url = args.existing
        else:
            database, database_url = throwaway_database(
                args.database, args.server, folder, "bench_public"
            )
        env = environment(folder, redis_url, database_url)
        print("building the demo data …", flush=True)
        if args.existing:
            issue_path, article_path = find_pages(env)
        else:
            issue_path, article_path = build(env)
        (folder / "templates").mkdir()
        port = free_port()
        server = gunicorn("portal.wsgi:application", port, env, ROOT, args.workers)
        wait_for(port, server)
        pages = {"issue": issue_path, "article": article_path}
        sizes = {
            name: save_baseline(port, folder, name, path)
            for name, path in pages.items()
        }
        cache = "Redis" if args.redis else "local memory"
        engine = "PostgreSQL" if database or args.existing else "SQLite"
        print(
            f"gunicorn, {args.workers} sync workers, DEBUG=0, {engine}, cache in {cache}; "
            f"issue page {issue_path} ({sizes['issue']:,} bytes), "
            f"article page {article_path} ({sizes['article']:,} bytes, with photos)",
            flush=True,
        )
        results = measure(args, port, pages)
        print(
            f"requests per second, median of {args.rounds} rounds of "
            f"{args.seconds:g} s; ratio: median of the rounds' ratios to the "
            "baseline measured next to them"
        )
        verdicts = []
        for name in pages:
            base = results[(name, "baseline")]
            print(
                f"  {name:<8} {'baseline (static template)':<26} "
                f"{statistics.median(base):8.0f}"
            )
            for kind, target in TARGETS.items():
                values = results[(name, kind)]
                ratio = statistics.median(
                    v / b for v, b in zip(values, base, strict=True)
                )
                ok = ratio >= target
                verdicts.append(ok)
                print(
                    f"  {name:<8} {kind:<26} {statistics.median(values):8.0f}   "
                    f"ratio {ratio:4.2f}   target >= {target}: "
                    f"{'met' if ok else 'NOT MET'}"
                )
        print("all targets met" if all(verdicts) else "SOME TARGETS NOT MET")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        if database is not None:
            pg_admin(args.server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
