"""Demands over HTTP: submit one, list with filters, get one, its findings, quota progress.

Every call needs a token (:mod:`api.http.auth`). A city bureau submits and reads its own region's
demands only; personal fields (contacts, legal representative) are shown to roles that may see them,
and every such read is written to the audit log with the token's subject.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Header, Path as PathParam, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from api.compose import Services
from api.errors import Forbidden, InvalidInput, NotFound
from api.forms.models import DemandRecord, unknown_keys
from api.http.auth import principal, require
from api.http.deps import MAX_ID, RequestBody, get_campaign, get_services, get_session, reason_required_when
from api.services import demands as queries
from api.services.access import Principal
from api.services.audit import append_audit, redacted
from api.services.campaign import CampaignContext
from api.services.intake_check import check_all
from api.services.intake import submit_demand as submit
from api.store import tables as db
from matching.rules import QuotaStatus

router = APIRouter(tags=["demands 需求"])

#: How a submission for a stored demand (same 需求编号) applies: the fields sent only, or the whole record.
UpdateMode = Literal["merge", "replace"]


class FindingOut(BaseModel):
    """一条规则检查结果 / one rule finding."""

    rule_id: str = Field(..., description="规则编号")
    severity: str = Field(..., description="严重程度：error / warning")
    message_zh: str = Field(..., description="中文说明")
    message_en: str = Field(..., description="英文说明")
    fields: list[str] = Field(default_factory=list, description="涉及的字段（中文表头）")
    values: dict[str, Any] = Field(default_factory=dict, description="触发规则的取值")


class DemandOut(BaseModel):
    """一条已存储的需求 / a stored demand."""

    id: int = Field(..., description="系统内编号")
    external_id: str | None = Field(None, description="需求编号（平台编号）")
    enterprise_id: int = Field(..., description="企业（系统内编号）")
    enterprise: str = Field(..., description="企业名称")
    batch: str | None = Field(None, description="批次")
    region: str | None = Field(None, description="注册地区")
    park: str | None = Field(None, description="所在园区")
    recommending_unit: str | None = Field(None, description="初审单位")
    status: str | None = Field(None, description="平台状态")
    check_status: str = Field(..., description="规则检查结论：ok（通过）/ warning（有提醒）/ error（不符合要求）")
    category: str | None = Field(None, description="需求类别")
    area: str | None = Field(None, description="技术领域")
    office: str | None = Field(None, description="归口处室")
    title: str = Field(..., description="需求名称（发榜名称优先）")
    submitted_at: datetime | None = Field(None, description="提交时间")
    created_at: datetime = Field(..., description="入库时间")
    updated_at: datetime = Field(..., description="最后修改时间")
    row_version: int = Field(1, description="版本号（每次修改加一；修改时以 If-Match 回传，过期则 409）")
    record: dict[str, Any] = Field(..., description="完整表单（中文表头；无管理员令牌时个人信息以 *** 代替）")
    findings: list[FindingOut] = Field(default_factory=list, description="规则检查结果")


class NoteOut(BaseModel):
    """文件级提示 / a file-level note (unknown columns, blank rows)."""

    code: str
    message_zh: str
    message_en: str
    details: Any = None


class SubmitOut(BaseModel):
    """提交结果 / result of a submission."""

    outcome: Literal["new", "unchanged", "updated"] = Field(
        ..., description="new（新增）/ unchanged（与已存储的相同，未重复入库）/ updated（同一需求编号，内容已更新）")
    demand: DemandOut
    changed_fields: list[str] = Field(default_factory=list, description="updated 时内容有变化的字段（中文表头）")
    notes: list[NoteOut] = Field(default_factory=list, description="提示：如不属于表单、未保存的键 unknown_fields")


class DemandPage(BaseModel):
    """分页的需求列表 / a page of demands."""

    total: int = Field(..., description="符合条件的总数")
    limit: int = Field(..., description="每页条数")
    offset: int = Field(..., description="起始位置")
    items: list[DemandOut]


def demand_out(demand: db.Demand, *, admin: bool, with_findings: bool = True) -> DemandOut:
    """A stored demand as the API shows it (personal fields masked for non-admins)."""
    record = dict(demand.record) if admin else redacted(demand.record)
    findings = [finding_out(f) for f in demand.findings] if with_findings else []
    return DemandOut(id=demand.id, external_id=demand.external_id, enterprise_id=demand.enterprise_id,
                     enterprise=demand.enterprise.name, batch=demand.batch, region=demand.region,
                     park=demand.park, recommending_unit=demand.recommending_unit, status=demand.status,
                     check_status=demand.check_status, category=demand.category, area=demand.area,
                     office=demand.office, title=demand.title, submitted_at=demand.submitted_at,
                     created_at=demand.created_at, updated_at=demand.updated_at,
                     row_version=demand.row_version or 1, record=record or {},
                     findings=findings)


def finding_out(row: db.FindingRow) -> FindingOut:
    return FindingOut(rule_id=row.rule_id, severity=row.severity, message_zh=row.message_zh,
                      message_en=row.message_en, fields=list(row.fields or []), values=dict(row.values or {}))


def visible_demand(session: Session, demand_id: int, who: Principal) -> db.Demand:
    """The demand, if this caller may see it (a bureau sees its own region only; others: 404)."""
    demand = queries.get_demand(session, demand_id)
    if not who.sees_region(demand.region):
        raise NotFound(f"需求 {demand_id} 不存在。", f"Demand {demand_id} does not exist.", {"id": demand_id})
    return demand


def append_personal_read(session: Session, who: Principal, demands: list[db.Demand]) -> bool:
    """Add (not commit) the audit row of who read which demands' personal fields, when they were shown."""
    if who.may("see_personal") and demands:
        append_audit(session, who.actor, "read_personal", "demand", demands[0].id if len(demands) == 1 else None,
                     None, {"demand_ids": [d.id for d in demands]})
        return True
    return False


