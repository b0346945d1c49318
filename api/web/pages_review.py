"""Console pages for review work: the 查重 queue (pending pairs of the latest de-dup run, one at a time
side by side, keyboard y / n / j / k) and 专家组 panels (per demand: members and alternates with their
affinity, the ranking's evidence and conflicts with their rule; staff force an expert onto a panel
(指定专家) or remove and forbid one (移出并禁止), listed as pending pairs until a re-draw — a job with a
new seed — honours them).

Expert identities are shown only to roles that may see them (expert_admin, admin), and each such read
is audited; everyone else sees the stable pseudonyms of the panels service.
"""
from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.compose import Services
from api.errors import NotFound
from api.http.deps import get_campaign, get_services, get_session
from api.http.routers.demands import visible_demand
from api.http.routers.duplicates import DedupRunIn
from api.http.routers.experts import AssignIn
from api.http.routers.jobs import readable_job, start_dedup, start_panels
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.store import tables as db
from api.web.evidence import DECISION_ZH, VERDICT_ZH, decision_undo, pairs_for
from api.web.render import PREFIX, ConsoleRoute, NavItem, form_model, render, with_notice
from api.web.session import ConsoleUser, check_csrf, current_user, require_may

router = APIRouter(route_class=ConsoleRoute)
NAV = [NavItem(f"{PREFIX}/dedup", "查重", "read_round"), NavItem(f"{PREFIX}/panels", "专家组", "read_round")]
QUEUE_LIST = 200  # pairs listed beside the focused one
SOLVER_ZH = {"optimal": "总匹配度最优", "greedy": "贪心（基线）", "random_draw": "合格候选池内随机抽取"}
CONSTRAINT_ZH = {"panel_size": "专家组人数", "min_out_of_province": "省外专家占比", "category_mix": "专家类别配比",
                 "max_load": "单人评审上限", "forced_blocked": "指定专家有回避冲突", "forced_panel_size": "指定专家多于组规模",
                 "forced_max_load": "指定专家超过单人上限", "forced_quota": "指定专家挤占配比席位"}
#: The parts of an expert's match, as the ranking's 构成 column names them (the figures on hover).
COMPONENT_ZH = {"history": "评审过相近项目", "profile": "专家画像", "field": "研究领域", "prior": "评审经验",
                "community": "常同组评审", "rerank": "综合学习"}
#: Short names of the conflict (回避) rules.
CONFLICT_ZH = {"unavailable": "暂不可用", "same_org": "同一单位", "same_group": "同一集团", "expert_avoids": "专家申明回避",
               "enterprise_avoids": "企业申请回避", "same_region": "同一地区", "pair_excluded": "指定回避",
               "staff_forbid": "工作人员禁止"}
#: What to change when a constraint cannot be met (the panels service names the constraint).
CHANGE_ZH = {"panel_size": "减少每组人数，或导入更多该领域的专家；也可检查回避单位是否过宽",
             "min_out_of_province": "降低省外专家最低占比，或补充省外专家",
             "category_mix": "降低该类别的最少人数，或补充该类别专家",
             "max_load": "提高每位专家最多参加的专家组数，或扩充专家库",
             "forced_blocked": "移除这条指定（该专家须回避此需求）",
             "forced_panel_size": "减少该需求的指定专家，或增加每组人数",
             "forced_max_load": "减少该专家被指定的专家组，或提高单人评审上限",
             "forced_quota": "改为指定省外或所需类别的专家，或降低配比要求"}


def _back(target: str, default: str) -> str:
    return target if target.startswith(f"{PREFIX}/") else default


