"""The network: cities, counties, towns, villages, stations and service points.

The first city is Yunfu with its real counties and towns (stations/data), when
its division codes are free; the others get made-up names and codes in the
44[60-99] range, which no real Guangdong division uses. Codes already in the
database are skipped, so a run with ``--append`` never clashes with an earlier
one or with the demo.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from stations.models import City, County, ServicePoint, Station, Town, Village

from . import text

DIVISIONS_CSV = (
    Path(__file__).resolve().parents[2] / "stations/data/yunfu_divisions.csv"
)
FIRST_SYNTHETIC_CITY = 60  # 446000 and up
COUNTY_KINDS = ("区", "县", "县级市")


@dataclass
class CityUnit:
    id: int
    name: str
    code: str
    index: int


@dataclass
class CountyUnit:
    id: int
    name: str
    code: str
    short_name: str
    city: CityUnit
    index: int


@dataclass
class StationUnit:
    id: int
    index: int
    name: str
    town_id: int
    town_name: str
    county: CountyUnit
    village_ids: tuple[int, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.county.name}{self.name}"


@dataclass
class Network:
    cities: list[CityUnit] = field(default_factory=list)
    counties: list[CountyUnit] = field(default_factory=list)
    stations: list[StationUnit] = field(default_factory=list)


def _yunfu_rows(counties: int) -> list[dict]:
    with DIVISIONS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    keep = list(dict.fromkeys(r["county_code"] for r in rows))[:counties]
    return [r for r in rows if r["county_code"] in keep]


def _synthetic_rows(rng, sizes, city_code: str, taken_names: set) -> list[dict]:
    city = text.unique_names(rng, 1, lambda r: text.place_stem(r) + "市", taken_names)[
        0
    ]
    taken_names.add(city)
    counties = text.unique_names(rng, sizes.counties_per_city, text.place_stem)
    rows = []
    for c, stem in enumerate(counties, start=1):
        kind = COUNTY_KINDS[0 if c == 1 else rng.randrange(3)]
        county = stem + ("市" if kind == "县级市" else kind)
        towns = text.unique_names(rng, sizes.stations_per_county, text.place_stem)
        for t, town in enumerate(towns, start=1):
            town_kind = "街道" if t <= 2 else "镇"
            rows.append(
                {
                    "city": city,
                    "city_code": city_code,
                    "county": county,
                    "county_code": f"{city_code[:4]}{c:02d}",
                    "county_kind": kind,
                    "county_short": stem,
                    "county_order": str(c),
                    "town": town + town_kind,
                    "town_kind": town_kind,
                    "town_order": str(t),
                }
            )
    return rows


def _city_rows(rng, sizes):
    """Each city's division rows, Yunfu first when its codes are free."""
    codes = set(City.objects.values_list("code", flat=True))
    codes |= set(County.objects.values_list("code", flat=True))
    names = set(City.objects.values_list("name", flat=True))
    plans = []
    yunfu = _yunfu_rows(sizes.counties_per_city)
    if "445300" not in codes and not codes & {r["county_code"] for r in yunfu}:
        plans.append(yunfu)
        names.add("云浮市")
    number = FIRST_SYNTHETIC_CITY
    while len(plans) < sizes.cities:
        code = f"44{number:02d}00"
        number += 1
        if number > 99:
            raise ValueError("no free synthetic city code left (44xx00)")
        if code in codes or any(c.startswith(code[:4]) for c in codes):
            continue
        plans.append(_synthetic_rows(rng, sizes, code, names))
    return plans


def build_network(writer, ids, sizes, rng, today: datetime.date) -> Network:
    """Write the divisions, villages, stations and service points; return the
    in-memory plan the later stages refer to."""
    plans = _city_rows(rng, sizes)
    towns_total = sum(len(rows) for rows in plans)
    counties_total = sum(len({r["county_code"] for r in rows}) for rows in plans)
    city_id = ids.take(City, len(plans))
    county_id = ids.take(County, counties_total)
    town_id = ids.take(Town, towns_total)
    station_id = ids.take(Station, towns_total)
    village_id = ids.take(Village, towns_total * sizes.villages_per_town)
    point_id = ids.take(ServicePoint, towns_total * min(2, sizes.villages_per_town))

    cities = writer.table(City, ("id", "province", "name", "code"))
    county_t = writer.table(
        County,
        ("id", "city_id", "name", "code", "kind", "short_name", "display_order"),
    )
    town_t = writer.table(Town, ("id", "county_id", "name", "kind", "display_order"))
    village_t = writer.table(Village, ("id", "town_id", "name", "kind", "note"))
    station_t = writer.table(
        Station, ("id", "town_id", "name", "address", "phone", "opened_on")
    )
    point_t = writer.table(
        ServicePoint, ("id", "station_id", "village_id", "name", "address")
    )

    net = Network()
    for c, rows in enumerate(plans):
        city = CityUnit(city_id + c, rows[0]["city"], rows[0]["city_code"], c)
        net.cities.append(city)
        writer.add(cities, (city.id, "广东省", city.name, city.code))
        by_code: dict[str, CountyUnit] = {}
        for row in rows:
            county = by_code.get(row["county_code"])
            if county is None:
                county = CountyUnit(
                    county_id + len(net.counties),
                    row["county"],
                    row["county_code"],
                    row["county_short"],
                    city,
                    len(net.counties),
                )
                by_code[county.code] = county
                net.counties.append(county)
                writer.add(
                    county_t,
                    (
                        county.id,
                        city.id,
                        county.name,
                        county.code,
                        row["county_kind"],
                        county.short_name,
                        int(row["county_order"]),
                    ),
                )
            index = len(net.stations)
            tid = town_id + index
            writer.add(
                town_t,
                (tid, county.id, row["town"], row["town_kind"], int(row["town_order"])),
            )
            names = text.unique_names(rng, sizes.villages_per_town, text.place_stem)
            first_village = village_id + index * sizes.villages_per_town
            for v, stem in enumerate(names):
                kind = "社区" if row["town_kind"] == "街道" else "村"
                name = stem + ("社区" if kind == "社区" else "村")
                writer.add(village_t, (first_village + v, tid, name, kind, ""))
            station = StationUnit(
                id=station_id + index,
                index=index,
                name=f"{row['town']}社工站",
                town_id=tid,
                town_name=row["town"],
                county=county,
                village_ids=tuple(
                    range(first_village, first_village + sizes.villages_per_town)
                ),
            )
            net.stations.append(station)
            # Open before the first generated report.
            opened = today - datetime.timedelta(
                days=365 * sizes.years + rng.randrange(30, 365)
            )
            writer.add(
                station_t,
                (
                    station.id,
                    tid,
                    station.name,
                    f"{county.name}{row['town']}综合服务中心",
                    f"0766-{rng.randrange(10**7):07d}",
                    opened,
                ),
            )
            for p, stem in enumerate(names[:2]):
                writer.add(
                    point_t,
                    (
                        point_id + index * min(2, sizes.villages_per_town) + p,
                        station.id,
                        first_village + p,
                        f"{stem}服务点",
                        f"{row['town']}{stem}村委会",
                    ),
                )
    return net