def audit_personal_read(session: Session, who: Principal, demands: list[db.Demand]) -> None:
    """Write who read which demands' personal fields (only when they were shown)."""
    if append_personal_read(session, who, demands):
        session.commit()


async def json_body(request: Request) -> Any:
    """The request's JSON as sent (already read and cached by FastAPI for the form model)."""
    try:
        return await request.json()
    except ValueError:
        return None


def unknown_fields_note(payload: Any) -> list[NoteOut]:
    """A note naming the submitted keys that are not part of the form (their values were not stored)."""
    unknown = unknown_keys(payload, DemandRecord)
    if not unknown:
        return []
    return [NoteOut(code="unknown_fields", details=unknown,
                    message_zh=f"以下键不属于表单，未保存：{'、'.join(unknown)}（请检查拼写，可用中文表头或英文键）",
                    message_en=f"these keys are not part of the form and were not stored: {', '.join(unknown)} "
                               "(check the spelling; Chinese headers and English keys are accepted)")]


def etag(demand: db.Demand) -> str:
    """The HTTP entity tag of a demand's version (``"3"``)."""
    return f'"{demand.row_version or 1}"'


#: What ``If-Match`` may hold, as OpenAPI documents it (:func:`version_from` checks it, naming the header).
IF_MATCH_PATTERN = r'^\s*(\*|(W/)?"?[0-9]{1,9}"?)\s*$'
# typed ``str`` (a header is a string when sent), so the schema says string, not "string or null"; absent: None
IF_MATCH: Any = Header(None, description="修改时所依据的版本（ETag / row_version）；已被他人修改则 409",
                       json_schema_extra={"pattern": IF_MATCH_PATTERN})


def version_from(if_match: str | None) -> int | None:
    """The version an ``If-Match`` header names (``"3"``, ``W/"3"`` or ``3``); None without the header."""
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 9:
        raise InvalidInput("If-Match 应为需求的版本号（如 \"3\"，见 ETag 或 row_version）。",
                           'If-Match must be the demand\'s version (e.g. "3", from its ETag or row_version).',
                           {"field": "If-Match"})
    return int(value)


