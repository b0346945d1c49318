"""The stored demands a file's rows pair with (#21): their duplicate findings extended as one-by-one intake
extends them, worked out BEFORE the campaign lock and only checked and written under it.

Before the lock (:meth:`StoredFlags.prepare`): the findings of those demands are read with plain statements
(a snapshot) and :func:`api.services.duplicate_findings.flag_pairs` runs on detached copies. Under the lock
(:meth:`StoredFlags.write`): the same findings are read again, their JSON as the database's text (compared with the
text read before the lock, not decoded: decoding thousands of findings was most of the read); a demand whose findings and pairs are as they
were takes the prepared result (its file ids moved down as the file's ids were, :func:`api.services.bulk_ids.move_ids`),
one that moved meanwhile (another writer flagged or restated it, or the file's pairs with it changed) is worked out
again from what is read now — and every change goes out as bulk UPDATE / INSERT / DELETE statements (executemany)
instead of the ORM's load, compare and flush of thousands of demands while every other writer waits. Each prepared
demand's writes are worked out before the lock too (:func:`changes`, JSON as text), so one that stands is only
written under it.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Text, cast, delete, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from api.services.bulk_ids import move_ids
from api.services.duplicate_findings import flag_pairs
from api.store import tables as db
from api.store.bulk import BulkRows, among

COLUMNS = ("rule_id", "severity", "message_zh", "message_en", "fields", "values")
Snapshot = tuple[str | None, list[tuple[Any, ...]]]  # a demand's check status, its findings (id, *COLUMNS) by id
Pairs = Mapping[int, Sequence[tuple[int, Any]]]  # stored demand id -> (file row's id, candidate), in file order
_FT = db.FindingRow.__table__
_DT = db.Demand.__table__


_JSON = ("fields", "values")


def read(session: Session, ids: Sequence[int]) -> dict[int, Snapshot]:
    """Each demand's check status and findings, read with two plain SELECTs (SQLite: per 500 ids; no ORM objects);
    the JSON columns as the database's text (:func:`decoded` gives the values)."""
    out: dict[int, Snapshot] = {}
    dialect = session.get_bind().dialect.name
    for demands, findings in zip(among(dialect, _DT.c.id, ids), among(dialect, _FT.c.demand_id, ids)):
        for demand_id, status in session.execute(select(_DT.c.id, _DT.c.check_status).where(demands)):
            out[demand_id] = (status, [])
        for row in session.execute(select(_FT.c.demand_id, _FT.c.id,
                                          *(cast(_FT.c[c], Text) if c in _JSON else _FT.c[c] for c in COLUMNS))
                                   .where(findings).order_by(_FT.c.demand_id, _FT.c.id)):
            if row[0] in out:  # (a demand removed between the two reads, before the lock, is left out)
                out[row[0]][1].append(tuple(row[1:]))
    return out


def decoded(snap: Snapshot) -> Snapshot:
    """A snapshot read by :func:`read` with its JSON decoded (as the ORM reads it)."""
    cut = 1 + COLUMNS.index(_JSON[0])
    return snap[0], [(*f[:cut], *(None if v is None else json.loads(v) for v in f[cut:])) for f in snap[1]]


def flagged(demand_id: int, snap: Snapshot, pairs: Sequence[tuple[int, Any]]) -> db.Demand:
    """A detached copy of the demand with ``pairs`` flagged on it (its findings keep their stored ids)."""
    demand = db.Demand(id=demand_id, check_status=snap[0])
    demand.findings = [db.FindingRow(id=f[0], demand_id=demand_id, **dict(zip(COLUMNS, f[1:]))) for f in snap[1]]
    flag_pairs(demand, pairs)
    return demand


