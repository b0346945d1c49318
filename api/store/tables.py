"""Relational storage (SQLAlchemy 2 ORM): the tables.

SQLite by default, PostgreSQL by URL (:mod:`api.store.engine`); portable types (``JSON`` for documents). The schema
is made by Alembic (:func:`api.store.engine.migrate`), never ``create_all``, so a database follows the revisions.

Identity choices (documented in README):
- an *enterprise* is unique per campaign by ``org_key`` (统一社会信用代码 when present, else the
  normalised name): the "at most 2 demands per enterprise per campaign" rule counts within one
  campaign, and the declared financials belong to that campaign's year;
- a *demand* is unique per campaign by ``external_id`` (需求编号) when the platform gave one, and is
  otherwise recognised by ``content_hash`` (the sha256 of its canonical record).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.store.base import Base, UTCDateTime, as_utc, utcnow  # noqa: F401  (callers use tables.as_utc / tables.utcnow)


class Campaign(Base):
    """A 揭榜挂帅 campaign (one year's notice): its code and the rule configuration in force."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Enterprise(Base):
    """An enterprise (企业) as declared in a campaign; ``profile`` holds its form fields."""

    __tablename__ = "enterprises"
    __table_args__ = (UniqueConstraint("campaign_id", "org_key", name="uq_enterprise_campaign_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    org_key: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(64), index=True)
    group_name: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(64))
    park: Mapped[str | None] = mapped_column(String(200))
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    demands: Mapped[list["Demand"]] = relationship(back_populates="enterprise")


class Demand(Base):
    """A technology demand (需求): indexed columns for filtering plus the full flat record as JSON."""

    __tablename__ = "demands"
    __table_args__ = (
        UniqueConstraint("campaign_id", "external_id", name="uq_demand_campaign_external"),
        # without a 需求编号 a demand is its content: identical content is stored once (the database enforces it)
        Index("uq_demand_campaign_content", "campaign_id", "content_hash", unique=True,
              sqlite_where=text("external_id IS NULL"), postgresql_where=text("external_id IS NULL")),
        Index("ix_demands_campaign_content", "campaign_id", "content_hash"),  # intake's lookup by content (0011)
        Index("ix_demands_campaign_version", "campaign_id", "id", "row_version"),  # duplicate index: change counter
        Index("ix_demands_campaign_updated", "campaign_id", "updated_at"))  # and the rows written since its last sync

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    batch: Mapped[str | None] = mapped_column(String(32), index=True)
    region: Mapped[str | None] = mapped_column(String(64), index=True)
    park: Mapped[str | None] = mapped_column(String(200))
    recommending_unit: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(64), index=True)
    check_status: Mapped[str] = mapped_column(String(16), index=True, default="ok")
    category: Mapped[str | None] = mapped_column(String(32))
    area: Mapped[str | None] = mapped_column(String(64), index=True)
    office: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str | None] = mapped_column(String(300))
    record: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # optimistic concurrency: +1 on every update; an update naming an older version is refused (409)
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    enterprise: Mapped[Enterprise] = relationship(back_populates="demands")
    findings: Mapped[list["FindingRow"]] = relationship(
        back_populates="demand", cascade="all, delete-orphan", order_by="FindingRow.id")


class FindingRow(Base):
    """A rule finding stored for a demand (replaced whenever the demand is checked again)."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    message_zh: Mapped[str] = mapped_column(Text, default="")
    message_en: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[list[Any]] = mapped_column(default=list)
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    demand: Mapped[Demand] = relationship(back_populates="findings")


class Expert(Base):
    """A review expert (专家); identity fields live in ``record`` and are shown to admins only."""

    __tablename__ = "experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    organization: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(64), index=True)
    category: Mapped[str | None] = mapped_column(String(32))
    research_fields: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    avoid_orgs: Mapped[list[Any]] = mapped_column(default=list)
    record: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    reviews: Mapped[list["ExpertReview"]] = relationship(back_populates="expert", cascade="all, delete-orphan")


class ExpertReview(Base):
    """One past review of an expert (评审记录), optionally linked to a stored demand."""

    __tablename__ = "expert_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    abstract: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    reviewed_at: Mapped[str | None] = mapped_column(String(32))
    demand_id: Mapped[int | None] = mapped_column(ForeignKey("demands.id", ondelete="SET NULL"))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)

    expert: Mapped[Expert] = relationship(back_populates="reviews")


class Solver(Base):
    """A solver institution (揭榜方: 高校/科研院所/企业)."""

    __tablename__ = "solvers"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(64))
    record: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AuditEntry(Base):
    """Append-only change log: who did what to which row, before/after with personal fields redacted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32), index=True)
    entity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)


