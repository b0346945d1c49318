"""The console's router: log-in and log-out, the 看板 dashboard, job progress for the pages' progress bars,
and the page modules (one per area of work) with their navigation entries.

Adding a page area (e.g. 领域 domain labels) is one module with a ``router`` and a ``NAV`` list of
:class:`~api.web.render.NavItem`, listed in :data:`PAGE_MODULES`.
"""
from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session

from api.compose import Services
from api.http.deps import get_campaign, get_services, get_session
from api.http.routers.jobs import readable_job
from api.services.campaign import CampaignContext
from api.services.demands import quota_progress
from api.store import tables as db
from api.web import pages_admin, pages_bangdan, pages_clusters, pages_demands, pages_domains, pages_recommend, pages_review
from api.web.queries import counts_by, needs_attention
from api.web.render import PREFIX, STATIC_DIR, ConsoleRoute, NavItem, make_templates, render
from api.web.session import (COOKIE, LOGIN_COOKIE, MAX_AGE, ConsoleUser, check_csrf, check_login_csrf,
                             console_key, current_user, log_in, log_in_account, login_csrf, session_cookie)
from api.services.accounts import AccountLocked

router = APIRouter(route_class=ConsoleRoute)
PAGE_MODULES = (pages_demands, pages_review, pages_clusters, pages_bangdan, pages_domains, pages_recommend, pages_admin)
NAV = [NavItem(f"{PREFIX}/", "看板")]


def mount_console(app: FastAPI) -> None:
    """Serve the console at ``/console`` (``/`` redirects there) with its static files, next to the API."""
    app.state.console_key = console_key(app.state.settings)
    app.state.console_templates = make_templates()
    app.state.console_nav = [*NAV, *(item for module in PAGE_MODULES for item in module.NAV)]
    app.mount(f"{PREFIX}/static", StaticFiles(directory=str(STATIC_DIR)), name="console-static")
    console = APIRouter(prefix=PREFIX, include_in_schema=False)  # a new one per app (tests build several)
    for pages in (router, *(module.router for module in PAGE_MODULES)):
        console.include_router(pages)
    app.include_router(console)
    app.add_api_route("/", lambda: RedirectResponse(f"{PREFIX}/", status_code=307), include_in_schema=False)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


@router.get("/login")
def login_form(request: Request, next: str = Query(f"{PREFIX}/"), error: str | None = None) -> Response:
    nonce = secrets.token_hex(16)
    response = render(request, "login.html", None, next=_safe_next(next), error=error,
                      login_csrf=login_csrf(request.app.state.console_key, nonce))
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=3600, httponly=True, samesite="strict", secure=_secure(request),
                        path=PREFIX)
    return response


@router.post("/login")
def login(request: Request, token: str = Form(""), username: str = Form(""), password: str = Form(""),
          csrf: str = Form(""), next: str = Form(f"{PREFIX}/"), services: Services = Depends(get_services)) -> Response:
    """Sign in with a user name and password (people) or an access token (kept for programs and the first admin)."""
    key = request.app.state.console_key
    check_login_csrf(request, key, csrf)
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    error = "访问令牌无效或已吊销。"
    try:
        if username.strip():
            found, error = log_in_account(services, username, password), "用户名或密码不正确。"
        else:
            found = log_in(services, token) if token.strip() else None
    except AccountLocked as exc:
        found, error = None, exc.message_zh
    if found is None:
        return render(request, "login.html", None, status_code=401, next=_safe_next(next), error=error,
                      username=username, login_csrf=login_csrf(key, nonce))
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, session_cookie(key, found[1]), max_age=MAX_AGE, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    response.delete_cookie(LOGIN_COOKIE, path=PREFIX)
    return response


@router.post("/logout")
def logout(request: Request, csrf: str = Form(""), user: ConsoleUser = Depends(current_user)) -> Response:
    check_csrf(request, user, csrf)
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _safe_next(target: str | None) -> str:
    """Only a path inside the console (no open redirect to another site)."""
    return target if target and target.startswith(f"{PREFIX}/") and not target.startswith("//") else f"{PREFIX}/"


@router.get("/")
def dashboard(request: Request, user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
              campaign: CampaignContext = Depends(get_campaign), services: Services = Depends(get_services)) -> Response:
    who = user.principal
    park_region = {p.name: p.region for p in campaign.rules.quotas.parks}
    quota = [q for q in quota_progress(session, campaign)
             if who.sees_region(park_region.get(q["name"]) if q["scope"] == "park" else q["name"])]
    charts = {label: counts_by(session, campaign.id, column, who) for label, column in (
        ("各批次", db.Demand.batch), ("各归口处室", db.Demand.office), ("各需求类别", db.Demand.category),
        ("各技术领域", db.Demand.area), ("各地区", db.Demand.region))}
    if who.role == "bureau":
        charts.pop("各地区")
    total = sum(n for _, n in charts["各批次"])
    return render(request, "dashboard.html", user, quota=quota, charts=charts, total=total,
                  attention=needs_attention(session, campaign.id, who, services.dedup_runs.queue(session)),
                  campaign=campaign,
                  recommend=services.recommendations.status_table(session, who) if who.may("read_reviews") else None)


@router.get("/api/jobs/{job_id}")
def job_json(job_id: int, user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
             services: Services = Depends(get_services)) -> dict[str, Any]:
    """A job's progress for the console's progress bars (the session cookie instead of a bearer token)."""
    return readable_job(services, session, job_id, user.principal)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int, user: ConsoleUser = Depends(current_user),
             session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    """A job of any kind: progress while it runs, its result or its error (what to change) when it ends."""
    job = readable_job(services, session, job_id, user.principal)
    links = {"import": f"/intake?job={job_id}", "dedup": f"/dedup?job={job_id}", "condense": f"/clusters?job={job_id}",
             "panels": f"/panels?job={job_id}", "domains": f"/domains?job={job_id}"}
    return render(request, "job.html", user, job=job, result_zh=RESULT_ZH, links=links)


#: The figures a job's result page names (other keys are shown on the page of the job's kind).
RESULT_ZH = {"file": "文件", "rows": "行数", "new": "新增", "updated": "更新", "unchanged": "未变",
             "rejected_rows": "拒绝的行", "batch": "批次", "demands": "需求数", "run_id": "分配记录", "seed": "随机种子",
             "total_affinity": "总匹配度", "seconds": "用时（秒）", "clusters": "类数", "labelled": "已标注"}
