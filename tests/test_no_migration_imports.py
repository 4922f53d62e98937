"""No code outside the migrations imports a migration module. A migration is
history: it runs once, on the models of its time, and squashing or deleting it
must not break the demo or a fixture. What both need lives in ordinary modules
(the editable lists in activities/reference_lists.py).

Django's own migration framework (``django.db.migrations``) is not a migration
and may be imported anywhere; what is refused is a module path inside one of
this project's packages that passes through a ``migrations`` package, whether
by ``import``, ``from … import`` or ``import_module``/``__import__`` of a
literal (an f-string's literal parts count)."""

import ast
import os
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[1]
# Folders that hold no project code: the virtualenv, caches, outputs.
SKIP = {".git", ".venv", "node_modules", "__pycache__", "media", "test-artifacts"}
IMPORTERS = {"import_module", "__import__"}


def _project_packages():
    return {
        path.name
        for path in BASE.iterdir()
        if path.is_dir() and not path.name.startswith(".") and path.name not in SKIP
    }


def _project_files():
    for folder, subfolders, files in os.walk(BASE):
        # Pruned here rather than filtered after: the virtualenv alone holds
        # thousands of files.
        subfolders[:] = sorted(
            name
            for name in subfolders
            if name not in SKIP and name != "migrations" and not name.startswith(".")
        )
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(folder) / name


def _is_migration_path(dotted, packages):
    parts = dotted.split(".")
    return parts[0] in packages and "migrations" in parts


def _literal(node):
    """The text of a string literal or of an f-string's literal parts (each
    placeholder read as one name), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "x"
            for part in node.values
        )
    return None


def migration_imports(source, packages):
    """(line, what) for each import of a migration module in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                (node.lineno, alias.name)
                for alias in node.names
                if _is_migration_path(alias.name, packages)
            ]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                # Relative: inside the project by definition.
                names = [f"{module}.{alias.name}" for alias in node.names]
                found += [
                    (node.lineno, "." * node.level + name)
                    for name in names
                    if "migrations" in name.split(".")
                ]
            else:
                found += [
                    (node.lineno, f"{module}.{alias.name}")
                    for alias in node.names
                    if _is_migration_path(f"{module}.{alias.name}", packages)
                ]
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = getattr(func, "attr", None) or getattr(func, "id", None)
            text = _literal(node.args[0])
            if name in IMPORTERS and text and _is_migration_path(text, packages):
                found.append((node.lineno, f"{name}({text!r})"))
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import activities.migrations.x",
        "from activities.migrations import x",
        "from activities.migrations.x import seed",
        "from activities import migrations",
        "from .migrations import x",
        "from .. import migrations",
        "import_module('activities.migrations.0002_seed_lists')",
        "importlib.import_module(f'activities.migrations.{name}')",
        "__import__('stations.migrations.x')",
    ],
)
def test_the_check_sees_each_way_of_importing_a_migration(source):
    assert migration_imports(source, {"activities", "stations"})


@pytest.mark.parametrize(
    "source",
    [
        "from django.db import migrations",
        "from django.db.migrations.loader import MigrationLoader",
        "import_module('activities.reference_lists')",
        "call_command('migrate')",
    ],
)
def test_the_check_lets_django_and_other_modules_be(source):
    assert migration_imports(source, {"activities", "stations"}) == []


def test_no_module_outside_the_migrations_imports_a_migration():
    packages = _project_packages()
    files = list(_project_files())
    assert BASE / "activities" / "demo" / "build.py" in files
    assert BASE / "tests" / "e2e" / "conftest.py" in files
    found = [
        f"{path.relative_to(BASE)}:{line}: {what}"
        for path in files
        for line, what in migration_imports(path.read_text("utf-8"), packages)
    ]
    assert found == []
