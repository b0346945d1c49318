"""Staff decisions on duplicate pairs (confirm / dismiss / reopen), audited, and the ``duplicate`` findings of
the two demands re-worded to agree with them: the decisions side of :class:`api.services.duplicates.DuplicateService`
(a base class of it, so the decisions are reached on the service as before)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.errors import InvalidInput, NotFound
from api.services.audit import append_audit
from api.services.demands import get_demand
from api.services.duplicate_findings import RULE_DISMISSED, RULE_DUPLICATE, restated_finding
from api.services.finding_rows import restate_findings
from api.store import tables as db

DECISIONS = ("confirm", "dismiss")


class PairDecisions:
    """Stored decisions on pairs of demands; mixed into the duplicate service."""

    def decisions(self, session: Session, ids: Iterable[int] | None = None) -> dict[tuple[int, int], str]:
        """Stored staff decisions ``{(a, b): confirm|dismiss}`` (a < b), optionally touching ``ids``."""
        query = select(db.DuplicateDecision)
        if ids is not None:
            ids = list(ids)
            query = query.where(or_(db.DuplicateDecision.demand_a.in_(ids), db.DuplicateDecision.demand_b.in_(ids)))
        return {(r.demand_a, r.demand_b): r.decision for r in session.scalars(query)}

    def decide(self, session: Session, a: int, b: int, decision: str, *, note: str | None = None,
               actor: str = "api") -> db.DuplicateDecision:
        """Record (or change) a decision on a pair and commit; a dismissed pair is never proposed again."""
        if decision not in DECISIONS:
            raise InvalidInput("决定只能是 confirm（确认重复）或 dismiss（不是重复）。",
                               "decision must be 'confirm' or 'dismiss'.", {"decision": decision})
        if a == b:
            raise InvalidInput("不能对同一条需求作出查重决定。", "A pair needs two different demands.", {"a": a})
        a, b = min(a, b), max(a, b)
        for i in (a, b):
            get_demand(session, i)
        row = session.scalar(select(db.DuplicateDecision).where(db.DuplicateDecision.demand_a == a,
                                                                db.DuplicateDecision.demand_b == b))
        before = {"decision": row.decision} if row else None
        if row is None:
            row = db.DuplicateDecision(demand_a=a, demand_b=b, decision=decision, note=note, actor=actor)
            session.add(row)
        else:
            row.decision, row.note, row.actor = decision, note, actor
            row.decided_at = datetime.now(timezone.utc)
        session.flush()
        append_audit(session, actor, "decide", "duplicate_pair", row.id, before,
                     {"demand_a": a, "demand_b": b, "decision": decision, "note": note})
        self._restate_findings(session, (a, b))
        session.commit()
        return row

    def reopen(self, session: Session, a: int, b: int, *, actor: str = "api") -> None:
        """Take back the decision on a pair (audited with the decision it removes): it is pending again."""
        a, b = min(a, b), max(a, b)
        row = session.scalar(select(db.DuplicateDecision).where(db.DuplicateDecision.demand_a == a,
                                                                db.DuplicateDecision.demand_b == b))
        if row is None:
            raise NotFound(f"需求 #{a} 与 #{b} 还没有查重决定。", f"No decision on demands #{a} and #{b}.",
                           {"demand_a": a, "demand_b": b})
        append_audit(session, actor, "reopen", "duplicate_pair", row.id,
                     {"decision": row.decision, "note": row.note, "actor": row.actor}, {"demand_a": a, "demand_b": b})
        session.delete(row)
        session.flush()
        self._restate_findings(session, (a, b))
        session.commit()

    def _restate_findings(self, session: Session, ids: Iterable[int]) -> None:
        """Re-word the ``duplicate`` findings of ``ids`` after a decision, so the rule finding and the pair
        agree: undecided candidates still ask for a check, confirmed and dismissed ones say so (who, when);
        a finding whose every candidate was dismissed becomes a ``duplicate_dismissed`` note."""
        for demand in (session.get(db.Demand, i) for i in ids):
            rows = [f for f in demand.findings if f.rule_id in (RULE_DUPLICATE, RULE_DISMISSED)] if demand else []
            if not rows:
                continue
            briefs = [c for f in rows for c in (f.values or {}).get("candidates", []) if isinstance(c, dict)]
            decided = self.decision_rows(session, [demand.id])
            restate_findings(demand, (RULE_DUPLICATE, RULE_DISMISSED), [restated_finding(briefs, demand.id, decided)])

    def decision_rows(self, session: Session, ids: Iterable[int]) -> dict[tuple[int, int], db.DuplicateDecision]:
        """The stored decision rows touching ``ids``, by pair (a < b)."""
        ids = list(ids)
        return {(r.demand_a, r.demand_b): r for r in session.scalars(select(db.DuplicateDecision).where(
            or_(db.DuplicateDecision.demand_a.in_(ids), db.DuplicateDecision.demand_b.in_(ids))))}
