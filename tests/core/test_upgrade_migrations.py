"""Upgrading a database of the code from before the models moved between apps
(the audit log and background jobs to core, beneficiary files and cases to the
beneficiaries app) keeps every row, the permissions granted on the moved
models, the admin's log of them and the audit log's names for them; jobs keep
the unit they were filed under; and the downgrade gives all of it back.

The rows are written through the historical models of the old migrations, as
that code wrote them, then the migrations run forward, back and forward again
on the same tables."""

from datetime import date

import pytest
from django.apps import apps as project_apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from activities.models import ActivityReport
from activities.reference_lists import reference_lists_seed
from beneficiaries.models import (
    Attendance,
    Beneficiary,
    BeneficiaryTransfer,
    Case,
    CaseNote,
    Referral,
    Visit,
)
from core.jobs import get_kind
from core.models import AuditEntry, Job
from stations.models import RoleAssignment, Station, Town
from stations.permissions import unit_path

# The leaf migrations of the code before the moves. Core and beneficiaries did
# not exist then: they go back to nothing.
OLD_LEAVES = [
    ("stations", "0003_jobs"),
    ("activities", "0007_report_list_indexes"),
    ("newsletter", "0006_set_page_content_uncompressed"),
]
NEW_APPS = ("core", "beneficiaries")

# Model name -> the model it is now.
MOVED_BENEFICIARY_MODELS = {
    "beneficiary": Beneficiary,
    "beneficiarytransfer": BeneficiaryTransfer,
    "visit": Visit,
    "attendance": Attendance,
    "case": Case,
    "casenote": CaseNote,
    "referral": Referral,
}
MOVED_TO_CORE = {"auditentry": AuditEntry, "job": Job}
# Every kind the old code's Job.Kind listed; each app registers its own now.
OLD_JOB_KINDS = (
    "network_import",
    "beneficiary_import",
    "report_import",
    "photo_batch",
    "issue_word",
    "stats_export",
    "archive_import",
)


def _migrate(targets):
    # A fresh executor each time: its loader reads which migrations are applied.
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _old_targets():
    return OLD_LEAVES + [(app, None) for app in NEW_APPS]


def _old_apps():
    """The historical models of the old code: its leaves, with every other
    app (auth, contenttypes, admin...) at its own leaf."""
    loader = MigrationExecutor(connection).loader
    changed = {app for app, _ in OLD_LEAVES} | set(NEW_APPS)
    others = [node for node in loader.graph.leaf_nodes() if node[0] not in changed]
    return loader.project_state(OLD_LEAVES + others).apps


def _content_types_as_django_makes_them(apps, app_label, model_names):
    """What ``create_contenttypes`` and ``create_permissions`` left in an old
    database after its ``migrate``: a migration test gets no post_migrate, so
    they are made here. get_or_create, as those functions do: the test
    database may already hold them, moved back by the reverse migrations."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for name in model_names:
        opts = apps.get_model(app_label, name)._meta
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=opts.model_name
        )
        for action in opts.default_permissions:
            Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{opts.model_name}",
                defaults={"name": f"Can {action} {opts.verbose_name_raw}"},
            )


def _rows(model, pks=None):
    """Every row of a model's table (or those of ``pks``), every column, by pk."""
    rows = model.objects.order_by("pk")
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    return {row["id"]: row for row in rows.values()}


def _m2m(model, field):
    through = model._meta.get_field(field).remote_field.through
    columns = [f.attname for f in through._meta.concrete_fields if not f.primary_key]
    return sorted(through.objects.values_list(*columns))


def _content_type_rows(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}


def _grants(apps):
    """Who holds which permission: (group or user pk, permission pk)."""
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    return _m2m(Group, "permissions"), _m2m(User, "user_permissions")


