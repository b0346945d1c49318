"""Console pages for demands: 导入 intake (an upload run as a job), the 需求 list (URL filters, facets,
sort, pages, bulk actions, export of exactly the filtered view) and one demand's page (every field,
masked per role; rule findings; duplicate candidates side by side, confirm / dismiss).
"""
from __future__ import annotations

import io
import secrets
from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.compose import Services
from api.errors import Forbidden, InvalidInput
from api.forms.models import DemandRecord
from api.forms.personal import to_row
from api.http.deps import get_campaign, get_services, get_session
from api.http.routers.demands import audit_personal_read, visible_demand
from api.http.routers.imports import IMPORT_ACTION
from api.http.routers.jobs import readable_job, start_import
from api.io.labels import STATUS_ZH, rule_zh
from api.io.writers import write_excel
from api.services import reviews
from api.services.access import Principal
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.demands import change_status, demand_rows
from api.services.jobs import job_out
from api.store import tables as db
from api.web.evidence import DECISION_ZH, VERDICT_ZH, decision_undo, pairs_for
from api.web.queries import (FACETS, FILTER_ZH, PAGE_SIZES, SORT_ZH, DemandFilter, demand_page,
                             cluster_names, demand_rows_for_export, facets, pending_ids)
from api.web.render import PREFIX, ConsoleRoute, NavItem, render, url, with_notice
from api.web.session import ConsoleUser, check_csrf, current_user, require_may
from api.http.downloads import attachment

