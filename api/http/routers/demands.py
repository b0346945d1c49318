"""Demand intake and queries: submit, import a file, list, get, findings, quota progress, audit.

Personal fields (contacts, legal representative) are masked unless the request carries the
admin token (:mod:`api.http.auth`).
"""
from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Path as PathParam, Query, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from api.compose import Services
from api.errors import Forbidden, InvalidInput
from api.forms.models import DemandRecord, unknown_keys
from api.http.auth import is_admin, require_admin
from api.http.deps import get_campaign, get_services, get_session
from api.services import demands as queries
from api.services.audit import list_audit, redacted
from api.services.campaign import CampaignContext
from api.services.imports import import_demands, import_people
from api.services.intake import submit_demand as submit
from api.store import tables as db
from matching.rules import QuotaStatus

router = APIRouter()

IMPORT_SUFFIXES = (".xlsx", ".xls", ".csv", ".jsonl", ".json")


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
    notes: list[NoteOut] = Field(default_factory=list, description="提示：如不属于表单、未保存的键 unknown_fields")


class DemandPage(BaseModel):
    """分页的需求列表 / a page of demands."""

    total: int = Field(..., description="符合条件的总数")
    limit: int = Field(..., description="每页条数")
    offset: int = Field(..., description="起始位置")
    items: list[DemandOut]


class RejectedRowOut(BaseModel):
    """被拒绝的行 / a rejected row (schema-invalid; nothing of it was stored)."""

    row_number: int = Field(..., description="行号（表格中的行号，JSONL 为第几行）")
    field: str | None = Field(None, description="出错字段（中文表头）")
    reason_zh: str = Field("", description="原因（中文）")
    reason_en: str = Field("", description="原因（英文）")
    raw: dict[str, Any] = Field(default_factory=dict, description="该行原始内容（个人信息已脱敏）")


class ImportOut(BaseModel):
    """导入报告 / import report."""

    file: str = Field(..., description="文件名")
    format: str = Field("", description="文件格式：excel / csv / jsonl")
    rows: int = Field(..., description="文件中的数据行数")
    accepted: int = Field(..., description="通过校验的行数（新增+未变+更新）")
    new: int = Field(..., description="新增")
    unchanged: int = Field(..., description="未变（重复导入，未新增）")
    updated: int = Field(..., description="已更新（同一需求编号，内容有变化）")
    rejected_rows: int = Field(..., description="被拒绝的行数")
    rejected: list[RejectedRowOut] = Field(..., description="被拒绝行的每个问题：行号、字段、原因（中英文）")
    notes: list[NoteOut] = Field(default_factory=list, description="文件级提示")
    results: list[dict[str, Any]] = Field(..., description="每个通过行的结果：行号 row_number、系统编号、需求编号、结论 outcome、检查结论、规则")
    findings_by_rule: dict[str, int] = Field(..., description="各规则触发次数")


