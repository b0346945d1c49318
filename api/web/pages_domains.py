"""Console page for 领域 technology domains: the round's suggestions as a review queue (least confident
first, as Argilla sorts by score), each with its top-3 domains and probabilities, the evidence terms, the
office it would go to or the reason it needs a human; confirm or correct in place (the service stores,
audits, routes and learns at once), label a batch as a job, export to Excel. Reading needs
``read_round``; deciding and running need ``run_round``.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.compose import Services
from api.http.deps import get_services, get_session
from api.http.routers.domains import XLSX, SuggestIn
from api.http.routers.jobs import readable_job, start_domains
from api.io.taxonomy_files import taxonomy_title
from api.store import tables as db
from api.web.render import PREFIX, ConsoleRoute, NavItem, form_model, render, with_notice
from api.web.session import ConsoleUser, check_csrf, current_user, require_may
from api.http.downloads import attachment

router = APIRouter(route_class=ConsoleRoute)
NAV = [NavItem(f"{PREFIX}/domains", "领域", "read_round")]
PAGE_SIZE = 30


@router.get("/domains")
def domains_page(request: Request, batch: str | None = None, page: int = 1, only: str = "human",
                 job: int | None = None, user: ConsoleUser = Depends(current_user),
                 session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    shown_job = readable_job(services, session, job, user.principal) if job else None
    rows = services.domains.suggest_round(session, batch=batch or None)
    human = sum(r["routing"]["needs_human"] for r in rows)
    decided = sum(r["decision"] is not None for r in rows)
    shown = [r for r in rows if only != "human" or (r["routing"]["needs_human"] and r["decision"] is None)]
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(max(1, page), pages)
    part = shown[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    demands = {d.id: d for d in (session.get(db.Demand, r["demand_id"]) for r in part) if d is not None}
    batches = sorted(b for b in session.scalars(select(db.Demand.batch).where(
        db.Demand.campaign_id == services.campaign.id).distinct()) if b)
    return render(request, "domains.html", user, rows=part, demands=demands, total=len(rows), human=human,
                  decided=decided, batch=batch or "", only=only, page=page, pages=pages, job=shown_job,
                  batches=batches, taxonomy=taxonomy_title(services.domains.taxonomy.name),
                  choices=services.domains.choices())


@router.post("/domains/run")
def domains_run(request: Request, batch: str = Form(""), csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
                session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    body = form_model(SuggestIn, batch=batch.strip() or None)
    job = start_domains(services, session, user.principal, body)
    return RedirectResponse(f"{PREFIX}/domains?notice=started&batch={batch.strip()}&job={job}", status_code=303)


@router.post("/domains/{demand_id}/decide")
def domains_decide(request: Request, demand_id: int, code: str = Form(""), other: str = Form(""),
                   back: str = Form(""), csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
                   session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    """Confirm the chosen suggestion, or correct it with a code or a name searched in ``other``."""
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    chosen = services.domains.find_code(other) if other.strip() else code.strip()
    services.domains.decide(session, demand_id, chosen, user.principal.actor)
    target = back if back.startswith(f"{PREFIX}/domains") else f"{PREFIX}/domains"
    return RedirectResponse(with_notice(target, "domain"), status_code=303)



@router.get("/domains/export.xlsx")
def domains_export(batch: str | None = None, user: ConsoleUser = Depends(current_user),
                   session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    return attachment(services.domains.export_excel(session, batch=batch or None), XLSX, "领域.xlsx", "domains.xlsx")