def _write_old_rows(apps):
    """Rows as the old code wrote them, through its historical models. Returns
    the pks the checks need."""
    reference_lists_seed(apps=apps)
    _content_types_as_django_makes_them(
        apps, "activities", [*MOVED_BENEFICIARY_MODELS, "activityreport"]
    )
    _content_types_as_django_makes_them(apps, "stations", ["auditentry", "job"])
    ContentType = apps.get_model("contenttypes", "ContentType")
    # An old database never had a content type under the new labels; the test
    # database may, from whatever ran before this test.
    ContentType.objects.filter(
        app_label="beneficiaries", model__in=MOVED_BENEFICIARY_MODELS
    ).delete()
    ContentType.objects.filter(app_label="core", model__in=MOVED_TO_CORE).delete()

    m = apps.get_model
    User = m("auth", "User")
    worker_user = User.objects.create(username="upgrade-worker", password="!")
    in_group = User.objects.create(username="upgrade-grouped", password="!")
    direct = User.objects.create(username="upgrade-direct", password="!")

    # Two cities, so that a path built from the wrong unit shows.
    city_a = m("stations", "City").objects.create(name="升级甲市", code="449901")
    city_b = m("stations", "City").objects.create(name="升级乙市", code="449902")
    County = m("stations", "County")
    county_a = County.objects.create(
        city=city_a, name="升级甲区", code="449911", kind="区", short_name="甲区"
    )
    county_b = County.objects.create(
        city=city_b, name="升级乙县", code="449921", kind="县", short_name="乙县"
    )
    town = m("stations", "Town").objects.create(
        county=county_b, name="升级镇", kind="镇"
    )
    station = m("stations", "Station").objects.create(town=town, name="升级镇社工站")
    # A town has one station.
    other_town = m("stations", "Town").objects.create(
        county=county_b, name="升级街道", kind="街道"
    )
    other_station = m("stations", "Station").objects.create(
        town=other_town, name="升级街道社工站"
    )
    worker = m("stations", "SocialWorker").objects.create(
        real_name="升级社工", gender="女", post_type="社工", station=station
    )
    assignment = m("stations", "RoleAssignment").objects.create(
        user=worker_user, role="social_worker", station=station
    )

    kind = m("activities", "ActivityKind").objects.order_by("pk").first()
    report = m("activities", "ActivityReport").objects.create(
        level="station",
        title="升级前的活动",
        start_date=date(2026, 3, 1),
        author=worker_user,
        city=city_b,
        county=county_b,
        town=town,
        station=station,
        kind=kind,
    )

    categories = list(m("activities", "BeneficiaryCategory").objects.order_by("pk"))
    Beneficiary_ = m("activities", "Beneficiary")
    first = Beneficiary_.objects.create(
        name="升级对象一",
        gender="女",
        phone="0750-1234567",
        station=station,
        created_by=worker_user,
        notes="留守儿童",
    )
    first.categories.set(categories[:2])
    second = Beneficiary_.objects.create(
        name="升级对象二",
        gender="男",
        station=other_station,
        status="moved",
        status_reason="随父母迁居",
    )
    second.categories.set(categories[2:3])
    m("activities", "BeneficiaryTransfer").objects.create(
        beneficiary=second,
        from_station=station,
        to_station=other_station,
        reason="家庭搬迁",
        by=worker_user,
    )
    Visit_ = m("activities", "Visit")
    Visit_.objects.create(beneficiary=first, kind="home", worker=worker, notes="入户")
    Visit_.objects.create(beneficiary=first, kind="phone", worker=worker)
    Attendance_ = m("activities", "Attendance")
    Attendance_.objects.create(
        report=report, beneficiary=first, recorded_by=worker_user
    )
    Attendance_.objects.create(report=report, beneficiary=second)
    case = m("activities", "Case").objects.create(
        beneficiary=first, title="学业支持", worker=worker, opened_by=worker_user
    )
    CaseNote_ = m("activities", "CaseNote")
    note = CaseNote_.objects.create(case=case, text="首次面谈", author=worker_user)
    CaseNote_.objects.create(
        case=case, text="更正：第二次面谈", author=worker_user, corrects=note
    )
    Referral_ = m("activities", "Referral")
    partner = m("activities", "Partner").objects.order_by("pk").first()
    Referral_.objects.create(case=case, partner=partner, purpose="助学金申请")
    Referral_.objects.create(case=case, partner_other="镇卫生院", purpose="体检")

    Job_ = m("stations", "Job")
    jobs = {
        "city": Job_.objects.create(
            kind="issue_word", title="导出 Word", city=city_a, started_by=direct
        ),
        "county": Job_.objects.create(
            kind="stats_export", title="统计表", county=county_a, started_by=direct
        ),
        "station": Job_.objects.create(
            kind="beneficiary_import",
            title="导入档案",
            station=station,
            started_by=worker_user,
            params={"station": station.pk, "dry_run": True},
        ),
        # The photo batch filed itself under its report's city, county and
        # station all at once.
        "all three": Job_.objects.create(
            kind="photo_batch",
            title="照片",
            city=city_b,
            county=county_b,
            station=station,
            status="succeeded",
        ),
        "network": Job_.objects.create(
            kind="network_import", title="导入网络", city=city_b, status="failed"
        ),
        "archive": Job_.objects.create(
            kind="archive_import", title="往期", city=city_a
        ),
        "none": Job_.objects.create(kind="report_import", title="补录"),
    }

    AuditEntry_ = m("stations", "AuditEntry")
    audit = {
        target_type: AuditEntry_.objects.create(
            action="view", target_type=target_type, target_id=str(pk), username="x"
        ).pk
        for target_type, pk in [
            ("activities.beneficiary", first.pk),
            ("activities.case", case.pk),
            ("activities.activityreport", report.pk),
            ("stations.roleassignment", assignment.pk),
        ]
    }

    def permission(app_label, codename):
        return m("auth", "Permission").objects.get(
            content_type__app_label=app_label, codename=codename
        )

    group = m("auth", "Group").objects.create(name="升级查看组")
    group.permissions.add(
        permission("activities", "view_beneficiary"),
        permission("stations", "view_auditentry"),
    )
    in_group.groups.add(group)
    direct.user_permissions.add(
        permission("activities", "change_case"), permission("stations", "view_job")
    )

    # The admin's log of a change to a file points at its content type.
    log = m("admin", "LogEntry").objects.create(
        user=direct,
        content_type=ContentType.objects.get(
            app_label="activities", model="beneficiary"
        ),
        object_id=str(first.pk),
        object_repr="升级对象一",
        action_flag=2,
    )

    return {
        "city_a": city_a.pk,
        "city_b": city_b.pk,
        "county_a": county_a.pk,
        "county_b": county_b.pk,
        "station": station.pk,
        "first": first.pk,
        "case": case.pk,
        "report": report.pk,
        "in_group": in_group.pk,
        "direct": direct.pk,
        "jobs": {name: job.pk for name, job in jobs.items()},
        "audit": audit,
        "log": log.pk,
        "categories": [category.name for category in categories[:2]],
    }


