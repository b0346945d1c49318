"""Console log-in: an access token typed once becomes a signed session cookie; CSRF tokens for every form.

The cookie (``jb_console``, HttpOnly, SameSite=Lax (every write is a POST with a CSRF token), ``Secure`` over HTTPS) holds no secret: the
token's public prefix, the time of log-in and a nonce, signed with HMAC-SHA256 under the deployment's
console key. Every request looks the token up again, so a revoked token ends its console sessions at
once. The key is derived from ``JIEBANG_ADMIN_TOKEN`` when one is set (every worker agrees without a
file) or else generated once into ``<home>/console.key`` (0600). The CSRF token of a session is the
HMAC of its cookie under the same key: forms carry it as ``csrf``, ``fetch`` calls as ``X-CSRF-Token``.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from sqlalchemy import select

from api.compose import Services
from api.config import Settings
from api.errors import Forbidden, JiebangError
from api.services.access import ROLE_ZH, Principal, authenticate
from api.services.accounts import principal_of, sign_in
from api.store import tables as db

#: What each action lets a role do, as the 403 page says it (never the action's key).
ACTION_ZH = {"read": "查看需求", "submit": "提交或导入需求", "run_round": "处理本轮工作（查重、凝练、领域）",
             "read_round": "查看全轮的查重、凝练和专家组", "manage_experts": "管理专家库和专家组",
             "see_expert_identities": "查看专家身份", "see_personal": "查看个人信息", "read_audit": "查看操作日志", "manage_accounts": "管理用户账号",
             "review": "作出初审决定", "read_reviews": "查看初审结果", "recommend": "编制推荐清单", "verify_list": "核验推荐清单",
             "change_enterprise": "更改需求所属企业"}
COOKIE = "jb_console"
LOGIN_COOKIE = "jb_login"  # a nonce for the log-in form's CSRF token (no session exists yet)
MAX_AGE = 12 * 3600  # a console session lasts one working day
BOOTSTRAP = "admin"  # the prefix recorded for JIEBANG_ADMIN_TOKEN, which has no row


class LoginRequired(JiebangError):
    """No valid console session: the page redirects to the log-in form."""

    status_code = 401
    code = "login_required"


@dataclass(frozen=True)
class ConsoleUser:
    """Who a console request acts as, and the CSRF token of the session."""

    principal: Principal
    csrf: str


def console_key(settings: Settings) -> bytes:
    """The deployment's signing key (see the module docstring)."""
    if settings.admin_token:
        return hashlib.sha256(b"jiebang-console|" + settings.admin_token.encode()).digest()
    path = Path(settings.home) / "console.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
        except FileExistsError:  # another worker made it first
            pass
    return bytes.fromhex(path.read_text().strip())


