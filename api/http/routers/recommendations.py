"""初审 and the 推荐清单 over HTTP: decisions, the review queue, lists per bureau and batch, the signed PDF, and
verification of an uploaded scan.

A city bureau decides, composes, exports and verifies for its own region only; staff and admin read every
decision and list and verify scans; expert managers see none of it. Every write is audited.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Path as PathParam, UploadFile
from fastapi.responses import Response
from pydantic import ConfigDict, Field
from sqlalchemy.orm import Session

from api.compose import Services
from api.http.auth import principal, require
from api.http.deps import (MAX_ID, RequestBody, RowId, get_campaign, get_services, get_session,
                           reason_required_when)
from api.services import reviews
from api.services.access import Principal
from api.services.campaign import CampaignContext
from api.http.downloads import attachment

router = APIRouter(tags=["推荐 recommendations"])
PDF = "application/pdf"


class ReviewIn(RequestBody):
    """初审结论 / a first-review decision."""

    model_config = ConfigDict(json_schema_extra=reason_required_when(
        "decision", ("退回修改", "不予推荐", "return", "reject"), "reason"))
    decision: Literal["初审通过", "退回修改", "不予推荐", "pass", "return", "reject"] = Field(
        ..., description="初审通过 / 退回修改 / 不予推荐（或 pass / return / reject）")
    reason: str | None = Field(None, max_length=2000, description="理由（退回修改、不予推荐时必填）")


class ComposeIn(RequestBody):
    """编制推荐清单 / put demands on a bureau's list for a batch."""

    batch: str = Field(..., description="批次（第一批 / 第二批 / 第三批）")
    region: str | None = Field(None, description="推荐地区（初审单位令牌默认本地区；管理员须填写）")
    demand_ids: list[RowId] | None = Field(None, description="需求系统编号（默认：本地区全部尚未列入清单的初审通过需求）")


class DemandIdsIn(RequestBody):
    """需求系统编号 / demand ids (to remove, or the new order)."""

    demand_ids: list[RowId] = Field(..., description="需求系统编号")


def _review_row(item: dict[str, Any], status: dict[int, str]) -> dict[str, Any]:
    d = item["demand"]
    return {"demand_id": d.id, "external_id": d.external_id, "enterprise": d.enterprise.name, "title": d.title,
            "batch": d.batch, "region": d.region, "category": d.category, "check_status": d.check_status,
            **{k: item[k] for k in ("decision", "decision_zh", "reason", "decided_by", "resubmitted")},
            "recommendation": status.get(d.id)}


@router.get("/reviews", summary="初审队列（初审单位：本地区）/ the first-review queue")
def review_queue(batch: str | None = None, region: str | None = None, session: Session = Depends(get_session),
                 who: Principal = Depends(principal), services: Services = Depends(get_services),
                 campaign: CampaignContext = Depends(get_campaign)) -> list[dict[str, Any]]:
    items = reviews.queue(session, campaign, who, region=region, batch=batch)
    status = services.recommendations.demand_status(session, [i["demand"].id for i in items])
    return [_review_row(i, status) for i in items]


@router.post("/demands/{demand_id}/review", summary="作出初审结论 / record a first-review decision")
def review(body: ReviewIn, demand_id: int = PathParam(..., ge=1, le=MAX_ID), session: Session = Depends(get_session),
           who: Principal = Depends(require("review")),
           campaign: CampaignContext = Depends(get_campaign)) -> dict[str, Any]:
    row = reviews.decide(session, campaign, who, demand_id, body.decision, body.reason)
    return {"id": row.id, "demand_id": row.demand_id, "decision": row.decision,
            "decision_zh": reviews.DECISION_ZH[row.decision], "reason": row.reason, "previous_id": row.previous_id}


@router.get("/demands/{demand_id}/reviews", summary="某需求的初审记录与重新提交的改动 / a demand's decisions and diffs")
def review_history(demand_id: int = PathParam(..., ge=1, le=MAX_ID), session: Session = Depends(get_session),
                   who: Principal = Depends(principal)) -> dict[str, Any]:
    return reviews.history(session, who, demand_id)