def _snapshot(apps):
    """Everything of the moved models, read through the old code's models."""
    snap = {
        name: _rows(apps.get_model("activities", name))
        for name in MOVED_BENEFICIARY_MODELS
    }
    snap["categories"] = _m2m(apps.get_model("activities", "Beneficiary"), "categories")
    snap["auditentry"] = _rows(apps.get_model("stations", "AuditEntry"))
    snap["job"] = _rows(apps.get_model("stations", "Job"))
    snap["content_types"] = _content_type_rows(apps)
    snap["grants"] = _grants(apps)
    return snap


# Columns of the moved models added by migrations after the move: the old rows
# never had them.
ADDED_AFTER_THE_MOVE = {"visit": ("client_key",)}


def _without(rows, *columns):
    return {
        pk: {k: v for k, v in row.items() if k not in columns}
        for pk, row in rows.items()
    }


def _expected_units(ids):
    city_a, city_b = ids["city_a"], ids["city_b"]
    county_b = ids["county_b"]
    station_path = f"city:{city_b}/county:{county_b}/station:{ids['station']}"
    return {
        "city": f"city:{city_a}",
        "county": f"city:{city_a}/county:{ids['county_a']}",
        "station": station_path,
        "all three": station_path,
        "network": f"city:{city_b}",
        "archive": f"city:{city_a}",
        "none": "",
        # Its station was deleted after the upgrade; the downgrade left it
        # under no unit, so the upgrade again files it under none.
        "deleted unit": "",
    }


