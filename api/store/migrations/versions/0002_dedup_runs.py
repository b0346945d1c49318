"""dedup runs in the database (shared by every worker) instead of a local JSON file

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dedup_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('batch', sa.String(length=32), nullable=True),
    sa.Column('min_verdict', sa.String(length=32), nullable=False),
    sa.Column('demands', sa.Integer(), nullable=False),
    sa.Column('groups', sa.JSON(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.Column('run_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dedup_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dedup_runs_campaign_id'), ['campaign_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dedup_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dedup_runs_campaign_id'))
    op.drop_table('dedup_runs')
