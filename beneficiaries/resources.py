"""The beneficiary spreadsheet (django-import-export), with Chinese headers.

Export: the files a user may read, ID numbers and phones masked; the unmasked
sheet only for a station's own files, asked for with a reason (views log it).

Import: a station's existing sheets into that station, with the same dry-run
preview and row errors in Chinese as the network imports
(stations/services/imports.py).
Every row is checked as the file form checks it (GB 11643 check digit, birth
date and gender against the ID, a village of the station's county, a duplicate
in the file, in the installation by ID, or in the city by name and birth date),
and nothing is written unless the whole file is clean. The columns only the
export writes (社工站, 档案状态, 最近走访) are read past, so a full export imports
back as it is.

The village, category and duplicate checks, with the lookups they use, are in
import_checks.py; this module maps the columns and drives the import.

Speed: the lookups are made once per file (villages, categories, existing ID
numbers and name/birth pairs; a cell's village or categories once per distinct
cell), each row is checked by ``ModelChecks`` (what ``full_clean()`` would say,
without its per-row costs), the rows go through a lean ``import_row``, and the
files are written with bulk_create through ``beneficiaries_bulk_create``
(bench/beneficiary_import.py; what it costs a maintainer: docs/architecture.md,
"What the speed costs a maintainer")."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import RowResult

from activities.resources.widgets import NAME_SEPARATOR
from beneficiaries.import_checks import ID_COL, VILLAGE_COL, FileChecks, ModelChecks
from beneficiaries.models import Beneficiary, Gender
from beneficiaries.services import files as services
from beneficiaries.widgets import DateWidget, choice_column
from core.idcard import mask_id_number, mask_phone
from stations.models import Station
from stations.resources import (
    TOWN_COL,
    TextWidget,
)

PHONE_COLS = ("联系电话", "监护人电话")
MASKED_COLUMNS = (ID_COL, *PHONE_COLS)
REQUIRED_COLUMNS = ("姓名",)
EXPORT_ONLY_COLUMNS = ("社工站", "档案状态", "最近走访")


def _text(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=TextWidget())


class BeneficiaryResource(resources.ModelResource):
    name = _text("name", "姓名")
    gender = choice_column("gender", "性别", Gender.choices)
    birth_date = fields.Field(
        attribute="birth_date", column_name="出生日期", widget=DateWidget()
    )
    id_number = _text("id_number", ID_COL)
    phone = _text("phone", "联系电话")
    town = fields.Field(column_name=TOWN_COL)
    village = fields.Field(column_name=VILLAGE_COL)
    address = _text("address", "详细地址")
    categories = fields.Field(column_name="服务对象类别")
    living_situation = choice_column(
        "living_situation", "居住情况", Beneficiary.Living.choices
    )
    guardian_name = _text("guardian_name", "监护人姓名")
    guardian_relation = _text("guardian_relation", "与监护人关系")
    guardian_phone = _text("guardian_phone", "监护人电话")
    opened_on = fields.Field(
        attribute="opened_on", column_name="建档日期", widget=DateWidget()
    )
    notes = _text("notes", "备注")
    station = fields.Field(column_name="社工站", readonly=True)
    status = fields.Field(column_name="档案状态", readonly=True)
    last_visit = fields.Field(column_name="最近走访", readonly=True)

    # Set from the per-file lookups, not from a cell: not checked per row.
    NOT_CLEANED = {"station", "village", "created_by"}
    # Read by hand in import_instance (looked up by FileChecks, import_checks.py).
    MANUAL_COLUMNS = (TOWN_COL, VILLAGE_COL, "服务对象类别")

    class Meta:
        model = Beneficiary
        fields = (
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "town",
            "village",
            "address",
            "categories",
            "living_situation",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "opened_on",
            "notes",
            "station",
            "status",
            "last_visit",
        )
        import_order = fields
        export_order = fields
        force_init_instance = True
        clean_model_instances = True
        skip_diff = True
        use_bulk = True
        # Written in one go at the end (inside the import's transaction), so a
        # refused file leaves nothing behind.
        batch_size = None
        chunk_size = 1000

    def __init__(self, *, user=None, station: Station | None = None, full=False):
        super().__init__()
        self.user = user
        self.station = station
        self.full = full
        self.created: list[Beneficiary] = []

    # --- Export -----------------------------------------------------------------

    def dehydrate_id_number(self, b):
        return b.id_number if self.full else mask_id_number(b.id_number)

    def dehydrate_phone(self, b):
        return b.phone if self.full else mask_phone(b.phone)

    def dehydrate_guardian_phone(self, b):
        return b.guardian_phone if self.full else mask_phone(b.guardian_phone)

    def dehydrate_gender(self, b):
        return b.get_gender_display()

    def dehydrate_living_situation(self, b):
        return b.get_living_situation_display()

    def dehydrate_town(self, b):
        return b.village.town.name if b.village_id else ""

    def dehydrate_village(self, b):
        return b.village.name if b.village_id else ""

    def dehydrate_categories(self, b):
        return NAME_SEPARATOR.join(c.name for c in b.categories.all())

    def dehydrate_station(self, b):
        return b.station.full_name

    def dehydrate_status(self, b):
        return str(b.get_status_display())

    def dehydrate_last_visit(self, b):
        last = getattr(b, "last_visit", None)
        return last.isoformat() if last else ""

    # --- Import -----------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if self.user is None or self.station is None:
            raise ValidationError(_("导入档案须指明导入人和社工站。"))
        headers = [str(h or "").strip() for h in dataset.headers or []]
        if dataset.headers:
            dataset.headers = headers
        problems = []
        missing = [c for c in REQUIRED_COLUMNS if c not in headers]
        if missing:
            problems.append(_("缺少列：%(cols)s") % {"cols": "、".join(missing)})
        importable = [
            f.column_name
            for f in self.get_import_fields()
            if f.column_name not in EXPORT_ONLY_COLUMNS
        ]
        # The export's own columns are read past, so that a full export imports
        # back as it is (the station is the one chosen on the import screen).
        unknown = [
            h
            for h in headers
            if h and h not in importable and h not in EXPORT_ONLY_COLUMNS
        ]
        if unknown:
            problems.append(
                _("无法识别的列：%(cols)s（可用的列：%(ok)s）")
                % {"cols": "、".join(unknown), "ok": "、".join(importable)}
            )
        if problems:
            raise ValidationError(problems)
        self._plain_fields = [
            (f.attribute, f.column_name, _cleaner(f.widget))
            for f in self.get_import_fields()
            if f.attribute
            and not f.readonly
            and f.column_name not in self.MANUAL_COLUMNS
            and f.column_name in headers
        ]
        self._checks = FileChecks(
            station=self.station, dataset=dataset, headers=headers
        )
        self._model_checks = ModelChecks(station=self.station, exclude=self.NOT_CLEANED)

    def import_row(self, row, instance_loader, **kwargs):
        # The library's import_row for what this import is (always new files,
        # written in bulk, no diff, no delete, no skip), without the hooks and
        # steps it would call for nothing on every row: the same row result,
        # the same errors.
        row_result = self.get_row_result_class()()
        try:
            instance = self.init_instance(row)
            row_result.import_type = RowResult.IMPORT_TYPE_NEW
            errors = {}
            try:
                self.import_instance(instance, row, **kwargs)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            self.validate_instance(instance, errors)
            self.create_instances.append(instance)
            row_result.add_instance_info(instance)
        except ValidationError as exc:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = exc
        except Exception as exc:
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            row_result.errors.append(
                self.get_error_result_class()(
                    exc, row=row, number=kwargs.get("row_number")
                )
            )
        return row_result

    def import_instance(self, instance, row, **kwargs):
        # The resource's own fields and widgets, walked directly: the generic
        # loop looks the field list up again for every cell, and on 20,000 rows
        # that alone costs more than the checks.
        errors: dict = {}
        for attribute, column, clean in self._plain_fields:
            try:
                value = clean(row[column])
            except ValueError as exc:
                errors[attribute] = [str(exc)]
                continue
            if value is not None:
                setattr(instance, attribute, value)
        instance.station = self.station
        instance.created_by = self.user
        instance.status = Beneficiary.Status.ACTIVE
        if "id_number" not in errors:
            instance.fill_from_id_number()
        if instance.opened_on is None:
            instance.opened_on = datetime.date.today()
        self._checks.read_village(instance, row, errors)
        self._checks.read_categories(instance, row, errors)
        if "id_number" not in errors and "birth_date" not in errors:
            self._checks.check_duplicates(instance, kwargs.get("row_number"), errors)
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        # What full_clean() would say, worked out faster (ModelChecks,
        # import_checks.py). Station and village come from the per-file
        # lookups (they exist): no query per row to check them again.
        # Uniqueness was checked above against the whole file and the
        # database; the constraint guards the write.
        errors = dict(import_validation_errors or {})
        self._model_checks.clean_fields(instance, errors)
        self._model_checks.model_clean(instance, errors)
        if errors:
            raise ValidationError(errors)

    def bulk_create(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ):
        instances, self.create_instances = self.create_instances, []
        if dry_run or not instances:
            return
        if result is not None and result.has_validation_errors():
            # One bad row: nothing is written (the caller rolls back anyway).
            return
        try:
            self.created = services.beneficiaries_bulk_create(
                station=self.station,
                beneficiaries=instances,
                categories={
                    i: b._import_categories
                    for i, b in enumerate(instances)
                    if b._import_categories
                },
                by=self.user,
            )
        except IntegrityError:
            # Never the driver's message: on PostgreSQL it quotes the ID number.
            self.handle_import_error(
                result,
                ValidationError(
                    _(
                        "写入时发现重复的身份证号（可能刚有人建了相同的档案），"
                        "未导入任何数据。请重新上传检查。"
                    )
                ),
                raise_errors,
            )


def _cleaner(widget):
    """A widget's ``clean`` for every cell of one file (ChoiceWidget's looks
    its labels up once)."""
    cleaner = getattr(widget, "cleaner", None)
    return cleaner() if cleaner else widget.clean


def template_headers() -> list[str]:
    return [
        f.column_name
        for f in BeneficiaryResource().get_export_fields()
        if f.column_name not in EXPORT_ONLY_COLUMNS
    ]