def _check_upgraded(before, ids):
    """The database at the latest migrations, read through the real models."""
    # Every row, every column, the same pks.
    # Columns that later migrations added are empty on the moved rows.
    for name, model in MOVED_BENEFICIARY_MODELS.items():
        added = ADDED_AFTER_THE_MOVE.get(name, ())
        rows = _rows(model)
        assert _without(rows, *added) == before[name], name
        assert {row[c] for row in rows.values() for c in added} <= {None}, name
    assert _m2m(Beneficiary, "categories") == before["categories"]
    first = Beneficiary.objects.get(pk=ids["first"])
    assert (first.name, first.phone, first.notes) == (
        "升级对象一",
        "0750-1234567",
        "留守儿童",
    )
    assert sorted(first.categories.values_list("name", flat=True)) == sorted(
        ids["categories"]
    )
    assert first.visits.count() == 2
    assert sorted(first.attendances.values_list("report_id", flat=True)) == [
        ids["report"]
    ]
    assert Attendance.objects.filter(report_id=ids["report"]).count() == 2
    case = Case.objects.get(pk=ids["case"])
    assert case.beneficiary == first
    assert case.notes.count() == 2
    assert case.notes.filter(corrects__isnull=False).get().corrects.text == "首次面谈"
    assert sorted(case.referrals.values_list("purpose", flat=True)) == [
        "体检",
        "助学金申请",
    ]
    assert BeneficiaryTransfer.objects.get().beneficiary.name == "升级对象二"

    # The content types are the same rows under their new app: what was
    # granted on them still is.
    ContentType.objects.clear_cache()
    old_types = before["content_types"]
    for name, model in [*MOVED_BENEFICIARY_MODELS.items(), *MOVED_TO_CORE.items()]:
        content_type = ContentType.objects.get_for_model(model)
        old_label = "activities" if name in MOVED_BENEFICIARY_MODELS else "stations"
        assert old_types.get(content_type.pk) == (old_label, name), name
        assert content_type.app_label == model._meta.app_label
    assert not ContentType.objects.filter(
        app_label="activities", model__in=MOVED_BENEFICIARY_MODELS
    ).exists()
    assert not ContentType.objects.filter(
        app_label="stations", model__in=MOVED_TO_CORE
    ).exists()
    assert _grants(project_apps) == before["grants"]
    User = get_user_model()
    in_group = User.objects.get(pk=ids["in_group"])
    assert in_group.has_perm("beneficiaries.view_beneficiary")
    assert in_group.has_perm("core.view_auditentry")
    assert not in_group.has_perm("beneficiaries.change_case")
    direct = User.objects.get(pk=ids["direct"])
    assert direct.has_perm("beneficiaries.change_case")
    assert direct.has_perm("core.view_job")
    assert not direct.has_perm("beneficiaries.view_beneficiary")
    assert LogEntry.objects.get(pk=ids["log"]).get_edited_object() == first

    # The audit log: the same rows; those about moved models name their new app.
    renamed = {
        "activities.beneficiary": "beneficiaries.beneficiary",
        "activities.case": "beneficiaries.case",
    }
    assert _without(_rows(AuditEntry), "target_type") == _without(
        before["auditentry"], "target_type"
    )
    targets = {
        "activities.beneficiary": Beneficiary,
        "activities.case": Case,
        "activities.activityreport": ActivityReport,
        "stations.roleassignment": RoleAssignment,
    }
    for old_type, pk in ids["audit"].items():
        row = AuditEntry.objects.get(pk=pk)
        assert row.target_type == renamed.get(old_type, old_type)
        model = project_apps.get_model(row.target_type)
        assert model is targets[old_type]
        assert model.objects.filter(pk=row.target_id).exists()

    # Jobs: the same rows, filed under the same unit, of kinds that still run.
    old_jobs = _without(before["job"], "city_id", "county_id", "station_id")
    assert _without(_rows(Job, pks=before["job"]), "unit") == old_jobs
    units = _expected_units(ids)
    for name, pk in ids["jobs"].items():
        job = Job.objects.get(pk=pk)
        assert job.unit == units[name], name
        assert get_kind(job.kind) is not None, job.kind
    kinds = Job.objects.filter(pk__in=before["job"]).values_list("kind", flat=True)
    assert sorted(kinds) == sorted(OLD_JOB_KINDS)


