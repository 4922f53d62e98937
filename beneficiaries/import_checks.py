"""The checks a row of a beneficiary spreadsheet passes before it is imported
(resources.py), and the lookups they use.

Apart from the resource because they are the import's rules, not its
spreadsheet mapping: the village must be one of the station's county, the
categories must exist, and the person must not be on file already (by ID
number in the installation, by name and birth date in the city) nor twice in
the file. ``FileChecks`` reads everything once per file (villages, categories,
existing ID numbers and name/birth pairs), so 20,000 rows cost a few queries
instead of several each (bench/beneficiary_import.py). ``ModelChecks`` says
what ``full_clean()`` would say of a row, without its per-row costs."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection, models
from django.utils.translation import gettext as _

from activities.models import BeneficiaryCategory
from activities.resources.widgets import NAME_SEPARATOR, NamesWidget
from beneficiaries.duplicates import describe
from beneficiaries.models import Beneficiary
from core import dates
from core.idcard import (
    ID_SHAPE_RE,
    IdFacts,
    normalize_id_number,
    parse_id_number,
    validate_id_number,
)
from stations.models import Station, Village
from stations.resources import TOWN_COL

VILLAGE_COL = "村（居）"
ID_COL = "身份证号"
BIG_CHUNK = 5000


class FileChecks:
    """Everything a row is checked against, read once for the whole file, and
    what the file's earlier rows have claimed (ID numbers, name/birth pairs)."""

    def __init__(self, *, station: Station, dataset, headers: list[str]):
        self.station = station
        # The file's own line numbers, for "same as line N" (core/sheets.py).
        self._lines = list(
            getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2)
        )
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
        # What a cell (a pair of cells for the village) has been found to say.
        self._village_cells: dict[tuple, tuple[Village | None, str]] = {}
        self._category_cells: dict[object, tuple[tuple[int, ...], str]] = {}
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
        # As few queries as the database takes parameters for (SQLite 999).
        chunk = connection.features.max_query_params or BIG_CHUNK
        chunk = min(chunk - 10, BIG_CHUNK)
        ids = sorted(ids)
        for start in range(0, len(ids), chunk):
            for b in existing.filter(id_number__in=ids[start : start + chunk]):
                self._existing_ids[b.id_number] = b
        self._existing_people: dict[tuple[str, datetime.date], Beneficiary] = {}
        names = sorted(names)
        for start in range(0, len(names), chunk):
            for b in existing.filter(
                name__in=names[start : start + chunk],
                birth_date__isnull=False,
                station__town__county__city_id=county.city_id,
            ):
                self._existing_people.setdefault((b.name, b.birth_date), b)

    def read_village(self, instance, row, errors):
        # A file names the same few villages over and over: each pair of
        # cells is looked up once.
        cells = (row.get(TOWN_COL), row.get(VILLAGE_COL))
        try:
            village, error = self._village_cells[cells]
        except KeyError:
            village, error = self._village_cells[cells] = self._find_village(*cells)
        if error:
            errors["village"] = [error]
        elif village is not None:
            # The instance is a new one (force_init_instance): no village yet.
            instance.village = village

    def _find_village(self, town_cell, name_cell) -> tuple[Village | None, str]:
        """(the village, "") or (None, why not); (None, "") when none is named."""
        name = str(name_cell or "").strip()
        town = str(town_cell or "").strip()
        if not name:
            if town:
                return None, _("填写了镇（街道）时请同时填写村（居）")
            return None, ""
        county = self.station.town.county.name
        if town:
            village = self._villages_by_town.get((town, name))
            if village is None:
                return None, _("未知的村（居）：%(county)s%(town)s没有“%(v)s”") % {
                    "county": county,
                    "town": town,
                    "v": name,
                }
            return village, ""
        found = self._villages_by_name.get(name, [])
        own = [v for v in found if v.town_id == self.station.town_id]
        if own:
            found = own
        if not found:
            return None, _("未知的村（居）：%(county)s没有“%(v)s”") % {
                "county": county,
                "v": name,
            }
        if len(found) > 1:
            return None, _("村（居）“%(v)s”在%(county)s不止一个，请填写镇（街道）") % {
                "v": name,
                "county": county,
            }
        return found[0], ""

    def read_categories(self, instance, row, errors):
        cell = row.get("服务对象类别")
        try:
            ids, error = self._category_cells[cell]
        except KeyError:
            ids, error = self._category_cells[cell] = self._find_categories(cell)
        if error:
            errors["categories"] = [error]
        instance._import_categories = ids

    def _find_categories(self, cell) -> tuple[tuple[int, ...], str]:
        """(the ids of the known categories named, "" or what is unknown)."""
        names = NamesWidget.split(cell)
        unknown = [n for n in names if n not in self._categories]
        error = ""
        if unknown:
            error = _("未知的服务对象类别：%(n)s") % {
                "n": NAME_SEPARATOR.join(f"“{n}”" for n in unknown)
            }
        ids = tuple(self._categories[n].pk for n in names if n in self._categories)
        return ids, error

    def _line_of(self, row_number) -> int:
        if row_number and 0 < row_number <= len(self._lines):
            return self._lines[row_number - 1]
        return (row_number or 0) + 1

    def check_duplicates(self, instance, row_number, errors):
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


