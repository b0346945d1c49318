"""The 榜单 draft (发榜清单草稿) over HTTP, beside the cluster endpoints: mark a cluster or a demand 拟发榜,
read and edit entries (each change a version with who and when), withdraw, download per office as Word or
Excel. Marking and editing need ``run_round`` (staff, admin); reading needs ``read_round``.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path as PathParam, Query
from fastapi.responses import Response
from pydantic import ConfigDict, Field
from sqlalchemy.orm import Session

from api.compose import Services
from api.http.auth import require
from api.http.deps import MAX_ID, RequestBody, get_services, get_session
from api.http.routers.clusters import KEY, XLSX
from api.services.access import Principal
from api.http.downloads import attachment

router = APIRouter(tags=["榜单 bangdan"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ENTRY = PathParam(..., ge=1, le=MAX_ID, description="榜单条目编号")
OFFICE = Query(None, max_length=50, pattern=r"^[^\x00-\x1f\x7f]*$", description="归口处室（如 高新处）；不填为全部")


Amount = Annotated[float, Field(ge=0)]  # 万元
AmountText = Annotated[str, Field(pattern=r"^\s*\d+(\.\d+)?\s*$")]  # the same, written as text ("120.5")


class EntryChanges(RequestBody):
    """字段 → 新值（只写要改的；其他字段不能修改）/ field → new value, only the fields to change."""

    model_config = ConfigDict(strict=True, extra="forbid")
    name: str | None = Field(None, description="发榜需求名称")
    units: str | list[str] | None = Field(None, description="需求单位（以“、”分隔，或列表）")
    content: str | None = Field(None, description="发榜内容")
    indicators: str | list[dict[str, Any]] | None = Field(None, description="技术指标（以“；”分隔，或列表）")
    requirements: str | None = Field(None, description="对揭榜方要求")
    deliverables: str | None = Field(None, description="交付要件")
    investment: Amount | AmountText | dict[str, Any] | None = Field(
        None, description="投入资金（万元）：数字，或写成文字的数字")
    deadline: str | None = Field(None, description="完成时限")


class EditIn(RequestBody):
    """要修改的字段（只写要改的）/ the fields to change."""

    changes: EntryChanges
    version: int | None = Field(None, ge=1, description="编辑时看到的版本号；期间他人已修改则拒绝")


@router.post("/clusters/{key}/bangdan", summary="类拟发榜：生成榜单草稿条目 / mark a cluster for the 榜单")
def mark_cluster(key: str = KEY, session: Session = Depends(get_session), who: Principal = Depends(require("run_round")),
                 services: Services = Depends(get_services)) -> dict[str, Any]:
    return services.bangdan.mark_cluster(session, key, who.actor)


@router.post("/demands/{demand_id}/bangdan", summary="单条需求拟发榜 / mark one demand for the 榜单")
def mark_demand(demand_id: int = PathParam(..., ge=1, le=MAX_ID), session: Session = Depends(get_session),
                who: Principal = Depends(require("run_round")), services: Services = Depends(get_services)) -> dict[str, Any]:
    return services.bangdan.mark_demand(session, demand_id, who.actor)


@router.get("/bangdan", summary="榜单草稿条目 / the 榜单 draft entries")
def entries(office: str | None = OFFICE, session: Session = Depends(get_session),
            who: Principal = Depends(require("read_round")), services: Services = Depends(get_services)) -> dict[str, Any]:
    return {"entries": services.bangdan.entries(session, office)}


@router.get("/bangdan/export.docx", summary="榜单草稿（Word，每条一表）/ the 榜单 draft as Word", response_class=Response)
def export_docx(office: str | None = OFFICE, session: Session = Depends(get_session),
                who: Principal = Depends(require("read_round")), services: Services = Depends(get_services)) -> Response:
    return attachment(services.bangdan.docx(session, office), DOCX, f"榜单草稿-{office or '全部'}.docx", "bangdan.docx")


@router.get("/bangdan/export.xlsx", summary="榜单草稿（Excel）/ the 榜单 draft as Excel", response_class=Response)
def export_xlsx(office: str | None = OFFICE, session: Session = Depends(get_session),
                who: Principal = Depends(require("read_round")), services: Services = Depends(get_services)) -> Response:
    return attachment(services.bangdan.excel(session, office), XLSX, f"榜单草稿-{office or '全部'}.xlsx", "bangdan.xlsx")


@router.get("/bangdan/{entry_id:int}", summary="一个榜单条目及其各版本 / one entry with its versions")
def entry(entry_id: int = ENTRY, session: Session = Depends(get_session), who: Principal = Depends(require("read_round")),
          services: Services = Depends(get_services)) -> dict[str, Any]:
    return services.bangdan.entry(session, entry_id)


@router.patch("/bangdan/{entry_id:int}", summary="修改榜单条目（记录版本）/ edit an entry (versioned)")
def edit(body: EditIn, entry_id: int = ENTRY, session: Session = Depends(get_session),
         who: Principal = Depends(require("run_round")), services: Services = Depends(get_services)) -> dict[str, Any]:
    return services.bangdan.edit(session, entry_id, body.changes.model_dump(exclude_unset=True), who.actor, expected_version=body.version)


@router.delete("/bangdan/{entry_id:int}", summary="撤回拟发榜（保留历史）/ withdraw an entry")
def withdraw(entry_id: int = ENTRY, session: Session = Depends(get_session), who: Principal = Depends(require("run_round")),
             services: Services = Depends(get_services)) -> dict[str, Any]:
    return services.bangdan.withdraw(session, entry_id, who.actor)