def _job_under_a_deleted_station(ids):
    """A job filed, after the upgrade, under a station deleted since: the unit
    is a path, not a foreign key, so nothing cleared it."""
    town = Town.objects.create(county_id=ids["county_b"], name="撤并镇", kind="镇")
    station = Station.objects.create(town=town, name="撤并镇社工站")
    job = Job.objects.create(
        kind="beneficiary_import", title="导入档案", unit=unit_path(station)
    )
    station.delete()
    town.delete()
    return job.pk


def _check_downgraded(before, ids):
    """The database back at the old leaves, read through the old code's models."""
    apps = _old_apps()
    after = _snapshot(apps)
    for name in MOVED_BENEFICIARY_MODELS:
        assert after[name] == before[name], name
    assert after["categories"] == before["categories"]
    assert after["auditentry"] == before["auditentry"]
    for pk, label in before["content_types"].items():
        if label[0] in ("activities", "stations"):
            assert after["content_types"][pk] == label
    assert after["grants"] == before["grants"]

    # The jobs' keys come back from their paths. The path keeps the unit a
    # job was filed under, the last in it, which is what the old rule of who
    # may see a job reads; a photo batch, filed under all three of its
    # report's units, gets its station back.
    kept = {pk: row for pk, row in after["job"].items() if pk in before["job"]}
    assert _without(kept, "city_id", "county_id", "station_id") == _without(
        before["job"], "city_id", "county_id", "station_id"
    )
    job = {name: after["job"][pk] for name, pk in ids["jobs"].items()}
    assert job["city"]["city_id"] == ids["city_a"]
    assert job["county"]["county_id"] == ids["county_a"]
    assert job["station"]["station_id"] == ids["station"]
    assert job["all three"]["station_id"] == ids["station"]
    assert job["network"]["city_id"] == ids["city_b"]
    assert job["archive"]["city_id"] == ids["city_a"]
    # A unit deleted since the upgrade leaves the key empty, as the old key's
    # SET_NULL did; the downgrade does not fail on it.
    for name in ("none", "deleted unit"):
        keys = job[name]["city_id"], job[name]["county_id"], job[name]["station_id"]
        assert keys == (None, None, None), name


# Transactional, since the migrations change the schema. serialized_rollback, as
# the project's other transactional tests that run before tests/jobs' have it:
# the test starts from the rows the migrations wrote (activity kinds, content
# types...) and ends by flushing without re-creating the content types, so the
# next serialized test of the same worker can put its rows back without a clash.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upgrade_keeps_moved_rows_grants_and_audit_names_and_downgrade_returns_them():
    try:
        _migrate(_old_targets())
        apps = _old_apps()
        ids = _write_old_rows(apps)
        before = _snapshot(apps)

        _migrate(_latest())
        _check_upgraded(before, ids)
        ids["jobs"]["deleted unit"] = _job_under_a_deleted_station(ids)

        _migrate(_old_targets())
        _check_downgraded(before, ids)

        _migrate(_latest())
        _check_upgraded(before, ids)
    finally:
        # Whatever failed, the tests after this one need the latest schema, and
        # no content type cached from the labels this test moved back and forth.
        _migrate(_latest())
        ContentType.objects.clear_cache()
