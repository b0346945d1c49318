"""Experts and solvers over HTTP: rank experts for a demand, assign a round, panels, Excel, solvers.

Expert identities are confidential (评审专家信息保密): unless the token's role may see them every expert is a
stable pseudonym; names, organisations and the Excel export need ``Authorization: Bearer <token>``.
Running an assignment and recording reviews change state and need the expert_admin or admin role; every
read of identities is written to the audit log with the token's subject.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path as PathParam, Query
from fastapi.responses import Response
from pydantic import AliasChoices, Field, Strict
from sqlalchemy.orm import Session

from api.compose import Services
from api.forms.models import Day, FormModel, RequiredText, Text, TextList
from api.http.auth import principal, require
from api.http.deps import MAX_ID, RequestBody, RowId, Seed, get_campaign, get_services, get_session
from api.http.routers.demands import visible_demand
from api.services.access import Principal
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from matching.assign import PanelRules

router = APIRouter(tags=["专家与揭榜方 experts & solvers"])


class PairIn(RequestBody):
    """一对需求与专家 / a (demand, expert) pair staff force or forbid."""

    demand_id: RowId = Field(..., description="需求系统编号")
    expert_id: str = Field(..., min_length=1, max_length=64, description="专家编号（如 EXP001）或化名（专家-…）")


# a demand's 系统编号 as a key of a JSON object: written as text ("17"), so read as a number from it
DemandKey = Annotated[int, Strict(False), Field(ge=1, le=MAX_ID)]


class AssignIn(RequestBody):
    """一轮专家组分配的参数 / parameters of a panel assignment round."""

    demand_ids: list[RowId] | None = Field(None, description="参与分配的需求（默认本活动全部）")
    batch: str | None = Field(None, description="只分配某一批次")
    solver: Literal["optimal", "greedy", "random_draw"] = Field(
        "optimal", description="optimal（总匹配度最优）/ greedy（贪心基线）/ random_draw（在合格候选池中随机抽取）")
    seed: Seed | None = Field(None, description="随机抽取的种子（0 至 2³²−1 的整数；不填则自动生成并记录）")
    panel_size: int = Field(5, ge=1, le=50, description="每个专家组人数")
    max_load: int = Field(8, ge=1, le=1000, description="每位专家最多参加的专家组数")
    min_out_of_province_share: float = Field(0.0, ge=0, le=1, description="省外专家最低占比")
    category_mix: dict[str, int] = Field(default_factory=dict, description="各类专家最少人数，如 {\"财务\": 1}")
    pool_factor: float = Field(3.0, ge=1, le=20, description="随机抽取候选池 = 该倍数 × 专家组人数")
    out_of_region: bool = Field(False, description="要求专家与企业不在同一地区")
    clusters: dict[DemandKey, str] | None = Field(None, description="相近需求共用专家组：{需求系统编号: 组名}",
                                                  json_schema_extra={"propertyNames": {"pattern": "^[1-9][0-9]*$"}})
    force: list[PairIn] = Field(default_factory=list, max_length=1000,
                                description="指定专家：这些专家必须进入对应需求的专家组（仍受单人上限与组规模约束）")
    forbid: list[PairIn] = Field(default_factory=list, max_length=1000,
                                 description="移出并禁止：这些专家不得进入对应需求的专家组（按回避规则 staff_forbid 处理）")

    def pairs(self) -> dict[str, list[dict[str, Any]]]:
        """``force`` / ``forbid`` as the panels service takes them."""
        return {"force": [x.model_dump() for x in self.force], "forbid": [x.model_dump() for x in self.forbid]}


class ReviewIn(FormModel):
    """一条评审记录 / one review record: the review-record file's Chinese headers (项目名称、项目摘要、关键词、评审时间),
    read by the same parsers as an import (关键词 joined by 、，;; dates checked); English keys work too."""

    project_title: RequiredText = Field(
        ..., min_length=1, validation_alias=AliasChoices("项目名称", "project_title", "title"), description="项目名称（必填）")
    project_abstract: Text = Field(None, validation_alias=AliasChoices("项目摘要", "project_abstract", "abstract"),
                                   description="项目摘要")
    keywords: TextList = Field(default_factory=list, validation_alias=AliasChoices("关键词", "keywords"),
                               description="关键词（用“、”分隔或列表）")
    reviewed_on: Day = Field(None, validation_alias=AliasChoices("评审时间", "reviewed_on", "reviewed_at"),
                             description="评审时间（如 2023-04-01）")


@router.get("/demands/{demand_id}/experts", summary="为需求推荐专家（含依据与回避）/ rank experts for a demand")
def rank_experts(demand_id: int = PathParam(..., ge=1, le=MAX_ID), top: int = Query(20, ge=1, le=500),
                 out_of_region: bool = Query(False, description="要求区域外专家"),
                 session: Session = Depends(get_session), who: Principal = Depends(principal),
                 services: Services = Depends(get_services)) -> dict[str, Any]:
    visible_demand(session, demand_id, who)
    admin = who.may("see_expert_identities")
    out = services.experts.rank_experts(session, demand_id, top=top, admin=admin, out_of_region=out_of_region)
    _audit_identities(session, who, "rank_experts", "demand", demand_id)
    return out


@router.get("/demands/{demand_id}/solvers", summary="为需求推荐揭榜方（含依据）/ rank solver institutions")
def rank_solvers(demand_id: int = PathParam(..., ge=1, le=MAX_ID), top: int = Query(10, ge=1, le=200),
                 session: Session = Depends(get_session), who: Principal = Depends(principal),
                 services: Services = Depends(get_services)) -> dict[str, Any]:
    visible_demand(session, demand_id, who)
    return services.institutions.rank(session, demand_id, top=top)


@router.post("/experts/assignments", summary="分配一轮专家组（专家管理）/ assign panels for a round (expert_admin)")
def assign(body: AssignIn, session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
           who: Principal = Depends(require("manage_experts")),
           services: Services = Depends(get_services)) -> dict[str, Any]:
    rules = PanelRules(panel_size=body.panel_size, max_load=body.max_load,
                       min_out_of_province_share=body.min_out_of_province_share,
                       category_mix=body.category_mix, pool_factor=body.pool_factor)
    return services.panels.assign(session, campaign, demand_ids=body.demand_ids, batch=body.batch, rules=rules,
                           solver=body.solver, seed=body.seed, out_of_region=body.out_of_region,
                           clusters=body.clusters, actor=who.actor, **body.pairs())


@router.get("/experts/assignments/{run_id}", summary="查看分配结果 / panels of a run")
def panels(run_id: int = PathParam(..., ge=1, le=MAX_ID), session: Session = Depends(get_session),
           who: Principal = Depends(require("read_round")), services: Services = Depends(get_services)) -> dict[str, Any]:
    out = services.panels.run_panels(session, run_id, admin=who.may("see_expert_identities"))
    _audit_identities(session, who, "read_panels", "assignment_run", run_id)
    return out


class RedrawIn(RequestBody):
    """重抽一个专家组 / re-draw one panel."""

    seed: Seed | None = Field(None, description="随机种子（0 至 2³²−1 的整数；空：新抽一个并记录）")


@router.post("/experts/assignments/{run_id}/panels/{demand_id}/redraw",
             summary="只重抽一个需求的专家组，其余不变（专家管理）/ re-draw one panel, keep the others (expert_admin)")
def redraw_panel(body: RedrawIn | None = None, run_id: int = PathParam(..., ge=1, le=MAX_ID), demand_id: int = PathParam(..., ge=1, le=MAX_ID),
                 session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
                 who: Principal = Depends(require("manage_experts")),
                 services: Services = Depends(get_services)) -> dict[str, Any]:
    """新建一条分配记录：其他需求的专家组原样保留，只按原规则重抽此需求的专家组，记录此组的种子。"""
    return services.panels.redraw_panel(session, campaign, run_id, demand_id, seed=(body or RedrawIn()).seed,
                                        actor=who.actor)


@router.get("/experts/assignments/{run_id}/export.xlsx", response_class=Response,
            summary="导出专家组（每个处室一个工作表，专家管理）/ export panels (expert_admin)")
def export_panels(run_id: int = PathParam(..., ge=1, le=MAX_ID), session: Session = Depends(get_session),
                  who: Principal = Depends(require("see_expert_identities")),
                  services: Services = Depends(get_services)) -> Response:
    content = services.panels.export_excel(session, run_id)
    _audit_identities(session, who, "export_panels", "assignment_run", run_id)
    return Response(content,
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="panels-{run_id}.xlsx"'})


@router.post("/experts/{expert_id}/reviews",
             summary="登记一条评审记录（更新专家画像，专家管理）/ record a review (expert_admin)")
def record_review(body: ReviewIn, expert_id: str = PathParam(..., description="专家编号"),
                  who: Principal = Depends(require("manage_experts")),
                  session: Session = Depends(get_session),
                  services: Services = Depends(get_services)) -> dict[str, Any]:
    return services.experts.record_review(session, expert_id, body.project_title, body.project_abstract or "",
                                          body.keywords, body.reviewed_on.isoformat() if body.reviewed_on else None,
                                          actor=who.actor)


def _audit_identities(session: Session, who: Principal, action: str, entity: str, entity_id: int) -> None:
    """Write who was shown expert identities (only when they were shown)."""
    if who.may("see_expert_identities"):
        append_audit(session, who.actor, action, entity, entity_id, None, {"identities": True})
        session.commit()
