"""Rendering console pages: Jinja2 templates, the navigation, and errors shown as pages.

Every console route uses :class:`ConsoleRoute`: a missing or revoked session redirects to the log-in
form (or answers 401 JSON to ``fetch``), and an application error (403 role, 404, invalid input) is
rendered as a Chinese error page with its status code instead of the API's JSON body.
"""
from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ValidationError

from api.errors import InvalidInput, JiebangError
from api.io.labels import SEVERITY_ZH, STATUS_ZH, actor_zh, rule_zh, zh_quotes
from api.services.access import ROLE_ZH
from api.services.recommendations import CHINA
from api.store.base import as_utc
from api.web.session import ConsoleUser, LoginRequired

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
PREFIX = "/console"


#: What a page says after a write redirected to it (``?notice=<key>``): every write ends with a message.
NOTICE_ZH = {"confirm": "已确认为重复。", "dismiss": "已标记为不是重复。", "reopen": "已重新打开，这对需求回到待确认队列。",
             "redraw": "已重抽该需求的专家组，其他专家组不变。", "force": "已指定专家，下次抽取时遵守。",
             "forbid": "已移出并禁止该专家，下次抽取时遵守。", "remove": "已撤销这条指定或禁止。",
             "move": "已移动所选需求。", "none_selected": "没有勾选任何需求：请先勾选，再选择批量操作。", "rename": "已改名。", "merge": "已合并。", "saved": "已保存。",
             "return": "已退回，初审单位会看到理由。", "withdraw": "已撤回。", "restore": "已恢复原来的状态。",
             "account_created": "账号已创建，请把初始密码当面交给本人。", "password_reset": "密码已重置，账号已解锁。",
             "account_disabled": "账号已停用，其已登录的会话随即失效。", "account_enabled": "账号已重新启用。",
             "undo": "已撤销上一次修改，类的成员、名称和数字已恢复。", "started": "已开始，进度见下方；完成后本页显示结果。",
             "domain": "已保存技术领域，需求已转到相应处室。", "bangdan_marked": "已列入榜单草稿。",
             "bangdan_saved": "已保存榜单条目（新版本）。", "bangdan_withdrawn": "已把该条目撤出榜单草稿。",
             "review": "已保存初审意见。", "list_composed": "已生成推荐清单。", "list_removed": "已从推荐清单中移除该需求。"}


def with_notice(target: str, notice: str) -> str:
    """``target`` (a console path, perhaps with a query and an earlier notice) that shows ``notice`` once loaded."""
    path, _, query = target.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith("notice=")]
    return f"{path}?{'&'.join([*kept, f'notice={notice}'])}"


@dataclass(frozen=True)
class NavItem:
    """One entry of the console's navigation: shown to roles that may do ``action`` (any of them when a
    tuple; everyone when None)."""

    path: str
    label: str
    action: str | tuple[str, ...] | None = None

    def shown_to(self, user: ConsoleUser | None) -> bool:
        if user is None:
            return False
        actions = (self.action,) if isinstance(self.action, str) else self.action
        return actions is None or any(user.principal.may(a) for a in actions)


def make_templates() -> Jinja2Templates:
    """The console's template environment (autoescaped HTML) with its filters."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.filters["rule_zh"] = rule_zh
    env.filters["severity_zh"] = lambda s: SEVERITY_ZH.get(s, s)
    env.filters["status_zh"] = lambda s: STATUS_ZH.get(s, s)
    env.filters["pct"] = lambda x: f"{float(x) * 100:.0f}%" if x is not None else "—"
    env.filters["num"] = lambda x, d=3: f"{float(x):.{d}f}" if x is not None else "—"
    env.filters["day"] = beijing
    env.filters["wan"] = wan
    env.filters["zh_quotes"] = zh_quotes
    env.filters["actor_zh"] = actor_zh
    env.globals["role_zh"] = ROLE_ZH
    env.globals["prefix"] = PREFIX
    return templates


def beijing(t: Any) -> str:
    """A stored time (aware, naive UTC, or ISO text) as users read it: Beijing time, to the minute, as the
    exported lists and PDFs write it."""
    if isinstance(t, str):
        if len(t) <= 10:  # a date alone stays as written
            return t
        try:
            t = datetime.fromisoformat(t)
        except ValueError:
            return t
    if not isinstance(t, datetime):
        return "" if t is None else str(t)
    return as_utc(t).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def wan(x: Any) -> str:
    """An amount in 万元 as a clerk writes it: "18,000 万元" (decimals only when there are any)."""
    if x is None or x == "":
        return ""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    return f"{v:,.0f} 万元" if v == int(v) else f"{v:,.2f} 万元"


def render(request: Request, template: str, user: ConsoleUser | None, status_code: int = 200,
           **context: Any) -> Response:
    """A page: ``template`` with the user, their navigation and the session's CSRF token."""
    nav: list[NavItem] = request.app.state.console_nav
    items = [n for n in nav if n.shown_to(user)]
    templates: Jinja2Templates = request.app.state.console_templates
    return templates.TemplateResponse(request, template, {
        "user": user, "who": user.principal if user else None, "csrf": user.csrf if user else "",
        "nav": items, "path": request.url.path, "notice": NOTICE_ZH.get(request.query_params.get("notice", "")),
        **context}, status_code=status_code)


def url(path: str, params: dict[str, Any] | None = None, **changes: Any) -> str:
    """``path`` with ``params`` updated by ``changes`` (empty values dropped): links that keep the filters."""
    merged = {**(params or {}), **changes}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "", [])}, doseq=True)
    return f"{path}?{query}" if query else path


def form_model(model: type[BaseModel], **values: Any) -> Any:
    """``model`` (the JSON API's request model) from form values; what does not fit is a page saying why."""
    try:
        return model(**values)
    except ValidationError as exc:
        problems = "；".join(f"{'.'.join(map(str, e['loc']))}：{e['msg']}" for e in exc.errors())
        raise InvalidInput(f"表单填写有误：{problems}", f"The form has invalid values: {problems}",
                           [{"message_zh": f"{'.'.join(map(str, e['loc']))}：{e['msg']}"} for e in exc.errors()]) from None


class ConsoleRoute(APIRoute):
    """A console route: log-in redirects and errors rendered as pages (see the module docstring)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except LoginRequired as exc:
                if _wants_json(request):
                    return JSONResponse(exc.to_body(), status_code=401)
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"{PREFIX}/login?next={quote(target)}", status_code=303)
            except JiebangError as exc:
                if _wants_json(request):
                    return JSONResponse(exc.to_body(), status_code=exc.status_code)
                return render(request, "error.html", getattr(request.state, "console_user", None),
                              status_code=exc.status_code, error=exc)

        return handler


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "") or request.url.path.startswith(f"{PREFIX}/api/")
