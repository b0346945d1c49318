"""A file taken in as a whole (:mod:`api.services.bulk_intake`): its rows as they will be inserted, made ready
before the campaign lock (#21).

The locked step of a 3,000-row file spent most of its time building rows and turning JSON documents (records,
findings, audit images) into text while every other writer waited. :class:`Staged` does that before the lock,
keeps the rows in step when the planned ids move or rows are written out again, and only inserts them under it.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Table, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from api.services.audit import AuditBatch
from api.store import tables as db
from api.store.bulk import BulkRows

_FINDING_COLUMNS = ("rule_id", "severity", "message_zh", "message_en", "fields", "values")
_DEMAND_COLUMNS = [c.key for c in db.Demand.__table__.columns if c.key not in ("created_at", "updated_at")]


class Staged:
    """A planned file's rows as they will be inserted — new enterprises, demands, findings, audit entries —
    made ready before the lock (:class:`api.store.bulk.BulkRows`: JSON as text), kept in step when ids move
    (:meth:`move`) or rows are written out again (:meth:`restage`); :meth:`write` inserts them under the lock."""

    def __init__(self, audit: AuditBatch, actor: str, source: str | None):
        self.audit, self.actor, self.source = audit, actor, source
        self.demands: dict[int, dict[str, Any]] = {}  # row -> its demand's row
        self.findings: dict[int, list[dict[str, Any]]] = {}  # row -> its findings' rows
        self.audits: dict[int, dict[str, Any]] = {}  # row -> its audit entry
        self.firms: list[dict[str, Any]] = []
        self._demand_rows, self._finding_rows = BulkRows(db.Demand.__table__), BulkRows(db.FindingRow.__table__)
        self._firm_rows = BulkRows(db.Enterprise.__table__)
        self.loaded: tuple[int, int] | None = None  # (first demand id, first new firm id) as loaded (:meth:`load`)
        self.dirty: set[int] = set()  # rows made again since they were loaded: inserted from here
        self.dirty_findings: set[int] = set()  # rows whose findings changed since (they name moved ids)

    def restage(self, plan: Any, rows: Iterable[int]) -> None:
        rows = list(rows)
        if self.loaded is not None:
            self.dirty.update(rows)
        for k in rows:
            demand = plan.demands[k]
            self.demands[k] = self._demand_rows.ready({c: vars(demand).get(c) for c in _DEMAND_COLUMNS})
            self.findings[k] = self._findings_of(demand)  # vars(): the values as set (no attribute machinery)
            self.audits[k] = self.audit.entry(self.actor, "create", "demand", demand.id, None, plan.audits[k],
                                              note=self.source)
        self._firms(plan)

    def _firms(self, plan: Any) -> None:
        self.firms = [self._firm_rows.ready(dict(id=plan.firm_ids[f.ref], campaign_id=plan.campaign.id, org_key=f.key,
                                                 **f.columns)) for f in plan.firms.values() if not f.stored]

    def _findings_of(self, demand: db.Demand) -> list[dict[str, Any]]:
        return [self._finding_rows.ready({**{c: vars(f).get(c) for c in _FINDING_COLUMNS}, "demand_id": demand.id})
                for f in vars(demand)["findings"]]

    def move(self, plan: Any) -> None:
        """The ids moved (:meth:`BulkFile._move`): the rows follow; findings naming file rows are made again."""
        for k, demand in enumerate(plan.demands):
            row = self.demands[k]
            row["id"], row["enterprise_id"] = demand.id, demand.enterprise_id
            self.audits[k]["entity_id"] = demand.id
            before, self.findings[k] = self.findings[k], self._findings_of(demand)
            if self.loaded is not None and [_text(f) for f in before] != [_text(f) for f in self.findings[k]]:
                self.dirty_findings.add(k)
        self._firms(plan)

    def load(self, session: Session) -> bool:
        """PostgreSQL, before the lock, in the transaction that takes it: the demands, findings and audit entries into
        temporary tables of this transaction (dropped when it ends), so that under the lock they are copied by the
        server (:meth:`write`) — a 3,000-row file's rows took ~1.2 s to send under the lock, every other writer
        waiting. Writing temporary tables takes no lock another writer asks for. SQLite: nothing (one writer at a
        time; its rows are sent under the lock). True when loaded."""
        if session.get_bind().dialect.name != "postgresql" or not self.demands:
            return False
        connection = session.connection()
        for name, table, rows in self._tables():
            columns = ", ".join(c.key for c in table.columns if c.key != "id" or table is db.Demand.__table__)
            connection.execute(text(f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS SELECT 0 AS k, {columns} "
                                    f"FROM {table.name} WITH NO DATA"))  # noqa: S608 - names of ours
            BulkRows(_temp(name, table), rows=[{**r, "k": k} for k, r in rows]).write(connection)
        self.loaded = (self.demands[0]["id"], min((f["id"] for f in self.firms), default=0))
        return True

    def _tables(self) -> list[tuple[str, Table, list[tuple[int, dict[str, Any]]]]]:
        order = sorted(self.demands)
        return [("jb_staged_demands", db.Demand.__table__, [(k, self.demands[k]) for k in order]),
                ("jb_staged_findings", db.FindingRow.__table__, [(k, f) for k in order for f in self.findings[k]]),
                ("jb_staged_audit", db.AuditEntry.__table__, [(k, self.audits[k]) for k in order])]

    def write(self, session: Session, plan: Any, audit: AuditBatch) -> None:
        """Under the lock: the file's new enterprises, demands and findings in bulk; its audit entries handed to
        ``audit`` (stored with the file's own entry) — or, loaded (:meth:`load`), copied by the server from the
        temporary tables with the ids moved as the plan's moved since, and only the rows made again sent."""
        connection, now = session.connection(), db.utcnow()
        BulkRows(db.Enterprise.__table__, rows=list(self.firms)).write(connection, created_at=now, updated_at=now)
        order = range(len(plan.demands))
        sent = set(order) if self.loaded is None else self.dirty
        if self.loaded is not None:
            self._copy(connection, plan, now)
        BulkRows(db.Demand.__table__, rows=[self.demands[k] for k in order if k in sent]).write(
            connection, created_at=now, updated_at=now)
        BulkRows(db.FindingRow.__table__, rows=[f for k in order if k in sent or k in self.dirty_findings
                                                for f in self.findings[k]]).write(connection, created_at=now)
        audit.take([self.audits[k] for k in order if k in sent])

    def _copy(self, connection: Connection, plan: Any, now: Any) -> None:
        """The loaded rows not made again since, copied into the real tables with their ids moved."""
        first, firm_first = self.loaded
        shift = plan.demands[0].id - first
        firm_shift = min((f["id"] for f in self.firms), default=0) - firm_first
        params = {"shift": shift, "firm_first": firm_first or 1 << 62, "firm_shift": firm_shift, "now": now,
                  "dirty": sorted(self.dirty), "dirty_findings": sorted(self.dirty | self.dirty_findings)}
        moved = {"id": "id + :shift", "demand_id": "demand_id + :shift", "entity_id": "entity_id + :shift",
                 "enterprise_id": "CASE WHEN enterprise_id >= :firm_first THEN enterprise_id + :firm_shift "
                                  "ELSE enterprise_id END", "created_at": ":now", "updated_at": ":now", "at": ":now"}
        for (name, table, _), skip in zip(self._tables(), ("dirty", "dirty_findings", "dirty")):
            columns = [c.key for c in table.columns if c.key != "id" or table is db.Demand.__table__]
            connection.execute(text(
                f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT {', '.join(moved.get(c, c) for c in columns)} "
                f"FROM {name} WHERE k <> ALL(:{skip}) ORDER BY k"  # noqa: S608 - names of ours
            ).bindparams(bindparam(skip, type_=ARRAY(Integer))), params)


def _temp(name: str, table: Table) -> Table:
    """The temporary table ``name`` made by :meth:`Staged.load` for the rows of ``table`` (``k``: the file row)."""
    return Table(name, MetaData(), Column("k", Integer),
                 *(Column(c.key, c.type) for c in table.columns if c.key != "id" or table is db.Demand.__table__))


def _text(row: dict[str, Any]) -> tuple[Any, ...]:
    """What a finding's row says, whatever demand it belongs to."""
    return tuple(v for c, v in row.items() if c != "demand_id")
