"""Demo activity reports, taken from the seed issue (../shared/seed/), in every
state of the workflow, for stations and for the county and city bureaus, each
with one or two photos drawn by Pillow. Runs after stations.demo.build_network().

Everything goes through the services, as the demo users would do it: the report
is filed by its author, photos are added while it is a draft, then it is
submitted, approved or returned by a reviewer who may do so (DESIGN.md §4).
Stations without a demo account (六祖镇, 泗纶镇, 河口镇, 平台镇) and county bureaus
without one (云安区, 新兴县) file as the superuser "admin"; their county has no
reviewer account either, so the city editor reviews them, except in 郁南县.

Idempotent: a report is keyed by its filing unit and title; one that exists is
left as it is, so a rerun adds nothing and changes nothing. Texts, dates and
counts come from the seed; where the seed gives no date ("近日") or no count, the
demo picks a plausible one (marked "demo" in content.py).
"""

from .build import (
    CITY_CODE,
    PALETTES,
    build_reports,
    demo_jpeg,
    file_reports,
)
from .content import (
    DEMO_REPORTS,
    PROJECT_TITLE,
    D,
    DemoReport,
)

__all__ = [
    "CITY_CODE",
    "D",
    "DEMO_REPORTS",
    "DemoReport",
    "PALETTES",
    "PROJECT_TITLE",
    "build_reports",
    "demo_jpeg",
    "file_reports",
]
