"""GET /health: liveness and the database revision (for load balancers and clerks' checks)."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.http.deps import get_campaign, get_session
from api.services.campaign import CampaignContext
from api.store.migrations import head_revision

router = APIRouter(tags=["health 健康检查"])


class Health(BaseModel):
    status: str = Field(..., description="服务状态：ok")
    database: str = Field(..., description="数据库类型（sqlite / postgresql）")
    schema_revision: str | None = Field(None, description="数据库结构版本（Alembic）")
    campaign: str = Field(..., description="当前征集活动编号")


@router.get("/health", response_model=Health, summary="健康检查 / health check")
def health(session: Session = Depends(get_session), campaign: CampaignContext = Depends(get_campaign)) -> Health:
    """服务是否正常、数据库是否可用。Liveness plus a database round-trip."""
    session.execute(text("SELECT 1"))
    revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return Health(status="ok", database=session.get_bind().dialect.name,
                  schema_revision=revision or head_revision(), campaign=campaign.code)
