"""初审: a city bureau's first-review decision on each demand of its region.

Decisions are 初审通过 (``pass``), 退回修改 (``return``) and 不予推荐 (``reject``); the last two need a
reason. They are append-only: the newest decision of a demand is in force, each links to the one before
it and keeps the form as decided, so an enterprise's resubmission after 退回修改 is shown as a diff
against exactly what was returned. Every decision is audited. A bureau decides and sees its own region's
demands only; staff and admin see every decision; expert managers see none.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import Forbidden, InvalidInput
from api.forms.personal import redact
from api.services.access import Principal
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.demands import get_demand
from api.store import tables as db

DECISIONS = ("pass", "return", "reject")
DECISION_ZH = {"pass": "初审通过", "return": "退回修改", "reject": "不予推荐"}
DECISION_EN = {"pass": "passed first review", "return": "returned for revision", "reject": "not recommended"}
#: What a clerk may type for a decision (Chinese label or English key).
DECISION_BY_TEXT = {**{v: k for k, v in DECISION_ZH.items()}, **{k: k for k in DECISIONS}}


def parse_decision(text: str) -> str:
    """``pass`` / ``return`` / ``reject`` from the Chinese label or the key; InvalidInput otherwise."""
    key = DECISION_BY_TEXT.get((text or "").strip())
    if key is None:
        raise InvalidInput(f"未知的初审结论：{text}（可选：初审通过、退回修改、不予推荐）",
                           f"unknown first-review decision: {text} (use pass, return or reject)",
                           {"decision": text}, code="invalid_decision")
    return key


def check_reads_reviews(who: Principal) -> None:
    """Only bureaus (their region), staff and admin see 初审 decisions."""
    if not who.may("read_reviews"):
        raise Forbidden("当前令牌的角色无权查看初审结论。", "This token's role may not see first-review decisions.",
                        {"role": who.role}, code="role_forbidden")


def check_region(who: Principal, region: str | None) -> None:
    """A bureau acts on its own region only (403 naming neither the other region's data nor its demands)."""
    if not who.sees_region(region):
        raise Forbidden("初审单位只能处理本地区的需求与推荐清单。",
                        "A bureau may act on its own region's demands and lists only.",
                        {"region": who.region}, code="other_region")


@dataclass(frozen=True)
class FieldChange:
    """One form field that differs between two versions of a demand."""

    field: str
    before: Any
    after: Any


def record_diff(before: dict[str, Any], after: dict[str, Any], *, personal: bool) -> list[FieldChange]:
    """Fields that differ, in the form's order; personal fields masked unless ``personal``."""
    if not personal:
        before, after = redact(before), redact(after)
    keys = list(dict.fromkeys([*after, *before]))
    return [FieldChange(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


def decide(session: Session, campaign: CampaignContext, who: Principal, demand_id: int, decision: str,
           reason: str | None = None) -> db.ReviewDecision:
    """Record (and commit) ``who``'s 初审 decision on a demand of its region; audited."""
    if not who.may("review"):
        raise Forbidden("只有初审单位（或管理员）可以作出初审结论。",
                        "Only a first-review unit (or an admin) may record a first-review decision.",
                        {"role": who.role}, code="role_forbidden")
    key = parse_decision(decision)
    reason = (reason or "").strip() or None
    if key != "pass" and not reason:
        raise InvalidInput(f"“{DECISION_ZH[key]}”须填写理由。", f"'{DECISION_EN[key]}' needs a reason.",
                           {"field": "reason"}, code="reason_required")
    demand = get_demand(session, demand_id)
    check_region(who, demand.region)
    previous = latest(session, [demand.id]).get(demand.id)
    row = db.ReviewDecision(campaign_id=campaign.id, demand_id=demand.id, region=demand.region, decision=key,
                            reason=reason, content_hash=demand.content_hash, record=dict(demand.record or {}),
                            previous_id=previous.id if previous else None, actor=who.actor)
    session.add(row)
    session.flush()
    append_audit(session, who.actor, "review", "demand", demand.id,
                 {"decision": previous.decision, "reason": previous.reason} if previous else None,
                 {"decision": key, "reason": reason, "review_id": row.id})
    session.commit()
    return row


def latest(session: Session, demand_ids: list[int] | None = None, *, campaign_id: int | None = None
           ) -> dict[int, db.ReviewDecision]:
    """The decision in force per demand (the newest), for these demands or the whole campaign."""
    newest = select(func.max(db.ReviewDecision.id)).group_by(db.ReviewDecision.demand_id)
    if demand_ids is not None:
        if not demand_ids:
            return {}
        newest = newest.where(db.ReviewDecision.demand_id.in_(demand_ids))
    if campaign_id is not None:
        newest = newest.where(db.ReviewDecision.campaign_id == campaign_id)
    rows = session.scalars(select(db.ReviewDecision).where(db.ReviewDecision.id.in_(newest)))
    return {r.demand_id: r for r in rows}


def resubmitted(decision: db.ReviewDecision | None, demand: db.Demand) -> bool:
    """True when a demand returned for revision (退回修改) has changed since it was returned."""
    return decision is not None and decision.decision == "return" and decision.content_hash != demand.content_hash


def history(session: Session, who: Principal, demand_id: int) -> dict[str, Any]:
    """A demand's decisions, newest first, each with what changed since the version it decided on."""
    check_reads_reviews(who)
    demand = get_demand(session, demand_id)
    check_region(who, demand.region)
    personal = who.may("see_personal")
    rows = list(session.scalars(select(db.ReviewDecision).where(db.ReviewDecision.demand_id == demand.id)
                                .order_by(db.ReviewDecision.id.desc())))
    current = dict(demand.record or {})
    out = []
    for row in rows:
        changes = record_diff(row.record or {}, current, personal=personal)
        out.append({"id": row.id, "decision": row.decision, "decision_zh": DECISION_ZH[row.decision],
                    "reason": row.reason, "actor": row.actor, "decided_at": row.decided_at,
                    "previous_id": row.previous_id, "changed_since": [c.__dict__ for c in changes]})
        current = row.record or {}
    top = rows[0] if rows else None
    return {"demand_id": demand.id, "decisions": out, "resubmitted": resubmitted(top, demand),
            "decision": top.decision if top else None}


def queue(session: Session, campaign: CampaignContext, who: Principal, *, region: str | None = None,
          batch: str | None = None) -> list[dict[str, Any]]:
    """The 初审 queue: every demand the caller may see (a bureau: its region) with its decision in force,
    whether it was resubmitted after 退回修改, and whether it is recommended (and the list verified)."""
    check_reads_reviews(who)
    if who.role == "bureau":
        region = who.region
    query = select(db.Demand).where(db.Demand.campaign_id == campaign.id)
    if region:
        query = query.where(db.Demand.region == region)
    if batch:
        query = query.where(db.Demand.batch == batch)
    demands = list(session.scalars(query.order_by(db.Demand.id)))
    decisions = latest(session, [d.id for d in demands])
    out = []
    for d in demands:
        dec = decisions.get(d.id)
        out.append({"demand": d, "decision": dec.decision if dec else None,
                    "decision_zh": DECISION_ZH[dec.decision] if dec else "待初审",
                    "reason": dec.reason if dec else None, "decided_by": dec.actor if dec else None,
                    "resubmitted": resubmitted(dec, d)})
    return out