@router.get("/recommendations", summary="各地区 × 各批次推荐情况 / bureaus × batches")
def status_table(session: Session = Depends(get_session), who: Principal = Depends(principal),
                 services: Services = Depends(get_services)) -> list[dict[str, Any]]:
    return services.recommendations.status_table(session, who)


@router.post("/recommendations", summary="编制推荐清单（列入需求）/ compose a list")
def compose(body: ComposeIn, session: Session = Depends(get_session), who: Principal = Depends(require("recommend")),
            services: Services = Depends(get_services)) -> dict[str, Any]:
    rec = services.recommendations
    lst = rec.compose(session, who, body.batch, body.demand_ids, region=body.region)
    return rec.view(session, who, lst.id)


@router.get("/recommendations/{key}", summary="一份推荐清单（编号或清单号）/ one list")
def show(key: str, session: Session = Depends(get_session), who: Principal = Depends(principal),
         services: Services = Depends(get_services)) -> dict[str, Any]:
    return services.recommendations.view(session, who, key)


@router.post("/recommendations/{key}/remove", summary="移出清单 / take demands off a list")
def remove(key: str, body: DemandIdsIn, session: Session = Depends(get_session),
           who: Principal = Depends(require("recommend")), services: Services = Depends(get_services)) -> dict[str, Any]:
    services.recommendations.remove(session, who, key, body.demand_ids)
    return services.recommendations.view(session, who, key)


@router.post("/recommendations/{key}/order", summary="调整顺序 / reorder a list")
def reorder(key: str, body: DemandIdsIn, session: Session = Depends(get_session),
            who: Principal = Depends(require("recommend")), services: Services = Depends(get_services)) -> dict[str, Any]:
    services.recommendations.reorder(session, who, key, body.demand_ids)
    return services.recommendations.view(session, who, key)


def pdf_response(pdf: bytes, region: str, batch: str, code: str) -> Response:
    """The exported list as a download named in Chinese (with an ASCII fallback)."""
    name = f"推荐清单-{region}-{batch}-{code}.pdf"
    return attachment(pdf, PDF, name, f"{code}.pdf")


@router.post("/recommendations/{key}/export.pdf", summary="导出推荐清单 PDF（带二维码签名）/ export the signed PDF",
             response_class=Response, responses={200: {"content": {PDF: {}}}})
def export(key: str, session: Session = Depends(get_session), who: Principal = Depends(require("recommend")),
           services: Services = Depends(get_services)) -> Response:
    rec = services.recommendations
    out = rec.export(session, who, key)
    lst = rec.get(session, who, out.list_id)
    return pdf_response(out.pdf, lst.region, lst.batch, f"{lst.code}-{out.export_no}")


@router.post("/recommendations/verify", summary="上传盖章扫描件并核验二维码 / verify a stamped scan")
def verify(file: UploadFile = File(..., description="盖章后的推荐清单扫描件（PDF、JPEG 或 PNG）"),
           session: Session = Depends(get_session), who: Principal = Depends(require("verify_list")),
           services: Services = Depends(get_services)) -> dict[str, Any]:
    result = services.scan_verifier.verify(session, who, file.file.read(), file.filename or "")
    return jsonable(result)


def jsonable(value: Any) -> Any:
    """Datetimes as ISO text (the verification result is also stored as JSON)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, datetime) else value


@router.get("/demands/{demand_id}/recommendation", summary="某需求的推荐状态 / a demand's recommendation status")
def demand_recommendation(demand_id: int = PathParam(..., ge=1, le=MAX_ID), session: Session = Depends(get_session),
                          who: Principal = Depends(principal), services: Services = Depends(get_services),
                          campaign: CampaignContext = Depends(get_campaign)) -> dict[str, Any]:
    shown = reviews.history(session, who, demand_id)
    status = services.recommendations.demand_status(session, [demand_id]).get(demand_id)
    return {"demand_id": demand_id, "decision": shown["decision"], "recommendation": status}

