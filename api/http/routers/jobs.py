"""Background jobs over HTTP: start long work (import, de-dup, condensation, panels) and follow it.

``POST /jobs/<kind>`` answers 202 with ``{job_id}`` at once; ``GET /jobs/{id}`` gives the stage,
progress (``done`` of ``total``; ``total`` 0 while unknown) and, at the end, the result or the
bilingual error body. Each start needs the same role as the capability's own endpoint; a job is read
by whoever started it and by the roles that may start its kind. Job state is in the database: a job a
stopped process left behind reads ``failed`` with the reason, never "running" forever.
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Path as PathParam, Query, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from api.compose import Services
from api.errors import NotFound
from api.http.auth import principal, require
from api.http.deps import MAX_ID, get_campaign, get_services, get_session
from api.http.routers.clusters import CondenseIn
from api.http.routers.domains import SuggestIn
from api.http.routers.duplicates import DedupRunIn
from api.http.routers.experts import AssignIn
from api.http.routers.imports import accepted_upload, save_upload
from api.services import job_work, jobs as work
from api.services.access import Principal
from api.services.campaign import CampaignContext
from matching.assign import PanelRules

router = APIRouter(tags=["jobs 后台任务"])


class JobStarted(BaseModel):
    """已提交的后台任务 / a job started."""

    job_id: int = Field(..., description="任务编号；用 GET /jobs/{id} 查看进度与结果")
    kind: str = Field(..., description="任务类型：import / dedup / condense / panels / domains")


def start_import(services: Services, session: Session, campaign: CampaignContext, who: Principal,
                 file: UploadFile, kind: str) -> int:
    """Save an uploaded file and start importing it as a job (the console uses this too)."""
    name, suffix = accepted_upload(who, file, kind)
    folder = services.upload_folder()
    path = save_upload(file, folder / f"upload{suffix}")
    spec = {"path": str(path), "kind": kind, "actor": who.actor, "source": name,
            "region": who.region if who.role == "bureau" else None,
            "allow_enterprise_change": who.may("change_enterprise")}
    return services.jobs.submit(session, "import", {"file": name, "kind": kind}, who.actor,
                                job_work.import_from_spec(services, spec), cleanup=[folder], spec=spec)


def start_dedup(services: Services, session: Session, who: Principal, body: DedupRunIn) -> int:
    job = job_work.dedup_work(services.dedup_runs, batch=body.batch, min_verdict=body.min_verdict, actor=who.actor)
    return services.jobs.submit(session, "dedup", body.model_dump(), who.actor, job)


def start_condense(services: Services, session: Session, who: Principal, body: CondenseIn) -> int:
    job = job_work.condense_work(services.condensation, actor=who.actor, batches=body.batches, n_groups=body.groups,
                             min_similarity=body.min_similarity, refit=body.refit, seed=body.seed)
    return services.jobs.submit(session, "condense", body.model_dump(), who.actor, job)


def start_panels(services: Services, session: Session, campaign: CampaignContext, who: Principal,
                 body: AssignIn) -> int:
    rules = PanelRules(panel_size=body.panel_size, max_load=body.max_load,
                       min_out_of_province_share=body.min_out_of_province_share,
                       category_mix=body.category_mix, pool_factor=body.pool_factor)
    job = job_work.panels_work(services.panels, campaign, actor=who.actor, demand_ids=body.demand_ids, batch=body.batch,
                           rules=rules, solver=body.solver, seed=body.seed, out_of_region=body.out_of_region,
                           clusters=body.clusters, **body.pairs())
    return services.jobs.submit(session, "panels", body.model_dump(mode="json"), who.actor, job)


def start_domains(services: Services, session: Session, who: Principal, body: SuggestIn) -> int:
    job = job_work.domains_work(services.domains, actor=who.actor, batch=body.batch, limit=body.limit,
                            threshold=body.threshold, level=body.level)
    return services.jobs.submit(session, "domains", body.model_dump(), who.actor, job)


def readable_job(services: Services, session: Session, job_id: int, who: Principal) -> dict[str, Any]:
    """The job, if ``who`` may read it (others: 404, as for a demand of another region)."""
    job = services.jobs.get(session, job_id)
    if not work.may_read(job, who):
        raise NotFound(f"任务 {job_id} 不存在。", f"Job {job_id} does not exist.", {"id": job_id})
    return job


@router.post("/jobs/import", status_code=202, response_model=JobStarted,
             summary="后台导入文件 / import a file as a job")
def job_import(file: UploadFile = File(..., description="与 POST /imports 相同的文件"),
               kind: Literal["demands", "experts", "expert_reviews", "solvers"] = Query("demands"),
               session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
               services: Services = Depends(get_services), who: Principal = Depends(principal)) -> JobStarted:
    """与 POST /imports 相同，但立即返回任务编号；结果（导入报告）在 GET /jobs/{id} 的 result 中。"""
    return JobStarted(job_id=start_import(services, session, campaign, who, file, kind), kind="import")


@router.post("/jobs/dedup", status_code=202, response_model=JobStarted, summary="后台批量查重 / de-duplicate as a job")
def job_dedup(body: DedupRunIn | None = None, session: Session = Depends(get_session),
              services: Services = Depends(get_services),
              who: Principal = Depends(require("run_round"))) -> JobStarted:
    return JobStarted(job_id=start_dedup(services, session, who, body or DedupRunIn()), kind="dedup")


@router.post("/jobs/condense", status_code=202, response_model=JobStarted, summary="后台梳理凝练 / condense as a job")
def job_condense(body: CondenseIn | None = None, session: Session = Depends(get_session),
                 services: Services = Depends(get_services),
                 who: Principal = Depends(require("run_round"))) -> JobStarted:
    return JobStarted(job_id=start_condense(services, session, who, body or CondenseIn()), kind="condense")


@router.post("/jobs/panels", status_code=202, response_model=JobStarted, summary="后台分配专家组 / assign panels as a job")
def job_panels(body: AssignIn, session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
               services: Services = Depends(get_services),
               who: Principal = Depends(require("manage_experts"))) -> JobStarted:
    return JobStarted(job_id=start_panels(services, session, campaign, who, body), kind="panels")


@router.post("/jobs/domains", status_code=202, response_model=JobStarted,
             summary="后台技术领域标注（整轮或某批次）/ label a batch's domains as a job")
def job_domains(body: SuggestIn | None = None, session: Session = Depends(get_session),
                services: Services = Depends(get_services),
                who: Principal = Depends(require("run_round"))) -> JobStarted:
    return JobStarted(job_id=start_domains(services, session, who, body or SuggestIn()), kind="domains")


@router.get("/jobs/{job_id:int}", summary="任务进度与结果 / a job's progress and result")
def get_job(job_id: int = PathParam(..., ge=1, le=MAX_ID), session: Session = Depends(get_session),
            services: Services = Depends(get_services), who: Principal = Depends(principal)) -> dict[str, Any]:
    """状态 status（queued 排队 / running 运行中 / done 完成 / failed 失败）、阶段 stage、进度 done/total、
    结果 result 或错误 error（{code, message_zh, message_en, details}）。"""
    return readable_job(services, session, job_id, who)
