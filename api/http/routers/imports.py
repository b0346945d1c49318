"""File imports over HTTP: demands (through intake), experts, review records, solver institutions."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from api.compose import Services
from api.errors import Forbidden, InvalidInput
from api.http.auth import principal
from api.http.deps import get_campaign, get_services, get_session
from api.http.routers.demands import NoteOut, UpdateMode
from api.services.access import Principal
from api.services.campaign import CampaignContext
from api.services.imports import import_demands, import_people

router = APIRouter(tags=["imports 导入"])

IMPORT_SUFFIXES = (".xlsx", ".xls", ".csv", ".jsonl", ".json", ".docx", ".zip")
#: Who may import what (the action of :data:`api.services.access.PERMISSIONS`).
IMPORT_ACTION = {"demands": "submit", "experts": "manage_experts", "expert_reviews": "manage_experts",
                 "solvers": "run_round"}


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
    notes: list[NoteOut] = Field(default_factory=list, description="文件级提示（no_rows：文件中没有数据行；skipped_file：压缩包或文件夹中未导入的文件）")
    skipped_files: list[dict[str, str]] = Field(default_factory=list, description="压缩包或文件夹中未导入的文件及原因 file, reason_zh, reason_en")
    results: list[dict[str, Any]] = Field(..., description="每个通过行的结果：行号 row_number、系统编号、需求编号、结论 outcome、检查结论、规则")
    findings_by_rule: dict[str, int] = Field(..., description="各规则触发次数")


@router.post("/imports", response_model=ImportOut, summary="导入文件 / import a file (xlsx, csv, jsonl)")
def import_file(file: UploadFile = File(..., description="汇总表（.xlsx/.csv/.jsonl，中文表头）、征集表（.xlsx/.docx）或它们的 .zip"),
                kind: Literal["demands", "experts", "expert_reviews", "solvers"] = Query(
                    "demands", description="文件内容：demands 需求 / experts 专家 / expert_reviews 评审记录 / solvers 揭榜方"),
                session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
                services: Services = Depends(get_services), who: Principal = Depends(principal),
                mode: UpdateMode = Query("merge", description="同一需求编号：merge 只更新文件中有的列（默认）/ replace 整条替换")
                ) -> ImportOut:
    """导入一个文件：通过校验的行在同一事务中入库，被拒绝的行逐行列出（行号、字段、原因）；重复导入不会重复入库。

    Import a file: accepted rows are committed in one transaction, every rejected row is listed;
    re-importing the same file is idempotent. Demands: bureau (own region), staff, admin; experts and
    review records: expert_admin, admin; solvers: staff, admin.
    """
    name, suffix = accepted_upload(who, file, kind)
    context = services.settings.validation_context
    with tempfile.TemporaryDirectory(prefix="jiebang-upload-") as tmp:
        path = save_upload(file, Path(tmp) / f"upload{suffix}")
        if kind == "demands":
            report = import_demands(session, campaign, path, actor=who.actor, steps=services.intake_steps,
                                    context=context, source=name,
                                    region=who.region if who.role == "bureau" else None,
                                    allow_enterprise_change=who.may("change_enterprise"), replace=mode == "replace")
        else:
            report = import_people(session, path, kind, actor=who.actor, source=name, context=context)
    return ImportOut(**report.to_dict())


def accepted_upload(who: Principal, file: UploadFile, kind: str) -> tuple[str, str]:
    """The upload's file name and suffix, once the caller's role may import ``kind`` and the type is one we read."""
    if not who.may(IMPORT_ACTION[kind]):
        raise Forbidden(f"当前令牌的角色无权导入 {kind}。", f"This token's role may not import {kind}.",
                        {"kind": kind, "role": who.role}, code="role_forbidden")
    name = Path(file.filename or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise InvalidInput(f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 .xlsx、.csv、.jsonl、.docx 或 .zip 文件。",
                           f"Unsupported file type '{suffix or 'none'}'; upload .xlsx, .csv, .jsonl, .docx or .zip.",
                           {"file": name})
    return name, suffix


def save_upload(file: UploadFile, path: Path) -> Path:
    """Copy the upload to ``path`` in 1 MB chunks (the body limit already capped its size)."""
    with path.open("wb") as out:
        while chunk := file.file.read(1 << 20):
            out.write(chunk)
    return path
