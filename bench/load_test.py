"""Load test: the public site at 200 concurrent readers, then the staff pages
at 50 logged-in users, against gunicorn and PostgreSQL on this machine.
Prints p50/p95/p99 per page group and overall, requests per second and
errors, with the target: public pages p95 under 300 ms at 200 users with no
errors.

    .venv/bin/pip install -r bench/requirements.txt      # locust, once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_loadtest \\
        .venv/bin/python bench/load_test.py [--run-time 60] [--phases public,staff]

The database must exist and hold data (the demo: ``migrate`` then
``load_demo``; or the province-scale one of ``generate_scale``). Its name must
contain "scale", "bench" or "loadtest", or ``--allow-any-database`` be given:
the test logs in, and on a database without the demo users it creates three
staff accounts with a known password (bench/load/plan.py).

What it does: collects static files into a throwaway folder; starts a
throwaway redis-server for the cache (``--redis-url`` to use another); finds
the pages to ask for in the database; starts gunicorn with the production
settings (DJANGO_DEBUG=0, a throw-away secret key, ALLOWED_HOSTS=127.0.0.1,
requests carry X-Forwarded-Proto: https as behind the reverse proxy), two
gthread workers of four threads by default, and warms its workers up; then
runs bench/load/locustfile.py headless, one phase per user class. Each phase
ramps its users up and measures ``--run-time`` seconds from the moment all of
them run and, for staff, have logged in (the locustfile resets the statistics
then). Users think 1-5 s between pages (``--wait``; ``--wait 0,0`` asks as
fast as the server answers, to find the most it serves). The load generator
runs on the same two cores as gunicorn and PostgreSQL, so the figures are a
floor for what the server does alone; gunicorn's CPU time per request over the
window is printed too, with the load average (other work on the machine moves
every figure).
"""

import argparse
import csv
import itertools
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# bench/ is the script's folder, hence on the path: bench/load/report.py, and
# the helpers the public-pages bench has too.
from load.report import report, server_errors
from public_pages import free_port, start_redis

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
PUBLIC_P95_MS = 300
# Not a target of the load test: the single-request target of the staff pages
# at full scale (bench/README.md), printed beside the staff figures.
STAFF_P95_MS = 500
SCRATCH_WORDS = ("scale", "bench", "loadtest")
INSTALL = ".venv/bin/pip install -r bench/requirements.txt"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--run-time", type=int, default=60, help="seconds per phase")
    parser.add_argument("--public-users", type=int, default=200)
    parser.add_argument("--staff-users", type=int, default=50)
    parser.add_argument("--phases", default="public,staff")
    parser.add_argument("--wait", default="1,5", help="think time min,max seconds")
    # Two processes of four threads on two cores (docs/scaling.md, "gunicorn
    # workers on two cores"): one process per core, since the GIL runs one
    # thread of a process at a time, and threads so that a worker waiting on
    # PostgreSQL or on a slow dashboard still serves other requests. Sync
    # workers queued staff pages behind the dashboard; more processes than
    # cores served fewer pages a second.
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--worker-class", default="gthread", choices=["sync", "gthread"]
    )
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--redis-url", default="", help="default: a throwaway one")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--allow-any-database", action="store_true")
    return parser.parse_args()


def check(args) -> None:
    if not (BIN / "locust").exists():
        raise SystemExit(f"locust is not installed; run: {INSTALL}")
    url = urllib.parse.urlparse(args.database_url)
    if url.scheme not in {"postgres", "postgresql"}:
        raise SystemExit("DATABASE_URL (or --database-url) must name a PostgreSQL db")
    name = url.path.lstrip("/")
    if not args.allow_any_database and not any(w in name for w in SCRATCH_WORDS):
        raise SystemExit(
            f"refusing to load-test database {name!r}: its name holds none of "
            f"{SCRATCH_WORDS} (use --allow-any-database if it really is a copy)"
        )


def environment(args, folder: Path, redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=args.database_url,
        REDIS_URL=redis_url,
        LOAD_STATIC_ROOT=str(folder / "static"),
        PYTHONPATH=str(ROOT),
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def run(cmd, env) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{done.stderr[-3000:]}")
    return done


def start_gunicorn(args, env, port, log: Path):
    """gunicorn's log goes to a file: a pipe nobody reads would fill up with
    the tracebacks of failing pages and stop the workers mid-write."""
    cmd = [
        str(BIN / "gunicorn"),
        "portal.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={args.workers}",
        f"--worker-class={args.worker_class}",
        f"--threads={args.threads}",
        "--log-level=warning",
    ]
    with log.open("w") as err:
        server = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err
        )
    for _ in range(200):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped: " + log.read_text()[-3000:])
        try:
            health = urllib.request.Request(
                f"http://{HOST}:{port}/healthz",
                headers={"X-Forwarded-Proto": "https"},
            )
            urllib.request.urlopen(health, timeout=5)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    server.wait()
    raise SystemExit("gunicorn did not answer /healthz")


