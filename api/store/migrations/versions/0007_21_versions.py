"""demands.row_version (optimistic concurrency), content uniqueness without 需求编号 enforced by the database,
jobs.heartbeat_at / attempts (a job of a dead worker is found by its stopped heartbeat)

Before the unique index is made, demands the old intake race stored twice (same campaign, same content
hash, no 需求编号) keep their rows: every later copy's ``content_hash`` is re-keyed (sha256 of the hash
and its id), so nothing is deleted and the first copy stays the one identical submissions find.

Revision ID: i21_versions
Revises: i22_review
Create Date: 2026-12-06
"""
from __future__ import annotations

import hashlib
import logging

import sqlalchemy as sa
from alembic import op

revision = 'i21_versions'
down_revision = 'i22_review'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
NO_EXTERNAL_ID = sa.text("external_id IS NULL")


def _rekey_race_copies() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, campaign_id, content_hash FROM demands WHERE external_id IS NULL "
                                "ORDER BY id")).all()
    seen: set[tuple[int, str]] = set()
    copies = 0
    for demand_id, campaign_id, digest in rows:
        if (campaign_id, digest) in seen:
            rekeyed = hashlib.sha256(f"{digest}:{demand_id}".encode()).hexdigest()
            bind.execute(sa.text("UPDATE demands SET content_hash = :h WHERE id = :i"), {"h": rekeyed, "i": demand_id})
            copies += 1
        seen.add((campaign_id, digest))
    if copies:
        log.warning("%d demand(s) stored twice by concurrent submissions were kept and re-keyed", copies)


def upgrade() -> None:
    with op.batch_alter_table('demands', schema=None) as batch_op:
        batch_op.add_column(sa.Column('row_version', sa.Integer(), nullable=False, server_default='1'))
    _rekey_race_copies()
    op.create_index('uq_demand_campaign_content', 'demands', ['campaign_id', 'content_hash'], unique=True,
                    sqlite_where=NO_EXTERNAL_ID, postgresql_where=NO_EXTERNAL_ID)
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('heartbeat_at')
    op.drop_index('uq_demand_campaign_content', table_name='demands')
    with op.batch_alter_table('demands', schema=None) as batch_op:
        batch_op.drop_column('row_version')
