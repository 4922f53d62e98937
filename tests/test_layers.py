"""The apps form layers, and each one depends only on the layers below it.

``LAYERS`` lists them from the bottom: core holds what every app uses and names
no app; portal, at the top, holds the settings, the root URLs and the staff
home. An app may import, or name in a string, any app below it and never one
above it, so any layer with the ones under it can be read, tested and changed
without the ones above (docs/architecture.md draws the map and says why each
app sits where it does). ``bench/`` and ``tests/`` are not apps and may use
anything.

A file belongs to the app whose folder holds it; a template under
``templates/<app>/`` belongs to that app too, since an app's page is its view
and its template together. Within an app's files, these count as naming an app:

- ``import x`` and ``from x import y``, relative ones resolved to absolute;
- a string that is a dotted path starting with an app: the argument of
  ``import_string`` or ``import_module``, ``include("app.urls")``, a Celery task
  name, a settings-style path (``"newsletter.tasks.publish"``), a model named
  as ``"app.Model"`` (``ForeignKey``, ``to=`` in a migration), a permission
  ``"app.codename"``;
- an app label given alone where Django expects one: ``get_model("app",
  "Model")``, ``get_app_config("app")``, ``is_installed("app")``, an
  ``app_label="app"`` keyword, and a migration's ``(app, migration)``
  dependency;
- a URL name in an app's namespace (``app_name`` in its URL modules), in Python
  (``reverse``, ``redirect``, ``pattern_name``...) or in a template's
  ``{% url %}``: a link works only while the app above serves that page;
- a template of another app's folder (``"stats/staff/dashboard.html"``)
  rendered from Python or taken by ``{% include %}`` or ``{% extends %}``, and a
  tag library another app defines, loaded by ``{% load %}``.

Not counted: comments and docstrings, which may describe the layers above; the
site's own addresses that the root URLconf (portal/urls.py) names outside any
app's namespace (``home``, ``login``, ``staff:home``), which every staff page
links to as Django's own pages link to ``login``; and the templates at the top
of ``templates/`` (``base.html``) and in ``templates/registration/`` (Django's
account pages), the site's frame rather than an app's page.

Migrations are checked like any module, since a migration that depends on an
app above makes the schema of the lower app need the higher one. The ones
written before the apps were layered are history and may name apps above them
as they did then (a migration's text never changes once applied):
``HISTORICAL_MIGRATIONS`` exempts exactly those, by file name, so the next one
is checked."""

import ast
import importlib.util
import re
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[1]

# Bottom first: each app may depend on those before it.
LAYERS = [
    "core",
    "stations",
    "activities",
    "beneficiaries",
    "stats",
    "newsletter",
    "portal",
]
RANK = {app: rank for rank, app in enumerate(LAYERS)}

HISTORICAL_MIGRATIONS = {
    "stations/migrations/0001_initial.py",
    "stations/migrations/0002_audit_entry.py",
    "stations/migrations/0003_jobs.py",
    "activities/migrations/0001_initial.py",
    "activities/migrations/0002_seed_lists.py",
    "activities/migrations/0003_service_hours_not_negative.py",
    "activities/migrations/0004_beneficiaries_cases.py",
    "activities/migrations/0005_visit_periods.py",
    "activities/migrations/0006_pending_import.py",
    "activities/migrations/0007_report_list_indexes.py",
    "newsletter/migrations/0001_initial.py",
    "newsletter/migrations/0002_article_search.py",
    "newsletter/migrations/0003_set_pages.py",
    "newsletter/migrations/0004_published_newest_index.py",
    "newsletter/migrations/0005_set_pages_by_address.py",
    "newsletter/migrations/0006_set_page_content_uncompressed.py",
}

# Strings that name an app: a dotted path, a URL name in a namespace, a template.
DOTTED = re.compile(r"([a-z_]\w*)(?:\.[A-Za-z_]\w*)+")
URL_NAME = re.compile(r"([a-z_]\w*):[\w-]+")
TEMPLATE = re.compile(r"([a-z_]\w*)/[\w./-]+\.(?:html|txt|xml)")
# Calls whose first argument, or keyword, is an app label given alone.
LABEL_CALLS = {"get_model", "get_app_config", "is_installed"}
LABEL_KEYWORDS = {"app_label"}

TEMPLATE_TAGS = {
    "url": re.compile(r"""\{%\s*url\s+["']((\w+):[\w-]+)["']"""),
    "include": re.compile(r"""\{%\s*(?:include|extends)\s+["']((\w+)/[^"']*)["']"""),
    "load": re.compile(r"""\{%\s*load\s+([^%]+?)\s*%\}"""),
}


