"""The editable lists' seeding (activities/reference_lists.py): what a database
migrated from nothing holds, reruns that add nothing, an administrator's edits
kept, and the same functions run on the historical models a migration passes."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from activities import reference_lists
from activities.models import ActivityKind, BeneficiaryCategory, Partner

BASE = Path(__file__).resolve().parents[2]
MODELS = (ActivityKind, BeneficiaryCategory, Partner)


def _expected():
    """Each list's rows as the data module describes them, in display order."""
    return {
        "activitykind": [
            (name, order, True)
            for order, name in enumerate(reference_lists.ACTIVITY_KINDS, start=1)
        ],
        "beneficiarycategory": [
            (name, order, True, reference_lists.VISIT_EVERY_DAYS.get(name))
            for order, name in enumerate(
                reference_lists.BENEFICIARY_CATEGORIES, start=1
            )
        ],
        "partner": [
            (name, order, True)
            for order, name in enumerate(reference_lists.PARTNERS, start=1)
        ],
    }


def _rows():
    return {
        "activitykind": list(
            ActivityKind.objects.order_by("display_order", "pk").values_list(
                "name", "display_order", "is_active"
            )
        ),
        "beneficiarycategory": list(
            BeneficiaryCategory.objects.order_by("display_order", "pk").values_list(
                "name", "display_order", "is_active", "visit_every_days"
            )
        ),
        "partner": list(
            Partner.objects.order_by("display_order", "pk").values_list(
                "name", "display_order", "is_active"
            )
        ),
    }


def _empty_lists():
    for model in MODELS:
        model.objects.all().delete()


@pytest.fixture
def seeded(db):
    # A transactional test that ran earlier in this process may have flushed the
    # lists; the tests below start from the lists a migrated database holds.
    reference_lists.reference_lists_seed()


def _historical_apps(migration):
    """The models as the activities migration ``migration`` leaves them: what
    Django hands that migration's RunPython."""
    loader = MigrationLoader(connection)
    return loader.project_state(("activities", migration)).apps


def test_the_lists_are_written_out_once_each():
    for names in (
        reference_lists.ACTIVITY_KINDS,
        reference_lists.BENEFICIARY_CATEGORIES,
        reference_lists.PARTNERS,
    ):
        assert len(set(names)) == len(names)
    assert set(reference_lists.VISIT_EVERY_DAYS) <= set(
        reference_lists.BENEFICIARY_CATEGORIES
    )


def test_a_database_migrated_from_nothing_holds_exactly_the_data_modules_lists(
    tmp_path,
):
    """``migrate`` on a new SQLite file, in its own process, so that no earlier
    test's flush or seeding can have touched the rows read here."""
    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("DATABASE_REPLICA_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    with sqlite3.connect(database) as db:
        found = {
            table: [
                (name, order, bool(active), *rest)
                for name, order, active, *rest in db.execute(
                    f"SELECT name, display_order, is_active{extra}"
                    f" FROM activities_{table} ORDER BY display_order, id"
                )
            ]
            for table, extra in (
                ("activitykind", ""),
                ("beneficiarycategory", ", visit_every_days"),
                ("partner", ""),
            )
        }
    assert found == _expected()
    assert len(found["activitykind"]) == len(reference_lists.ACTIVITY_KINDS)
    assert len(found["beneficiarycategory"]) == len(
        reference_lists.BENEFICIARY_CATEGORIES
    )
    assert len(found["partner"]) == len(reference_lists.PARTNERS)


def test_seeding_an_emptied_database_puts_back_every_list_with_its_periods(db):
    _empty_lists()
    created = reference_lists.reference_lists_seed()
    assert created == (
        len(reference_lists.ACTIVITY_KINDS)
        + len(reference_lists.BENEFICIARY_CATEGORIES)
        + len(reference_lists.PARTNERS)
    )
    assert _rows() == _expected()


def test_seeding_twice_leaves_the_same_rows(db):
    _empty_lists()
    reference_lists.reference_lists_seed()
    before = {model: list(model.objects.order_by("pk").values()) for model in MODELS}
    assert reference_lists.reference_lists_seed() == 0
    assert reference_lists.visit_periods_seed() == 0
    after = {model: list(model.objects.order_by("pk").values()) for model in MODELS}
    assert after == before


def test_each_list_is_seeded_on_its_own(seeded):
    """A list emptied alone is put back; the others are not touched."""
    Partner.objects.all().delete()
    kinds = list(ActivityKind.objects.order_by("pk").values())
    assert reference_lists.activity_kinds_seed() == 0
    assert reference_lists.beneficiary_categories_seed() == 0
    assert reference_lists.partners_seed() == len(reference_lists.PARTNERS)
    assert list(ActivityKind.objects.order_by("pk").values()) == kinds
    assert _rows()["partner"] == _expected()["partner"]


@pytest.mark.parametrize(
    "seed",
    [reference_lists.activity_kinds_seed, reference_lists.reference_lists_seed],
)
def test_seeding_keeps_an_administrators_rename(seeded, seed):
    # Edited as the admin's change form saves it.
    kind = ActivityKind.objects.get(name="宣传")
    kind.name = "宣传活动"
    kind.save()

    seed()

    kind.refresh_from_db()
    assert kind.name == "宣传活动"
    assert kind.display_order == 1
    assert kind.is_active


def test_seeding_keeps_an_administrators_order_deactivation_and_periods(seeded):
    ActivityKind.objects.filter(name="其他").update(display_order=99)
    Partner.objects.filter(name="综治中心").update(is_active=False)
    # An empty period means "no requirement": an administrator's choice too.
    BeneficiaryCategory.objects.filter(name="困境儿童").update(visit_every_days=None)
    BeneficiaryCategory.objects.filter(name="低保对象").update(visit_every_days=45)

    assert reference_lists.reference_lists_seed() == 0

    assert ActivityKind.objects.get(name="其他").display_order == 99
    assert not Partner.objects.get(name="综治中心").is_active
    assert BeneficiaryCategory.objects.get(name="困境儿童").visit_every_days is None
    assert BeneficiaryCategory.objects.get(name="低保对象").visit_every_days == 45


def test_the_migrations_historical_models_get_the_same_lists(db):
    """What the data migrations do, step by step, on the models they are given:
    0002 seeds the lists before categories have a visit period, 0005 (after
    0004 added the field) sets the periods."""
    _empty_lists()
    at_0002 = _historical_apps("0002_seed_lists")
    with pytest.raises(FieldDoesNotExist):
        at_0002.get_model("activities", "BeneficiaryCategory")._meta.get_field(
            "visit_every_days"
        )
    reference_lists.activity_kinds_seed(apps=at_0002)
    reference_lists.beneficiary_categories_seed(apps=at_0002)
    reference_lists.partners_seed(apps=at_0002)
    assert not BeneficiaryCategory.objects.filter(visit_every_days__isnull=False)

    at_0005 = _historical_apps("0005_visit_periods")
    assert reference_lists.visit_periods_seed(apps=at_0005) == len(
        reference_lists.VISIT_EVERY_DAYS
    )
    assert _rows() == _expected()
