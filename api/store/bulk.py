"""Rows written in bulk while the campaign's intake lock is held (#21), made ready before it is taken.

A 3,000-row file's locked step spent most of its time in Python, not in the database: turning every JSON
document (records, audit images, findings) into text as the statement ran, and building the rows. A
:class:`BulkRows` takes each row when it is added — before the lock — with its JSON documents already text
(``json.dumps``, as SQLAlchemy's JSON type writes them), so under the lock only the statement runs; its JSON
parameters are bound as text (PostgreSQL: cast to the column's type). The timestamps are set when the rows
are written (:meth:`BulkRows.write`'s ``stamp``), so they tell when the file was stored.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import JSON, Table, Text, any_, bindparam, cast, insert, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection

CHUNK = 1000  # rows per executemany


def among(dialect: str, column: Any, values: Sequence[Any], size: int = 500) -> list[Any]:
    """``column IN values`` as conditions of as few statements as ``dialect`` allows: PostgreSQL one, the values bound
    as one array (``= ANY``: under the campaign lock a 3,000-row file's checks ran 6 statements of 500 values each
    per column, each parsed and planned); SQLite ``size`` values a statement."""
    values = list(values)
    if dialect == "postgresql":
        return [column == any_(bindparam(None, values, type_=ARRAY(column.type)))] if values else []
    return [column.in_(values[at:at + size]) for at in range(0, len(values), size)]


def json_text(value: Any) -> str:
    """A JSON document as the JSON column type writes it (``None`` too: the JSON ``null``)."""
    return json.dumps(value)


class BulkRows:
    """Rows of one table for an INSERT (or, with ``key``, an UPDATE by that column) in bulk."""

    PREFIX = "j_"  # a JSON column's text is bound under this name (a column's own name is SQLAlchemy's)

    def __init__(self, table: Table, key: str | None = None, rows: list[dict[str, Any]] | None = None):
        """``rows``: rows made ready already (:meth:`ready`)."""
        self.table, self.key = table, key
        self.json = [c.key for c in table.columns if isinstance(c.type, JSON)]
        self.rows: list[dict[str, Any]] = rows if rows is not None else []

    def ready(self, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` (column → value) with its JSON documents turned to text, as :meth:`write` binds them."""
        for c in self.json:
            if c in row:
                row[self.PREFIX + c] = json_text(row.pop(c))
        return row

    def add(self, row: dict[str, Any]) -> dict[str, Any]:
        """Take ``row`` (column → value; JSON documents as Python values), its documents turned to text now."""
        self.rows.append(self.ready(row))
        return row

    def extend(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.add(row)

    def _statement(self, connection: Connection) -> Any:
        first = self.rows[0]
        texts = [c for c in self.json if self.PREFIX + c in first]
        pg = connection.dialect.name == "postgresql"
        values = {c: cast(bindparam(self.PREFIX + c, type_=Text), self.table.c[c].type) if pg
                  else bindparam(self.PREFIX + c, type_=Text) for c in texts}
        if self.key is None:
            return insert(self.table).values(values)
        return update(self.table).where(self.table.c[self.key] == bindparam("b_" + self.key)).values(values)

    def write(self, connection: Connection, **stamp: Any) -> None:
        """Run the statement over every row added (``stamp``: columns set on every row now, e.g. ``created_at``)."""
        if not self.rows:
            return
        if self.key is not None:
            for row in self.rows:
                if self.key in row:
                    row["b_" + self.key] = row.pop(self.key)
        for row in self.rows:
            row.update(stamp)
        statement = self._statement(connection)
        for start in range(0, len(self.rows), CHUNK):
            connection.execute(statement, self.rows[start:start + CHUNK])
        self.rows = []
