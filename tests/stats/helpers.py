"""Reading the dashboard's tables in tests: by table key, rows as text."""

from stats.dashboard import build_dashboard
from stats.scope import resolve_unit, unit_options
from tests.stats.conftest import PERIOD, TODAY


def board_for(user, unit_key="", period=PERIOD):
    options = unit_options(user)
    unit, error = resolve_unit(user, unit_key, options)
    assert error is None
    return build_dashboard(user, unit, period, today=TODAY)


def table(board, key):
    return next(t for t in board.tables if t.key == key)


def rows(board, key):
    """``{first cell: [the other cells as text]}`` of a table, and its total
    row under "合计"."""
    t = table(board, key)
    result = {str(row[0]): [str(c) for c in row[1:]] for row in t.rows}
    if t.total:
        result["合计"] = [str(c) for c in t.total[1:]]
    return result


def tiles(board):
    return {str(tile.label): str(tile.value) for tile in board.tiles}