# ---------------------------------------------------------------------- 查重 queue
@router.get("/dedup")
def dedup_queue(request: Request, i: int = 0, job: int | None = None, user: ConsoleUser = Depends(current_user),
                session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
                services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    shown_job = readable_job(services, session, job, user.principal) if job else None  # read first: its work is then visible
    queue = services.dedup_runs.queue(session)
    run, pending, decided = queue["latest_run"], queue["pending"], queue["decided"]
    done = len(decided)
    i = min(max(i, 0), max(len(pending) - 1, 0))
    focus = None
    if pending:
        p = pending[i]
        a = session.get(db.Demand, p["a"])
        if a is not None:
            found = pairs_for(session, services.duplicates, a, who=user.principal, only=p["b"],
                              decided={})
            focus = found[0] if found else None
    listed = pending[max(0, i - QUEUE_LIST // 2): max(0, i - QUEUE_LIST // 2) + QUEUE_LIST]
    shown = {x for p in [*listed, *decided[:QUEUE_LIST]] for x in (p["a"], p["b"])}
    titles = dict(session.execute(select(db.Demand.id, db.Demand.title).where(
        db.Demand.id.in_(shown))).all()) if shown else {}
    return render(request, "dedup.html", user, run=run, pending=pending, done=done, i=i, focus=focus, listed=listed,
                  offset=pending.index(listed[0]) if listed else 0, titles=titles, verdict_zh=VERDICT_ZH,
                  job=shown_job, decided=decided[:QUEUE_LIST], batches=services.dedup_runs.batches(session),
                  decision_zh=DECISION_ZH, notice_undo=decision_undo(request.query_params.get("notice"), decided))


@router.post("/dedup/run")
def dedup_run(request: Request, batch: str = Form(""), min_verdict: str = Form("near_duplicate"),
              csrf: str = Form(""), user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
              services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    services.dedup_runs.known_batch(session, batch)  # a typo is refused here, not run over no demand
    body = form_model(DedupRunIn, batch=batch or None, min_verdict=min_verdict)
    job_id = start_dedup(services, session, user.principal, body)
    return RedirectResponse(f"{PREFIX}/dedup?notice=started&job={job_id}", status_code=303)


@router.post("/dedup/decide")
def dedup_decide(request: Request, a: int = Form(...), b: int = Form(...), decision: str = Form(...),
                 note: str = Form(""), back: str = Form(f"{PREFIX}/dedup"), csrf: str = Form(""),
                 user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                 services: Services = Depends(get_services)) -> Response:
    """Confirm or dismiss a pair (staff; audited by the duplicate service with the token's subject)."""
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    for demand_id in (a, b):
        visible_demand(session, demand_id, user.principal)
    services.duplicates.decide(session, a, b, decision, note=note.strip() or None, actor=user.principal.actor)
    return RedirectResponse(with_notice(_back(back, f"{PREFIX}/dedup"), decision), status_code=303)


@router.post("/dedup/reopen")
def dedup_reopen(request: Request, a: int = Form(...), b: int = Form(...), back: str = Form(f"{PREFIX}/dedup"),
                 csrf: str = Form(""), user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                 services: Services = Depends(get_services)) -> Response:
    """Take back a decision: the pair is pending again (staff; audited with the decision it removes)."""
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    for demand_id in (a, b):
        visible_demand(session, demand_id, user.principal)
    services.duplicates.reopen(session, a, b, actor=user.principal.actor)
    return RedirectResponse(with_notice(_back(back, f"{PREFIX}/dedup"), "reopen"), status_code=303)


# ---------------------------------------------------------------------- 专家组 panels
@router.get("/panels")
def panels_page(request: Request, run: int | None = None, demand: int | None = None, job: int | None = None,
                user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    who = user.principal
    shown_job = readable_job(services, session, job, who) if job else None  # read first: its work is then visible
    identities = who.may("see_expert_identities")
    runs = list(session.scalars(select(db.AssignmentRun).order_by(db.AssignmentRun.id.desc()).limit(10)))
    run_id = run or (runs[0].id if runs else None)
    data: dict[str, Any] | None = None
    ranking: dict[str, Any] | None = None
    pairs: dict[str, list[dict[str, Any]]] = {}
    if run_id is not None:
        data = services.panels.run_panels(session, run_id, admin=identities)
        pairs = services.panels.next_pairs(session, run_id, admin=identities)
        regions = dict(session.execute(select(db.Demand.id, db.Demand.region).where(db.Demand.id.in_(
            [p["demand_id"] for p in data["panels"]] + [x["demand_id"] for x in data["shortfall"]]))).all())
        data["panels"] = [p for p in data["panels"] if who.sees_region(regions.get(p["demand_id"]))]
        data["shortfall"] = [x for x in data["shortfall"] if who.sees_region(regions.get(x["demand_id"]))]
        chosen = demand or (data["panels"][0]["demand_id"] if data["panels"] else None)
        if chosen is not None:
            visible_demand(session, chosen, who)
            try:
                ranking = services.experts.rank_experts(session, chosen, top=10, admin=identities)
            except NotFound:  # the expert pool was emptied since the run
                ranking = None
            ranking = {"demand_id": chosen, **(ranking or {})}
        if identities:
            append_audit(session, who.actor, "read_panels", "assignment_run", run_id, None, {"identities": True})
            session.commit()
    return render(request, "panels.html", user, runs=runs, run_id=run_id, data=data, ranking=ranking,
                  pairs=pairs, identities=identities, job=shown_job, solvers=SOLVER_ZH, change_zh=CHANGE_ZH,
                  constraint_zh=CONSTRAINT_ZH, new_seed=secrets.randbelow(10**6), component_zh=COMPONENT_ZH,
                  conflict_zh=CONFLICT_ZH)


@router.post("/panels/run")
def panels_run(request: Request, solver: str = Form("random_draw"), seed: str = Form(""), panel_size: int = Form(5),
               max_load: int = Form(8), batch: str = Form(""), out_of_region: bool = Form(False),
               from_run: int | None = Form(None), csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
               session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
               services: Services = Depends(get_services)) -> Response:
    """(Re-)draw the panels as a job; a blank seed draws a new one, which the run records. Drawn from a run,
    the draw honours that run's pending pairs (指定 / 禁止)."""
    check_csrf(request, user, csrf)
    require_may(user, "manage_experts")
    pairs = services.panels.next_refs(session, from_run) if from_run else {}
    body = form_model(AssignIn, solver=solver, seed=int(seed) if seed.strip().isdigit() else None,
                      panel_size=panel_size, max_load=max_load, batch=batch or None, out_of_region=out_of_region,
                      **pairs)
    job_id = start_panels(services, session, campaign, user.principal, body)
    return RedirectResponse(f"{PREFIX}/panels?notice=started&job={job_id}", status_code=303)


@router.post("/panels/redraw")
def panels_redraw(request: Request, run: int = Form(...), demand: int = Form(...), seed: str = Form(""),
                  csrf: str = Form(""), user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                  campaign: CampaignContext = Depends(get_campaign), services: Services = Depends(get_services)) -> Response:
    """Re-draw one demand's panel, every other panel kept (a new run; audited)."""
    check_csrf(request, user, csrf)
    require_may(user, "manage_experts")
    visible_demand(session, demand, user.principal)
    out = services.panels.redraw_panel(session, campaign, run, demand,
                                       seed=int(seed) if seed.strip().isdigit() else None, actor=user.principal.actor)
    return RedirectResponse(f"{PREFIX}/panels?run={out['run_id']}&demand={demand}&notice=redraw", status_code=303)


@router.post("/panels/pair")
def panels_pair(request: Request, run: int = Form(...), demand: int = Form(...), expert: str = Form(...),
                action: str = Form(...), csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
                session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign),
                services: Services = Depends(get_services)) -> Response:
    """Force (指定专家), forbid (移出并禁止) or remove a pair for the next re-draw of ``run`` (audited)."""
    check_csrf(request, user, csrf)
    require_may(user, "manage_experts")
    visible_demand(session, demand, user.principal)
    services.panels.edit_next(session, campaign, run, action, demand, expert, actor=user.principal.actor)
    return RedirectResponse(f"{PREFIX}/panels?run={run}&demand={demand}&notice={action}", status_code=303)
