"""FastAPI dependencies: settings, one DB session per request, the campaign in force.

Everything comes from ``request.app.state`` (filled by the lifespan in :mod:`api.app`);
there are no module globals, so two apps with different settings live side by side.
"""
from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from api.config import Settings
from api.service import CampaignContext


def get_settings(request: Request) -> Settings:
    """The app's :class:`Settings`."""
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """A session for this request; rolled back if the handler fails, always closed."""
    session: Session = request.app.state.sessions()
    try:
        yield session
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def get_campaign(request: Request) -> CampaignContext:
    """The campaign in force (rules + its storage row id), loaded once at start."""
    return request.app.state.campaign


def get_intake(request: Request) -> tuple:
    """The intake step list used by submit/import (see :data:`api.service.DEFAULT_INTAKE_STEPS`)."""
    return request.app.state.intake_steps