class StoredFlags:
    """The prepared flags of the stored demands a file pairs with (see the module docstring)."""

    def __init__(self, pairs: Pairs, first: int, snaps: dict[int, Snapshot], done: dict[int, db.Demand],
                 texts: dict[int, Snapshot] | None = None):
        self.pairs, self.first, self.snaps, self.done, self.texts = pairs, first, snaps, done, texts or {}
        self.ready = {i: changes(demand, snaps[i]) for i, demand in done.items()}  # its writes, as they stand now

    @classmethod
    def prepare(cls, session: Session, pairs: Pairs, first: int) -> StoredFlags:
        """Before the lock: read the demands of ``pairs`` and flag them (``first``: the file's first planned id)."""
        texts = read(session, sorted(pairs))
        snaps = {i: decoded(snap) for i, snap in texts.items()}
        return cls(pairs, first, snaps, {i: flagged(i, snaps[i], p) for i, p in pairs.items() if i in snaps}, texts)

    def write(self, session: Session, pairs: Pairs, first: int) -> int:
        """Under the lock: flag the demands of ``pairs`` (the file's ids now start at ``first``) and write the
        changes in bulk; returns how many demands were worked out again."""
        shift = self.first - first
        texts = read(session, sorted(pairs))
        now = {i: self.snaps[i] if self.texts.get(i) == snap else decoded(snap) for i, snap in texts.items()}
        writes, again = Changes(), 0
        for demand_id, new in pairs.items():
            if demand_id not in now:
                continue  # removed meanwhile: nothing to flag
            old = [(i + shift, c) for i, c in new]
            if (demand_id in self.done and self.snaps[demand_id] == now[demand_id]
                    and list(self.pairs.get(demand_id, ())) == old
                    and (shift >= 0 or not _names_past(now[demand_id], self.first))):
                if not shift:  # as prepared: its writes are ready
                    writes.take(self.ready[demand_id])
                    continue
                demand = self.done[demand_id]
                for f in demand.findings:  # only those naming the file's rows (stored wording stays as it is)
                    if any(c.get("id", 0) >= self.first for c in (f.values or {}).get("candidates", [])):
                        move_ids(f, self.first, shift, 0, 0)
            else:
                demand, again = flagged(demand_id, now[demand_id], new), again + 1
            writes.take(changes(demand, now[demand_id]))
        writes.write(session.connection(), db.utcnow())
        return again


def _names_past(snap: Snapshot, first: int) -> bool:
    """Whether a stored finding names a demand numbered ``first`` or later. The file's ids move UP under the lock
    when other writers stored demands after they were settled (SQLite: no sequence to claim them from); those
    demands take ids from ``first`` on, so a prepared flag can be moved (every id from ``first`` on is a file row)
    only when the demand's own findings name none of them."""
    at = 1 + COLUMNS.index("values")
    return any(c.get("id", 0) >= first for f in snap[1] if isinstance(f[at], dict)
               for c in f[at].get("candidates", []))


Change = tuple[list[dict[str, Any]], list[dict[str, Any]], list[int], list[dict[str, Any]]]


def changes(demand: db.Demand, snap: Snapshot) -> Change:
    """A flagged demand's writes against what was read: finding rows rewritten, added and dropped, its status
    (rows made ready for :class:`api.store.bulk.BulkRows`: JSON as text)."""
    status, rows = snap
    before = {f[0]: f[1:] for f in rows}
    updates, inserts, kept = [], [], set()
    for f in demand.findings:
        own = vars(f)  # the values as set (no attribute machinery per column)
        values = tuple(own.get(c) for c in COLUMNS)
        if own.get("id") is None:
            inserts.append(_FINDING_ROWS.ready({"demand_id": demand.id, **dict(zip(COLUMNS, values))}))
        else:
            kept.add(own["id"])
            if before.get(own["id"]) != values:
                updates.append(_FINDING_ROWS.ready({"id": own["id"], **dict(zip(COLUMNS, values))}))
    statuses = [{"id": demand.id, "check_status": demand.check_status}] if demand.check_status != status else []
    return updates, inserts, [i for i in before if i not in kept], statuses


_FINDING_ROWS = BulkRows(_FT)  # (its ``ready`` only: a finding row with its JSON columns as text)


class Changes:
    """The writes of every flagged demand, in bulk: UPDATE / INSERT / DELETE statements (executemany)."""

    def __init__(self) -> None:
        self.updates, self.inserts = BulkRows(_FT, key="id"), BulkRows(_FT)
        self.statuses, self.drops = BulkRows(_DT, key="id"), []

    def take(self, change: Change) -> None:
        updates, inserts, drops, statuses = change
        self.updates.rows += updates
        self.inserts.rows += inserts
        self.drops += drops
        self.statuses.rows += statuses

    def write(self, connection: Connection, stamp: Any) -> None:
        self.updates.write(connection)
        for start in range(0, len(self.drops), 500):
            connection.execute(delete(_FT).where(_FT.c.id.in_(self.drops[start:start + 500])))
        self.inserts.write(connection, created_at=stamp)
        self.statuses.write(connection, updated_at=stamp)
