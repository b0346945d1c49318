"""Console pages for 初审 and the 推荐清单.

- 初审 (``/console/review``): a bureau's queue of its region's demands, each with its rule status, the decision
  in force, a mark when the enterprise resubmitted after 退回修改 (the diff one click away) and its
  recommendation status; decide in place (a reason for 退回修改 / 不予推荐). Staff and admin read every region.
- 推荐清单 (``/console/recommend``): the bureaus × batches table (deadline, status, count, late items, quota),
  composing a batch's list, a list's page (order, quota, remove, export the signed PDF), and uploading a
  stamped scan to verify it (staff, admin; a bureau for its own region).
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from api.compose import Services
from api.http.deps import get_campaign, get_services, get_session
from api.http.routers.recommendations import pdf_response
from api.services import reviews
from api.services.campaign import CampaignContext
from api.services.demands import get_demand
from api.web.render import PREFIX, ConsoleRoute, NavItem, render, with_notice
from api.web.session import ConsoleUser, check_csrf, current_user, require_may

router = APIRouter(route_class=ConsoleRoute)
NAV = [NavItem(f"{PREFIX}/review", "初审", "read_reviews"), NavItem(f"{PREFIX}/recommend", "推荐清单", "read_reviews")]


@router.get("/review")
def review_queue(request: Request, batch: str = "", region: str = "", only: str = "", user: ConsoleUser = Depends(current_user),
                 session: Session = Depends(get_session), services: Services = Depends(get_services),
                 campaign: CampaignContext = Depends(get_campaign)) -> Response:
    require_may(user, "read_reviews")
    items = reviews.queue(session, campaign, user.principal, region=region or None, batch=batch or None)
    counts = {k: sum(1 for i in items if i["decision"] == k) for k in (None, *reviews.DECISIONS)}
    if only == "todo":
        items = [i for i in items if i["decision"] is None or i["resubmitted"]]
    status = services.recommendations.demand_status(session, [i["demand"].id for i in items])
    return render(request, "review_queue.html", user, items=items, status=status, counts=counts, batch=batch,
                  region=region, only=only, regions=campaign.rules.regions,
                  batches=[b.batch.value for b in campaign.rules.batches], decisions=reviews.DECISION_ZH)


@router.post("/review/{demand_id}")
def review_decide(request: Request, demand_id: int, decision: str = Form(...), reason: str = Form(""),
                  back: str = Form(""), csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
                  session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign)) -> Response:
    check_csrf(request, user, csrf)
    reviews.decide(session, campaign, user.principal, demand_id, decision, reason)
    target = back if back.startswith(f"{PREFIX}/review") or back.startswith(f"{PREFIX}/demands/") else f"{PREFIX}/review"
    return RedirectResponse(with_notice(target, "review"), status_code=303)


@router.get("/review/{demand_id}")
def review_history(request: Request, demand_id: int, user: ConsoleUser = Depends(current_user),
                   session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    shown = reviews.history(session, user.principal, demand_id)
    demand = get_demand(session, demand_id)
    status = services.recommendations.demand_status(session, [demand_id]).get(demand_id)
    return render(request, "review_demand.html", user, d=demand, shown=shown, status=status,
                  decisions=reviews.DECISION_ZH)


@router.get("/recommend")
def recommend_home(request: Request, user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                   services: Services = Depends(get_services), campaign: CampaignContext = Depends(get_campaign)) -> Response:
    require_may(user, "read_reviews")
    table = services.recommendations.status_table(session, user.principal)
    return render(request, "recommend.html", user, table=table, batches=campaign.rules.batches,
                  late_rule=campaign.rules.late_recommendations, regions=campaign.rules.regions)


@router.post("/recommend/compose")
def recommend_compose(request: Request, batch: str = Form(...), region: str = Form(""), demand_ids: str = Form(""),
                      csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
                      session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    ids = [int(x) for x in demand_ids.replace("，", " ").replace(",", " ").replace("#", " ").split() if x.isdigit()]
    lst = services.recommendations.compose(session, user.principal, batch, ids or None, region=region or None)
    return RedirectResponse(with_notice(f"{PREFIX}/recommend/{lst.id}", "list_composed"), status_code=303)


@router.get("/recommend/{list_id}")
def recommend_list(request: Request, list_id: int, user: ConsoleUser = Depends(current_user),
                   session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    view = services.recommendations.view(session, user.principal, list_id)
    return render(request, "recommend_list.html", user, v=view)


@router.post("/recommend/{list_id}/remove")
def recommend_remove(request: Request, list_id: int, demand_id: int = Form(...), csrf: str = Form(""),
                     user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                     services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    services.recommendations.remove(session, user.principal, list_id, [demand_id])
    return RedirectResponse(with_notice(f"{PREFIX}/recommend/{list_id}", "list_removed"), status_code=303)


@router.post("/recommend/{list_id}/export")
def recommend_export(request: Request, list_id: int, csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
                     session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    rec = services.recommendations
    out = rec.export(session, user.principal, list_id)
    lst = rec.get(session, user.principal, list_id)
    return pdf_response(out.pdf, lst.region, lst.batch, f"{lst.code}-{out.export_no}")


@router.post("/recommend/verify")
def recommend_verify(request: Request, file: UploadFile = File(...), csrf: str = Form(""),
                     user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                     services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "verify_list")
    result = services.scan_verifier.verify(session, user.principal, file.file.read(), file.filename or "")
    return render(request, "verify_result.html", user, r=result)
