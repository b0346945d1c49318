"""Authentication and roles over HTTP: ``Authorization: Bearer <token>`` → the :class:`Principal`.

Every endpoint but ``/health`` needs a token (``jiebang token create``; ``JIEBANG_ADMIN_TOKEN`` is an
admin from the start). A deployment may open read-only, masked lists to anonymous callers with
``JIEBANG_PUBLIC_READ=1``. A missing or unknown token is a 401, a role that may not do something a
403, both with the bilingual error body. Tokens are never logged.
"""
from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Forbidden, Unauthorized
from api.http.deps import get_services
from api.services.access import ANONYMOUS, PERMISSIONS, ROLE_ZH, ROLES, Principal, authenticate

bearer = HTTPBearer(auto_error=False, description="访问令牌（jiebang token create）/ access token")


def principal(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    """Who the request acts as; 401 without a valid token (anonymous GETs where the deployment allows them)."""
    services = get_services(request)
    if credentials is not None and credentials.scheme.lower() == "bearer":
        with services.session() as session:
            found = authenticate(session, credentials.credentials, bootstrap_admin=services.settings.admin_token)
        if found is None:
            raise Unauthorized("访问令牌无效或已吊销。", "The access token is invalid or revoked.",
                               code="invalid_token")
        return found
    if request.method == "GET" and services.settings.public_read:
        return ANONYMOUS
    raise Unauthorized("需要访问令牌：请在请求头中提供 Authorization: Bearer <令牌>。",
                       "An access token is required: send 'Authorization: Bearer <token>'.")


def require(action: str) -> Callable[..., Principal]:
    """A dependency that lets through only principals whose role may do ``action`` (403 otherwise)."""

    def check(who: Principal = Depends(principal)) -> Principal:
        if not who.may(action):
            allowed = "、".join(ROLE_ZH[r] for r in _roles(action))
            raise Forbidden(f"当前令牌的角色无权执行此操作（需要：{allowed}）。",
                            f"This token's role may not do this ({action}; allowed: {', '.join(_roles(action))}).",
                            {"action": action, "role": who.role}, code="role_forbidden")
        return who

    return check


def _roles(action: str) -> list[str]:
    return [r for r in ROLES if r in PERMISSIONS[action]]


def is_admin(who: Principal = Depends(principal)) -> bool:
    """True when the caller may see enterprise personal data (kept for the routers' masking)."""
    return who.may("see_personal")


def sees_experts(who: Principal = Depends(principal)) -> bool:
    """True when the caller may see expert identities."""
    return who.may("see_expert_identities")
