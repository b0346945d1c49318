"""Findings as stored: a rule's finding (pydantic model, dataclass or dict) as a row, and a demand's check
status (the worst severity among its findings)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from api.store import tables as db

SEVERITY_ORDER = {"ok": 0, "info": 1, "warning": 2, "error": 3}
CHECK_STATUSES = ("ok", "warning", "error")


def finding_to_dict(finding: Any) -> dict[str, Any]:
    """A rule finding (pydantic model, dataclass or dict) as a plain dict."""
    if hasattr(finding, "model_dump"):
        return finding.model_dump(mode="json")
    if hasattr(finding, "__dataclass_fields__"):
        return json.loads(json.dumps(asdict(finding), ensure_ascii=False, default=str))
    return dict(finding)


def finding_row(finding: Any) -> db.FindingRow:
    """A finding (model, dataclass or dict) as a storage row."""
    d = finding_to_dict(finding)
    rule_id = d.get("rule_id") or d.get("rule") or d.get("id") or "unknown"
    values = d.get("values") or {}
    if not isinstance(values, dict):
        values = {"values": values}
    fields = d.get("fields") or ([d["field"]] if d.get("field") else [])
    return db.FindingRow(rule_id=str(rule_id), severity=str(d.get("severity", "warning")),
                         message_zh=str(d.get("message_zh", "")), message_en=str(d.get("message_en", "")),
                         fields=list(fields), values=values)


def check_status_of(rows: Iterable[db.FindingRow]) -> str:
    """ok / warning / error: the worst severity among a demand's findings."""
    worst = max((SEVERITY_ORDER.get(r.severity, 2) for r in rows), default=0)
    return {0: "ok", 1: "ok", 2: "warning"}.get(worst, "error")


_COLUMNS = ("rule_id", "severity", "message_zh", "message_en", "fields", "values")


def restate_findings(demand: db.Demand, rules: Iterable[str], findings: Iterable[Any]) -> None:
    """Replace ``demand``'s findings of ``rules`` by ``findings`` and set its check status. A stored row of
    those rules is rewritten in place (one batched UPDATE at the flush) rather than deleted and inserted
    again: intake extends the duplicate finding of every stored demand a new one pairs with, and a delete
    plus a one-row INSERT … RETURNING for each of them was a third of one submission's statements."""
    rules = set(rules)
    old = [f for f in demand.findings if f.rule_id in rules]
    new = [finding_row(f) for f in findings]
    for row, fresh in zip(old, new):
        for column in _COLUMNS:
            if getattr(row, column) != getattr(fresh, column):
                setattr(row, column, getattr(fresh, column))
    reused = {id(r) for r in old[:len(new)]}
    demand.findings = [f for f in demand.findings if f.rule_id not in rules or id(f) in reused] + new[len(old):]
    demand.check_status = check_status_of(demand.findings)


def findings_by_external_id(session: Any) -> dict[str, list[tuple[str, str, tuple[str, ...]]]]:
    """Every stored demand's findings as ``{需求编号: sorted (rule, severity, candidates' 需求编号)}``: what a
    file import and one-by-one intake must agree on (the import benchmark and its test compare these)."""
    demands = list(session.query(db.Demand))
    external = {d.id: d.external_id for d in demands}
    return {d.external_id: sorted((f.rule_id, f.severity, tuple(sorted(external[c["id"]] for c in
                                   (f.values or {}).get("candidates", [])))) for f in d.findings)
            for d in demands}
