"""The append-only audit log: who changed what, with before/after images free of personal data."""
from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from api.forms.models import DemandRecord
from api.forms.personal import redact
from api.store import tables as db

SYSTEM_ACTOR = "system"


def append_audit(session: Session, actor: str, action: str, entity: str, entity_id: int | None,
                 before: dict[str, Any] | None, after: dict[str, Any] | None, note: str | None = None) -> None:
    """Append one audit entry; never updates or deletes entries.

    ``before``/``after`` must already be free of personal data (see :func:`redacted`).
    """
    session.add(db.AuditEntry(actor=actor, action=action, entity=entity, entity_id=entity_id,
                              before=before, after=after, note=note))


class AuditBatch:
    """Audit entries of one bulk write (a file import), inserted together by :meth:`store` — executemany
    in chunks — instead of one ORM insert (and one ``RETURNING id``) per row at each flush."""

    CHUNK = 1000

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def append(self, session: Session, actor: str, action: str, entity: str, entity_id: int | None,
               before: dict[str, Any] | None, after: dict[str, Any] | None, note: str | None = None) -> None:
        """:func:`append_audit`'s signature; the entry waits for :meth:`store`."""
        self.rows.append(dict(at=db.utcnow(), actor=actor, action=action, entity=entity, entity_id=entity_id,
                              before=before, after=after, note=note))

    def store(self, session: Session) -> None:
        for start in range(0, len(self.rows), self.CHUNK):
            session.connection().execute(insert(db.AuditEntry.__table__), self.rows[start:start + self.CHUNK])
        self.rows.clear()


def redacted(data: dict[str, Any] | None, model: type | None = None) -> dict[str, Any] | None:
    """``data`` (a stored record) with the personal fields of ``model`` masked (DemandRecord by default)."""
    if data is None:
        return None
    return redact(data, model or DemandRecord)


def list_audit(session: Session, *, entity: str | None = None, entity_id: int | None = None,
               limit: int = 100, offset: int = 0) -> list[db.AuditEntry]:
    """Audit entries, newest first."""
    query = select(db.AuditEntry)
    if entity:
        query = query.where(db.AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(db.AuditEntry.entity_id == entity_id)
    return list(session.scalars(query.order_by(db.AuditEntry.id.desc()).limit(limit).offset(offset)))
