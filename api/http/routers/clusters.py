"""Condensation (梳理凝练) over HTTP: run it, list clusters and members, edit them, download the report.

Runs and edits need a role that works on the round (``run_round``: staff, admin); reading the round's
clusters needs ``read_round`` (not a city bureau: clusters span every region).
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path as PathParam
from fastapi.responses import Response
from pydantic import Field
from sqlalchemy.orm import Session

from api.compose import Services
from api.http.auth import require
from api.http.deps import MAX_ID, RequestBody, RowId, Seed, get_services, get_session
from api.services.access import Principal
from api.services.cluster_figures import cluster_out
from api.http.downloads import attachment

router = APIRouter(tags=["凝练 condensation"])

KEY = PathParam(..., pattern=r"^C\d{4,}(\.\d+)?$", description="类编号，如 C0003（子类 C0003.1）")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CondenseIn(RequestBody):
    """凝练参数 / condensation parameters (give groups or min_similarity, or neither for automatic)."""

    batches: list[str] | None = Field(None, description="只凝练这些批次（默认整轮）")
    groups: int | None = Field(None, ge=1, le=2000, description="大约分成 N 类")
    min_similarity: float | None = Field(None, gt=0.0, lt=1.0, description="同类需求的最低相似度")
    refit: bool = Field(False, description="重新聚类（仍保留人工调整与锁定）；默认增量：新需求并入已有类")
    seed: Seed = Field(0, description="随机种子（0 至 2³²−1 的整数）")


class RenameIn(RequestBody):
    name: str | None = Field(None, max_length=100, description="类名；留空则恢复为系统建议的名称")


class LockIn(RequestBody):
    locked: bool = Field(True, description="true 锁定成员 / false 解锁")


class MoveIn(RequestBody):
    cluster: str | None = Field(None, pattern=r"^C\d{4,}$", description="目标类编号；null 表示移入未归类")


class MergeIn(RequestBody):
    keys: list[str] = Field(..., min_length=1, description="并入 into 的类编号")
    into: str = Field(..., pattern=r"^C\d{4,}$", description="保留的类编号")


class SplitIn(RequestBody):
    demand_ids: list[RowId] = Field(..., min_length=1, description="拆出到新类的需求系统编号")
    name: str | None = Field(None, max_length=100, description="新类的名称（可选）")


def _member(m: Any, d: Any) -> dict[str, Any]:
    return {"demand_id": d.id, "external_id": d.external_id, "enterprise": d.enterprise.name, "region": d.region,
            "batch": d.batch, "title": d.title, "proposed_title": m.title, "keywords": list(m.keywords or []),
            "similarity": m.similarity, "sub_cluster": m.sub_key, "pinned": m.pinned}


@router.post("/condense/run", summary="运行梳理凝练 / condense the round")
def condense_run(body: CondenseIn | None = None, session: Session = Depends(get_session),
                 who: Principal = Depends(require("run_round")),
                 services: Services = Depends(get_services)) -> dict[str, Any]:
    body = body or CondenseIn()
    return services.condensation.run(session, batches=body.batches, n_groups=body.groups,
                                     min_similarity=body.min_similarity, refit=body.refit, seed=body.seed,
                                     actor=who.actor)


@router.get("/clusters", summary="类列表（大类在前）/ the clusters, biggest first")
def clusters(session: Session = Depends(get_session), who: Principal = Depends(require("read_round")),
             services: Services = Depends(get_services)) -> dict[str, Any]:
    cond = services.condensation
    return {"clusters": cond.clusters(session), "unclustered": len(cond.unclustered(session))}


@router.get("/clusters/common", summary="共性技术问题（≥3 家企业）/ common problems")
def common_problems(session: Session = Depends(get_session), who: Principal = Depends(require("read_round")),
                    services: Services = Depends(get_services)) -> dict[str, Any]:
    return {"clusters": services.condensation.common_problems(session)}


@router.get("/clusters/unclustered", summary="未归类的需求 / the unclustered demands")
def unclustered(session: Session = Depends(get_session), who: Principal = Depends(require("read_round")),
                services: Services = Depends(get_services)) -> dict[str, Any]:
    return {"members": [_member(m, d) for m, d in services.condensation.unclustered(session)]}


@router.get("/clusters/{key}", summary="一个类及其成员 / one cluster and its members")
def cluster(key: str = KEY, session: Session = Depends(get_session), who: Principal = Depends(require("read_round")),
            services: Services = Depends(get_services)) -> dict[str, Any]:
    row, members = services.condensation.cluster(session, key)
    return {**cluster_out(row, len(members)), "members": [_member(m, d) for m, d in members]}


@router.post("/clusters/{key}/rename", summary="给类命名（之后的运行都保留）/ name a cluster")
def rename(body: RenameIn, key: str = KEY, session: Session = Depends(get_session),
           who: Principal = Depends(require("run_round")), services: Services = Depends(get_services)) -> dict[str, Any]:
    row = services.condensation.rename(session, key, body.name, who.actor)
    return {"key": row.key, "name": row.name or row.title}


@router.post("/clusters/{key}/lock", summary="锁定或解锁类的成员 / lock or unlock a cluster")
def lock(body: LockIn, key: str = KEY, session: Session = Depends(get_session),
         who: Principal = Depends(require("run_round")), services: Services = Depends(get_services)) -> dict[str, Any]:
    row = services.condensation.lock(session, key, body.locked, who.actor)
    return {"key": row.key, "locked": row.locked}


@router.post("/clusters/{key}/split", summary="把部分需求拆成新类 / split demands into a new cluster")
def split(body: SplitIn, key: str = KEY, session: Session = Depends(get_session),
          who: Principal = Depends(require("run_round")), services: Services = Depends(get_services)) -> dict[str, Any]:
    row = services.condensation.split(session, key, body.demand_ids, who.actor, name=body.name)
    return {"key": row.key, "from": key, "demand_ids": body.demand_ids}


@router.post("/clusters/merge", summary="合并类 / merge clusters")
def merge(body: MergeIn, session: Session = Depends(get_session), who: Principal = Depends(require("run_round")),
          services: Services = Depends(get_services)) -> dict[str, Any]:
    row = services.condensation.merge(session, body.keys, body.into, who.actor)
    return {"key": row.key, "merged": [k for k in body.keys if k != body.into]}


@router.post("/clusters/undo", summary="撤销最近一次类的修改 / undo the last cluster edit")
def undo(session: Session = Depends(get_session), who: Principal = Depends(require("run_round")),
         services: Services = Depends(get_services)) -> dict[str, Any]:
    """Undo the newest edit (rename, lock, move, merge, split) since the last run; again for the one before."""
    return services.condensation.undo_last(session, who.actor)


@router.post("/demands/{demand_id}/cluster", summary="把需求移入某类 / move a demand to a cluster")
def move(body: MoveIn, demand_id: int = PathParam(..., ge=1, le=MAX_ID), session: Session = Depends(get_session),
         who: Principal = Depends(require("run_round")), services: Services = Depends(get_services)) -> dict[str, Any]:
    m = services.condensation.move(session, demand_id, body.cluster, who.actor)
    return {"demand_id": demand_id, "cluster": m.cluster_key, "pinned": m.pinned}


@router.get("/condense/report.xlsx", summary="凝练报告（Excel，含图表）/ the round report", response_class=Response)
def report_xlsx(session: Session = Depends(get_session), who: Principal = Depends(require("read_round")),
                services: Services = Depends(get_services)) -> Response:
    return attachment(services.round_report.excel_bytes(session), XLSX, "凝练.xlsx", "condensation.xlsx")


@router.get("/condense/report.json", summary="凝练报告（JSON）/ the round report as JSON")
def report_json(session: Session = Depends(get_session), who: Principal = Depends(require("read_round")),
                services: Services = Depends(get_services)) -> dict[str, Any]:
    return services.round_report.json(session)
