"""The public pages as a ratio of the floor: the fastest Django page on this
machine (``../shared/floor``, one file rendering a 23 KB template with two
middleware), measured in the same run, alternating with the portal's pages.

    .venv/bin/python bench/floor.py [--seconds 6] [--rounds 5] [--redis]
        [--database postgres|sqlite] [--server postgres://postgres@127.0.0.1:5432]

It builds the demo as ``bench/public_pages.py`` does (a throwaway database and
folder, ``load_demo``, the draft published: an issue of ten articles and
articles with photos), then starts two gunicorns with two sync workers each: the
floor, and the portal with the production settings (DJANGO_DEBUG=0). ``wrk``
(Debian's package) loads each page for ``--seconds`` with two threads and 20
connections, the floor and the pages in turn, in reverse order every other
round; each page's ratio is taken against the floor measured in the same round,
and the medians over ``--rounds`` are printed with the absolute rates.

Pages: the issue and an article with photos, cached (as an anonymous reader gets
them) and uncached (a query string the page cache does not keep, so each request
renders from the database: the set pages still serve what they hold), and the
home page uncached.
"""

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from public_pages import (
    HOST,
    ROOT,
    build,
    environment,
    free_port,
    get,
    gunicorn,
    pg_admin,
    start_redis,
    throwaway_database,
    wait_for,
)

FLOOR = ROOT.parent / "shared" / "floor"
WRK_RATE_RE = re.compile(r"Requests/sec:\s+([\d.]+)")
NON_2XX_RE = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def wrk(port: int, path: str, seconds: float) -> float:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c20",
            f"-d{seconds:g}s",
            "-H",
            "X-Forwarded-Proto: https",
            # The host the page cache keys on, as public_pages.get sends it.
            "-H",
            f"Host: {HOST}",
            f"http://{HOST}:{port}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    bad = NON_2XX_RE.search(out)
    if bad:
        raise SystemExit(f"{path}: {bad.group(1)} answers that were not 200")
    return float(WRK_RATE_RE.search(out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", action="store_true")
    parser.add_argument(
        "--database", choices=["postgres", "sqlite"], default="postgres"
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    processes = []
    database = None
    try:
        redis_url = ""
        if args.redis:
            redis, redis_url = start_redis(folder)
            processes.append(redis)
        database, database_url = throwaway_database(
            args.database, args.server, folder, "bench_floor"
        )
        env = environment(folder, redis_url, database_url)
        print("building the demo data …", flush=True)
        issue, article = build(env)
        floor_port, portal_port = free_port(), free_port()
        floor = gunicorn("floorapp:application", floor_port, {}, FLOOR, args.workers)
        processes.append(floor)
        portal = gunicorn(
            "portal.wsgi:application", portal_port, env, ROOT, args.workers
        )
        processes.append(portal)
        wait_for(floor_port, floor, "/")
        wait_for(portal_port, portal)
        pages = {
            "issue, cached": issue,
            "article, cached": article,
            "issue, uncached": f"{issue}?uncached=1",
            "article, uncached": f"{article}?uncached=1",
            "home, uncached": "/?uncached=1",
        }
        # Warm up: every worker renders every page and fills what it keeps.
        wrk(floor_port, "/", 1)
        for path in pages.values():
            wrk(portal_port, path, 1)
        for path in (issue, article):
            _s, _b, headers = get(portal_port, path)
            assert headers.get("X-Public-Cache") == "hit", (path, headers)
        floors, rates = [], {name: [] for name in pages}
        for round_ in range(args.rounds):
            order = [("floor", "/"), *pages.items()]
            if round_ % 2:
                order.reverse()
            for name, path in order:
                if name == "floor":
                    floors.append(wrk(floor_port, "/", args.seconds))
                else:
                    rates[name].append(wrk(portal_port, path, args.seconds))
            print(f"  round {round_ + 1} of {args.rounds} done", flush=True)
        engine = "PostgreSQL" if database else "SQLite"
        cache = "Redis" if args.redis else "local memory"
        print(
            f"gunicorn, {args.workers} sync workers each, DEBUG=0, {engine}, cache "
            f"in {cache}; wrk -t2 -c20, {args.rounds} rounds of {args.seconds:g} s"
        )
        print(f"  {'the floor':<20} {statistics.median(floors):8.0f} req/s")
        for name, values in rates.items():
            ratios = [v / f for v, f in zip(values, floors, strict=True)]
            print(
                f"  {name:<20} {statistics.median(values):8.0f} req/s   "
                f"ratio {statistics.median(ratios):4.2f} "
                f"({min(ratios):.2f}–{max(ratios):.2f})"
            )
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=10)
        if database is not None:
            pg_admin(args.server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
