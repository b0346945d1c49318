"""Admin access: ``Authorization: Bearer <JIEBANG_ADMIN_TOKEN>`` unlocks personal fields.

Without a configured token nobody is admin: personal fields stay masked and admin-only
endpoints answer 403. Tokens are compared in constant time and never logged.
"""
from __future__ import annotations

import hmac

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Forbidden, JiebangError

bearer = HTTPBearer(auto_error=False, description="管理员令牌 JIEBANG_ADMIN_TOKEN / admin token")


class Unauthorized(JiebangError):
    status_code = 401
    code = "unauthorized"


def _token_matches(expected: str | None, credentials: HTTPAuthorizationCredentials | None) -> bool:
    if not expected or credentials is None or credentials.scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(credentials.credentials.encode(), expected.encode())


def is_admin(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> bool:
    """True when the request carries the configured admin token (never raises)."""
    return _token_matches(request.app.state.settings.admin_token, credentials)


def require_admin(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """Dependency for admin-only endpoints: 401 without a valid token, 403 when none is configured."""
    expected = request.app.state.settings.admin_token
    if not expected:
        raise Forbidden("本服务未配置管理员令牌（JIEBANG_ADMIN_TOKEN），该功能不可用。",
                        "No admin token is configured (JIEBANG_ADMIN_TOKEN); this endpoint is disabled.",
                        code="admin_disabled")
    if not _token_matches(expected, credentials):
        raise Unauthorized("需要管理员令牌：请在请求头中提供 Authorization: Bearer <令牌>。",
                           "Admin token required: send 'Authorization: Bearer <token>'.")