def _sign(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def session_cookie(key: bytes, prefix: str) -> str:
    """A new session cookie value for the token with ``prefix``."""
    payload = f"{prefix}.{int(time.time())}.{secrets.token_hex(8)}"
    return f"{payload}.{_sign(key, payload)}"


def csrf_of(key: bytes, cookie: str) -> str:
    """The CSRF token bound to one session cookie."""
    return _sign(key, "csrf|" + cookie)[:40]


def login_csrf(key: bytes, nonce: str) -> str:
    return _sign(key, "login|" + nonce)[:40]


def check_login_csrf(request: Request, key: bytes, sent: str | None) -> None:
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    if not nonce or not sent or not hmac.compare_digest(login_csrf(key, nonce), sent):
        raise Forbidden("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。",
                        "The form expired or did not come from this site (CSRF check failed); reload and retry.",
                        code="csrf_failed")


def log_in(services: Services, token: str) -> tuple[Principal, str] | None:
    """The principal of ``token`` and its cookie prefix, or None when the token is unknown or revoked."""
    settings = services.settings
    with services.session() as session:
        who = authenticate(session, token.strip(), bootstrap_admin=settings.admin_token)
    if who is None:
        return None
    if settings.admin_token and hmac.compare_digest(token.strip().encode(), settings.admin_token.encode()):
        return who, BOOTSTRAP
    return who, token.strip().split("_", 2)[1]


ACCOUNT = "u-"  # a session of a user account: ``u-<id>-<password version>`` (not a token's prefix)


def _password_version(row: db.UserAccount) -> str:
    """Changes whenever the password is set: a reset ends the sessions signed in with the old one."""
    return str(int(db.as_utc(row.password_changed_at).timestamp() * 1000))


def log_in_account(services: Services, username: str, password: str) -> tuple[Principal, str] | None:
    """The principal of an account and its cookie prefix when the password is right (None otherwise);
    :class:`~api.services.accounts.AccountLocked` while the account is locked."""
    with services.session() as session:
        row = sign_in(session, username, password)
        return None if row is None else (principal_of(row), f"{ACCOUNT}{row.id}-{_password_version(row)}")


def current_user(request: Request) -> ConsoleUser:
    """The console user of this request, or :class:`LoginRequired` (bad, expired or revoked session)."""
    services = request.app.state.services
    key: bytes = request.app.state.console_key
    cookie = request.cookies.get(COOKIE, "")
    parts = cookie.split(".")
    if len(parts) != 4 or not hmac.compare_digest(_sign(key, ".".join(parts[:3])), parts[3]):
        raise LoginRequired("请先登录。", "Please log in.")
    prefix, issued = parts[0], parts[1]
    if not issued.isdigit() or time.time() - int(issued) > MAX_AGE:
        raise LoginRequired("登录已过期，请重新登录。", "The session expired; log in again.")
    if prefix == BOOTSTRAP:
        if not services.settings.admin_token:
            raise LoginRequired("请重新登录。", "Please log in again.")
        who = Principal("admin", "admin")
    elif prefix.startswith(ACCOUNT) and prefix[len(ACCOUNT):].replace("-", "").isdigit():
        account_id, _, version = prefix[len(ACCOUNT):].partition("-")
        with services.session() as session:
            account = session.get(db.UserAccount, int(account_id))
        if account is None or account.disabled_at is not None:
            raise LoginRequired("账号已停用，请联系管理员。", "The account is disabled; ask an admin.")
        if version != _password_version(account):
            raise LoginRequired("密码已重置，请用新密码重新登录。", "The password was reset; log in with the new one.")
        who = principal_of(account)
    else:
        with services.session() as session:
            row = session.scalar(select(db.ApiToken).where(db.ApiToken.prefix == prefix))
        if row is None or row.revoked_at is not None:
            raise LoginRequired("访问令牌已吊销，请使用有效令牌重新登录。",
                                "The access token was revoked; log in with a valid token.")
        who = Principal(row.subject, row.role, row.region)
    request.state.console_user = user = ConsoleUser(who, csrf_of(key, cookie))  # error pages show the menu too
    return user


def check_csrf(request: Request, user: ConsoleUser, sent: str | None) -> None:
    """403 unless ``sent`` (form field ``csrf`` or header ``X-CSRF-Token``) is the session's CSRF token."""
    sent = sent or request.headers.get("x-csrf-token")
    if not sent or not hmac.compare_digest(sent, user.csrf):
        raise Forbidden("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。",
                        "The form expired or did not come from this site (CSRF check failed); reload and retry.",
                        code="csrf_failed")


def require_may(user: ConsoleUser, action: str) -> None:
    """403 unless the console user's role may do ``action``."""
    if not user.principal.may(action):
        raise Forbidden(f"当前角色（{ROLE_ZH.get(user.principal.role or '', '未登录')}）无权{ACTION_ZH.get(action, '执行此操作')}。",
                        f"This role may not do this ({action}).",
                        {"action": action, "role": user.principal.role}, code="role_forbidden")
