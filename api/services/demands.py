"""Stored demands: look-ups, filtered pages, findings, quota progress and export files."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from api.errors import InvalidInput, NotFound
from api.forms.models import DemandRecord
from api.forms.parsers import enum_text, parse_batch, parse_region
from api.forms.personal import to_row
from api.io import writers
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.store import tables as db
from matching.rules import quota_progress as rules_quota


def get_demand(session: Session, demand_id: int) -> db.Demand:
    """One stored demand, or :class:`NotFound`."""
    demand = session.get(db.Demand, demand_id)
    if demand is None:
        raise NotFound(f"需求 {demand_id} 不存在。", f"Demand {demand_id} does not exist.", {"id": demand_id})
    return demand


def list_demands(session: Session, campaign: CampaignContext, *, batch: str | None = None,
                 region: str | None = None, status: str | None = None, check_status: str | None = None,
                 office: str | None = None, limit: int = 50, offset: int = 0) -> tuple[int, list[db.Demand]]:
    """Demands of the campaign matching the filters, by id: ``(total, page)``. Filter values are read like
    intake reads the form (``region=大连`` finds 大连市, ``batch=2`` 第二批)."""
    region, batch = as_intake(parse_region, region), as_intake(parse_batch, batch)
    query = select(db.Demand).where(db.Demand.campaign_id == campaign.id)
    for column, value in ((db.Demand.batch, batch), (db.Demand.region, region), (db.Demand.status, status),
                          (db.Demand.check_status, check_status), (db.Demand.office, office)):
        if value:
            query = query.where(column == value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    # the page's enterprises (joined) and findings (one more statement), not two statements per demand (a page of 20 read them
    # one by one: 40 round trips, 13% of a loaded server's CPU under bench.load, #21)
    page = session.scalars(query.options(joinedload(db.Demand.enterprise), selectinload(db.Demand.findings))
                           .order_by(db.Demand.id).limit(limit).offset(offset))
    return total, list(page)


def as_intake(parse: Any, value: str | None) -> str | None:
    """A filter value as intake would have stored it (kept as given when intake would reject it)."""
    try:
        return enum_text(parse(value)) or value
    except ValueError:
        return value


def all_demands(session: Session, campaign: CampaignContext) -> list[db.Demand]:
    """Every demand of the campaign, in id order."""
    return list(session.scalars(select(db.Demand).where(db.Demand.campaign_id == campaign.id)
                                .order_by(db.Demand.id)))


def demand_findings(session: Session, demand_id: int) -> list[db.FindingRow]:
    """The stored findings of one demand (404 when the demand does not exist)."""
    return list(get_demand(session, demand_id).findings)


def quota_progress(session: Session, campaign: CampaignContext) -> list[dict[str, Any]]:
    """Progress of every region (and park) against its quota: what counts are distinct demands without
    rule errors (the later demand of a confirmed duplicate pair does not count); everything received is
    reported beside it."""
    repeats = select(db.DuplicateDecision.demand_b).where(db.DuplicateDecision.decision == "confirm")
    counted = (db.Demand.check_status != "error", db.Demand.id.not_in(repeats))

    def counts(column: Any, *conditions: Any) -> dict[str, int]:
        query = (select(column, func.count()).where(db.Demand.campaign_id == campaign.id, column.is_not(None),
                                                    *conditions).group_by(column))
        return dict(Counter(dict(session.execute(query).all())))

    progress = rules_quota(counts(db.Demand.region, *counted), counts(db.Demand.park, *counted), campaign.rules,
                           submitted_by_region=counts(db.Demand.region), submitted_by_park=counts(db.Demand.park))
    return [p.model_dump(mode="json") for p in progress]


def demand_rows(demands: Iterable[db.Demand], *, include_personal: bool = False) -> list[dict[str, Any]]:
    """Export rows: Chinese headers in form order, clerk-readable values, personal fields masked
    unless ``include_personal`` (the same columns import reads, so an export re-imports)."""
    return [{**to_row(DemandRecord.model_validate(d.record), redact_personal=not include_personal),
             "row_version": d.row_version or 1} for d in demands]


def export_demands(session: Session, campaign: CampaignContext, path: Path, fmt: str | None = None, *,
                   include_personal: bool = False) -> int:
    """Write every demand of the campaign to ``path`` (xlsx | csv | jsonl, from the suffix by default)."""
    fmt = (fmt or Path(path).suffix.lstrip(".") or "xlsx").lower()
    if fmt not in ("xlsx", "csv", "jsonl"):
        raise InvalidInput(f"不支持的导出格式：{fmt}（可选 xlsx、csv、jsonl）。",
                           f"Unsupported export format: {fmt} (use xlsx, csv or jsonl).", {"format": fmt})
    rows = demand_rows(all_demands(session, campaign), include_personal=include_personal)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        writers.write_excel({"需求 demands": rows}, path)
    elif fmt == "csv":
        writers.write_csv(rows, path)
    else:
        writers.write_jsonl(rows, path)
    return len(rows)


#: 退回 (staff send a demand back to its bureau), 撤回 (a bureau withdraws its own), 恢复 (undo either):
#: action → (the status it sets, what it is called).
STATUS_CHANGES = {"return": ("已退回", "退回"), "withdraw": ("已撤回", "撤回"), "restore": (None, "恢复")}


def change_status(session: Session, demand: db.Demand, action: str, *, actor: str, note: str | None = None) -> str:
    """Set the platform status of ``demand`` by ``action`` (return | withdraw | restore: back to the status before
    the last return or withdrawal) and audit it with the reason; returns the new status. A return or a
    withdrawal needs a reason (the bureau or the department reads it)."""
    if action not in STATUS_CHANGES:
        raise InvalidInput(f"未知的操作：{action}", f"unknown status change: {action}",
                           {"actions": list(STATUS_CHANGES)})
    status, name = STATUS_CHANGES[action]
    if action != "restore" and not (note or "").strip():
        raise InvalidInput(f"{name}需要填写理由。", f"A reason is required to {action} a demand.", {"action": action})
    before = demand.status
    if action == "restore":
        last = session.scalar(select(db.AuditEntry).where(
            db.AuditEntry.entity == "demand", db.AuditEntry.entity_id == demand.id,
            db.AuditEntry.action.in_(("return", "withdraw"))).order_by(db.AuditEntry.id.desc()).limit(1))
        if last is None or before not in {s for s, _ in STATUS_CHANGES.values() if s}:
            raise InvalidInput("这条需求没有被退回或撤回，无需恢复。", "The demand was neither returned nor withdrawn.",
                               {"status": before})
        status = (last.before or {}).get("status")
    demand.status = status
    record = dict(demand.record or {})
    for key in ("status", "状态"):
        if key in record:
            record[key] = status
    demand.record = record
    append_audit(session, actor, action, "demand", demand.id, {"status": before}, {"status": status},
                 note=(note or "").strip() or None)
    session.commit()
    return status or ""