router = APIRouter(route_class=ConsoleRoute)
IMPORT_ANY = tuple(dict.fromkeys(IMPORT_ACTION.values()))  # 导入 is there for whoever may import some kind
NAV = [NavItem(f"{PREFIX}/intake", "导入", IMPORT_ANY), NavItem(f"{PREFIX}/demands", "需求")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_ZH = {"demands": "需求汇总表 / 征集表", "experts": "专家", "expert_reviews": "专家评审记录", "solvers": "揭榜方"}


# ---------------------------------------------------------------------- 导入 intake
@router.get("/intake")
def intake_page(request: Request, job: int | None = None, user: ConsoleUser = Depends(current_user),
                session: Session = Depends(get_session), services: Services = Depends(get_services)) -> Response:
    if not any(user.principal.may(a) for a in IMPORT_ANY):
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
    return RedirectResponse(f"{PREFIX}/intake?notice=started&job={job_id}", status_code=303)


# ---------------------------------------------------------------------- 需求 list
def _filter(request: Request, user: ConsoleUser) -> DemandFilter:
    who = user.principal
    asked = request.query_params.get("region")
    if who.role == "bureau" and asked and asked != who.region:
        raise Forbidden(f"初审单位只能查看本地区（{who.region}）的需求。",
                        f"A bureau sees the demands of its own region ({who.region}) only.",
                        {"region": asked}, code="region_forbidden")
    return DemandFilter.from_params(request.query_params, who)


def _within(session: Session, services: Services, f: DemandFilter) -> set[int] | None:
    """The demands the ``dup`` filter keeps (those in an undecided pair of the duplicate queue), or None."""
    return pending_ids(services.dedup_runs.queue(session)) if f.dup == "pending" else None


@router.get("/demands")
def demand_list(request: Request, user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                campaign: CampaignContext = Depends(get_campaign), services: Services = Depends(get_services)) -> Response:
    f = _filter(request, user)
    total, rows = demand_page(session, campaign.id, f, within=_within(session, services, f))
    pages = max(1, -(-total // f.per))
    names = _cluster_names(session, campaign.id, user.principal)
    clusters = []
    if user.principal.may("run_round"):
        clusters = [k for k, in session.execute(select(db.Cluster.key).where(
            db.Cluster.campaign_id == campaign.id, db.Cluster.active.is_(True), db.Cluster.parent_key.is_(None))
            .order_by(db.Cluster.key))]
    return render(request, "demands.html", user, f=f, total=total, rows=rows, pages=pages, page_sizes=PAGE_SIZES,
                  facets=facets(session, campaign.id, user.principal), facet_names=list(FACETS) + ["flag", "cluster"],
                  filter_zh=FILTER_ZH, sorts=SORT_ZH, url=url, clusters=clusters, cluster_names=names,
                  export_url=url(f"{PREFIX}/demands/export.xlsx", f.params(page=1)),
                  recommended=services.recommendations.demand_status(session, [d.id for d in rows])
                  if user.principal.may("read_reviews") else {})


@router.get("/demands/export.xlsx")
def demand_export(request: Request, user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                  campaign: CampaignContext = Depends(get_campaign), services: Services = Depends(get_services)) -> Response:
    """Exactly the filtered view (every page), personal fields only for roles that may see them (audited)."""
    f = _filter(request, user)
    ids = [int(i) for i in request.query_params.getlist("id") if i.isdigit()]
    return _xlsx(session, user, demand_rows_for_export(session, campaign.id, f, ids or None,
                                                       within=_within(session, services, f)))


def _xlsx(session: Session, user: ConsoleUser, demands: list[db.Demand]) -> Response:
    """The demands as staff review them in Excel: 系统编号, 检查结论, 规则提示, 归口处室 and 类 first, then
    every form column (personal fields only for roles that may see them; audited)."""
    personal = user.principal.may("see_personal")
    names = _cluster_names(session, demands[0].campaign_id, user.principal) if demands else {}
    keys = dict(session.execute(select(db.ClusterMember.demand_id, db.ClusterMember.cluster_key).where(
        db.ClusterMember.demand_id.in_([d.id for d in demands]))).all()) if demands else {}
    rows = []
    for d, row in zip(demands, demand_rows(demands, include_personal=personal)):
        key = keys.get(d.id)
        rows.append({"系统编号": d.id, "检查结论": STATUS_ZH.get(d.check_status, d.check_status),
                     "规则提示": "；".join(f"{rule_zh(f.rule_id)}：{f.message_zh}" for f in d.findings),
                     "归口处室": d.office or "", "类": f"{key} {names.get(key, '')}".strip() if key else
                     ("未归类" if d.id in keys else ""), **row})
    buffer = io.BytesIO()
    write_excel({"需求 demands": rows}, buffer)
    audit_personal_read(session, user.principal, demands)
    return attachment(buffer.getvalue(), XLSX, "需求.xlsx", "demands.xlsx")


@router.post("/demands/bulk")
def demand_bulk(request: Request, action: str = Form(...), ids: list[int] = Form(default_factory=list),
                cluster: str = Form(""), back: str = Form(f"{PREFIX}/demands"), csrf: str = Form(""),
                user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session),
                campaign: CampaignContext = Depends(get_campaign),
                services: Services = Depends(get_services)) -> Response:
    """Bulk actions on the selected demands: export them, or move them into a cluster (staff; audited)."""
    check_csrf(request, user, csrf)
    if not ids:  # back to the list, saying what to do (not an error page)
        return RedirectResponse(with_notice(back if back.startswith(f"{PREFIX}/") else f"{PREFIX}/demands",
                                            "none_selected"), status_code=303)
    demands = [visible_demand(session, i, user.principal) for i in ids]
    if action == "export":
        return _xlsx(session, user, demands)
    if action == "move":
        require_may(user, "run_round")
        edit = secrets.token_hex(8)  # one bulk move: undone together
        for d in demands:
            services.condensation.move(session, d.id, cluster or None, user.principal.actor, edit=edit)
        return RedirectResponse(with_notice(back if back.startswith(f"{PREFIX}/") else f"{PREFIX}/demands", "move"),
                                status_code=303)
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
    pairs = pairs_for(session, services.duplicates, demand, who=who)
    decided = []
    for q in services.dedup_runs.queue(session)["decided"]:
        if demand.id in (q["a"], q["b"]):
            other = session.get(db.Demand, q["b"] if q["a"] == demand.id else q["a"])
            seen = who.sees_region(other.region)
            decided.append({**q, "other": other.id, "other_title": other.title if seen else None})
    member = session.scalar(select(db.ClusterMember).where(db.ClusterMember.demand_id == demand.id))
    cluster_name = _cluster_names(session, demand.campaign_id, who).get(member.cluster_key, "") if member else ""
    panel = _latest_panel(session, services, demand.id, who) if who.may("read_round") else None
    label = session.scalar(select(db.DomainLabel).where(db.DomainLabel.demand_id == demand.id)
                           .order_by(db.DomainLabel.id.desc()).limit(1))
    taxonomy = services.domains.taxonomy
    domain = None if label is None else {
        "code": label.code, "name": taxonomy[label.code].name if label.code in taxonomy else "", "office": label.office,
        "decision": "确认建议" if label.decision == "confirm" else "更正", "actor": label.actor, "at": label.decided_at}
    history = list(session.scalars(select(db.AuditEntry).where(
        db.AuditEntry.entity == "demand", db.AuditEntry.entity_id == demand.id,
        db.AuditEntry.action.not_in(("read_personal",))).order_by(db.AuditEntry.id.desc()).limit(100)))
    review = reviews.history(session, who, demand.id) if who.may("read_reviews") else None
    recommended = services.recommendations.demand_status(session, [demand.id]).get(demand.id) if review else None
    audit_personal_read(session, who, [demand])
    return render(request, "demand.html", user, review=review, recommended=recommended,
                  review_zh=reviews.DECISION_ZH, d=demand, fields=fields, pairs=pairs, verdict_zh=VERDICT_ZH,
                  member=member, personal=personal, decided=decided, decision_zh=DECISION_ZH, panel=panel,
                  cluster_name=cluster_name, domain=domain, history=history, history_zh=HISTORY_ZH,
                  may_return=who.may("run_round"), may_withdraw=who.may("submit"),
                  notice_undo=decision_undo(request.query_params.get("notice"), decided))


#: Audit actions on a demand as its history names them.
HISTORY_ZH = {"create": "新建（提交或导入）", "update": "修改（重新提交或导入）", "check": "重新检查", "return": "退回",
              "withdraw": "撤回", "restore": "恢复", "domain.confirm": "确认技术领域", "domain.correct": "更正技术领域",
              "cluster.move": "移到另一类", "change_enterprise": "更改所属企业", "review": "初审结论"}


@router.post("/demands/{demand_id}/status")
def demand_status(request: Request, demand_id: int, action: str = Form(...), note: str = Form(""), csrf: str = Form(""),
                  user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session)) -> Response:
    """退回 (staff), 撤回 (the demand's bureau or staff) or 恢复 (audited with the reason)."""
    check_csrf(request, user, csrf)
    demand = visible_demand(session, demand_id, user.principal)
    require_may(user, "run_round" if action == "return" or (action == "restore" and demand.status == "已退回")
                else "submit")
    change_status(session, demand, action, actor=user.principal.actor, note=note)
    return RedirectResponse(with_notice(f"{PREFIX}/demands/{demand_id}", action), status_code=303)


def _cluster_names(session: Session, campaign_id: int, who: Principal) -> dict[str, str]:
    """Cluster names for roles that read the whole round; none for a bureau: a cluster spans regions, and its
    proposed name is drawn from its members' texts (another region's demand title, #20's leak)."""
    return cluster_names(session, campaign_id) if who.may("read_round") else {}


def _latest_panel(session: Session, services: Services, demand_id: int, who: Principal) -> dict | None:
    """The demand's panel in the latest run that has one: run id, members and substitutes (names only to
    roles that may see expert identities, pseudonyms otherwise), or None."""
    run_id = session.scalar(select(func.max(db.Assignment.run_id)).where(db.Assignment.demand_id == demand_id))
    if run_id is None:
        return None
    identities = who.may("see_expert_identities")
    rows = session.execute(select(db.Assignment, db.Expert).join(db.Expert, db.Expert.id == db.Assignment.expert_id)
                           .where(db.Assignment.run_id == run_id, db.Assignment.demand_id == demand_id)
                           .order_by(db.Assignment.role, db.Assignment.rank)).all()
    if identities:
        append_audit(session, who.actor, "read_panels", "assignment_run", run_id, None,
                     {"identities": True, "demand_id": demand_id})
        session.commit()
    shown = [(a.role, e.name if identities else services.experts.pseudonym(e.id), a.affinity) for a, e in rows]
    return {"run_id": run_id, "members": [(n, x) for r, n, x in shown if r == "member"],
            "substitutes": [(n, x) for r, n, x in shown if r != "member"]}

