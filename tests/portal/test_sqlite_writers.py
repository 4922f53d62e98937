"""The embedded database lets two people save at the same moment: on SQLite a
transaction takes the write lock when it begins, so the second writer waits for
the first (up to the timeout) instead of failing with "database is locked",
which the site answers with its 503 page."""

import pytest

from portal.databases import databases


def test_the_embedded_database_takes_the_write_lock_when_a_transaction_begins():
    """Measured on the demo database: three requests filing the same report at
    once (a double tap and the phone's queue) failed two times in three with
    "database is locked" under SQLite's default deferred transactions (60 of 90
    in 30 rounds), and never with BEGIN IMMEDIATE (0 of 90). Two writers on a
    second SQLite file opened inside the test run met "database table is
    locked" in the full suite (a table-level lock the timeout does not cover),
    so the race is measured outside it and the setting is what is checked."""
    options = databases("sqlite:////tmp/embedded.sqlite3")["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 30


@pytest.mark.parametrize("url", ["postgres://u@localhost/portal"])
def test_other_databases_are_left_as_they_are(url):
    assert "transaction_mode" not in databases(url)["default"]["OPTIONS"]
