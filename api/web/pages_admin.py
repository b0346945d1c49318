"""Console page for administrators: the audit log (操作日志), filtered by kind of object and by who, newest
first, each entry with what changed (before → after, personal fields already masked when written).
Reading needs ``read_audit`` (admin), as ``GET /audit`` does.
"""
from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.http.deps import get_session
from api.store import tables as db
from api.services import accounts
from api.services.access import ROLE_ZH
from api.services.cluster_edits import UNDO_KEY
from api.web.render import PREFIX, ConsoleRoute, NavItem, render, url, with_notice
from api.web.session import ConsoleUser, check_csrf, current_user, require_may
from matching.vocabulary import REGION_VALUES

router = APIRouter(route_class=ConsoleRoute)
NAV = [NavItem(f"{PREFIX}/audit", "操作日志", "read_audit"), NavItem(f"{PREFIX}/accounts", "用户账号", "manage_accounts")]
PAGE = 100
ENTITY_ZH = {"demand": "需求", "duplicate_pair": "查重决定", "assignment_run": "专家组", "cluster": "凝练的类",
             "file": "导入文件", "campaign": "征集活动", "api_token": "访问令牌", "expert": "专家", "expert_review": "评审记录",
             "solver": "揭榜方", "experts": "专家导入", "expert_reviews": "评审记录导入", "solvers": "揭榜方导入",
             "user": "用户账号", "bangdan": "榜单条目", "cluster_run": "凝练运行", "recommendation_list": "推荐清单",
             "audit_log": "操作日志"}
ACTION_ZH = {"create": "新建", "update": "修改", "check": "重新检查", "import": "导入", "decide": "查重决定",
             "reopen": "重新打开查重", "return": "退回", "withdraw": "撤回", "restore": "恢复", "revoke": "吊销",
             "redraw_panel": "重抽一个专家组", "read_personal": "查看个人信息", "read_panels": "查看专家身份",
             "rank_experts": "查看专家排序", "export_panels": "导出专家组", "domain.confirm": "确认技术领域",
             "domain.correct": "更正技术领域", "cluster.move": "移到另一类", "cluster.rename": "类改名",
             "cluster.merge": "合并类", "cluster.lock": "锁定类", "cluster.unlock": "解锁类",
             "cluster.split": "拆分类", "cluster.undo": "撤销类的修改",
             "login": "登录", "login_failed": "登录失败", "locked": "账号锁定", "password_reset": "重置密码",
             "bangdan.mark": "拟发榜", "bangdan.edit": "修改榜单条目", "bangdan.withdraw": "撤回拟发榜",
             "condense.run": "运行凝练", "review": "初审结论", "export": "导出", "export_personal": "导出个人信息",
             "recommend": "列入推荐清单", "unrecommend": "移出推荐清单", "reorder": "调整推荐顺序", "verify": "核验扫描件"}


@router.get("/audit")
def audit_page(request: Request, entity: str = "", actor: str = "", page: int = 1,
               user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session)) -> Response:
    require_may(user, "read_audit")
    query = select(db.AuditEntry)
    if entity:
        query = query.where(db.AuditEntry.entity == entity)
    if actor.strip():
        query = query.where(db.AuditEntry.actor.contains(actor.strip()))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    rows = list(session.scalars(query.order_by(db.AuditEntry.id.desc()).limit(PAGE).offset((page - 1) * PAGE)))
    entities = [e for e, in session.execute(select(db.AuditEntry.entity).distinct().order_by(db.AuditEntry.entity))]
    shown = [{"at": r.at, "actor": r.actor, "action": ACTION_ZH.get(r.action), "key": r.action,
              "entity": ENTITY_ZH.get(r.entity), "entity_key": r.entity, "entity_id": r.entity_id, "note": r.note,
              "change": _change(r.before, r.after)} for r in rows]
    params = {"entity": entity, "actor": actor}
    return render(request, "audit.html", user, rows=shown, total=total, page=page, pages=max(1, -(-total // PAGE)),
                  entities=[(e, ENTITY_ZH.get(e)) for e in entities], entity=entity, actor=actor, url=url,
                  params=params)


def _change(before: dict | None, after: dict | None) -> str:
    """What an entry changed, compactly (``key: before → after``), as JSON text for the page's code cell."""
    before, after = before or {}, after or {}
    keys = [k for k in dict.fromkeys([*after, *before]) if k != UNDO_KEY]  # (what an undo restores: not a change)
    return "; ".join(f"{k}: {json.dumps(before.get(k), ensure_ascii=False)} → {json.dumps(after.get(k), ensure_ascii=False)}"
                     if k in before and k in after else f"{k}: {json.dumps(after.get(k, before.get(k)), ensure_ascii=False)}"
                     for k in keys)[:400]


# ---------------------------------------------------------------------- 用户账号 accounts (admin)
@router.get("/accounts")
def accounts_page(request: Request, user: ConsoleUser = Depends(current_user),
                  session: Session = Depends(get_session)) -> Response:
    require_may(user, "manage_accounts")
    return render(request, "accounts.html", user, accounts=accounts.list_accounts(session), roles=ROLE_ZH,
                  regions=REGION_VALUES, min_length=accounts.MIN_LENGTH)


@router.post("/accounts")
def account_create(request: Request, username: str = Form(""), display_name: str = Form(""), role: str = Form(""),
                   region: str = Form(""), password: str = Form(""), csrf: str = Form(""),
                   user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session)) -> Response:
    """An admin creates a person's account with a first password (to be handed over in person)."""
    check_csrf(request, user, csrf)
    require_may(user, "manage_accounts")
    accounts.create_account(session, username=username, display_name=display_name, role=role,
                            region=region or None, password=password, actor=user.principal.actor)
    return RedirectResponse(with_notice(f"{PREFIX}/accounts", "account_created"), status_code=303)


@router.post("/accounts/{username}/password")
def account_reset(request: Request, username: str, password: str = Form(""), csrf: str = Form(""),
                  user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "manage_accounts")
    accounts.reset_password(session, username, password, actor=user.principal.actor)
    return RedirectResponse(with_notice(f"{PREFIX}/accounts", "password_reset"), status_code=303)


@router.post("/accounts/{username}/disable")
def account_disable(request: Request, username: str, disabled: bool = Form(True), csrf: str = Form(""),
                    user: ConsoleUser = Depends(current_user), session: Session = Depends(get_session)) -> Response:
    check_csrf(request, user, csrf)
    require_may(user, "manage_accounts")
    accounts.set_disabled(session, username, disabled, actor=user.principal.actor)
    return RedirectResponse(with_notice(f"{PREFIX}/accounts", "account_disabled" if disabled else "account_enabled"),
                            status_code=303)
