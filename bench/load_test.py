"""Load test: 1,000 readers of the public site and 200 logged-in staff at
the same time, against gunicorn and PostgreSQL on this machine. Prints p50/p95/
p99, requests/s and errors per side and page group, with the targets: public
pages p95 under 200 ms, staff pages p95 under 500 ms, no errors.

    .venv/bin/pip install -r bench/requirements.txt      # locust, once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_loadtest \\
        .venv/bin/python bench/load_test.py [--run-time 60] \\
        [--public-users 1000] [--staff-users 200]

The database must exist and hold data (the demo: ``migrate`` then
``load_demo``; or the province-scale one of ``generate_scale``). Its name must
contain "scale", "bench" or "loadtest", or ``--allow-any-database`` be given:
the test logs in, and on a database without the demo users it creates three
staff accounts with a known password (bench/load/plan.py). The plan has six
(demo) or three accounts, so the 200 staff users share them in turn, each
with a session of its own.

What it does: collects static files into a throwaway folder; starts a
throwaway redis-server for the cache (``--redis-url`` to use another); finds
the pages to ask for in the database; starts gunicorn with the production
settings (DJANGO_DEBUG=0, a throw-away secret key, ALLOWED_HOSTS=127.0.0.1,
requests carry X-Forwarded-Proto: https as behind the reverse proxy), two
gthread workers of four threads by default, and warms its workers up; then
runs bench/load/locustfile.py headless with both user classes at once. Users
are spawned ``--spawn-rate`` a second; staff log in through the form
``--logins-at-once`` at a time (a login is a PBKDF2 hash, 0.35 s of a core)
while the readers wait; then everyone starts, spread over one think time, and
the measured window of ``--run-time`` seconds opens one think time later (the
locustfile resets the statistics then), so no ramp is measured. Users think
1-5 s between pages (``--wait``; ``--wait 0,0`` asks as fast as the server
answers, to find the most it serves): 1,200 users ask about 400 pages a
second.

The load generator (one locust process, FastHttpUser on gevent) runs on the
same cores as gunicorn and PostgreSQL. The run prints the CPU each of them
used over the window, the generator's event-loop lag, the requests sent
against those the users' think time allows, and from these what limited the
figures: the generator, the machine's cores, or neither.
"""

import argparse
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
from load.report import run_report, server_errors, side_report
from public_pages import free_port, start_redis

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
PUBLIC_P95_MS = 200
STAFF_P95_MS = 500
SCRATCH_WORDS = ("scale", "bench", "loadtest")
INSTALL = ".venv/bin/pip install -r bench/requirements.txt"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--run-time", type=int, default=60, help="seconds measured")
    parser.add_argument("--public-users", type=int, default=1000, help="0: none")
    parser.add_argument("--staff-users", type=int, default=200, help="0: none")
    parser.add_argument("--wait", default="1,5", help="think time min,max seconds")
    parser.add_argument(
        "--spawn-rate", type=float, default=100, help="users started a second"
    )
    # Two: one hash per gunicorn process at a time, so that logins go as fast
    # as two cores hash without queueing for a thread behind each other.
    parser.add_argument("--logins-at-once", type=int, default=2)
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
    # Off by default; production sets 1,000 (deploy/gunicorn.conf.py), which
    # at 400 requests/s replaces each of two processes every five seconds.
    parser.add_argument(
        "--max-requests", type=int, default=0, help="gunicorn's, 0: never restart"
    )
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
        f"--max-requests={args.max_requests}",
        f"--max-requests-jitter={args.max_requests // 10}",
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


def run_load(args, env, server, folder, plan) -> dict:
    """Run locust with both user classes at once; return the side file the
    locustfile wrote (the figures of the measured window)."""
    side = folder / "side.json"
    users = {"PublicReader": args.public_users, "StaffUser": args.staff_users}
    classes = [name for name, count in users.items() if count]
    if args.staff_users and not plan["accounts"]:
        raise SystemExit("no staff accounts in the plan (bench/load/plan.py)")
    total = sum(users.values())
    # A bound on the whole run, should the window never open (the locustfile
    # stops the test once it has measured): spawning, logins at a generous
    # two seconds each, settling, measurement.
    settle = float(args.wait.split(",")[1]) + 1
    bound = int(
        total / args.spawn_rate + 2 * args.staff_users + settle + args.run_time + 60
    )
    cmd = [
        str(BIN / "locust"),
        f"--locustfile={LOCUSTFILE}",
        "--headless",
        f"--host=http://{HOST}:{env['LOAD_PORT']}",
        f"--users={total}",
        f"--spawn-rate={args.spawn_rate}",
        f"--run-time={bound}s",
        "--only-summary",
        "--loglevel=WARNING",
        *classes,
    ]
    locust_env = dict(
        env,
        LOAD_PLAN=str(folder / "plan.json"),
        LOAD_SIDE=str(side),
        LOAD_WAIT=args.wait,
        LOAD_PUBLIC_USERS=str(args.public_users),
        LOAD_STAFF_USERS=str(args.staff_users),
        LOAD_LOGINS_AT_ONCE=str(args.logins_at_once),
        LOAD_RUN_TIME=str(args.run_time),
        LOAD_SERVER_PID=str(server.pid),
    )
    locust = subprocess.Popen(
        cmd, env=locust_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _out, err = locust.communicate()
    err = err.decode(errors="replace")
    if not side.exists():
        raise SystemExit(f"locust stopped early:\n{err[-3000:]}")
    run = json.loads(side.read_text())
    if not run["measured"]:
        raise SystemExit(
            f"the run ended before its measured window closed:\n{err[-3000:]}"
        )
    # locust warns when its own process nears a full core.
    for line in err.splitlines():
        if "CPU usage" in line:
            print(f"  locust: {line.strip()}")
    run["load_average"] = os.getloadavg()
    return run


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
            + f", DEBUG=0, Redis cache; {args.public_users} readers and "
            f"{args.staff_users} staff at once, think time {args.wait} s; "
            f"{args.run_time} s measured once all users run and staff have logged "
            f"in; load average before {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        run_figures = run_load(args, env, server, folder, found)
        wait = tuple(float(x) for x in args.wait.split(","))
        verdicts = []
        for side, users, target in (
            ("public", args.public_users, PUBLIC_P95_MS),
            ("staff", args.staff_users, STAFF_P95_MS),
        ):
            if users:
                met, results[side] = side_report(
                    f"{side} pages, {users} users at once with "
                    f"{args.public_users + args.staff_users - users} others (ms)",
                    run_figures["sides"].get(side),
                    run_figures,
                    target,
                )
                verdicts.append(met)
        results["run"] = run_report(
            run_figures,
            {"public": args.public_users, "staff": args.staff_users},
            wait,
            os.cpu_count() or 1,
        )
        print(f"  load average after: {run_figures['load_average'][0]:.2f}")
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