class DuplicateDecision(Base):
    """A clerk's decision on a candidate duplicate pair (confirm | dismiss)."""

    __tablename__ = "duplicate_decisions"
    __table_args__ = (UniqueConstraint("demand_a", "demand_b", name="uq_duplicate_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_a: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    demand_b: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiToken(Base):
    """An access token: who holds it (``subject``, written into the audit log), its role and, for a
    city bureau, its region. Only a SHA-256 of the secret is stored; ``prefix`` finds the row."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserAccount(Base):
    """A person's console account (user name and password), next to the access tokens programs use. The
    password is kept only as an Argon2id hash; repeated failures lock the account for a while."""

    __tablename__ = "user_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))  # the subject written into the audit log
    role: Mapped[str] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DedupRun(Base):
    """One batch de-duplication of a campaign (or one 批次): its parameters and the groups found.

    Kept in the database (not a local file) so that every worker serves the same latest groups."""

    __tablename__ = "dedup_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    batch: Mapped[str | None] = mapped_column(String(32))
    min_verdict: Mapped[str] = mapped_column(String(32))
    demands: Mapped[int] = mapped_column(Integer, default=0)
    groups: Mapped[list[Any]] = mapped_column(default=list)
    actor: Mapped[str | None] = mapped_column(String(100))
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssignmentRun(Base):
    """One expert-panel assignment run: its parameters and random seed (for reproducibility)."""

    __tablename__ = "assignment_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seed: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignments: Mapped[list["Assignment"]] = relationship(back_populates="run", cascade="all, delete-orphan")


class Assignment(Base):
    """An expert assigned to a demand in a run, with role, affinity and rank."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("assignment_runs.id", ondelete="CASCADE"), index=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    affinity: Mapped[float] = mapped_column(Float, default=0.0)
    rank: Mapped[int] = mapped_column(Integer, default=0)

    run: Mapped[AssignmentRun] = relationship(back_populates="assignments")


class ClusterRun(Base):
    """One condensation run (梳理凝练) of a campaign: parameters, seed, counts, who and when."""

    __tablename__ = "cluster_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    demands: Mapped[int] = mapped_column(Integer, default=0)
    clusters: Mapped[int] = mapped_column(Integer, default=0)
    unclustered: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str | None] = mapped_column(String(100))
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Cluster(Base):
    """A topic cluster of a round under its stable key (``C0007``; ``C0007.1`` for a sub-cluster).

    ``name`` is the staff's name (kept across runs), ``title`` the proposed 发榜需求名称; a ``locked``
    cluster keeps exactly its members; an inactive one was merged away or emptied (its key is never reused).
    """

    __tablename__ = "clusters"
    __table_args__ = (UniqueConstraint("campaign_id", "key", name="uq_cluster_campaign_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    parent_key: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(100), default="")
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    medoid_id: Mapped[int | None] = mapped_column(Integer)
    office: Mapped[str | None] = mapped_column(String(64))
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ClusterMember(Base):
    """Which cluster a demand is in (``cluster_key`` None: 未归类); ``pinned``: placed there by staff."""

    __tablename__ = "cluster_members"
    __table_args__ = (UniqueConstraint("campaign_id", "demand_id", name="uq_cluster_member_demand"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    cluster_key: Mapped[str | None] = mapped_column(String(32), index=True)
    sub_key: Mapped[str | None] = mapped_column(String(32))
    similarity: Mapped[float | None] = mapped_column(Float)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(100), default="")  # proposed 发榜需求名称 of the demand
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    point: Mapped[list[Any]] = mapped_column(default=list)  # 2-D position on the round's map
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DomainLabel(Base):
    """A staff decision on a demand's technology domain (confirm or correct), append-only: the newest
    row per demand and taxonomy is in force, and all of them are the classifier's training data."""

    __tablename__ = "domain_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    taxonomy: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))  # confirm | correct
    suggested: Mapped[str | None] = mapped_column(String(32))
    probability: Mapped[float | None] = mapped_column(Float)
    office: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Job(Base):
    """Long work run in the background (import, de-dup, condensation, labelling, panels): its state lives
    here, so every worker sees it, and a job whose owning process is gone is marked failed at the next
    start instead of staying "running"."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="queued")  # queued|running|done|failed
    stage: Mapped[str] = mapped_column(String(64), default="")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    actor: Mapped[str | None] = mapped_column(String(100))
    owner: Mapped[str | None] = mapped_column(String(200))  # "host:pid" of the process running it
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the runner's last sign of life
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # runs started (a takeover adds one)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def clip(model: type[Base], column: str, value: str | None) -> str | None:
    """``value`` cut to the column's declared length (PostgreSQL enforces it, SQLite does not)."""
    length = getattr(model.__table__.c[column].type, "length", None)
    return value[:length] if value is not None and length else value


# 初审 decisions and 推荐清单 (#22) live in their own module; imported here so every table is ``tables.X``.
from api.store.recommendation_tables import (  # noqa: E402,F401
    ListVerification, RecommendationItem, RecommendationList, ReviewDecision)
# 榜单 draft entries and their versions (#18) likewise.
from api.store.bangdan_tables import BangdanEntry, BangdanVersion  # noqa: E402,F401
