"""Console pages for demands: 导入 intake (an upload run as a job), the 需求 list (URL filters, facets,
sort, pages, bulk actions, export of exactly the filtered view) and one demand's page (every field,
masked per role; rule findings; duplicate candidates side by side, confirm / dismiss).
"""
from __future__ import annotations

import io
from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.compose import Services
from api.errors import Forbidden, InvalidInput
from api.forms.models import DemandRecord
from api.forms.personal import to_row
from api.http.deps import get_campaign, get_services, get_session
from api.http.routers.demands import audit_personal_read, visible_demand
from api.http.routers.imports import IMPORT_ACTION
from api.http.routers.jobs import readable_job, start_import
from api.io.writers import write_excel
from api.services.campaign import CampaignContext
from api.services.demands import demand_rows
from api.services.jobs import job_out
from api.store import tables as db
from api.web.evidence import VERDICT_ZH, pairs_for
from api.web.queries import FACETS, FILTER_ZH, PER_PAGE, SORT_ZH, DemandFilter, demand_page, demand_rows_for_export, facets
from api.web.render import PREFIX, ConsoleRoute, NavItem, render, url
from api.web.session import ConsoleUser, check_csrf, current_user, require_may

router = APIRouter(route_class=ConsoleRoute)
NAV = [NavItem(f"{PREFIX}/intake", "导入", "submit"), NavItem(f"{PREFIX}/demands", "需求")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_ZH = {"demands": "需求汇总表 / 征集表", "experts": "专家", "expert_reviews": "专家评审记录", "solvers": "揭榜方"}


# ---------------------------------------------------------------------- 导入 intake
@router.get("/intake")
def intake_page(request: Request, job: int | None = None, user: ConsoleUser = Depends(current_user),
                session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    require_may(user, "submit")
    who = user.principal
    shown = None
    if job is not None:
        shown = readable_job(services, session, job, who)
    recent = [job_out(r) for r in session.scalars(
        select(db.Job).where(db.Job.kind == "import", db.Job.actor == who.actor).order_by(db.Job.id.desc()).limit(8))]
    kinds = {k: v for k, v in KIND_ZH.items() if who.may(IMPORT_ACTION[k])}
    return render(request, "intake.html", user, job=shown, recent=recent, kinds=kinds)


@router.post("/intake")
def intake_upload(request: Request, file: UploadFile = File(...), kind: str = Form("demands"), csrf: str = Form(""),
                  user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                  campaign: CampaignContext = Depends(get_campaign),
                  services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    if kind not in IMPORT_ACTION:
        raise InvalidInput(f"未知的文件内容：{kind}", f"unknown kind: {kind}", {"kind": kind})
    job_id = start_import(services, session, campaign, user.principal, file, kind)
    return RedirectResponse(f"{PREFIX}/intake?job={job_id}", status_code=303)


# ---------------------------------------------------------------------- 需求 list
def _filter(request: Request, user: ConsoleUser) -> DemandFilter:
    who = user.principal
    asked = request.query_params.get("region")
    if who.role == "bureau" and asked and asked != who.region:
        raise Forbidden(f"初审单位只能查看本地区（{who.region}）的需求。",
                        f"A bureau sees the demands of its own region ({who.region}) only.",
                        {"region": asked}, code="region_forbidden")
    return DemandFilter.from_params(request.query_params, who)


@router.get("/demands")
def demand_list(request: Request, user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                campaign: CampaignContext = Depends(get_campaign), services: Services = Depends(get_services)) -> Response:
    f = _filter(request, user)
    total, rows = demand_page(session, campaign.id, f)
    pages = max(1, -(-total // PER_PAGE))
    clusters = []
    if user.principal.may("run_round"):
        clusters = [k for k, in session.execute(select(db.Cluster.key).where(
            db.Cluster.campaign_id == campaign.id, db.Cluster.active.is_(True), db.Cluster.parent_key.is_(None))
            .order_by(db.Cluster.key))]
    return render(request, "demands.html", user, f=f, total=total, rows=rows, pages=pages, per_page=PER_PAGE,
                  facets=facets(session, campaign.id, user.principal), facet_names=list(FACETS) + ["flag", "cluster"],
                  filter_zh=FILTER_ZH, sorts=SORT_ZH, url=url, clusters=clusters,
                  export_url=url(f"{PREFIX}/demands/export.xlsx", f.params(page=1)),
                  recommended=services.recommendations.demand_status(session, [d.id for d in rows])
                  if user.principal.may("read_reviews") else {})


@router.get("/demands/export.xlsx")
def demand_export(request: Request, user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                  campaign: CampaignContext = Depends(get_campaign)) -> Response:
    """Exactly the filtered view (every page), personal fields only for roles that may see them (audited)."""
    f = _filter(request, user)
    ids = [int(i) for i in request.query_params.getlist("id") if i.isdigit()]
    return _xlsx(session, user, demand_rows_for_export(session, campaign.id, f, ids or None))


def _xlsx(session: Session, user: ConsoleUser, demands: list[db.Demand]) -> Response:
    personal = user.principal.may("see_personal")
    buffer = io.BytesIO()
    write_excel({"需求 demands": demand_rows(demands, include_personal=personal)}, buffer)
    audit_personal_read(session, user.principal, demands)
    return Response(buffer.getvalue(), media_type=XLSX,
                    headers={"Content-Disposition": "attachment; filename=\"demands.xlsx\"; "
                                                    "filename*=UTF-8''%E9%9C%80%E6%B1%82.xlsx"})


@router.post("/demands/bulk")
def demand_bulk(request: Request, action: str = Form(...), ids: list[int] = Form(default_factory=list),
                cluster: str = Form(""), back: str = Form(f"{PREFIX}/demands"), csrf: str = Form(""),
                user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                campaign: CampaignContext = Depends(get_campaign),
                services: Services = Depends(get_services)) -> Response:
    """Bulk actions on the selected demands: export them, or move them into a cluster (staff; audited)."""
    check_csrf(request, user, csrf)
    if not ids:
        raise InvalidInput("请先勾选需求。", "Select some demands first.")
    demands = [visible_demand(session, i, user.principal) for i in ids]
    if action == "export":
        return _xlsx(session, user, demands)
    if action == "move":
        require_may(user, "run_round")
        for d in demands:
            services.condensation.move(session, d.id, cluster or None, user.principal.actor)
        return RedirectResponse(back if back.startswith(f"{PREFIX}/") else f"{PREFIX}/demands", status_code=303)
    raise InvalidInput(f"未知的批量操作：{action}", f"unknown bulk action: {action}", {"action": action})


# ---------------------------------------------------------------------- one demand
@router.get("/demands/{demand_id}")
def demand_detail(request: Request, demand_id: int, user: ConsoleUser = Depends(current_user),
                  session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    who = user.principal
    demand = visible_demand(session, demand_id, who)
    personal = who.may("see_personal")
    row = to_row(DemandRecord.model_validate(demand.record or {}), redact_personal=not personal)
    fields = [(h, v) for h, v in row.items() if v not in (None, "", [])]
    pairs = pairs_for(session, services.duplicates, demand, admin=personal)
    member = session.scalar(select(db.ClusterMember).where(db.ClusterMember.demand_id == demand.id))
    audit_personal_read(session, who, [demand])
    return render(request, "demand.html", user, d=demand, fields=fields, pairs=pairs, verdict_zh=VERDICT_ZH,
                  member=member, personal=personal)

