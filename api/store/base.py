"""The declarative base every table module shares (``Base.metadata`` is what Alembic compares against), and
the UTC time helpers of the timestamp columns."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import DeclarativeBase


def utcnow() -> datetime:
    """Timezone-aware now (UTC); every timestamp column stores UTC."""
    return datetime.now(timezone.utc)


def as_utc(stamp: datetime | None) -> datetime | None:
    """A stored or parsed timestamp as aware UTC (SQLite returns naive values; naive means UTC here)."""
    return stamp if stamp is None or stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    """Declarative base; ``Base.metadata`` is what Alembic compares against."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}
