"""HTTP routers; :func:`api.app.create_app` includes every router listed in :data:`ROUTERS`.

Adding an endpoint group is one line here (import its module and append its ``router``).
"""
from __future__ import annotations

from fastapi import APIRouter

from api.routers import demands, health
from api.routers import duplicates
from api.routers import experts

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    demands.router,
    duplicates.router,
    experts.router,
)