class AuditOut(BaseModel):
    """一条审计记录 / an audit-log entry (personal fields masked)."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None


def demand_out(demand: db.Demand, *, admin: bool, with_findings: bool = True) -> DemandOut:
    """A stored demand as the API shows it (personal fields masked for non-admins)."""
    record = dict(demand.record) if admin else redacted(demand.record)
    findings = [finding_out(f) for f in demand.findings] if with_findings else []
    return DemandOut(id=demand.id, external_id=demand.external_id, enterprise_id=demand.enterprise_id,
                     enterprise=demand.enterprise.name, batch=demand.batch, region=demand.region,
                     park=demand.park, recommending_unit=demand.recommending_unit, status=demand.status,
                     check_status=demand.check_status, category=demand.category, area=demand.area,
                     office=demand.office, title=demand.title, submitted_at=demand.submitted_at,
                     created_at=demand.created_at, updated_at=demand.updated_at, record=record or {},
                     findings=findings)


def finding_out(row: db.FindingRow) -> FindingOut:
    return FindingOut(rule_id=row.rule_id, severity=row.severity, message_zh=row.message_zh,
                      message_en=row.message_en, fields=list(row.fields or []), values=dict(row.values or {}))


def _actor(admin: bool) -> str:
    return "api:admin" if admin else "api"


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


@router.post("/demands", response_model=SubmitOut, tags=["demands 需求"], status_code=200,
             summary="提交一条需求 / submit one demand")
def submit_demand(record: DemandRecord, payload: Any = Depends(json_body), session: Session = Depends(get_session),
                  campaign: CampaignContext = Depends(get_campaign), services: Services = Depends(get_services),
                  admin: bool = Depends(is_admin)) -> SubmitOut:
    """提交一条需求（含企业信息），键可用中文表头或英文字段名；返回存储结果与规则检查结果。

    Submit one flat record (Chinese headers or English names). The same 需求编号 or identical
    content is not stored twice (``outcome``: new / unchanged / updated).
    """
    context = services.settings.validation_context  # the configured hard cap, beside the default checked above
    result = submit(session, campaign, payload if isinstance(payload, dict) else record, actor=_actor(admin),
                    steps=services.intake_steps, context=context)
    return SubmitOut(outcome=result.outcome, demand=demand_out(result.demand, admin=admin),
                     notes=unknown_fields_note(payload))


@router.post("/imports", response_model=ImportOut, tags=["imports 导入"],
             summary="导入文件 / import a file (xlsx, csv, jsonl)")
def import_file(file: UploadFile = File(..., description="Excel（.xlsx）、CSV 或 JSONL 文件，中文表头"),
                kind: Literal["demands", "experts", "expert_reviews", "solvers"] = Query(
                    "demands", description="文件内容：demands 需求 / experts 专家 / expert_reviews 评审记录 / solvers 揭榜方"),
                session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
                services: Services = Depends(get_services), admin: bool = Depends(is_admin)) -> ImportOut:
    """导入一个文件：通过校验的行在同一事务中入库，被拒绝的行逐行列出（行号、字段、原因）；重复导入不会重复入库。

    Import a file: accepted rows are committed in one transaction, every rejected row is listed;
    re-importing the same file is idempotent. Experts and review history need the admin token.
    """
    name = Path(file.filename or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise InvalidInput(f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 .xlsx、.csv 或 .jsonl 文件。",
                           f"Unsupported file type '{suffix or 'none'}'; upload .xlsx, .csv or .jsonl.",
                           {"file": name})
    if kind in ("experts", "expert_reviews") and not admin:
        raise Forbidden("导入专家信息需要管理员令牌。", "Importing experts requires the admin token.",
                        code="admin_required")
    with tempfile.TemporaryDirectory(prefix="jiebang-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            while chunk := file.file.read(1 << 20):
                out.write(chunk)
        if kind == "demands":
            report = import_demands(session, campaign, path, actor=_actor(admin), steps=services.intake_steps,
                                    context=services.settings.validation_context,
                                    source=name)
        else:
            report = import_people(session, path, kind, actor=_actor(admin), source=name,
                                   context=services.settings.validation_context)
    return ImportOut(**report.to_dict())


@router.get("/demands", response_model=DemandPage, tags=["demands 需求"], summary="需求列表 / list demands")
def list_demands(batch: str | None = Query(None, description="批次，如 第一批"),
                 region: str | None = Query(None, description="注册地区，如 沈阳市"),
                 status: str | None = Query(None, description="平台状态"),
                 check_status: Literal["ok", "warning", "error"] | None = Query(
                     None, description="规则检查结论：ok / warning / error"),
                 office: str | None = Query(None, description="归口处室，如 高新处"),
                 limit: int = Query(50, ge=1, le=500, description="每页条数（1–500）"),
                 offset: int = Query(0, ge=0, description="起始位置"),
                 session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
                 admin: bool = Depends(is_admin)) -> DemandPage:
    """按批次、地区、状态等筛选需求，分页返回。Filter and page through demands."""
    total, page = queries.list_demands(session, campaign, batch=batch, region=region, status=status,
                                       check_status=check_status, office=office, limit=limit, offset=offset)
    return DemandPage(total=total, limit=limit, offset=offset,
                      items=[demand_out(d, admin=admin) for d in page])


@router.get("/demands/{demand_id}", response_model=DemandOut, tags=["demands 需求"],
            summary="一条需求 / one demand")
def get_demand(demand_id: int = PathParam(..., description="需求的系统内编号"),
               session: Session = Depends(get_session), admin: bool = Depends(is_admin)) -> DemandOut:
    """按系统内编号取一条需求。Get one demand by its storage id."""
    return demand_out(queries.get_demand(session, demand_id), admin=admin)


@router.get("/demands/{demand_id}/findings", response_model=list[FindingOut], tags=["demands 需求"],
            summary="规则检查结果 / rule findings of a demand")
def demand_findings(demand_id: int = PathParam(..., description="需求的系统内编号"),
                    session: Session = Depends(get_session)) -> list[FindingOut]:
    """一条需求的规则检查结果（规则编号、严重程度、中英文说明、触发取值）。Rule findings of one demand."""
    return [finding_out(f) for f in queries.demand_findings(session, demand_id)]


@router.get("/quota", response_model=list[QuotaStatus], tags=["quota 配额"],
            summary="各地区推荐配额进度 / quota progress per region")
def quota(session: Session = Depends(get_session),
          campaign: CampaignContext = Depends(get_campaign)) -> list[dict[str, Any]]:
    """各地区（及重点园区）已推荐数量与最低配额的对比。Progress of each region and park against its quota."""
    return queries.quota_progress(session, campaign)


@router.get("/audit", response_model=list[AuditOut], tags=["audit 审计"], dependencies=[Depends(require_admin)],
            summary="审计日志（需管理员令牌）/ audit log (admin)")
def audit(entity: str | None = Query(None, description="对象类型：demand / expert / solver / file / campaign"),
          entity_id: int | None = Query(None, description="对象编号"),
          limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
          session: Session = Depends(get_session)) -> list[AuditOut]:
    """变更记录（追加写入，个人信息已脱敏），最新的在前。Append-only change log, newest first."""
    return [AuditOut.model_validate(e, from_attributes=True)
            for e in list_audit(session, entity=entity, entity_id=entity_id, limit=limit, offset=offset)]