def warm_up(port: int, public: dict, workers: int) -> None:
    """Each worker process loads its code and templates and opens its database
    connection on its first requests; a server in service has done that long
    ago, so it is not measured. Also fills the cache with one page of each
    group, as the first readers after a publication do."""
    paths = ["/", "/search/?q=社工", "/search/?q=站"] + [
        group[0] for group in public.values() if group and group[0].startswith("/")
    ]

    def get(path):
        request = urllib.request.Request(
            f"http://{HOST}:{port}{urllib.parse.quote(path, safe='/?=&')}",
            headers={"X-Forwarded-Proto": "https"},
        )
        try:
            urllib.request.urlopen(request, timeout=60).read()
        except urllib.error.HTTPError as error:
            # Counted again, as an error, when the test asks for it.
            print(f"  warm-up: {path} answered {error.code}", flush=True)

    with ThreadPoolExecutor(max_workers=4 * workers) as pool:
        list(pool.map(get, itertools.chain(*[paths] * 4 * workers)))


def run_phase(args, env, server, folder, user_class, users, spawn_rate) -> dict:
    prefix = folder / user_class
    side = folder / f"{user_class}-side.json"
    # A bound on the whole run, should the window never open (the locustfile
    # stops the test once it has measured): ramp-up, logins, measurement.
    bound = -(-users // spawn_rate) + users + args.run_time + 60
    cmd = [
        str(BIN / "locust"),
        f"--locustfile={LOCUSTFILE}",
        "--headless",
        f"--host=http://{HOST}:{env['LOAD_PORT']}",
        f"--users={users}",
        f"--spawn-rate={spawn_rate}",
        f"--run-time={bound}s",
        f"--csv={prefix}",
        "--only-summary",
        "--loglevel=WARNING",
        user_class,
    ]
    locust_env = dict(
        env,
        LOAD_PLAN=str(folder / "plan.json"),
        LOAD_SIDE=str(side),
        LOAD_WAIT=args.wait,
        LOAD_USERS=str(users),
        LOAD_RUN_TIME=str(args.run_time),
        LOAD_SERVER_PID=str(server.pid),
    )
    locust = subprocess.Popen(
        cmd, env=locust_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _out, err = locust.communicate()
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        raise SystemExit(f"locust wrote no statistics:\n{err.decode()[-3000:]}")
    with stats_file.open(encoding="utf-8") as rows:
        groups = {row["Name"]: row for row in csv.DictReader(rows)}
    if not side.exists():
        raise SystemExit(f"locust stopped early:\n{err.decode()[-3000:]}")
    extra = json.loads(side.read_text())
    if not extra["measured"]:
        print("  WARNING: the run ended before its measured window closed")
    with Path(f"{prefix}_failures.csv").open(encoding="utf-8") as rows:
        failures = [
            f"{row['Name']}: {row['Error']} x{row['Occurrences']}"
            for row in csv.DictReader(rows)
        ]
    return {
        "groups": groups,
        "failures": failures,
        "side": extra,
        "load_average": os.getloadavg(),
    }


def main():
    args = parse_args()
    check(args)
    folder = Path(tempfile.mkdtemp(prefix="load-test-"))
    redis = server = None
    results = {}
    try:
        redis_url = args.redis_url
        if not redis_url:
            redis, redis_url = start_redis(folder)
        env = environment(args, folder, redis_url)
        manage = [str(BIN / "python"), str(ROOT / "manage.py")]
        print("collecting static files, finding pages and accounts …", flush=True)
        check_migrations = [*manage, "migrate", "--check"]
        if subprocess.run(check_migrations, env=env, capture_output=True).returncode:
            raise SystemExit("the database lacks migrations: run manage.py migrate")
        run([*manage, "collectstatic", "--noinput"], env)
        plan_cmd = [str(BIN / "python"), str(ROOT / "bench/load/plan.py")]
        plan_cmd.append("--create-accounts")
        if args.allow_any_database:
            plan_cmd.append("--allow-any-database")
        plan = run(plan_cmd, env).stdout
        (folder / "plan.json").write_text(plan, encoding="utf-8")
        found = json.loads(plan)
        public = found["public"]
        print(
            f"  {len(public['issue_all'])} issues, "
            f"{len(public['article_all'])} articles (sample), "
            f"{len(public['county'])} counties, staff accounts: "
            + ", ".join(a["username"] for a in found["accounts"])
        )
        port = free_port()
        server = start_gunicorn(args, env, port, folder / "gunicorn.log")
        env["LOAD_PORT"] = str(port)
        warm_up(port, public, args.workers * args.threads)
        print(
            f"gunicorn: {args.workers} {args.worker_class} workers"
            + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
            + f", DEBUG=0, Redis cache; think time {args.wait} s; "
            f"{args.run_time} s measured per phase once all users run",
            flush=True,
        )
        phases = args.phases.split(",")
        verdicts = []
        if "public" in phases:
            phase = run_phase(
                args, env, server, folder, "PublicReader", args.public_users, 20
            )
            met, results["public"] = report(
                f"public pages, {args.public_users} users (ms)",
                phase,
                PUBLIC_P95_MS,
                True,
            )
            verdicts.append(met)
        if "staff" in phases and found["accounts"]:
            phase = run_phase(
                args, env, server, folder, "StaffUser", args.staff_users, 5
            )
            _met, results["staff"] = report(
                f"staff pages, {args.staff_users} users (ms)",
                phase,
                STAFF_P95_MS,
                False,
            )
        server_errors(folder / "gunicorn.log")
        print("\ntarget met" if all(verdicts) else "\nTARGET NOT MET")
        if args.json:
            args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        for process in (server, redis):
            if process is not None:
                process.terminate()
                try:
                    # gunicorn lets running requests finish (30 s at most).
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
