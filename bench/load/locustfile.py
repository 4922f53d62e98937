"""Readers of the public site and staff at work, for bench/load_test.py.

The runner starts gunicorn, finds the addresses to ask for in the database
(bench/load/plan.py) and runs both user classes at once, as the site is used:

    locust -f bench/load/locustfile.py --headless PublicReader StaffUser

Environment: LOAD_PLAN (the plan's JSON file); LOAD_PUBLIC_USERS and
LOAD_STAFF_USERS (how many of each class, locust's ``--users`` being their
sum); LOAD_WAIT ("min,max" seconds a user reads before the next page, 1,5 by
default; "0,0" measures saturation); LOAD_RUN_TIME (the seconds to measure);
LOAD_LOGINS_AT_ONCE (how many staff may be logging in at the same moment, 2 by
default); LOAD_SERVER_PID (gunicorn's master, whose CPU time is taken);
LOAD_SIDE (a JSON file this writes at the end: the figures of the measured
window per side and page group, the errors, cache hits, the login times and
the CPU each party used).

First the login ramp: every user is spawned, and the staff log in while
nobody else asks for anything. A login costs a password hash (PBKDF2, 0.35 s
of a core), so logins take turns, ``LOAD_LOGINS_AT_ONCE`` at a time, as fast
as the server hashes; behind a thousand readers' pages each would wait in the
server's queue, and at full load the ramp did not end in seven minutes. Then
every user starts after a random part of the longest think time, so that the
first pages spread out as the later ones do. One longest think time after
that (the steady state), the measured window opens: the statistics are reset,
and ``LOAD_RUN_TIME`` seconds later the test stops.

The load generator runs in this one process (gevent), on the same cores as
the server, and measures itself: its own CPU time over the window, and how late
its event loop wakes a greenlet that sleeps (the lag). A generator near a full
core, or a lag of tens of milliseconds, adds its own delay to the response
times it records, and limits the requests it sends.

Each request is named by its page group (``issue``, ``search``…), so the
statistics come out per group; each group belongs to one side (public or
staff), whose totals are merged from its groups. Every request carries
``X-Forwarded-Proto: https``, as behind the reverse proxy (production settings
redirect plain HTTP).
"""

import json
import os
import random
import re
import time
import urllib.parse
from collections import Counter, defaultdict
from itertools import count
from pathlib import Path

import gevent
import gevent.event
import gevent.lock
import psutil
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.stats import StatsEntry

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
PUBLIC = PLAN["public"]
ACCOUNTS = PLAN["accounts"]
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "1,5").split(","))
# Searches of one to three characters, as readers type them: single characters
# and two-character words are the hard case for Chinese search.
SEARCH_TERMS = [
    "站", "县", "镇", "老", "童",
    "社工", "儿童", "老人", "禁毒", "关爱", "走访", "慰问", "培训", "留守",
    "罗定", "新兴", "郁南", "云安", "防溺水",
    "志愿者", "残疾人", "社工站", "独居老", "心理健",
]  # fmt: skip
# Most readers read the latest issues; the rest land on older pages from
# search engines and shared links.
HOT_SHARE = 0.7
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HEADERS = {"X-Forwarded-Proto": "https", "User-Agent": "portal-load-test"}

PUBLIC_USERS = int(os.environ.get("LOAD_PUBLIC_USERS", "0"))
STAFF_USERS = int(os.environ.get("LOAD_STAFF_USERS", "0"))
RUN_TIME = float(os.environ.get("LOAD_RUN_TIME", "60"))
login_slots = gevent.lock.Semaphore(int(os.environ.get("LOAD_LOGINS_AT_ONCE", "2")))
# Set when every user is spawned and every member of staff has logged in.
ready = gevent.event.Event()
# How often the lag probe wakes up, in seconds.
PROBE_EVERY = 0.05

cache_hits = Counter()
cache_seen = Counter()
# Page group -> side ("public" or "staff"), filled as the users ask.
side_of = {}
login_seconds = []
login_ramp = {"first": None, "last": None}
lags = []
window = {"spawned": False, "state": "waiting", "cpu": {}, "seconds": 0.0}
figures = {}
_account_turn = count()
_environment = []


def _wait():
    return constant(0) if WAIT == (0.0, 0.0) else between(*WAIT)


def _start_together():
    """Wait for the login ramp to end, then for a random part of the longest
    think time."""
    ready.wait()
    gevent.sleep(random.uniform(0, WAIT[1]))


def _pick(hot: str, every: str) -> str:
    pool = PUBLIC[hot] if PUBLIC[hot] and random.random() < HOT_SHARE else None
    return random.choice(pool or PUBLIC[every] or PUBLIC[hot])