def _literal_strings(tree):
    """(line, text) of each string literal that is not a docstring or another
    bare expression: a string that is passed, assigned or returned."""
    bare = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in bare
        ):
            yield node.lineno, node.value


def _call_name(node):
    func = node.func
    return getattr(func, "attr", None) or getattr(func, "id", None)


def _string(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _package_of(path):
    """The dotted package that a file's relative imports start from: the
    package itself for an ``__init__.py``, the one holding it otherwise."""
    return ".".join(path.relative_to(BASE).parent.parts)


def python_references(source, package, namespaces):
    """(line, app, what) for every app that ``source`` names, by any form the
    module docstring lists. ``package`` resolves relative imports."""
    tree = ast.parse(source)
    found = []

    def add(line, app, what):
        if app in RANK:
            found.append((line, app, what))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(node.lineno, alias.name.split(".")[0], alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                name = importlib.util.resolve_name(
                    "." * node.level + (node.module or ""), package
                )
            else:
                name = node.module or ""
            add(node.lineno, name.split(".")[0], name)
        elif isinstance(node, ast.Call):
            if _call_name(node) in LABEL_CALLS and node.args:
                label = _string(node.args[0])
                if label:
                    add(node.lineno, label, f"{_call_name(node)}({label!r})")
            for keyword in node.keywords:
                label = _string(keyword.value)
                if keyword.arg in LABEL_KEYWORDS and label:
                    add(node.lineno, label, f"{keyword.arg}={label!r}")
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "dependencies"
            for target in node.targets
        ):
            # A migration's dependencies: ("app", "0001_initial") pairs.
            for pair in ast.walk(node.value):
                if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                    label = _string(pair.elts[0])
                    if label and _string(pair.elts[1]) is not None:
                        add(pair.lineno, label, f"migration {label}")
    for line, text in _literal_strings(tree):
        if match := DOTTED.fullmatch(text):
            add(line, match.group(1), text)
        elif (match := URL_NAME.fullmatch(text)) and match.group(1) in namespaces:
            add(line, namespaces[match.group(1)], text)
        elif match := TEMPLATE.fullmatch(text):
            add(line, match.group(1), text)
    return found


def template_references(source, namespaces, tag_libraries):
    """(line, app, what) for every app that a template names: in ``{% url %}``,
    ``{% include %}``/``{% extends %}`` and ``{% load %}``."""
    found = []
    for line, text in enumerate(source.splitlines(), 1):
        for match in TEMPLATE_TAGS["url"].finditer(text):
            if match.group(2) in namespaces:
                found.append((line, namespaces[match.group(2)], match.group(1)))
        for match in TEMPLATE_TAGS["include"].finditer(text):
            if match.group(2) in RANK:
                found.append((line, match.group(2), match.group(1)))
        for match in TEMPLATE_TAGS["load"].finditer(text):
            for library in match.group(1).split():
                if library in tag_libraries:
                    found.append((line, tag_libraries[library], library))
    return found


def _app_files():
    """(app, path) of every .py file of the apps and every template in their
    folders under templates/, skipping the historical migrations."""
    for app in LAYERS:
        for path in sorted((BASE / app).rglob("*.py")):
            relative = path.relative_to(BASE).as_posix()
            if relative not in HISTORICAL_MIGRATIONS:
                yield app, path
        for path in sorted((BASE / "templates" / app).rglob("*")):
            if path.is_file():
                yield app, path


def _namespaces():
    """Each URL namespace, from the ``app_name`` that an app's module sets, to
    the app that serves it."""
    namespaces = {}
    for app in LAYERS:
        for path in (BASE / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.parse(path.read_text("utf-8")).body:
                if (
                    isinstance(node, ast.Assign)
                    and any(
                        isinstance(target, ast.Name) and target.id == "app_name"
                        for target in node.targets
                    )
                    and _string(node.value)
                ):
                    namespaces[node.value.value] = app
    return namespaces


def _tag_libraries():
    return {
        path.stem: app
        for app in LAYERS
        for path in (BASE / app).glob("templatetags/*.py")
        if path.stem != "__init__"
    }


def upward_references():
    """{"file -> app (what)": [line, ...]} for every reference from an app's
    file to an app above it."""
    namespaces, tag_libraries = _namespaces(), _tag_libraries()
    found = {}
    for app, path in _app_files():
        if path.suffix == ".py":
            references = python_references(
                path.read_text("utf-8"), _package_of(path), namespaces
            )
        else:
            references = template_references(
                path.read_text("utf-8"), namespaces, tag_libraries
            )
        for line, target, what in references:
            if RANK[target] > RANK[app]:
                key = f"{path.relative_to(BASE)} -> {target} ({what})"
                found.setdefault(key, []).append(line)
    return found


def test_no_app_names_an_app_above_it():
    found = upward_references()
    upward = [
        f"{key.replace(' -> ', f':{lines[0]} -> ', 1)}" for key, lines in found.items()
    ]
    assert not upward, "Upward references (file:line -> app):\n" + "\n".join(upward)


# The check itself: each form is seen, so a pass above means something.
NAMESPACES = {"newsletter": "newsletter", "stats_staff": "stats"}


@pytest.mark.parametrize(
    "source, target",
    [
        ("import newsletter.models", "newsletter"),
        ("import newsletter", "newsletter"),
        ("from stats.dashboard import tiles", "stats"),
        ("from stats import dashboard", "stats"),
        ("import_string('newsletter.tasks.publish')", "newsletter"),
        ("importlib.import_module('stats.jobs')", "stats"),
        ("apps.get_model('newsletter.Article')", "newsletter"),
        ("apps.get_model('newsletter', 'Article')", "newsletter"),
        ("apps.get_app_config('stats')", "stats"),
        ("apps.is_installed('newsletter')", "newsletter"),
        ("ContentType.objects.get(app_label='newsletter', model='x')", "newsletter"),
        ("models.ForeignKey('newsletter.Article', on_delete=CASCADE)", "newsletter"),
        (
            "migrations.AddField('x', 'y', models.ForeignKey(to='stats.Snapshot'))",
            "stats",
        ),
        ("dependencies = [('newsletter', '0007_privacy_kinds')]", "newsletter"),
        ("reverse('stats_staff:dashboard')", "stats"),
        ("redirect('newsletter:issue', pk=1)", "newsletter"),
        ("TASKS = {'run': 'newsletter.tasks.x'}", "newsletter"),
        ("render(request, 'stats/staff/dashboard.html', {})", "stats"),
    ],
)
def test_the_check_sees_each_way_of_naming_an_app_in_python(source, target):
    # The file is taken to live in activities/views/, below every target.
    found = python_references(source, "activities.views", NAMESPACES)
    assert target in {app for _, app, _ in found}


def test_the_check_resolves_relative_imports():
    found = python_references("from ..dashboard import tiles", "stats.sections", {})
    assert found == [(1, "stats", "stats.dashboard")]


@pytest.mark.parametrize(
    "source, target",
    [
        ("<a href=\"{% url 'stats_staff:dashboard' %}\">", "stats"),
        ('<a href="{% url "newsletter:home" year=y %}">', "newsletter"),
        ('{% include "stats/staff/_table.html" with rows=rows %}', "stats"),
        ('{% extends "newsletter/staff/issue.html" %}', "newsletter"),
        ("{% load i18n newsletter_public %}", "newsletter"),
    ],
)
def test_the_check_sees_each_way_of_naming_an_app_in_a_template(source, target):
    found = template_references(source, NAMESPACES, {"newsletter_public": "newsletter"})
    assert [app for _, app, _ in found] == [target]


@pytest.mark.parametrize(
    "source",
    [
        '"""Figures count what stats.dashboard shows."""',
        "def f():\n    'Links to newsletter:issue.'",
        "from django.db import models",
        "reverse('staff:home')",
        "render(request, 'base.html')",
        "upload_to = 'newsletter/photos/%Y'",
        "apps.get_model('auth', 'User')",
    ],
)
def test_the_check_lets_prose_django_and_the_site_be(source):
    assert python_references(source, "activities.views", NAMESPACES) == []


def test_the_check_reads_the_tree():
    files = {path.relative_to(BASE).as_posix() for _, path in _app_files()}
    assert "stats/dashboard.py" in files
    assert "templates/core/jobs/list.html" in files
    # History is left as it was; what came after is read.
    assert "activities/migrations/0007_report_list_indexes.py" not in files
    assert "activities/migrations/0009_beneficiaries_to_their_app.py" in files
    assert _namespaces()["stats_staff"] == "stats"
    assert _tag_libraries()["newsletter_public"] == "newsletter"
    assert all((BASE / name).is_file() for name in HISTORICAL_MIGRATIONS)
