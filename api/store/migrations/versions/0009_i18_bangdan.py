"""榜单 draft entries (拟发榜 clusters and demands) and their versions (#18)

Revision ID: i18_bangdan
Revises: i20_accounts
Create Date: 2026-12-06
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = 'i18_bangdan'
down_revision = 'i20_accounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bangdan_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('cluster_key', sa.String(length=32), nullable=True),
    sa.Column('demand_id', sa.Integer(), nullable=True),
    sa.Column('office', sa.String(length=64), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.ForeignKeyConstraint(['demand_id'], ['demands.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('bangdan_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bangdan_entries_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bangdan_entries_cluster_key'), ['cluster_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_bangdan_entries_demand_id'), ['demand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bangdan_entries_office'), ['office'], unique=False)
    op.create_table('bangdan_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('changed', sa.JSON(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['bangdan_entries.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_id', 'version', name='uq_bangdan_version')
    )
    with op.batch_alter_table('bangdan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bangdan_versions_entry_id'), ['entry_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bangdan_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bangdan_versions_entry_id'))
    op.drop_table('bangdan_versions')
    with op.batch_alter_table('bangdan_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bangdan_entries_office'))
        batch_op.drop_index(batch_op.f('ix_bangdan_entries_demand_id'))
        batch_op.drop_index(batch_op.f('ix_bangdan_entries_cluster_key'))
        batch_op.drop_index(batch_op.f('ix_bangdan_entries_campaign_id'))
    op.drop_table('bangdan_entries')
