"""GET /health: liveness, the database (reachable, writable, revision) and the disk of the service home,
for load balancers and clerks' checks. ``status``: ok, degraded (it answers, but writes may fail: disk
nearly full or read-only) or down (the database cannot be reached: 503)."""
from __future__ import annotations

import os
import shutil
from typing import Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field
from sqlalchemy import text

from api.compose import Services
from api.http.deps import get_services
from api.store.faults import classify
from api.store.migrations import head_revision

router = APIRouter(tags=["health 健康检查"])


class Health(BaseModel):
    status: Literal["ok", "degraded", "down"] = Field(..., description="服务状态：ok 正常 / degraded 可用但写入可能失败 / down 不可用")
    database: str = Field(..., description="数据库类型（sqlite / postgresql）")
    database_state: str = Field(..., description="数据库状态：ok / read_only / unavailable（及其错误代码）")
    schema_revision: str | None = Field(None, description="数据库结构版本（Alembic）")
    disk_state: Literal["ok", "low", "full", "read_only", "unknown"] = Field(..., description="服务数据目录所在磁盘：ok / low 空间不足 / full 已满 / read_only 只读")
    disk_free_mb: float | None = Field(None, description="剩余空间（MB）")
    campaign: str = Field(..., description="当前征集活动编号")


def disk_state(services: Services) -> tuple[str, float | None]:
    """The state of the disk holding the service home (uploads, SQLite file)."""
    home = services.settings.home
    try:
        home.mkdir(parents=True, exist_ok=True)
        free_mb = shutil.disk_usage(home).free / 2**20
    except OSError:
        return "unknown", None
    if free_mb < 1:
        return "full", round(free_mb, 1)
    if not os.access(home, os.W_OK) or (os.statvfs(home).f_flag & os.ST_RDONLY):
        return "read_only", round(free_mb, 1)
    return ("low" if free_mb < services.settings.min_free_mb else "ok"), round(free_mb, 1)


def database_state(services: Services) -> tuple[str, str | None]:
    """``ok`` / ``read_only`` / the fault code of an unreachable database, and the schema revision."""
    try:
        with services.session() as session:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if session.get_bind().dialect.name == "postgresql":
                if session.execute(text("SHOW transaction_read_only")).scalar() == "on":
                    return "read_only", revision
            return "ok", revision
    except Exception as exc:  # the answer says what is wrong; the log has the rest
        fault = classify(exc)
        return (fault.code if fault else "unavailable"), None


@router.get("/health", response_model=Health, summary="健康检查 / health check",
            responses={503: {"model": Health, "description": "数据库不可用 / the database cannot be reached"}})
def health(response: Response, services: Services = Depends(get_services)) -> Health:
    """服务是否正常：数据库是否可达、可写，磁盘空间是否充足。Liveness, database and disk state."""
    db_state, revision = database_state(services)
    disk, free = disk_state(services)
    if db_state not in ("ok", "read_only"):
        status = "down"
        response.status_code = 503
        response.headers["Retry-After"] = "10"
    else:
        status = "ok" if db_state == "ok" and disk == "ok" else "degraded"
    return Health(status=status, database=services.engine.dialect.name, database_state=db_state,
                  schema_revision=revision or (head_revision() if db_state == "ok" else None), disk_state=disk,
                  disk_free_mb=free, campaign=services.campaign.code)
