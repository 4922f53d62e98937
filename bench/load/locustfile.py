"""Readers of the public site and staff at work, for bench/load_test.py.

The runner starts gunicorn, finds the addresses to ask for in the database
(bench/load/plan.py) and runs one user class at a time:

    locust -f bench/load/locustfile.py --headless PublicReader
    locust -f bench/load/locustfile.py --headless StaffUser

Environment: LOAD_PLAN (the plan's JSON file), LOAD_WAIT ("min,max" seconds a
user reads before the next page, 1,5 by default; "0,0" measures saturation),
LOAD_USERS and LOAD_RUN_TIME (the users, and the seconds to measure once all
of them run), LOAD_SERVER_PID (gunicorn's master, whose CPU time is taken),
LOAD_SIDE (a JSON file this writes at the end: cache hits per page group, the
login times and the server's CPU seconds over the measured window).

The measured window opens when every user has been started and, for staff,
has logged in: logins cost a password hash each (PBKDF2, a few hundred ms of
CPU), and fifty of them at once would otherwise be measured as slow pages.
At that moment the statistics are reset; ``LOAD_RUN_TIME`` seconds later the
test stops.

Each request is named by its page group (``issue``, ``search``…), so locust's
statistics come out per group. Every request carries ``X-Forwarded-Proto:
https``, as behind the reverse proxy (production settings redirect plain HTTP).
"""

import json
import os
import random
import re
import time
from collections import Counter
from itertools import count
from pathlib import Path

import gevent
import psutil
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

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

USERS = int(os.environ.get("LOAD_USERS", "1"))
RUN_TIME = float(os.environ.get("LOAD_RUN_TIME", "60"))

cache_hits = Counter()
cache_seen = Counter()
login_seconds = []
window = {"spawned": False, "state": "waiting", "cpu": 0.0, "seconds": 0.0}
_account_turn = count()
_environment = []


def _wait():
    return constant(0) if WAIT == (0.0, 0.0) else between(*WAIT)


def _pick(hot: str, every: str) -> str:
    pool = PUBLIC[hot] if PUBLIC[hot] and random.random() < HOT_SHARE else None
    return random.choice(pool or PUBLIC[every] or PUBLIC[hot])


class PublicReader(FastHttpUser):
    """A reader without a login. The weights are an assumption about a
    newsletter site's traffic: article pages, opened from links shared in
    chats, above all; then issues, the home page, county news and search."""

    wait_time = _wait()
    default_headers = HEADERS

    def _get(self, group: str, path: str):
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
    and then works through the lists and the dashboard."""

    wait_time = _wait()
    default_headers = HEADERS

    def on_start(self):
        self.account = ACCOUNTS[next(_account_turn) % len(ACCOUNTS)]
        started = time.perf_counter()
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
        login_seconds.append(time.perf_counter() - started)
        _open_window(self.environment)

    def _cookies(self) -> str:
        """The cookies the client holds. Its jar keeps the Secure cookies the
        production settings set but does not send them over plain HTTP (the
        test has no TLS), so they go by hand."""
        return "; ".join(f"{c.name}={c.value}" for c in self.client.cookiejar)

    def _host(self) -> str:
        return self.host.split("://", 1)[-1].rstrip("/")

    def _get(self, group: str, path: str):
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


def server_cpu_seconds() -> float:
    """CPU time of gunicorn's master and workers, for the CPU cost of a page."""
    try:
        master = psutil.Process(int(os.environ["LOAD_SERVER_PID"]))
        processes = [master, *master.children(recursive=True)]
        return sum(sum(p.cpu_times()[:2]) for p in processes)
    except (KeyError, psutil.NoSuchProcess):
        return 0.0


def _open_window(environment):
    """Reset the statistics and start the clock once every user runs (and,
    if the class logs in, every login is done)."""
    needs_login = StaffUser in environment.user_classes
    if window["state"] != "waiting" or not window["spawned"]:
        return
    if needs_login and len(login_seconds) < USERS:
        return
    window["state"] = "open"
    environment.stats.reset_all()
    cache_hits.clear()
    cache_seen.clear()
    window["cpu"] = server_cpu_seconds()
    window["seconds"] = time.perf_counter()
    gevent.spawn_later(RUN_TIME, _close_window, environment)


def _close_window(environment):
    window["cpu"] = server_cpu_seconds() - window["cpu"]
    window["seconds"] = time.perf_counter() - window["seconds"]
    window["state"] = "measured"
    environment.runner.quit()


@events.spawning_complete.add_listener
def _spawned(user_count, **_kwargs):
    window["spawned"] = True
    _open_window(_environment[0])


@events.init.add_listener
def _keep_environment(environment, **_kwargs):
    _environment.append(environment)


@events.quitting.add_listener
def _write_side(environment, **_kwargs):
    path = os.environ.get("LOAD_SIDE")
    if not path:
        return
    with open(path, "w", encoding="utf-8") as out:
        json.dump(
            {
                "measured": window["state"] == "measured",
                "seconds": window["seconds"],
                "server_cpu": window["cpu"],
                "cache_hits": dict(cache_hits),
                "cache_seen": dict(cache_seen),
                "login_seconds": login_seconds,
            },
            out,
        )
