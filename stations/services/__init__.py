"""Writes to the station network. Views, commands and imports call these; none
of them saves an org object behind their back."""

from .divisions import (
    DIVISION_COLUMNS,
    DIVISION_HEADERS,
    DivisionsResult,
    divisions_load,
    divisions_read_csv,
    divisions_rows,
)
from .network import (
    point_delete,
    point_save,
    role_assign,
    role_assign_check,
    role_revoke,
    station_save,
    worker_save,
)

__all__ = [
    "DIVISION_COLUMNS",
    "DIVISION_HEADERS",
    "DivisionsResult",
    "divisions_load",
    "divisions_read_csv",
    "divisions_rows",
    "point_delete",
    "point_save",
    "role_assign",
    "role_assign_check",
    "role_revoke",
    "station_save",
    "worker_save",
]
