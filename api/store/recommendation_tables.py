"""Tables of 初审 decisions and 推荐清单 (#22): decisions, lists with their items, and verified scans."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.store.base import Base, utcnow


class ReviewDecision(Base):
    """A city bureau's 初审 decision on a demand (append-only; the newest one per demand is in force).

    ``record`` keeps the demand's form as it was decided, so a resubmission after 退回修改 is shown as a
    diff against exactly what was returned; ``previous_id`` links a decision to the one before it."""

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    region: Mapped[str | None] = mapped_column(String(64), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # pass | return | reject
    reason: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    record: Mapped[dict[str, Any]] = mapped_column(default=dict)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("review_decisions.id"))
    actor: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RecommendationList(Base):
    """A bureau's 推荐清单 for one batch: composed, exported (signed), and verified when the stamped scan
    comes back. ``signed`` is the content the QR code's signature covers (rows as exported)."""

    __tablename__ = "recommendation_lists"
    __table_args__ = (UniqueConstraint("campaign_id", "region", "batch", name="uq_recommendation_list"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    region: Mapped[str] = mapped_column(String(64), index=True)
    batch: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | exported | verified
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    exported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    exported_by: Mapped[str | None] = mapped_column(String(100))
    signed: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    signature: Mapped[str | None] = mapped_column(String(200))
    key_id: Mapped[str | None] = mapped_column(String(32))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    items: Mapped[list["RecommendationItem"]] = relationship(
        back_populates="list", cascade="all, delete-orphan", order_by="RecommendationItem.position")


class RecommendationItem(Base):
    """One demand on a 推荐清单, in its order; ``late`` when it was recommended after the batch deadline."""

    __tablename__ = "recommendation_items"
    __table_args__ = (UniqueConstraint("list_id", "demand_id", name="uq_recommendation_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("recommendation_lists.id", ondelete="CASCADE"), index=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    list: Mapped[RecommendationList] = relationship(back_populates="items")


class ListVerification(Base):
    """One uploaded scan of a stamped 推荐清单 and what its QR code proved (kept whatever the outcome)."""

    __tablename__ = "list_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation_lists.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(24))  # unchanged | changed | no_code | foreign | forged | …
    scan_name: Mapped[str] = mapped_column(String(300), default="")
    scan_sha256: Mapped[str] = mapped_column(String(64))
    scan_path: Mapped[str] = mapped_column(String(500))
    payload: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    actor: Mapped[str] = mapped_column(String(100))
    verified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
