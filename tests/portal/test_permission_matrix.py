"""Every URL of the project, visited (GET) as every demo role and as the
public, answers the status the matrix says.

The URL resolver is walked: a URL the matrix does not list fails the test, and
so does a matrix row whose URL no longer exists (Zulip's url coverage test).
Each URL is filled with objects of the demo (``load_demo``) chosen so that the
scope shows: the report, beneficiary file and case belong to 安塘街道社工站
(the ``worker`` and ``head`` users' station, in 云城区: ``reviewer`` and
``supervisor``'s county), so ``worker_fulin`` (富林镇, 云安区) and
``reviewer_yunan`` (郁南县) are outsiders; the draft issue is 云浮's
(``editor``). The expected statuses live in permission_matrix.py, one row per
URL name, one code per role in ROLES order.

To see what the pages answer now (after adding a URL, say), run
``PERMISSION_MATRIX_PRINT=1 pytest tests/portal/test_permission_matrix.py -s``:
it prints every row as observed. Copy only rows you have checked against
DESIGN.md §4: the matrix is the statement of who may see what."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.portal.permission_matrix import MATRIX, ROLES

# Pages that cannot be asked for with a plain GET without side effects are
# still visited: they answer 405 (POST only) or redirect; nothing is posted.


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), full_ns)
        elif isinstance(p, URLPattern):
            name = p.name
            key = f"{namespace}:{name}" if namespace and name else name
            yield key or (prefix + str(p.pattern)), prefix + str(p.pattern)


def all_routes() -> dict[str, str]:
    routes: dict[str, str] = {}
    for key, pattern in _walk(get_resolver().url_patterns):
        # A name used twice (Django's own i18n and admin do not) would hide a URL.
        assert key not in routes or routes[key] == pattern, key
        routes[key] = pattern
    return routes


@pytest.fixture
def demo(db, settings, tmp_path):
    call_command("load_demo", stdout=open(os.devnull, "w"))
    objects = _objects()
    objects["job"] = _job(objects)
    return objects


def _objects() -> dict[str, object]:
    from django.db.models import Count

    from activities.models import (
        ActivityReport,
        Project,
        ReportPhoto,
        Training,
        TrainingSession,
    )
    from beneficiaries.models import Beneficiary, Case
    from core.models import Notification
    from newsletter.models import (
        Article,
        ArticlePhoto,
        Issue,
        PrivacyFinding,
        Section,
    )
    from stations.models import FollowUpItem, ServicePoint, SocialWorker, Station

    station = Station.objects.get(town__name="安塘街道")
    # A draft of the station, with photos if the demo has one: its edit and
    # photo pages then open for those who may write it.
    reports = (
        ActivityReport.objects.filter(station=station)
        .annotate(n_photos=Count("photos"))
        .order_by("-n_photos", "pk")
    )
    report = reports.filter(status="draft").first() or reports.first()
    draft = Issue.objects.filter(status=Issue.Status.DRAFT).order_by("pk").first()
    published = (
        Issue.objects.filter(status=Issue.Status.PUBLISHED).order_by("pk").first()
    )
    project = Project.objects.order_by("pk").first()
    training = Training.objects.order_by("pk").first()
    beneficiary = Beneficiary.objects.filter(station=station).order_by("pk").first()
    objects = {
        "station": station,
        "point": ServicePoint.objects.filter(station=station).order_by("pk").first(),
        "worker": SocialWorker.objects.filter(station=station).order_by("pk").first(),
        "follow_up": FollowUpItem.objects.order_by("pk").first(),
        # One of the worker's: the demo's reports tell their author of reviews.
        "notification": Notification.objects.filter(recipient__username="worker")
        .order_by("pk")
        .first(),
        "report": report,
        "photo": ReportPhoto.objects.filter(report=report).order_by("pk").first(),
        "training": training,
        "session": TrainingSession.objects.filter(training=training)
        .order_by("pk")
        .first(),
        "project": project,
        "project_report": project.reports.order_by("pk").first() if project else None,
        "beneficiary": beneficiary,
        "case": Case.objects.filter(beneficiary__station=station)
        .order_by("pk")
        .first(),
        "draft": draft,
        "draft_article": Article.objects.filter(issue=draft).order_by("pk").first(),
        "section": Section.objects.filter(issue=draft).order_by("pk").first(),
        "published": published,
        "published_article": Article.objects.filter(issue=published)
        .order_by("pk")
        .first(),
        # The seed's picture its file named but did not hold.
        "missing_photo": ArticlePhoto.objects.filter(
            article__issue=published, is_missing=True
        )
        .order_by("pk")
        .first(),
        "county": station.town.county,
        # The demo's published issue is clean: a finding of the privacy sweep
        # is made for the matrix (its actions are POSTs, so a GET changes
        # nothing).
        "finding": PrivacyFinding.objects.get_or_create(
            issue=published,
            where="editor_note",
            kind="mobile",
            defaults={"place": "编者按", "masked": "139****0000", "value_hash": "0"},
        )[0],
    }
    return objects


def _job(objects):
    """A background job: the editor's Word export of the draft issue, started the
    way the issue page starts it (jobs run at once in tests)."""
    from core.models import Job

    editor = Client()
    editor.force_login(get_user_model().objects.get(username="editor"))
    response = editor.post(f"/staff/issues/{objects['draft'].pk}/word/job/")
    assert response.status_code == 302, response.status_code
    return Job.objects.order_by("-pk").first()


def concrete_url(key: str, pattern: str, o: dict) -> str:
    """The pattern with its parameters filled from the demo objects."""
    pk_for = {
        "stations:station": o["station"],
        "stations_staff:station": o["station"],
        "stations_staff:station_edit": o["station"],
        "stations_staff:standards_new": o["station"],
        "stations_staff:visit_new": o["station"],
        "stations_staff:point_edit": o["point"],
        "stations_staff:point_delete": o["point"],
        "stations_staff:worker_edit": o["worker"],
        "stations_staff:follow_up_done": o["follow_up"],
        "notifications:open": o["notification"],
        "newsletter:station_news": o["station"],
    }
    url = "/" + pattern.lstrip("^").rstrip("$")
    if key.startswith("admin:") or url.startswith("/admin/"):
        return _admin_url(key, url)
    values = {
        "station_pk": o["station"].pk,
        "kind": "stations",
        "uidb64": "MQ",
        "token": "set-password",
        "slug": o["published"].publication.slug,
        "year": o["published"].year,
        "number": o["published"].number,
        "article_pk": o["draft_article"].pk,
        "report_pk": (o["project_report"] or o["report"]).pk,
        "code": o["county"].code,
        "url": "no-such-page/",
        "path": o["photo"].web.name if o.get("photo") else "reports/web/00/none.jpg",
    }
    if key == "language":
        values["code"] = "en"
    if "<int:pk>" in url or "(?P<pk>" in url:
        values["pk"] = _pk(key, o, pk_for)
    return _fill(url, values)


def _pk(key: str, o: dict, pk_for: dict) -> int:
    if key in pk_for:
        return pk_for[key].pk
    name = key.split(":", 1)[1]
    rules = [
        (
            r"^(report|report_edit|report_submit|report_approve|report_return|"
            r"report_withdraw|report_comment|photo_upload|report_attendance)$",
            "report",
        ),
        (r"^photo_", "photo"),
        # training_session_new takes its training's pk, the others a session's
        # (on SQLite both are often 1, which hid a wrong pairing here).
        (r"^training_session_(?!new$)|^training_attendance$", "session"),
        (r"^training", "training"),
        (r"^project", "project"),
        (r"^beneficiary|^case_new$", "beneficiary"),
        (r"^case", "case"),
        (
            r"^(issue|issue_meta|add_reports|article_new|section_new|preview|"
            r"preview_article|privacy|privacy_override|publish|correct|print|word|"
            r"word_job)$",
            "draft",
        ),
        # The WeChat export exists for published issues and articles only.
        (r"^wechat_issue", "published"),
        (r"^wechat_article", "published_article"),
        # Set on an imported issue: the demo's published one is the seed.
        (r"^issue_running_number$", "published"),
        (r"^missing_photo_", "missing_photo"),
        (r"^section_", "section"),
        (r"^finding_", "finding"),
        (r"^article_", "draft_article"),
        (r"^article$", "published_article"),
        (r"^job", "job"),
    ]
    for rule, kind in rules:
        if re.search(rule, name) and o.get(kind) is not None:
            return o[kind].pk
    raise AssertionError(f"the matrix test has no object for {key}")


def _fill(url: str, values: dict) -> str:
    def converter(match):
        return str(values[match.group(2)])

    # Regex groups first: their "(?P<name>" would look like a converter.
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), url)
    url = re.sub(r"<(?:(\w+):)?(\w+)>", converter, url)
    return url


def _admin_url(key: str, url: str) -> str:
    """Admin URLs: a model's pages get the model's first row (or pk 1)."""
    from django.apps import apps

    name = key.split(":", 1)[-1]
    if "(?P<app_label>" in url:
        first = sorted({m._meta.app_label for m in admin_site._registry})[0]
        url = re.sub(r"\(\?P<app_label>[^)]*\)", first, url)
    model = None
    for candidate in admin_site._registry:
        prefix = f"{candidate._meta.app_label}_{candidate._meta.model_name}_"
        path = f"/admin/{candidate._meta.app_label}/{candidate._meta.model_name}/"
        if name.startswith(prefix) or url.startswith(path):
            model = candidate
    values = {"url": "no-such-page/", "object_id": 1}
    if model is not None:
        row = model._default_manager.order_by("pk").first()
        values["object_id"] = row.pk if row else 1
        values["id"] = row.pk if row else 1
    if "content_type_id" in url:
        station = apps.get_model("stations", "Station").objects.order_by("pk").first()
        values["content_type_id"] = ContentType.objects.get_for_model(station).pk
        values["object_id"] = station.pk
    return _fill(url, values)


def _clients() -> dict[str, Client]:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    clients = {}
    for role in ROLES:
        client = Client()
        if role != "public":
            client.force_login(users[role])
        clients[role] = client
    return clients


def test_every_url_is_in_the_matrix():
    routes = set(all_routes())
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, "URLs missing from the matrix:\n" + "\n".join(missing)
    assert not stale, "matrix rows for URLs that no longer exist:\n" + "\n".join(stale)


def test_every_url_answers_each_role_as_the_matrix_says(demo, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    routes = all_routes()
    clients = _clients()
    observed: dict[str, str] = {}
    wrong = []
    for key in sorted(routes):
        url = concrete_url(key, routes[key], demo)
        codes = []
        for role in ROLES:
            response = clients[role].get(url)
            codes.append(str(response.status_code))
        observed[key] = " ".join(codes)
        expected = MATRIX.get(key)
        if expected is not None and expected.split() != codes:
            wrong.append(
                f"{key} {url}\n  expected {expected}\n  observed {observed[key]}"
            )
    if os.environ.get("PERMISSION_MATRIX_PRINT"):
        out = Path(
            os.environ.get("PERMISSION_MATRIX_OUT", "/tmp/permission_matrix.txt")
        )
        out.write_text(
            "\n".join(f'    "{k}": "{v}",' for k, v in sorted(observed.items())) + "\n",
            encoding="utf-8",
        )
        print(f"observed matrix written to {out}")
    assert not wrong, f"{len(wrong)} URLs answer differently:\n" + "\n".join(wrong)
