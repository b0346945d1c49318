"""Duplicate demands over HTTP: candidates with evidence, batch de-dup, staff decisions, Excel export.

The intake check itself runs inside POST /demands and POST /demands/import (an intake step, see
:mod:`api.services.duplicates`): its candidates come back as ``duplicate`` / ``duplicate_related`` findings.
Which enterprise signal fired (same enterprise, group, phone, e-mail) is named only to callers
with a role that may see personal data; others see that "an enterprise signal matched".
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path as PathParam, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from api.compose import Services
from api.http.auth import principal, require
from api.http.deps import MAX_ID, RequestBody, RowId, get_services, get_session
from api.http.routers.demands import visible_demand
from api.services.access import Principal
from api.services.demands import get_demand
from api.services.duplicate_findings import candidate_out, sealed_candidate_out

router = APIRouter(tags=["查重 duplicates"])


class DuplicateCandidateOut(BaseModel):
    """一条疑似重复 / one candidate duplicate with its evidence."""

    id: int = Field(..., description="候选需求的系统编号")
    score: float = Field(..., description="校准后的重复概率 0–1")
    verdict: str = Field(..., description="duplicate（重复）/ near_duplicate（疑似重复）/ related（相关）")
    containment: float | None = Field(..., description="文字重合度（较短一方的字符片段被包含的比例）；其他地区的候选为空")
    jaccard: float | None = Field(..., description="文字 Jaccard 相似度；其他地区的候选为空")
    dense: float | None = Field(..., description="语义相似度（向量余弦）；其他地区的候选为空")
    signals: list[str] = Field(default_factory=list,
                               description="命中的企业信号；无管理员令牌时只显示 enterprise")
    decision: str | None = Field(None, description="工作人员的决定：confirm（已确认重复）或空")
    title: str = Field("", description="候选需求名称")
    sealed: bool = Field(False, description=(
        "候选需求在调用方无权查看的地区（初审单位看本地区以外）：只告知存在、编号与重复概率，不含名称、正文与证据"))
    evidence: dict[str, Any] = Field(default_factory=dict, description=(
        "证据：sentences 重合句子（this/other 各给出字段名、该字段提交原文中的起止位置 start/end 和原文 text）、"
        "shared_terms 共同关键词、signals 企业信号（无管理员令牌时只说明“企业信息相符”）"))


class CandidatesOut(BaseModel):
    """某需求的疑似重复 / candidates for one demand."""

    demand_id: int
    candidates: list[DuplicateCandidateOut]


class DedupRunIn(RequestBody):
    """批量查重参数 / batch de-dup parameters."""

    batch: str | None = Field(None, description="只查某一批次（默认全部）")
    min_verdict: Literal["duplicate", "near_duplicate", "related"] = Field(
        "near_duplicate", description="成组的最低结论")


class DecisionIn(RequestBody):
    """人工决定 / a staff decision on a pair."""

    demand_a: RowId
    demand_b: RowId
    decision: Literal["confirm", "dismiss"] = Field(..., description="confirm（确认重复）/ dismiss（不是重复）")
    note: str | None = Field(None, description="备注")


class DecisionOut(BaseModel):
    demand_a: RowId
    demand_b: RowId
    decision: str
    note: str | None
    decided_at: Any


@router.get("/demands/{demand_id}/duplicates", response_model=CandidatesOut,
            summary="某需求的疑似重复及证据 / duplicate candidates of a demand, with evidence")
def demand_duplicates(demand_id: int = PathParam(..., ge=1, le=MAX_ID),
                      min_verdict: Literal["duplicate", "near_duplicate", "related"] = Query("related"),
                      top: int = Query(10, ge=1, le=50),
                      session: Session = Depends(get_session), who: Principal = Depends(principal),
                      services: Services = Depends(get_services)) -> CandidatesOut:
    dup = services.duplicates
    demand = visible_demand(session, demand_id, who)
    admin = who.may("see_personal")
    decided = dup.decisions(session, [demand_id])
    out = []
    for c in dup.candidates(session, demand, min_verdict=min_verdict, top=top):
        other = get_demand(session, c.id)
        decision = decided.get((min(c.id, demand_id), max(c.id, demand_id)))
        if not who.sees_region(other.region):
            out.append(DuplicateCandidateOut(**sealed_candidate_out(c, decision=decision)))
            continue
        out.append(DuplicateCandidateOut(**candidate_out(c, admin=admin, decision=decision), title=other.title,
                                         evidence=dup.evidence_for(session, demand, c, admin=admin)))
    return CandidatesOut(demand_id=demand_id, candidates=out)


@router.post("/dedup/run", summary="批量查重（整轮或某批次）/ de-duplicate a round")
def dedup_run(body: DedupRunIn | None = None, session: Session = Depends(get_session),
              who: Principal = Depends(require("run_round")),
              services: Services = Depends(get_services)) -> dict[str, Any]:
    body = body or DedupRunIn()
    return services.dedup_runs.run(session, batch=body.batch, min_verdict=body.min_verdict, actor=who.actor)


@router.get("/dedup/groups", summary="最近一次批量查重的分组 / groups of the latest run")
def dedup_groups(session: Session = Depends(get_session), who: Principal = Depends(require("read_round")),
                 services: Services = Depends(get_services)) -> dict[str, Any]:
    return services.dedup_runs.latest(session)


@router.post("/dedup/decisions", response_model=DecisionOut,
             summary="确认或排除一对疑似重复（业务处室）/ confirm or dismiss a pair (staff)")
def dedup_decide(body: DecisionIn, session: Session = Depends(get_session), who: Principal = Depends(require("run_round")),
                 services: Services = Depends(get_services)) -> DecisionOut:
    row = services.duplicates.decide(session, body.demand_a, body.demand_b, body.decision, note=body.note, actor=who.actor)
    return DecisionOut(demand_a=row.demand_a, demand_b=row.demand_b, decision=row.decision, note=row.note,
                       decided_at=row.decided_at)


class PairIn(RequestBody):
    """一对需求 / a pair of demands."""

    demand_a: RowId
    demand_b: RowId


@router.post("/dedup/reopen", summary="撤销对一对需求的查重决定（重新待确认，业务处室）/ reopen a decided pair (staff)")
def dedup_reopen(body: PairIn, session: Session = Depends(get_session), who: Principal = Depends(require("run_round")),
                 services: Services = Depends(get_services)) -> dict[str, Any]:
    services.duplicates.reopen(session, body.demand_a, body.demand_b, actor=who.actor)
    return {"demand_a": min(body.demand_a, body.demand_b), "demand_b": max(body.demand_a, body.demand_b),
            "decision": None}


@router.get("/dedup/queue", summary="查重队列：待确认与已决定的每一对 / the duplicate queue: pending and decided pairs")
def dedup_queue(session: Session = Depends(get_session), who: Principal = Depends(require("read_round")),
                services: Services = Depends(get_services)) -> dict[str, Any]:
    """导入时查出的疑似重复与每次批量查重的结果合在一起，每对一次；看板、查重页与此处数字一致。
    One list of pairs from intake and every batch run; the console's figures count the same list."""
    queue = services.dedup_runs.queue(session)
    return {"pending": queue["pending"],
            "decided": [{**q, "decided_at": q["decided_at"].isoformat()} for q in queue["decided"]]}


@router.get("/dedup/export.xlsx", summary="导出查重分组（Excel）/ export the groups to Excel",
            response_class=Response)
def dedup_export(session: Session = Depends(get_session), services: Services = Depends(get_services),
                 who: Principal = Depends(require("read_round"))) -> Response:
    return Response(services.dedup_runs.export_excel(session),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="dedup-groups.xlsx"'})
