"""Real access tokens for the HTTP tests (made in the test database as `jiebang token create` does), and a
console client signed in with one."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.config import Settings

ADMIN_TOKEN = "test-admin"  # the app_settings fixture's admin token (tests/conftest.py)


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


def console(app: TestClient, token: str) -> TestClient:
    """A browser-like client of the same app, logged in to the console with ``token``."""
    c = TestClient(app.app)
    form = c.get("/console/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    r = c.post("/console/login", data={"token": token, "csrf": csrf, "next": "/console/"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


def csrf_of(page: str) -> str:
    """The CSRF token a console page carries for its forms."""
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
