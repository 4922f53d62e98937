"""What the load test asks for: the public addresses found in the database it
runs against, and the staff accounts it logs in with (bench/load_test.py runs
this with the same DATABASE_URL as the server, and hands the JSON it prints to
the locustfile).

    DATABASE_URL=... .venv/bin/python bench/load/plan.py [--create-accounts]

Addresses come from the data, so the same test runs on the demo database and
on the province-scale one (``generate_scale``): published issues (the latest of
each publication apart, since most readers read those), a random sample of the
others and of their articles, every publication's archive and years, every
county's news and feed.

Staff accounts: on the demo database the demo users of CONTRACT.md, whose
password is known. Elsewhere ``--create-accounts`` makes (or reuses) a city
editor, a county reviewer and a station head over the city, county and station
with the most reports, with a password written here: it refuses unless the
database name says it is a test one (see ``SCRATCH_WORDS``), so that it cannot
plant a known password in production by a mistyped URL.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "yunfu-demo-2023"
# Accounts made for the load test on a scratch database only.
LOAD_PASSWORD = "load-test-only-not-for-production"
SCRATCH_WORDS = ("scale", "bench", "loadtest")
# Demo users, and whether their role may open the review queue (station staff
# and supervisors get 403 there, DESIGN.md §4).
DEMO_ACCOUNTS = [
    ("editor", True),
    ("reviewer", True),
    ("reviewer_yunan", True),
    ("supervisor", False),
    ("head", False),
    ("worker", False),
]
LATEST_PER_PUBLICATION = 3
SAMPLE_ISSUES = 500
SAMPLE_ARTICLES = 2000


def is_scratch_database(name: str) -> bool:
    return any(word in name.lower() for word in SCRATCH_WORDS)


def public_plan() -> dict:
    from django.urls import reverse

    from newsletter.models import Article, Issue, Publication
    from stations.models import County

    published = Issue.objects.filter(status=Issue.Status.PUBLISHED)
    rows = ("id", "publication__slug", "year", "number")
    latest = []
    for publication in Publication.objects.order_by("pk"):
        latest += (
            published.filter(publication=publication)
            .order_by("-year", "-number")[:LATEST_PER_PUBLICATION]
            .values_list(*rows)
        )
    sample = list(published.order_by("?")[:SAMPLE_ISSUES].values_list(*rows))

    def issue_url(row):
        return reverse("newsletter:issue", args=row[1:])

    def article_urls(queryset):
        return [
            reverse("newsletter:article", args=[slug, year, number, pk])
            for pk, slug, year, number in queryset.values_list(
                "pk", "issue__publication__slug", "issue__year", "issue__number"
            )
        ]

    articles = Article.objects.filter(issue__status=Issue.Status.PUBLISHED)
    years = published.values_list("publication__slug", "year").distinct()
    codes = list(County.objects.order_by("code").values_list("code", flat=True))
    return {
        "issue_hot": [issue_url(row) for row in latest],
        "issue_all": [issue_url(row) for row in sample],
        "article_hot": article_urls(
            articles.filter(issue_id__in=[row[0] for row in latest])
        ),
        "article_all": article_urls(articles.order_by("?")[:SAMPLE_ARTICLES]),
        "archive": [reverse("newsletter:archive")]
        + [
            reverse("newsletter:publication", args=[slug])
            for slug in published.values_list("publication__slug", flat=True)
            .distinct()
            .order_by()
        ]
        + [reverse("newsletter:year", args=pair) for pair in years.order_by()],
        "county": [reverse("newsletter:county_news", args=[c]) for c in codes],
        "county_codes": codes,
        "feed": [reverse("newsletter:feed_rss"), reverse("newsletter:feed_atom")]
        + [reverse("newsletter:county_feed_rss", args=[c]) for c in codes],
    }


def demo_accounts() -> list[dict] | None:
    """The demo users, if this database has them with the demo password."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk(
        [name for name, _review in DEMO_ACCOUNTS], field_name="username"
    )
    editor = users.get("editor")
    if editor is None or not editor.check_password(DEMO_PASSWORD):
        return None
    return [
        {"username": name, "password": DEMO_PASSWORD, "review": review}
        for name, review in DEMO_ACCOUNTS
        if name in users
    ]


def created_accounts() -> list[dict]:
    """A city editor, a county reviewer and a station head over the busiest
    city, county and station, made through the role service; idempotent."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from activities.models import ActivityReport
    from stations.models import City, County, Role, Station
    from stations.services import role_assign

    def busiest(field):
        row = (
            ActivityReport.objects.filter(**{f"{field}__isnull": False})
            .values(field)
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        if row is None:
            raise SystemExit("no reports in this database: nothing to review")
        return row[field]

    station = Station.objects.get(pk=busiest("station"))
    units = [
        ("load_editor", Role.CITY_EDITOR, City.objects.get(pk=busiest("city")), True),
        (
            "load_reviewer",
            Role.COUNTY_REVIEWER,
            County.objects.get(pk=busiest("county")),
            True,
        ),
        ("load_head", Role.STATION_HEAD, station, False),
    ]
    accounts = []
    for username, role, unit, review in units:
        user, _created = get_user_model().objects.get_or_create(username=username)
        if not user.check_password(LOAD_PASSWORD):
            user.set_password(LOAD_PASSWORD)
            user.save()
        role_assign(user=user, role=role, unit=unit)
        accounts.append(
            {
                "username": username,
                "password": LOAD_PASSWORD,
                "review": review,
                "scope": str(unit),
            }
        )
    return accounts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--create-accounts", action="store_true")
    parser.add_argument(
        "--allow-any-database",
        action="store_true",
        help="create accounts even where the database name is not a scratch one",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection

    accounts = demo_accounts()
    if accounts is None and args.create_accounts:
        name = connection.settings_dict["NAME"]
        if not (is_scratch_database(str(name)) or args.allow_any_database):
            raise SystemExit(
                f"refusing to create staff accounts with a known password in "
                f"database {name!r}: its name holds none of {SCRATCH_WORDS}"
            )
        accounts = created_accounts()
    json.dump({"public": public_plan(), "accounts": accounts or []}, sys.stdout)


if __name__ == "__main__":
    main()
