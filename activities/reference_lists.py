"""What the editable reference lists (activities/models/lists.py) hold when a
database is new, and the functions that put it there.

The data migrations, ``load_demo`` and the tests all seed the lists by calling
the functions below, so there is one copy of the lists and no code imports a
migration module at run time.

Why here, at the top of the app, and not beside the models or in services/:

- a migration imports this module, and must not load the app's current models
  (it works on the historical ones it is given); importing anything inside
  ``activities/models/`` runs that package's ``__init__``, which loads them all,
  and services/ imports them too. This module imports no model: each
  function is given ``apps``, a migration's registry of historical models or,
  by default, the project's own;
- seeding is not a workflow step: no one does it, so it has no ``by``, no
  permission and no audit entry, which every function in services/ has.

Each function creates the entries that are missing, by name, with their
position in the list as display order, and never changes a row that exists:
an administrator may rename, reorder, deactivate an entry or change its visit
period, and a rerun (the demo, a test's fixture) leaves all of it alone. The
rows have no code that outlives a rename, so an entry that was renamed or
deleted comes back under its seeded name when a function runs again. That is
what a flushed database needs, and why only the migrations, the demo and the
tests' fixtures call them.

The lists are the ones the data migrations have seeded from the start. Changing
them changes only what a database migrated from nothing gets, since applied
migrations never run again; to change the lists of existing databases as well,
add a migration that makes that change.
"""

from __future__ import annotations

from django.apps import apps as project_apps
from django.core.exceptions import FieldDoesNotExist

# The names the bureau uses (DESIGN.md §2), in the order the forms offer them.
ACTIVITY_KINDS = (
    "宣传",
    "入户走访",
    "个案",
    "小组",
    "社区活动",
    "志愿服务",
    "培训",
    "会议",
    "督导",
    "慰问",
    "项目",
    "其他",
)
BENEFICIARY_CATEGORIES = (
    "困境儿童",
    "留守儿童",
    "孤儿",
    "事实无人抚养儿童",
    "未成年人",
    "老年人",
    "独居/空巢老人",
    "重度残疾人",
    "低保对象",
    "特困人员",
    "防止返贫监测对象",
    "重点青少年",
    "社工",
)
PARTNERS = (
    "妇联",
    "残联",
    "派出所",
    "司法所",
    "村委",
    "学校",
    "社工机构",
    "志愿服务队",
    "团委",
    "幼儿园",
    "综治中心",
)

# How often each kind of beneficiary should be visited, as the bureau asks:
# children in difficulty and the others at risk every month, the rest less often.
# A category not named here has no period.
VISIT_EVERY_DAYS = {
    "困境儿童": 30,
    "留守儿童": 30,
    "孤儿": 30,
    "事实无人抚养儿童": 30,
    "独居/空巢老人": 30,
    "重点青少年": 30,
    "重度残疾人": 60,
    "特困人员": 60,
    "低保对象": 90,
    "防止返贫监测对象": 90,
}


def _seed(model, names, extra=None) -> int:
    created = 0
    for order, name in enumerate(names, start=1):
        defaults = {"display_order": order, **(extra(name) if extra else {})}
        created += model.objects.get_or_create(name=name, defaults=defaults)[1]
    return created


def activity_kinds_seed(*, apps=project_apps) -> int:
    """Create the missing activity kinds; returns how many were created."""
    return _seed(apps.get_model("activities", "ActivityKind"), ACTIVITY_KINDS)


def beneficiary_categories_seed(*, apps=project_apps) -> int:
    """Create the missing beneficiary categories, each with its visit period
    where the model has the field; returns how many were created."""
    model = apps.get_model("activities", "BeneficiaryCategory")
    try:
        model._meta.get_field("visit_every_days")
    except FieldDoesNotExist:
        # The first data migration runs before the field exists; the periods
        # come with the migration that adds it (visit_periods_seed).
        return _seed(model, BENEFICIARY_CATEGORIES)
    return _seed(
        model,
        BENEFICIARY_CATEGORIES,
        lambda name: {"visit_every_days": VISIT_EVERY_DAYS.get(name)},
    )


def partners_seed(*, apps=project_apps) -> int:
    """Create the missing partner organisations; returns how many were created."""
    return _seed(apps.get_model("activities", "Partner"), PARTNERS)


def visit_periods_seed(*, apps=project_apps) -> int:
    """Give the categories that have no visit period theirs, for rows made before
    the field existed; returns how many were set. Only the migration that adds
    the field calls this: elsewhere an empty period is an administrator's
    choice ("no requirement") and is kept."""
    model = apps.get_model("activities", "BeneficiaryCategory")
    return sum(
        model.objects.filter(name=name, visit_every_days__isnull=True).update(
            visit_every_days=days
        )
        for name, days in VISIT_EVERY_DAYS.items()
    )


def reference_lists_seed(*, apps=project_apps) -> int:
    """Create whatever is missing of the three lists (a database flushed since
    it was migrated has lost them all); returns how many rows were created."""
    return (
        activity_kinds_seed(apps=apps)
        + beneficiary_categories_seed(apps=apps)
        + partners_seed(apps=apps)
    )