CONFLICT_DOC = {409: {"description": "冲突：版本已过期（stale_version）或企业不符 / conflict"},
                503: {"description": "系统忙或数据库不可用，见 Retry-After / busy or database unavailable"},
                507: {"description": "磁盘已满 / storage full"}}


@router.post("/demands", response_model=SubmitOut, status_code=200, summary="提交一条需求 / submit one demand",
             responses=CONFLICT_DOC)
def submit_demand(record: DemandRecord, response: Response, payload: Any = Depends(json_body),
                  if_match: str = IF_MATCH,
                  session: Session = Depends(get_session),
                  campaign: CampaignContext = Depends(get_campaign), services: Services = Depends(get_services),
                  who: Principal = Depends(require("submit")), mode: UpdateMode = Query(
                      "merge", description="同一需求编号：merge 只更新提交的字段（默认）/ replace 整条替换")) -> SubmitOut:
    """提交一条需求（含企业信息），键可用中文表头或英文字段名；返回存储结果与规则检查结果。

    Submit one flat record (Chinese headers or English names). The same 需求编号 or identical
    content is not stored twice (``outcome``: new / unchanged / updated). An update changes the fields
    sent and keeps the others (``changed_fields`` names what changed), unless ``mode=replace``. A city bureau submits
    for its own region only; changing the enterprise of a stored demand needs an admin.
    """
    if who.role == "bureau" and record.region != who.region:
        raise Forbidden(f"初审单位只能提交本地区（{who.region}）的需求。",
                        f"A bureau submits demands of its own region ({who.region}) only.",
                        {"region": record.region}, code="region_forbidden")
    result = submit(session, campaign, payload if isinstance(payload, dict) else record, actor=who.actor,
                    steps=services.intake_steps, context=services.settings.validation_context,
                    allow_enterprise_change=who.may("change_enterprise"), replace=mode == "replace",
                    expected_version=version_from(if_match),
                    before_commit=lambda s, r: append_personal_read(s, who, [r.demand]))  # one commit
    response.headers["ETag"] = etag(result.demand)
    return SubmitOut(outcome=result.outcome, demand=demand_out(result.demand, admin=who.may("see_personal")),
                     changed_fields=result.changed_fields, notes=unknown_fields_note(payload))


@router.get("/demands", response_model=DemandPage, summary="需求列表 / list demands")
def list_demands(batch: str | None = Query(None, description="批次，如 第一批"),
                 region: str | None = Query(None, description="注册地区，如 沈阳市"),
                 status: str | None = Query(None, description="平台状态"),
                 check_status: Literal["ok", "warning", "error"] | None = Query(
                     None, description="规则检查结论：ok / warning / error"),
                 office: str | None = Query(None, description="归口处室，如 高新处"),
                 limit: int = Query(50, ge=1, le=500, description="每页条数（1–500）"),
                 offset: int = Query(0, ge=0, le=MAX_ID, description="起始位置"),
                 session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
                 who: Principal = Depends(principal)) -> DemandPage:
    """按批次、地区、状态等筛选需求，分页返回（初审单位只看到本地区）。Filter and page through demands."""
    if who.role == "bureau":
        if region and region != who.region:
            raise Forbidden(f"初审单位只能查看本地区（{who.region}）的需求。",
                            f"A bureau sees the demands of its own region ({who.region}) only.",
                            {"region": region}, code="region_forbidden")
        region = who.region
    total, page = queries.list_demands(session, campaign, batch=batch, region=region, status=status,
                                       check_status=check_status, office=office, limit=limit, offset=offset)
    out = DemandPage(total=total, limit=limit, offset=offset,
                     items=[demand_out(d, admin=who.may("see_personal")) for d in page])
    audit_personal_read(session, who, page)
    return out


