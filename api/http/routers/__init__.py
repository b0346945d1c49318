"""HTTP routers; :func:`api.http.app.create_app` includes every router listed in :data:`ROUTERS`.

Adding an endpoint group is one line here (import its module and append its ``router``).
"""
from __future__ import annotations

from fastapi import APIRouter

from api.http.routers import (audit, bangdan, clusters, demands, domains, duplicates, experts, health, imports, jobs,
                              recommendations)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    demands.router,
    imports.router,
    audit.router,
    duplicates.router,
    experts.router,
    clusters.router,
    bangdan.router,
    domains.router,
    jobs.router,
    recommendations.router,
)
