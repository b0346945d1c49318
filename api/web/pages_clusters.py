"""Console pages for 凝练 condensation: the round's clusters (keywords, proposed title, summary, size,
enterprises), one cluster's members, staff edits (rename, merge, move a demand), a run as a job, and
the report download. Reading needs ``read_round``; runs and edits ``run_round`` (the service audits them).
Every edit ends with a message and an offer to undo it (撤销), which also stays on the pages until the next run.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from api.compose import Services
from api.errors import InvalidInput
from api.http.deps import get_services, get_session
from api.http.routers.clusters import XLSX, CondenseIn
from api.http.routers.jobs import readable_job, start_condense
from api.services.cluster_figures import cluster_out
from api.web.pages_admin import ACTION_ZH
from api.web.render import PREFIX, ConsoleRoute, NavItem, form_model, render, with_notice
from api.web.session import ConsoleUser, check_csrf, current_user, require_may
from api.http.downloads import attachment

router = APIRouter(route_class=ConsoleRoute)
NAV = [NavItem(f"{PREFIX}/clusters", "凝练", "read_round")]


@router.get("/clusters")
def clusters_page(request: Request, job: int | None = None, user: ConsoleUser = Depends(current_user),
                  session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    shown_job = readable_job(services, session, job, user.principal) if job else None  # first: see pages_review
    cond = services.condensation
    clusters = cond.clusters(session)
    return render(request, "clusters.html", user, clusters=clusters, unclustered=len(cond.unclustered(session)),
                  job=shown_job, undo=undo_offer(session, services, user))


@router.get("/clusters/report.xlsx")
def clusters_report(user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                    services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    return attachment(services.round_report.excel_bytes(session), XLSX, "凝练.xlsx", "condensation.xlsx")


@router.get("/clusters/{key}")
def cluster_page(request: Request, key: str, user: ConsoleUser = Depends(current_user),
                 session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    cond = services.condensation
    row, members = cond.cluster(session, key)
    others = [c for c in cond.clusters(session) if c["key"] != key]
    return render(request, "cluster.html", user, c=cluster_out(row, len(members)), members=members, others=others,
                  undo=undo_offer(session, services, user))


def undo_offer(session: Session, services: Services, user: ConsoleUser) -> dict[str, Any] | None:
    """The 撤销 button of the newest cluster edit since the last run (what, who, when), or None."""
    if not user.principal.may("run_round"):
        return None
    entries = services.condensation.last_edit(session)
    if not entries:
        return None
    last = entries[0]
    what = ACTION_ZH.get(last.action, "修改") + (f"（{len(entries)} 条需求）" if len(entries) > 1 else "")
    return {"action": f"{PREFIX}/clusters/undo", "what": what,
            "actor": last.actor, "at": last.at}


@router.post("/clusters/run")
def clusters_run(request: Request, groups: str = Form(""), min_similarity: str = Form(""), refit: bool = Form(False),
                 seed: int = Form(0), csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
                 session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    if groups.strip() and not groups.strip().isdigit():
        raise InvalidInput("分组数须为正整数。", "groups must be a positive integer.", {"groups": groups})
    try:
        similarity = float(min_similarity) if min_similarity.strip() else None
    except ValueError:
        raise InvalidInput("最低相似度须为 0 与 1 之间的数。", "min_similarity must be a number between 0 and 1.",
                           {"min_similarity": min_similarity}) from None
    body = form_model(CondenseIn, groups=int(groups) if groups.strip() else None, min_similarity=similarity,
                      refit=refit, seed=seed)
    job_id = start_condense(services, session, user.principal, body)
    return RedirectResponse(f"{PREFIX}/clusters?notice=started&job={job_id}", status_code=303)


@router.post("/clusters/{key}/rename")
def cluster_rename(request: Request, key: str, name: str = Form(""), csrf: str = Form(""),
                   user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                   services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    services.condensation.rename(session, key, name, user.principal.actor)
    return RedirectResponse(with_notice(f"{PREFIX}/clusters/{key}", "rename"), status_code=303)


@router.post("/clusters/{key}/merge")
def cluster_merge(request: Request, key: str, other: str = Form(...), csrf: str = Form(""),
                  user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                  services: Services = Depends(get_services)) -> Response:
    """Merge cluster ``other`` into this one."""
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    services.condensation.merge(session, [other], key, user.principal.actor)
    return RedirectResponse(with_notice(f"{PREFIX}/clusters/{key}", "merge"), status_code=303)


@router.post("/clusters/{key}/move")
def cluster_move(request: Request, key: str, demand_id: int = Form(...), target: str = Form(""),
                 csrf: str = Form(""), user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                 services: Services = Depends(get_services)) -> Response:
    """Move one member to another cluster (blank: 未归类); later runs keep it there."""
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    services.condensation.move(session, demand_id, target or None, user.principal.actor)
    return RedirectResponse(with_notice(f"{PREFIX}/clusters/{key}", "move"), status_code=303)


@router.post("/clusters/undo")
def cluster_undo(request: Request, back: str = Form(f"{PREFIX}/clusters"), csrf: str = Form(""),
                 user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                 services: Services = Depends(get_services)) -> Response:
    """Undo the newest cluster edit since the last run (audited); the page it came from shows the result."""
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    services.condensation.undo_last(session, user.principal.actor)
    target = back.split("?")[0] if back.startswith(f"{PREFIX}/clusters") or back.startswith(f"{PREFIX}/demands") \
        else f"{PREFIX}/clusters"
    return RedirectResponse(with_notice(target, "undo"), status_code=303)
