"""The beneficiary spreadsheet (django-import-export), with Chinese headers.

Export: the files a user may read, ID numbers and phones masked; the unmasked
sheet only for a station's own files, asked for with a reason (views log it).

Import: a station's existing sheets into that station, with the same dry-run
preview and row errors in Chinese as the network imports (stations/imports.py).
Every row is checked as the file form checks it (GB 11643 check digit, birth
date and gender against the ID, a village of the station's county, a duplicate
in the file, in the installation by ID, or in the city by name and birth date),
and nothing is written unless the whole file is clean.

Speed: the rows are validated one by one but the lookups are made once per
file (villages, categories, existing ID numbers and name/birth pairs) and the
files are written with bulk_create through ``beneficiaries_bulk_create``, so
20,000 rows import in seconds (bench/beneficiary_import.py)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from import_export import fields, resources

from stations.models import Station, Village
from stations.resources import (
    TOWN_COL,
    TextWidget,
)

from ..models import Beneficiary, BeneficiaryCategory, Gender
from ..resources.widgets import NAME_SEPARATOR, NamesWidget
from . import services
from .duplicates import describe
from .idcard import (
    mask_id_number,
    mask_phone,
    normalize_id_number,
    parse_id_number,
)
from .widgets import DateWidget, choice_column

VILLAGE_COL = "村（居）"
ID_COL = "身份证号"
PHONE_COLS = ("联系电话", "监护人电话")
MASKED_COLUMNS = (ID_COL, *PHONE_COLS)
REQUIRED_COLUMNS = ("姓名",)
EXPORT_ONLY_COLUMNS = ("社工站", "档案状态", "最近走访")
CHUNK = 500


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

    # Read by hand in import_instance (looked up in the per-file caches).
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
        unknown = [h for h in headers if h and h not in importable]
        if unknown:
            problems.append(
                _("无法识别的列：%(cols)s（可用的列：%(ok)s）")
                % {"cols": "、".join(unknown), "ok": "、".join(importable)}
            )
        if problems:
            raise ValidationError(problems)
        self._plain_fields = [
            (f.attribute, f.column_name, f.widget)
            for f in self.get_import_fields()
            if f.attribute
            and not f.readonly
            and f.column_name not in self.MANUAL_COLUMNS
        ]
        self._lines = list(
            getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2)
        )
        self._load_lookups(dataset, headers)

    def _load_lookups(self, dataset, headers):
        """Everything a row is checked against, read once for the whole file."""
        station = self.station
        county = station.town.county
        villages = Village.objects.filter(town__county=county).select_related(
            "town__county"
        )
        self._villages_by_town: dict[tuple[str, str], Village] = {}
        self._villages_by_name: dict[str, list[Village]] = {}
        for v in villages:
            self._villages_by_town[(v.town.name, v.name)] = v
            self._villages_by_name.setdefault(v.name, []).append(v)
        self._categories = {c.name: c for c in BeneficiaryCategory.objects.all()}
        self._seen_ids: dict[str, int] = {}
        self._seen_people: dict[tuple[str, datetime.date], int] = {}
        ids, names = set(), set()
        id_col = headers.index(ID_COL) if ID_COL in headers else None
        name_col = headers.index("姓名")
        for row in dataset:
            if id_col is not None:
                number = normalize_id_number(row[id_col])
                if number:
                    ids.add(number)
            name = str(row[name_col] or "").strip()
            if name:
                names.add(name)
        existing = Beneficiary.objects.select_related("station__town__county")
        self._existing_ids: dict[str, Beneficiary] = {}
        ids = sorted(ids)
        for start in range(0, len(ids), CHUNK):
            for b in existing.filter(id_number__in=ids[start : start + CHUNK]):
                self._existing_ids[b.id_number] = b
        self._existing_people: dict[tuple[str, datetime.date], Beneficiary] = {}
        names = sorted(names)
        for start in range(0, len(names), CHUNK):
            for b in existing.filter(
                name__in=names[start : start + CHUNK],
                birth_date__isnull=False,
                station__town__county__city_id=county.city_id,
            ):
                self._existing_people.setdefault((b.name, b.birth_date), b)

    def import_instance(self, instance, row, **kwargs):
        # The resource's own fields and widgets, walked directly: the generic
        # loop looks the field list up again for every cell, and on 20,000 rows
        # that alone costs more than the checks.
        errors: dict = {}
        for attribute, column, widget in self._plain_fields:
            if column not in row:
                continue
            try:
                value = widget.clean(row[column], row=row)
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
        self._read_village(instance, row, errors)
        self._read_categories(instance, row, errors)
        if "id_number" not in errors and "birth_date" not in errors:
            self._check_duplicates(instance, kwargs.get("row_number"), errors)
        if errors:
            raise ValidationError(errors)

    def _read_village(self, instance, row, errors):
        name = str(row.get(VILLAGE_COL) or "").strip()
        town = str(row.get(TOWN_COL) or "").strip()
        instance.village = None
        if not name:
            if town:
                errors["village"] = [_("填写了镇（街道）时请同时填写村（居）")]
            return
        county = self.station.town.county.name
        if town:
            village = self._villages_by_town.get((town, name))
            if village is None:
                errors["village"] = [
                    _("未知的村（居）：%(county)s%(town)s没有“%(v)s”")
                    % {"county": county, "town": town, "v": name}
                ]
                return
        else:
            found = self._villages_by_name.get(name, [])
            own = [v for v in found if v.town_id == self.station.town_id]
            if own:
                found = own
            if not found:
                errors["village"] = [
                    _("未知的村（居）：%(county)s没有“%(v)s”")
                    % {"county": county, "v": name}
                ]
                return
            if len(found) > 1:
                errors["village"] = [
                    _("村（居）“%(v)s”在%(county)s不止一个，请填写镇（街道）")
                    % {"v": name, "county": county}
                ]
                return
            village = found[0]
        instance.village = village

    def _read_categories(self, instance, row, errors):
        names = NamesWidget.split(row.get("服务对象类别"))
        unknown = [n for n in names if n not in self._categories]
        if unknown:
            errors["categories"] = [
                _("未知的服务对象类别：%(n)s")
                % {"n": NAME_SEPARATOR.join(f"“{n}”" for n in unknown)}
            ]
        instance._import_categories = [
            self._categories[n].pk for n in names if n in self._categories
        ]

    def _line_of(self, row_number) -> int:
        if row_number and 0 < row_number <= len(self._lines):
            return self._lines[row_number - 1]
        return (row_number or 0) + 1

    def _check_duplicates(self, instance, row_number, errors):
        line = self._line_of(row_number)
        number = instance.id_number
        if number:
            if number in self._existing_ids:
                errors.setdefault("id_number", []).append(
                    _("重复：系统中已有同一身份证号的档案（%(d)s）")
                    % {"d": describe(self._existing_ids[number])}
                )
                return
            if number in self._seen_ids:
                errors.setdefault("id_number", []).append(
                    _("重复：与第 %(n)d 行身份证号相同") % {"n": self._seen_ids[number]}
                )
                return
            self._seen_ids[number] = line
        birth = instance.birth_date
        if birth is None and number:
            # The birth date is read from the ID number when the column is empty.
            try:
                birth = parse_id_number(number).birth_date
            except ValidationError:
                return
        if not instance.name or birth is None:
            return
        key = (instance.name, birth)
        if key in self._existing_people:
            errors.setdefault("name", []).append(
                _(
                    "重复：本市已有同名、同出生日期的档案（%(d)s）；如确为另一人，请在档案页面单独建档"
                )
                % {"d": describe(self._existing_people[key])}
            )
        elif key in self._seen_people:
            errors.setdefault("name", []).append(
                _("重复：与第 %(n)d 行姓名和出生日期相同")
                % {"n": self._seen_people[key]}
            )
        else:
            self._seen_people[key] = line

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        errors = dict(import_validation_errors or {})
        # Station and village come from the per-file lookups (they exist): no
        # query per row to check them again. Uniqueness was checked above
        # against the whole file and the database; the constraint guards the
        # write.
        exclude = set(errors) | {"station", "village", "created_by"}
        try:
            instance.full_clean(
                exclude=exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
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


def template_headers() -> list[str]:
    return [
        f.column_name
        for f in BeneficiaryResource().get_export_fields()
        if f.column_name not in EXPORT_ONLY_COLUMNS
    ]