@router.get("/demands/{demand_id}", response_model=DemandOut, summary="一条需求 / one demand")
def get_demand(response: Response, demand_id: int = PathParam(..., ge=1, le=MAX_ID, description="需求的系统内编号"),
               session: Session = Depends(get_session), who: Principal = Depends(principal)) -> DemandOut:
    """按系统内编号取一条需求（ETag 为其版本号）。Get one demand by its storage id (ETag: its version)."""
    demand = visible_demand(session, demand_id, who)
    response.headers["ETag"] = etag(demand)
    out = demand_out(demand, admin=who.may("see_personal"))
    audit_personal_read(session, who, [demand])
    return out


@router.get("/demands/{demand_id}/findings", response_model=list[FindingOut],
            summary="规则检查结果 / rule findings of a demand")
def demand_findings(demand_id: int = PathParam(..., ge=1, le=MAX_ID, description="需求的系统内编号"),
                    session: Session = Depends(get_session), who: Principal = Depends(principal)) -> list[FindingOut]:
    """一条需求的规则检查结果（规则编号、严重程度、中英文说明、触发取值）。Rule findings of one demand."""
    return [finding_out(f) for f in visible_demand(session, demand_id, who).findings]


@router.get("/quota", response_model=list[QuotaStatus], tags=["quota 配额"],
            summary="各地区推荐配额进度 / quota progress per region")
def quota(session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
          who: Principal = Depends(principal)) -> list[dict[str, Any]]:
    """各地区（及重点园区）已推荐数量与最低配额的对比。Progress of each region and park against its quota."""
    return queries.quota_progress(session, campaign)


class CheckOut(BaseModel):
    """重新检查的结果 / result of re-running the intake checks."""

    demands: int = Field(..., description="检查的需求数")
    by_status: dict[str, int] = Field(..., description="各检查结论的数量：ok / warning / error")
    findings_by_rule: dict[str, int] = Field(..., description="各规则触发次数（含查重）")
    changed: int = Field(..., description="结论有变化的需求数")


@router.post("/checks", response_model=CheckOut, summary="重新检查全部需求（规则与查重）/ re-run every intake check")
def run_checks(session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
               services: Services = Depends(get_services), who: Principal = Depends(require("run_round"))) -> CheckOut:
    """对已存储的需求重新运行全部入库检查（规则与查重），与 `jiebang check` 相同。Re-run every intake step
    (rules and the duplicate check) on the stored demands, as `jiebang check` does; one transaction."""
    return CheckOut(**check_all(session, campaign, actor=who.actor, steps=services.intake_steps).to_dict())


class StatusIn(RequestBody):
    """退回、撤回或恢复 / return, withdraw or restore a demand."""

    model_config = ConfigDict(json_schema_extra=reason_required_when("action", ("return", "withdraw"), "note"))
    action: Literal["return", "withdraw", "restore"] = Field(
        ..., description="return（退回，业务处室）/ withdraw（撤回，初审单位或业务处室）/ restore（恢复退回或撤回前的状态）")
    note: str | None = Field(None, description="理由（退回、撤回必填）")


@router.post("/demands/{demand_id}/status", summary="退回、撤回或恢复一条需求（记入操作日志）/ return, withdraw or restore")
def demand_status(body: StatusIn, demand_id: int = PathParam(..., ge=1, le=MAX_ID), session: Session = Depends(get_session),
                  who: Principal = Depends(require("submit"))) -> dict[str, Any]:
    demand = visible_demand(session, demand_id, who)
    if (body.action == "return" or (body.action == "restore" and demand.status == "已退回")) and not who.may("run_round"):
        raise Forbidden("只有业务处室可以退回需求或恢复被退回的需求。", "Only staff return a demand or restore a returned one.",
                        {"action": body.action}, code="role_forbidden")
    status = queries.change_status(session, demand, body.action, actor=who.actor, note=body.note)
    return {"id": demand.id, "status": status}
