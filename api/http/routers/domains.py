"""Technology-domain suggestions and office routing over HTTP (技术领域建议与归口).

One demand's suggestion follows the demand's own visibility (a city bureau sees its region's); the
whole round's queue and the export need ``read_round``; confirming or correcting needs ``run_round``.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path as PathParam, Query
from fastapi.responses import Response
from pydantic import Field
from sqlalchemy.orm import Session

from api.compose import Services
from api.http.auth import principal, require
from api.http.deps import MAX_ID, RequestBody, RowId, get_services, get_session
from api.http.routers.demands import visible_demand
from api.services.access import Principal

router = APIRouter(tags=["领域 domains"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SuggestIn(RequestBody):
    """批量建议 / suggestions for several demands (ids) or a batch (批次), or the whole round."""

    demand_ids: list[RowId] | None = Field(None, description="需求系统编号（默认整轮）")
    batch: str | None = Field(None, description="只看某一批次")
    limit: int = Field(3, ge=1, le=20, description="每条需求建议几个领域")
    threshold: float | None = Field(None, ge=0.0, le=1.0, description="低于此概率不作判断（交人工）")
    level: int | None = Field(None, ge=1, le=6, description="分类层级（默认 2）")


class DecisionIn(RequestBody):
    """确认或更正领域 / confirm or correct a demand's domain."""

    code: str = Field(..., min_length=1, max_length=32, description="分类代码（如 5010）")
    note: str | None = Field(None, max_length=500, description="备注")


@router.get("/demands/{demand_id}/domains", summary="某需求的技术领域建议 / domain suggestions for a demand")
def demand_domains(demand_id: int = PathParam(..., ge=1, le=MAX_ID), limit: int = Query(3, ge=1, le=20),
                   threshold: float | None = Query(None, ge=0.0, le=1.0), level: int | None = Query(None, ge=1, le=6),
                   session: Session = Depends(get_session), who: Principal = Depends(principal),
                   services: Services = Depends(get_services)) -> dict[str, Any]:
    demand = visible_demand(session, demand_id, who)
    return services.domains.suggest(session, [demand], limit=limit, threshold=threshold, level=level)[0]


@router.post("/domains/suggest", summary="批量技术领域建议（置信度低的在前）/ suggestions for many demands")
def suggest(body: SuggestIn | None = None, session: Session = Depends(get_session),
            who: Principal = Depends(require("read_round")), services: Services = Depends(get_services)) -> dict[str, Any]:
    body = body or SuggestIn()
    labels = services.domains
    if body.demand_ids:
        demands = [visible_demand(session, i, who) for i in body.demand_ids]
        rows = labels.suggest(session, demands, limit=body.limit, threshold=body.threshold, level=body.level)
    else:
        rows = labels.suggest_round(session, batch=body.batch, limit=body.limit, threshold=body.threshold,
                                    level=body.level)
    return {"suggestions": rows, "needs_human": sum(r["routing"]["needs_human"] for r in rows)}


@router.post("/demands/{demand_id}/domain", summary="确认或更正技术领域（并按领域归口）/ confirm or correct")
def decide(body: DecisionIn, demand_id: int = PathParam(..., ge=1, le=MAX_ID), session: Session = Depends(get_session),
           who: Principal = Depends(require("run_round")), services: Services = Depends(get_services)) -> dict[str, Any]:
    return services.domains.decide(session, demand_id, body.code.strip(), who.actor, note=body.note)


@router.get("/domains/taxonomy", summary="技术领域分类体系 / the taxonomy")
def taxonomy(max_level: int = Query(3, ge=1, le=6), who: Principal = Depends(principal),
             services: Services = Depends(get_services)) -> dict[str, Any]:
    tax = services.domains.taxonomy
    return {"name": tax.name, "nodes": [n.to_record() for n in tax if n.level <= max_level]}


@router.get("/domains/export.xlsx", summary="导出领域建议（Excel）/ export the suggestions", response_class=Response)
def export(batch: str | None = Query(None), session: Session = Depends(get_session),
           who: Principal = Depends(require("read_round")), services: Services = Depends(get_services)) -> Response:
    return Response(services.domains.export_excel(session, batch=batch), media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="domains.xlsx"'})
