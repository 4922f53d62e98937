"""Spreadsheet import and export of the station network (django-import-export).

Column headers are Chinese; the shared data files' English headers are accepted
as aliases, so ../shared/data/yunfu_villages_in_seed.csv imports as it is. Every
problem is reported against its row in Chinese, and the import screens write
nothing until a dry run comes back clean. A resource built with ``user=`` refuses
rows outside that user's scope (stations/permissions.py).
"""

from .network import (
    RESOURCES,
    CountyResource,
    NetworkResource,
    ServicePointResource,
    SocialWorkerResource,
    StationResource,
    TownResource,
    VillageResource,
)
from .widgets import (
    COUNTY_COL,
    TOWN_COL,
    ChineseDateWidget,
    CityWidget,
    CountyWidget,
    LookupWidget,
    OrderWidget,
    StationWidget,
    TextWidget,
    TownWidget,
    VillageWidget,
    choice_field,
)

__all__ = [
    "COUNTY_COL",
    "ChineseDateWidget",
    "CityWidget",
    "CountyResource",
    "CountyWidget",
    "LookupWidget",
    "NetworkResource",
    "OrderWidget",
    "RESOURCES",
    "ServicePointResource",
    "SocialWorkerResource",
    "StationResource",
    "StationWidget",
    "TOWN_COL",
    "TextWidget",
    "TownResource",
    "TownWidget",
    "VillageResource",
    "VillageWidget",
    "choice_field",
]
