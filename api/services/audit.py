"""The append-only audit log: who changed what, with before/after images free of personal data."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.forms.models import DemandRecord
from api.forms.personal import redact
from api.store import tables as db
from api.store.bulk import BulkRows

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
    in chunks, their images turned to JSON text as they are appended (:class:`api.store.bulk.BulkRows`: a file
    appends them before the campaign lock) — instead of one ORM insert (and one ``RETURNING id``) per row."""

    def __init__(self) -> None:
        self.rows = BulkRows(db.AuditEntry.__table__)

    def append(self, session: Session | None, actor: str, action: str, entity: str, entity_id: int | None,
               before: dict[str, Any] | None, after: dict[str, Any] | None, note: str | None = None) -> None:
        """:func:`append_audit`'s signature; the entry waits for :meth:`store` (its time is set then)."""
        self.take([self.entry(actor, action, entity, entity_id, before, after, note)])

    def entry(self, actor: str, action: str, entity: str, entity_id: int | None, before: dict[str, Any] | None,
              after: dict[str, Any] | None, note: str | None = None) -> dict[str, Any]:
        """An entry made ready (its images as JSON text) but not appended yet (:meth:`take` appends it)."""
        return self.rows.ready(dict(actor=actor, action=action, entity=entity, entity_id=entity_id,
                                    before=before, after=after, note=note))

    def take(self, entries: list[dict[str, Any]]) -> None:
        self.rows.rows += entries

    def store(self, session: Session) -> None:
        self.rows.write(session.connection(), at=db.utcnow())


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