class PublicReader(FastHttpUser):
    """A reader without a login. The weights are an assumption about a
    newsletter site's traffic: article pages, opened from links shared in
    chats, above all; then issues, the home page, county news and search."""

    # Exactly this many readers, whatever the other class's count.
    fixed_count = PUBLIC_USERS
    wait_time = _wait()
    default_headers = HEADERS

    def on_start(self):
        _start_together()

    def _get(self, group: str, path: str):
        side_of[group] = "public"
        with self.client.get(path, name=group, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return
            cache_seen[group] += 1
            if response.headers.get("X-Public-Cache") == "hit":
                cache_hits[group] += 1

    @task(5)
    def home(self):
        self._get("home", "/")

    @task(10)
    def issue(self):
        self._get("issue", _pick("issue_hot", "issue_all"))

    @task(30)
    def article(self):
        self._get("article", _pick("article_hot", "article_all"))

    @task(3)
    def archive(self):
        self._get("archive", random.choice(PUBLIC["archive"]))

    @task(5)
    def county(self):
        self._get("county", random.choice(PUBLIC["county"]))

    @task(5)
    def search(self):
        query = {"q": random.choice(SEARCH_TERMS)}
        if random.random() < 0.3:
            query["county"] = random.choice(PUBLIC["county_codes"])
        params = "&".join(f"{key}={value}" for key, value in query.items())
        self._get("search", f"/search/?{params}")

    @task(2)
    def feed(self):
        self._get("feed", random.choice(PUBLIC["feed"]))


class StaffUser(FastHttpUser):
    """A member of staff who logs in once (a real login through the form, with
    its CSRF token, so django-axes and the session are exercised as in use)
    and then works through the lists and the dashboard. The plan holds a few
    accounts; users take them in turn, so several users share an account, each
    with a session of its own."""

    fixed_count = STAFF_USERS
    wait_time = _wait()
    default_headers = HEADERS

    def on_start(self):
        self.account = ACCOUNTS[next(_account_turn) % len(ACCOUNTS)]
        with login_slots:
            self._login()
        _logins_done(self.environment)
        _start_together()

    def _login(self):
        started = time.perf_counter()
        login_ramp["first"] = login_ramp["first"] or started
        page = self.client.get("/accounts/login/", name="login")
        token = CSRF_INPUT.search(page.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.account["username"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            # Django checks the Referer of a POST made over HTTPS.
            headers={
                "Referer": f"https://{self._host()}/accounts/login/",
                "Cookie": self._cookies(),
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login {self.account['username']}: not redirected")
        login_ramp["last"] = time.perf_counter()
        login_seconds.append(login_ramp["last"] - started)

    def _cookies(self) -> str:
        """The cookies the client holds. Its jar keeps the Secure cookies the
        production settings set but does not send them over plain HTTP (the
        test has no TLS), so they go by hand."""
        return "; ".join(f"{c.name}={c.value}" for c in self.client.cookiejar)

    def _host(self) -> str:
        return self.host.split("://", 1)[-1].rstrip("/")

    def _get(self, group: str, path: str):
        side_of[group] = "staff"
        # Not following redirects: a page that sends its user to the login
        # form has lost the session, and counts as an error.
        with self.client.get(
            path,
            name=group,
            headers={"Cookie": self._cookies()},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(3)
    def staff_home(self):
        self._get("staff home", "/staff/")

    @task(5)
    def reports(self):
        self._get("report list", "/staff/reports/")

    @task(3)
    def review(self):
        if self.account["review"]:
            self._get("review queue", "/staff/review/")
        else:
            self._get("report list", "/staff/reports/")

    @task(2)
    def stats(self):
        self._get("stats dashboard", "/staff/stats/")

    @task(3)
    def beneficiaries(self):
        self._get("beneficiary list", "/staff/beneficiaries/")


def _test_database() -> str:
    return urllib.parse.urlparse(os.environ.get("DATABASE_URL", "")).path.lstrip("/")


def _is_test_backend(title: str, database: str, leaders: set) -> bool:
    """Whether a PostgreSQL process works for the test's database: a backend
    is titled "postgres: 15/main: USER DATABASE HOST STATE", a parallel worker
    "postgres: 15/main: parallel worker for PID N" after its backend."""
    words = title.split()
    if "parallel worker for PID" in title:
        return words[-1].isdigit() and int(words[-1]) in leaders
    return len(words) > 3 and words[3] == database


def cpu_seconds() -> dict:
    """CPU seconds used so far (user + system): by this process (the load
    generator), by gunicorn's master and workers, by the PostgreSQL backends of
    the test's database, and by the whole machine (every core's busy time).
    PostgreSQL's other processes (other databases, its own background work)
    count as other work."""
    own = psutil.Process()
    taken = {"generator": sum(own.cpu_times()[:2]), "gunicorn": 0.0, "postgres": {}}
    try:
        master = psutil.Process(int(os.environ["LOAD_SERVER_PID"]))
        for process in [master, *master.children(recursive=True)]:
            taken["gunicorn"] += sum(process.cpu_times()[:2])
    except (KeyError, psutil.NoSuchProcess):
        pass
    # Per process, since backends come and go within the window.
    database = _test_database()
    postgres = [
        (
            process.pid,
            " ".join(process.info["cmdline"] or []),
            process.info["cpu_times"],
        )
        for process in psutil.process_iter(["name", "cmdline", "cpu_times"])
        if process.info["name"] == "postgres" and process.info["cpu_times"]
    ]
    leaders = {pid for pid, title, _times in postgres if f" {database} " in title}
    for pid, title, times in postgres:
        if _is_test_backend(title, database, leaders):
            taken["postgres"][pid] = times.user + times.system
    # Busy time by name: Linux counts guest time inside user time already.
    machine = psutil.cpu_times()._asdict()
    taken["machine"] = sum(
        machine.get(kind, 0.0)
        for kind in ("user", "nice", "system", "irq", "softirq", "steal")
    )
    return taken


def cpu_used(before: dict, after: dict) -> dict:
    postgres = sum(
        seconds - before["postgres"].get(pid, 0.0)
        for pid, seconds in after["postgres"].items()
    )
    used = {
        key: after[key] - before[key] for key in ("generator", "gunicorn", "machine")
    }
    used["postgres"] = postgres
    used["other"] = max(
        used["machine"] - used["generator"] - used["gunicorn"] - postgres, 0.0
    )
    return used


def _probe_lag():
    """How late the event loop wakes a sleeping greenlet: the delay the
    generator adds to every response time it records."""
    while window["state"] == "open":
        started = time.perf_counter()
        gevent.sleep(PROBE_EVERY)
        lags.append(time.perf_counter() - started - PROBE_EVERY)


def _logins_done(environment):
    """Once every user runs and every member of staff has logged in, let them
    all start, and open the window when they have settled."""
    if ready.is_set() or not window["spawned"]:
        return
    if len(login_seconds) < STAFF_USERS:
        return
    ready.set()
    gevent.spawn_later(WAIT[1] + 1, _open_window, environment)


def _open_window(environment):
    """Reset the statistics and start the clock."""
    window["state"] = "open"
    environment.stats.reset_all()
    cache_hits.clear()
    cache_seen.clear()
    window["cpu"] = cpu_seconds()
    window["seconds"] = time.perf_counter()
    gevent.spawn(_probe_lag)
    gevent.spawn_later(RUN_TIME, _close_window, environment)


def _entry_figures(entry, seconds: float) -> dict:
    def percentile(share):
        return entry.get_response_time_percentile(share) if entry.num_requests else 0

    return {
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        "p50": percentile(0.5),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "mean": entry.avg_response_time,
        "max": entry.max_response_time if entry.num_requests else 0,
        "rps": entry.num_requests / seconds,
    }


def _side_figures(stats, seconds: float) -> dict:
    """Per side: its page groups and their merged total (percentiles over
    every request of the side, not an average of the groups')."""
    sides = defaultdict(dict)
    totals = {}
    for (name, _method), entry in stats.entries.items():
        side = side_of.get(name)
        if side is None:  # the logins, all before the window
            continue
        sides[side][name] = _entry_figures(entry, seconds)
        if side not in totals:
            totals[side] = StatsEntry(stats, side, "")
        totals[side].extend(entry)
    return {
        side: {"groups": groups, "all": _entry_figures(totals[side], seconds)}
        for side, groups in sides.items()
    }


def _close_window(environment):
    """Take the figures now: requests still under way when the runner stops
    would otherwise land in the statistics after the window."""
    seconds = time.perf_counter() - window["seconds"]
    window["cpu"] = cpu_used(window["cpu"], cpu_seconds())
    window["seconds"] = seconds
    window["state"] = "measured"
    figures.update(_side_figures(environment.stats, seconds))
    window["errors"] = [
        {
            "group": error.name,
            "side": side_of.get(error.name, "staff"),
            "error": str(error.error),
            "count": error.occurrences,
        }
        for error in environment.stats.errors.values()
    ]
    environment.runner.quit()


@events.spawning_complete.add_listener
def _spawned(user_count, **_kwargs):
    window["spawned"] = True
    _logins_done(_environment[0])


@events.init.add_listener
def _keep_environment(environment, **_kwargs):
    _environment.append(environment)


@events.quitting.add_listener
def _write_side(environment, **_kwargs):
    path = os.environ.get("LOAD_SIDE")
    if not path:
        return
    ordered = sorted(lags)
    with open(path, "w", encoding="utf-8") as out:
        json.dump(
            {
                "measured": window["state"] == "measured",
                "seconds": window["seconds"],
                "cpu": window["cpu"],
                "sides": figures,
                "errors": window.get("errors", []),
                "cache_hits": dict(cache_hits),
                "cache_seen": dict(cache_seen),
                "login_seconds": login_seconds,
                "login_ramp_seconds": (
                    login_ramp["last"] - login_ramp["first"]
                    if login_ramp["first"] and login_ramp["last"]
                    else 0.0
                ),
                "lag_ms": {
                    "p50": 1000 * ordered[len(ordered) // 2] if ordered else 0.0,
                    "p95": 1000 * ordered[int(len(ordered) * 0.95)] if ordered else 0.0,
                    "max": 1000 * ordered[-1] if ordered else 0.0,
                },
            },
            out,
        )
