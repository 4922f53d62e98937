"""The checks a row of a beneficiary spreadsheet passes before it is imported
(resources.py), and the lookups they use.

Apart from the resource because they are the import's rules, not its
spreadsheet mapping: the village must be one of the station's county, the
categories must exist, and the person must not be on file already (by ID
number in the installation, by name and birth date in the city) nor twice in
the file. ``FileChecks`` reads everything once per file (villages, categories,
existing ID numbers and name/birth pairs), so 20,000 rows cost a few queries
instead of several each (bench/beneficiary_import.py)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from activities.models import BeneficiaryCategory
from activities.resources.widgets import NAME_SEPARATOR, NamesWidget
from beneficiaries.duplicates import describe
from beneficiaries.models import Beneficiary
from core.idcard import normalize_id_number, parse_id_number
from stations.models import Station, Village
from stations.resources import TOWN_COL

VILLAGE_COL = "村（居）"
ID_COL = "身份证号"
CHUNK = 500


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

    def read_village(self, instance, row, errors):
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

    def read_categories(self, instance, row, errors):
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