class ModelChecks:
    """What ``Beneficiary.full_clean()`` checks on an imported row, worked out
    once per file: the same errors, under the same field names, in the same
    order (``validate_unique`` and ``validate_constraints`` off, as the import
    checks those against the file and the database above).

    Why not full_clean itself: on 20,000 rows it costs more than the write.
    It walks every field through its generic ``clean()``, reads "today" four
    times a row (the date ranges and the ID number's birth date, each a time
    zone conversion) and parses the ID number twice (the field validator and
    ``clean()``). Here today and the date bounds are read once per file, the
    ID number is parsed once per row, and a field's value is tested directly
    (a string within its length and choices, a date) with the field's own
    ``clean()`` run only when that test fails, so every message is Django's
    or the model's own.

    The cost: ``model_clean`` repeats ``Beneficiary.clean()``. A rule added
    there must be added here too; tests/beneficiaries/test_import_validation.py
    runs both on the same rows and fails when they part."""

    def __init__(self, *, station: Station, exclude: set[str]):
        self.station = station
        self.today = dates.today()
        self._county_id = station.town.county_id
        self._village_counties: dict[int, int] = {}
        self._active = str(Beneficiary.Status.ACTIVE)
        self._parsed: tuple[str | None, IdFacts | ValidationError | None] = (
            None,
            None,
        )
        self._fields = [
            (f.name, f.attname, f.blank, f.empty_values, f, self._quick_test(f))
            for f in Beneficiary._meta.fields
            if f.name not in exclude and not f.generated
        ]
        self._ranges = []
        for name, rule in Beneficiary().get_date_ranges().items():
            floor, ceiling = rule.bounds()
            label = Beneficiary._meta.get_field(name).verbose_name
            self._ranges.append((name, rule, floor, ceiling, label))

    def id_facts(self, number: str) -> IdFacts | ValidationError:
        """``parse_id_number`` of the row's number, or its error; the field
        validator and the model's check ask for the same number in turn."""
        if self._parsed[0] != number:
            try:
                outcome = parse_id_number(number, today=self.today)
            except ValidationError as exc:
                outcome = exc
            self._parsed = (number, outcome)
        return self._parsed[1]

    def _quick_test(self, field):
        """A test that passes a value only when ``field.clean()`` would pass
        it and give it back unchanged; None when there is none (then the
        field's own ``clean()`` runs on every row). Stricter than the field is
        harmless: a value the test fails goes through ``clean()``."""
        if type(field) is models.DateField:
            if field.choices is None and not field.validators:
                return lambda value: type(value) is datetime.date
            return None
        if type(field) not in (models.CharField, models.TextField):
            return None
        allowed = None if field.choices is None else {k for k, _l in field.flatchoices}
        longest, id_number, others = None, False, []
        for validator in field.validators:
            if type(validator) is MaxLengthValidator and isinstance(
                validator.limit_value, int
            ):
                longest = validator.limit_value
            elif validator is validate_id_number:
                id_number = True
            else:
                others.append(validator)

        def test(value):
            # A str subclass (a TextChoices member) is given back unchanged too.
            if not isinstance(value, str) or not value:
                return False
            if allowed is not None and value not in allowed:
                return False
            if longest is not None and len(value) > longest:
                return False
            if id_number and type(self.id_facts(value)) is not IdFacts:
                return False
            try:
                for validator in others:
                    validator(value)
            except ValidationError:
                return False
            return True

        return test

    def clean_fields(self, instance, errors: dict) -> None:
        """``DatesInRange.clean_fields()`` with the fields in ``errors``
        excluded too; its errors are added to ``errors``."""
        found = {}
        for name, attname, blank, empty_values, field, test in self._fields:
            if name in errors:
                continue
            raw = getattr(instance, attname)
            if blank and raw in empty_values:
                continue
            if test is not None and test(raw):
                continue
            try:
                setattr(instance, attname, field.clean(raw, instance))
            except ValidationError as exc:
                found[name] = exc.error_list
        for name, rule, floor, ceiling, label in self._ranges:
            if name in errors or name in found:
                continue
            value = getattr(instance, name)
            if value is None or floor <= value <= ceiling:
                continue
            try:
                rule.validate(value, label=label)
            except ValidationError as exc:
                found[name] = exc.error_list
        for name, items in found.items():
            errors.setdefault(name, []).extend(items)

    def model_clean(self, instance, errors: dict) -> None:
        """``Beneficiary.clean()``, with the ID number parsed once; its errors
        are added to ``errors``."""
        number = instance.id_number
        if not (number.isascii() and ID_SHAPE_RE.match(number)):
            # Not already in the 18-character shape normalising gives.
            instance.id_number = normalize_id_number(number)
        found = {}
        if instance.id_number:
            facts = self.id_facts(instance.id_number)
            if isinstance(facts, ValidationError):
                found["id_number"] = facts.messages
            else:
                if instance.birth_date is None:
                    instance.birth_date = facts.birth_date
                elif instance.birth_date != facts.birth_date:
                    found["birth_date"] = _(
                        "出生日期与身份证号不一致（身份证号显示为 %(date)s）。"
                    ) % {"date": facts.birth_date.isoformat()}
                if not instance.gender:
                    instance.gender = facts.gender
                elif instance.gender != facts.gender:
                    found["gender"] = _(
                        "性别与身份证号不一致（身份证号第 17 位显示为%(gender)s）。"
                    ) % {"gender": facts.gender}
        village_id = instance.village_id
        if village_id and instance.station_id:
            try:
                county_id = self._village_counties[village_id]
            except KeyError:
                county_id = instance.village.town.county_id
                self._village_counties[village_id] = county_id
            if county_id != self._county_id:
                found["village"] = _("所在村（居）不在本社工站所在的县（市、区）。")
        if instance.status != self._active and not instance.status_reason.strip():
            found["status_reason"] = _("迁出或结档时请填写原因。")
        if found:
            ValidationError(found).update_error_dict(errors)
