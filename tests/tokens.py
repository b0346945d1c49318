"""Real access tokens for the HTTP tests (made in the test database as `jiebang token create` does)."""
from __future__ import annotations

from api.config import Settings


def token_for(settings: Settings, role: str, *, region: str | None = None, subject: str | None = None) -> str:
    """A real access token of ``role`` in the database of ``settings`` (made as `jiebang token create` does)."""
    from api.compose import build_services
    from api.services.access import create_token

    services = build_services(settings)
    try:
        with services.session() as session:
            return create_token(session, role=role, subject=subject or f"test-{role}", region=region)[1]
    finally:
        services.close()


def bearer(token: str) -> dict[str, str]:
    """The request header that presents ``token``."""
    return {"Authorization": f"Bearer {token}"}
