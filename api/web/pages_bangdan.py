"""Console pages for the 榜单 draft (发榜清单草稿): mark a cluster 拟发榜 (from its page), the entries per
office, one entry's form (each save a version with who and when, refused when someone saved in between),
its history, withdraw, and the Word / Excel downloads. Reading needs ``read_round``; marking and editing
``run_round`` (the service versions and audits every change)."""
from __future__ import annotations


from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from api.compose import Services
from api.http.deps import get_services, get_session
from api.http.routers.bangdan import DOCX
from api.http.routers.clusters import XLSX
from api.web.render import PREFIX, ConsoleRoute, NavItem, render, with_notice
from api.web.session import ConsoleUser, check_csrf, current_user, require_may
from api.http.downloads import attachment
from nlp.bangdan import FIELDS, field_text

router = APIRouter(route_class=ConsoleRoute)
NAV = [NavItem(f"{PREFIX}/bangdan", "榜单", "read_round")]
TEXT_FIELDS = ("name", "units", "content", "requirements", "deliverables", "deadline")  # edited as text areas


@router.get("/bangdan")
def bangdan_page(request: Request, office: str = "", user: ConsoleUser = Depends(current_user),
                 session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    every = services.bangdan.entries(session)
    offices = sorted({e["office"] or "未定" for e in every})
    shown = [e for e in every if not office or (e["office"] or "未定") == office]
    rows = [{**e, "indicators": field_text(e["content"], "indicators"),
             "investment": field_text(e["content"], "investment")} for e in shown]
    return render(request, "bangdan.html", user, entries=rows, offices=offices, office=office)


@router.get("/bangdan/export.docx")
def bangdan_docx(office: str = "", user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                 services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    return attachment(services.bangdan.docx(session, office or None), DOCX, f"榜单草稿-{office or '全部'}.docx",
                      "bangdan.docx")


@router.get("/bangdan/export.xlsx")
def bangdan_xlsx(office: str = "", user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                 services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    return attachment(services.bangdan.excel(session, office or None), XLSX, f"榜单草稿-{office or '全部'}.xlsx",
                      "bangdan.xlsx")


@router.get("/bangdan/{entry_id}")
def bangdan_entry_page(request: Request, entry_id: int, user: ConsoleUser = Depends(current_user),
                       session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    require_may(user, "read_round")
    entry = services.bangdan.entry(session, entry_id)
    values = {f: field_text(entry["content"], f) for f, _ in FIELDS}
    return render(request, "bangdan_entry.html", user, e=entry, fields=FIELDS, values=values,
                  text_fields=TEXT_FIELDS, field_zh=dict(FIELDS))


@router.post("/bangdan/{entry_id}")
def bangdan_entry_save(request: Request, entry_id: int, version: int = Form(...), name: str = Form(""),
                       units: str = Form(""), content: str = Form(""), requirements: str = Form(""),
                       deliverables: str = Form(""), deadline: str = Form(""), csrf: str = Form(""),
                       user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                       services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    changes = {"name": name, "units": units, "content": content, "requirements": requirements,
               "deliverables": deliverables, "deadline": deadline}
    services.bangdan.edit(session, entry_id, changes, user.principal.actor, expected_version=version)
    return RedirectResponse(with_notice(f"{PREFIX}/bangdan/{entry_id}", "bangdan_saved"), status_code=303)


@router.post("/bangdan/{entry_id}/withdraw")
def bangdan_withdraw(request: Request, entry_id: int, csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
                     session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    services.bangdan.withdraw(session, entry_id, user.principal.actor)
    return RedirectResponse(with_notice(f"{PREFIX}/bangdan", "bangdan_withdrawn"), status_code=303)


@router.post("/clusters/{key}/bangdan")
def cluster_mark(request: Request, key: str, csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
                 session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    entry = services.bangdan.mark_cluster(session, key, user.principal.actor)
    return RedirectResponse(with_notice(f"{PREFIX}/bangdan/{entry['id']}", "bangdan_marked"), status_code=303)


@router.post("/demands/{demand_id}/bangdan")
def demand_mark(request: Request, demand_id: int, csrf: str = Form(""), user: ConsoleUser = Depends(current_user),
                session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "run_round")
    entry = services.bangdan.mark_demand(session, demand_id, user.principal.actor)
    return RedirectResponse(with_notice(f"{PREFIX}/bangdan/{entry['id']}", "bangdan_marked"), status_code=303)
