"""Tables of the 榜单 draft (#18): an entry per cluster or demand marked 拟发榜, and every version of it."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.store.base import Base, UTCDateTime, utcnow


class BangdanEntry(Base):
    """A 榜单 draft entry of a cluster or a demand marked 拟发榜 (content: nlp.bangdan.FIELDS; inactive: withdrawn)."""
    __tablename__ = "bangdan_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    cluster_key: Mapped[str | None] = mapped_column(String(32), index=True)
    demand_id: Mapped[int | None] = mapped_column(ForeignKey("demands.id", ondelete="SET NULL"), index=True)
    office: Mapped[str | None] = mapped_column(String(64), index=True)
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BangdanVersion(Base):
    """One version of a 榜单 entry: who changed which fields, when."""
    __tablename__ = "bangdan_versions"
    __table_args__ = (UniqueConstraint("entry_id", "version", name="uq_bangdan_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("bangdan_entries.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the whole entry after the change
    changed: Mapped[list[Any]] = mapped_column(default=list)  # field names, or ["created"] / ["withdrawn"]
    actor: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
