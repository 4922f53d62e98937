"""The fast writer behind ``generate_scale``: rows go straight into tables.

Generators hand over plain tuples (one value per named field, ids included) and
never build model instances for millions of rows. On PostgreSQL a table's rows
are streamed with ``COPY … FROM STDIN`` in chunks, which is an order of
magnitude faster than INSERT; on SQLite (the small size only) they go through
``bulk_create`` in batches. Fields a generator does not name get their model
default, so a field added to a model later does not break the generator.

Rows are buffered per table and written when a table's buffer is full or at
``commit()``: a caller that builds several tables in one pass (a report, its
photos and its history) commits at row boundaries it chooses, which keeps
PostgreSQL's queue of deferred foreign-key checks short.
"""

from __future__ import annotations

import datetime
import io
import re
import time
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction

CHUNK_ROWS = 20_000
# COPY's text format: these characters in a value must be escaped.
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if _COPY_SPECIAL.search(value):
            return value.translate(_COPY_ESCAPES)
        return value
    return str(value)


@dataclass
class TableStats:
    rows: int = 0
    seconds: float = 0.0


@dataclass
class Table:
    """One table being filled: its model, the fields the generator gives, the
    defaults appended for the rest, and the rows waiting to be written."""

    model: type
    names: tuple[str, ...]
    extra_names: tuple[str, ...]
    extra_values: tuple
    pending: list = field(default_factory=list)

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table


class Writer:
    """Writes rows to the default database connection; keeps per-table figures."""

    def __init__(self, chunk_rows: int = CHUNK_ROWS):
        self.chunk_rows = chunk_rows
        self.postgres = connection.vendor == "postgresql"
        self.tables: dict[str, Table] = {}
        self.stats: dict[str, TableStats] = {}
        self.keys_deferred = False
        self.managed = True

    def table(self, model, names: tuple[str, ...]) -> Table:
        """Register ``model`` with the fields (attnames: ``city_id``) each of its
        rows gives, in order."""
        attnames = {f.attname for f in model._meta.concrete_fields}
        unknown = set(names) - attnames
        if unknown:
            raise ValueError(f"{model._meta.label} has no column {sorted(unknown)}")
        extra = [f for f in model._meta.concrete_fields if f.attname not in names]
        table = Table(
            model=model,
            names=tuple(names),
            extra_names=tuple(f.attname for f in extra),
            extra_values=tuple(self._default(f) for f in extra),
        )
        self.tables[model._meta.label] = table
        self.stats.setdefault(model._meta.label, TableStats())
        return table

    @staticmethod
    def _default(model_field):
        if model_field.has_default():
            return model_field.get_default()
        if model_field.null:
            return None
        if getattr(model_field, "auto_now", False) or getattr(
            model_field, "auto_now_add", False
        ):
            return datetime.datetime.now(datetime.UTC)
        if model_field.empty_strings_allowed:
            return ""
        raise ValueError(
            f"{model_field.model._meta.label}.{model_field.name} has no default: "
            "the generator must give it"
        )

    def add(self, table: Table, row: tuple) -> None:
        table.pending.append(row)
        if len(table.pending) >= self.chunk_rows:
            self.flush(table)

    def flush(self, table: Table) -> None:
        rows, table.pending = table.pending, []
        if not rows:
            return
        started = time.perf_counter()
        if self.postgres:
            self._copy(table, rows)
        else:
            self._bulk_create(table, rows)
        stats = self.stats[table.model._meta.label]
        stats.rows += len(rows)
        stats.seconds += time.perf_counter() - started

    def _copy(self, table: Table, rows: list) -> None:
        tail = "".join(f"\t{_copy_text(v)}" for v in table.extra_values) + "\n"
        buffer = io.StringIO()
        write = buffer.write
        for row in rows:
            write("\t".join(map(_copy_text, row)))
            write(tail)
        buffer.seek(0)
        column_of = {f.attname: f.column for f in table.model._meta.concrete_fields}
        columns = ", ".join(
            connection.ops.quote_name(column_of[name])
            for name in table.names + table.extra_names
        )
        sql = f"COPY {connection.ops.quote_name(table.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer, size=1 << 20)

    def _bulk_create(self, table: Table, rows: list) -> None:
        names = table.names + table.extra_names
        model = table.model
        objects = [
            model(**dict(zip(names, row + table.extra_values, strict=True)))
            for row in rows
        ]
        model.objects.bulk_create(objects, batch_size=500)

    def begin(self) -> None:
        """Take over transactions: from here rows commit at ``commit()`` only.

        On PostgreSQL, as a superuser, foreign keys are not checked row by row
        while loading (``session_replication_role = replica`` turns their
        triggers off): one trigger call per row and key cost more than all the
        rest of the load. ``finish()`` checks every key once, set-wise, instead.
        """
        if connection.in_atomic_block:
            # Called inside a transaction (a test): the caller's commits it.
            self.managed = False
            return
        transaction.set_autocommit(False)
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                )
                self.keys_deferred = bool(cursor.fetchone()[0])
                if self.keys_deferred:
                    cursor.execute("SET session_replication_role = replica")

    def commit(self) -> None:
        """Write every pending row and commit: the caller's rows so far are in."""
        for table in self.tables.values():
            self.flush(table)
        if self.managed:
            transaction.commit()

    def finish(self, models) -> None:
        """Make the database's id sequences follow the ids written, refresh
        the planner's statistics so the first queries run on real figures, and
        mark the pages all-visible."""
        self.commit()
        if self.managed:
            transaction.set_autocommit(True)
        if self.keys_deferred:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
            orphans = foreign_key_orphans(models)
            if orphans:
                raise RuntimeError(f"rows naming missing rows: {orphans}")
        sql = connection.ops.sequence_reset_sql(no_style(), list(models))
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
            if self.postgres:
                # VACUUM as well, where it may run (not inside a transaction, as
                # in tests): rows just copied are not marked all-visible, so
                # until autovacuum came by every index-only scan read the table
                # too (the staff lists at full scale).
                verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                for model in models:
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"{verb} {table}")


def foreign_key_orphans(models) -> dict[str, int]:
    """For each foreign key of ``models``, the number of rows naming a row that
    does not exist (only keys with such rows are listed)."""
    found = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            for key in model._meta.concrete_fields:
                if not key.is_relation:
                    continue
                target = key.target_field
                cursor.execute(
                    f"SELECT count(*) FROM {quote(model._meta.db_table)} c "
                    f"WHERE c.{quote(key.column)} IS NOT NULL AND NOT EXISTS ("
                    f"SELECT 1 FROM {quote(target.model._meta.db_table)} p "
                    f"WHERE p.{quote(target.column)} = c.{quote(key.column)})"
                )
                count = cursor.fetchone()[0]
                if count:
                    found[f"{model._meta.label}.{key.name}"] = count
    return found
