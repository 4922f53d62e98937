"""The column the search index is built on."""

from django.db import models


class GramsField(models.TextField):
    """An article's characters and character pairs, space-separated.

    On PostgreSQL the column is a ``tsvector``: the string is written in
    tsvector's own input format (lexemes separated by spaces; ours hold letters
    and digits only, so none needs quoting or escaping), stored without
    positions, and searched with ``@@`` through a GIN index. Checking one row
    is then a lookup in a sorted array, never a parse of the text. Elsewhere
    it is plain text, which nothing reads (SQLite scans the text itself)."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "tsvector"
        return super().db_type(connection)

    def cast_db_type(self, connection):
        return self.db_type(connection)
