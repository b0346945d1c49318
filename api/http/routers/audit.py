"""The audit log over HTTP (admin): every change with who made it and its before/after images."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from api.http.auth import require
from api.http.deps import MAX_ID, get_session
from api.services.access import Principal
from api.services.audit import list_audit

router = APIRouter(tags=["audit 审计"])


class AuditOut(BaseModel):
    """一条审计记录 / an audit-log entry (personal fields masked)."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None


@router.get("/audit", response_model=list[AuditOut], summary="审计日志（管理员）/ audit log (admin)")
def audit(entity: str | None = Query(None, description="对象类型：demand / expert / solver / file / campaign / api_token"),
          entity_id: int | None = Query(None, description="对象编号"),
          limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_ID),
          session: Session = Depends(get_session), who: Principal = Depends(require("read_audit"))) -> list[AuditOut]:
    """变更记录（追加写入，含可恢复的修改前内容），最新的在前。Append-only change log with recoverable
    before-images, newest first."""
    return [AuditOut.model_validate(e, from_attributes=True)
            for e in list_audit(session, entity=entity, entity_id=entity_id, limit=limit, offset=offset)]
