"""The server CPU of each staff page the load test asks for, per account, in
process: what a page costs a gunicorn worker, without the network and the
load generator around it.

    .venv/bin/python bench/staff_pages.py --database-url postgres://... \\
        [--runs 30] [--redis-url redis://127.0.0.1:6379/14] [--json OUT.json] \\
        [--profile "report list:editor"]

Settings as the load test's server has them (DJANGO_DEBUG=0, the Redis cache,
``X-Forwarded-Proto: https``). The accounts are the load test's
(bench/load/plan.py): the demo users on the demo database; elsewhere the
existing city editor, county reviewer and station head of the city, county
and station with the most reports (the load test creates its own there, with
the same roles over the same units). Each gets a session as a login leaves it.

Everything runs inside one transaction rolled back at the end, so the
database is left as it was (the sessions and their idle stamps included).

For each page and account: the queries of one request, then the median
process CPU (``time.process_time``: Python, the template, the driver; not
PostgreSQL's own work, which runs in its backend) of ``--runs`` requests,
after two unmeasured ones. The last lines give the average per staff request
as the locustfile mixes the pages (staff home 3, report list 5, review queue
3 or the report list for who may not review, dashboard 2, beneficiaries 3)
and the accounts (taken in turn), with a ``floor``: an empty response through
the whole middleware chain, measured in the same run, and the ratio of each
figure to it; and the ``frame``, base.html around an empty page (the
signed-in header, the footer). ``--profile PAGE:ACCOUNT`` prints that page's cProfile
(``time.process_time`` as the timer) instead.
"""

import argparse
import cProfile
import json
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    # (name, path, weight)
    ("staff home", "/staff/", 3),
    ("report list", "/staff/reports/", 5),
    ("review queue", "/staff/review/", 3),
    ("stats dashboard", "/staff/stats/", 2),
    ("beneficiary list", "/staff/beneficiaries/", 3),
]
# A page that answers at once for a signed-in user: the middleware chain,
# the session and the user, and nothing of a page.
FLOOR_PATH = "/staff/__floor__/"
# The same with the site's frame around an empty page (base.html: the signed-in
# header, the footer, the messages).
FRAME_PATH = "/staff/__frame__/"


def setup(args):
    os.environ.update(
        # The product's settings, static files collected into a folder of
        # their own (the production storage needs its manifest).
        DJANGO_SETTINGS_MODULE="bench.load.settings",
        LOAD_STATIC_ROOT=args.static_root,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DJANGO_LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    if not (Path(args.static_root) / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)


def accounts():
    """[(username, user, may_review)] as bench/load/plan.py picks them."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from activities.models import ActivityReport
    from stations.models import Role, RoleAssignment

    sys.path.insert(0, str(ROOT / "bench" / "load"))
    from plan import DEMO_ACCOUNTS

    users = get_user_model().objects.in_bulk(
        [name for name, _review in DEMO_ACCOUNTS], field_name="username"
    )
    if "editor" in users:
        return [(n, users[n], r) for n, r in DEMO_ACCOUNTS if n in users]

    def busiest(field):
        return (
            ActivityReport.objects.filter(**{f"{field}__isnull": False})
            .values(field)
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()[field]
        )

    picked = []
    for label, role, field, review in (
        ("load_editor", Role.CITY_EDITOR, "city", True),
        ("load_reviewer", Role.COUNTY_REVIEWER, "county", True),
        ("load_head", Role.STATION_HEAD, "station", False),
    ):
        grant = (
            RoleAssignment.objects.filter(role=role, **{field: busiest(field)})
            .select_related("user")
            .order_by("pk")
            .first()
        )
        picked.append((f"{label} ({grant.user.username})", grant.user, review))
    return picked


def signed_in_client(user):
    """A test client holding the session a login through the form leaves."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.test import Client

    from portal.middleware import IdleSessionMiddleware

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend a login through the form records (the one that checks the
    # password; not axes', which only refuses).
    session[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if "Portal" in path
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[IdleSessionMiddleware.SESSION_KEY] = int(time.time())
    session.save()
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def get(client, path):
    response = client.get(path, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")
    return response


def cpu_ms(client, path, runs) -> float:
    for _ in range(2):
        get(client, path)
    times = []
    for _ in range(runs):
        started = time.process_time()
        get(client, path)
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        get(client, path)
    return len(captured)


def add_floor_view():
    """An empty page behind the login, through the whole middleware chain."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.urls import clear_url_caches, path

    import portal.urls

    portal.urls.urlpatterns[:0] = [
        path(FLOOR_PATH.lstrip("/"), login_required(lambda r: HttpResponse(""))),
        path(
            FRAME_PATH.lstrip("/"),
            login_required(lambda r: render(r, "base.html")),
        ),
    ]
    clear_url_caches()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--static-root", default="/tmp/staff-pages-static")
    parser.add_argument("--json")
    parser.add_argument("--profile", help="PAGE:ACCOUNT (an account's first word)")
    args = parser.parse_args()
    setup(args)
    from django.db import transaction

    add_floor_view()
    rows = []
    with transaction.atomic():
        picked = accounts()
        clients = {name: signed_in_client(user) for name, user, _r in picked}
        if args.profile:
            page, account = args.profile.split(":")
            url = dict((n, p) for n, p, _w in PAGES)[page]
            name = next(n for n in clients if n.split()[0] == account)
            for _ in range(2):
                get(clients[name], url)
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(args.runs):
                get(clients[name], url)
            profile.disable()
            stats = pstats.Stats(profile).sort_stats("cumulative")
            stats.print_stats(60)
            stats.sort_stats("tottime").print_stats(30)
            transaction.set_rollback(True)
            return
        floor, frame = {}, {}
        for name, _user, review in picked:
            client = clients[name]
            floor[name] = cpu_ms(client, FLOOR_PATH, args.runs)
            frame[name] = cpu_ms(client, FRAME_PATH, args.runs)
            for page, url, weight in PAGES:
                if page == "review queue" and not review:
                    continue
                rows.append(
                    {
                        "page": page,
                        "account": name,
                        "ms": cpu_ms(client, url, args.runs),
                        "queries": queries(client, url),
                        "weight": weight
                        + (PAGES[2][2] if page == "report list" and not review else 0),
                    }
                )
        transaction.set_rollback(True)

    base = statistics.mean(floor.values())
    print(f"{'page':18} {'account':34} {'CPU ms':>8} {'× floor':>8} {'queries':>8}")
    for row in rows:
        print(
            f"{row['page']:18} {row['account']:34} {row['ms']:8.1f} "
            f"{row['ms'] / base:8.1f} {row['queries']:8d}"
        )
    weights = sum(r["weight"] for r in rows)
    mixed = sum(r["ms"] * r["weight"] for r in rows) / weights
    mixed_q = sum(r["queries"] * r["weight"] for r in rows) / weights
    print(f"floor (empty signed-in page), mean of accounts: {base:.1f} ms")
    print(
        f"frame (base.html around nothing), mean of accounts: "
        f"{statistics.mean(frame.values()):.1f} ms"
    )
    print(
        f"weighted average per staff request: {mixed:.1f} ms "
        f"({mixed / base:.1f} × floor), {mixed_q:.1f} queries; "
        f"{args.runs} runs per page, median"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"rows": rows, "floor": floor, "frame": frame, "mixed_ms": mixed},
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
