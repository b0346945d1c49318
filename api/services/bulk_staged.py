"""A file taken in as a whole (:mod:`api.services.bulk_intake`): its rows as they will be inserted, made ready
before the campaign lock (#21).

The locked step of a 3,000-row file spent most of its time building rows and turning JSON documents (records,
findings, audit images) into text while every other writer waited. :class:`Staged` does that before the lock,
keeps the rows in step when the planned ids move or rows are written out again, and only inserts them under it.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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

    def restage(self, plan: Any, rows: Iterable[int]) -> None:
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
            self.findings[k] = self._findings_of(demand)
        self._firms(plan)

    def write(self, session: Session, plan: Any, audit: AuditBatch) -> None:
        """Under the lock: the file's new enterprises, demands and findings in bulk; its audit entries handed to
        ``audit`` (stored with the file's own entry)."""
        connection, now = session.connection(), db.utcnow()
        BulkRows(db.Enterprise.__table__, rows=list(self.firms)).write(connection, created_at=now,
                                                                                    updated_at=now)
        order = range(len(plan.demands))
        BulkRows(db.Demand.__table__, rows=[self.demands[k] for k in order]).write(
            connection, created_at=now, updated_at=now)
        BulkRows(db.FindingRow.__table__, rows=[f for k in order for f in self.findings[k]]).write(
            connection, created_at=now)
        audit.take([self.audits[k] for k in order])
