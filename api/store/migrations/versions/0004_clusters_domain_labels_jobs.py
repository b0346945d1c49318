"""condensation (clusters, members, runs), staff decisions on technology domains, background jobs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=64), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.JSON(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_status'), ['status'], unique=False)

    op.create_table('cluster_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('demands', sa.Integer(), nullable=False),
    sa.Column('clusters', sa.Integer(), nullable=False),
    sa.Column('unclustered', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.Column('run_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cluster_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_runs_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('clusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('parent_key', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('medoid_id', sa.Integer(), nullable=True),
    sa.Column('office', sa.String(length=64), nullable=True),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'key', name='uq_cluster_campaign_key')
    )
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clusters_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('cluster_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('cluster_key', sa.String(length=32), nullable=True),
    sa.Column('sub_key', sa.String(length=32), nullable=True),
    sa.Column('similarity', sa.Float(), nullable=True),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('point', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.ForeignKeyConstraint(['demand_id'], ['demands.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'demand_id', name='uq_cluster_member_demand')
    )
    with op.batch_alter_table('cluster_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_members_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cluster_members_cluster_key'), ['cluster_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_cluster_members_demand_id'), ['demand_id'], unique=False)

    op.create_table('domain_labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('taxonomy', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('suggested', sa.String(length=32), nullable=True),
    sa.Column('probability', sa.Float(), nullable=True),
    sa.Column('office', sa.String(length=64), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.ForeignKeyConstraint(['demand_id'], ['demands.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('domain_labels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_domain_labels_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_domain_labels_demand_id'), ['demand_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('domain_labels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_domain_labels_demand_id'))
        batch_op.drop_index(batch_op.f('ix_domain_labels_campaign_id'))

    op.drop_table('domain_labels')
    with op.batch_alter_table('cluster_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cluster_members_demand_id'))
        batch_op.drop_index(batch_op.f('ix_cluster_members_cluster_key'))
        batch_op.drop_index(batch_op.f('ix_cluster_members_campaign_id'))

    op.drop_table('cluster_members')
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clusters_campaign_id'))

    op.drop_table('clusters')
    with op.batch_alter_table('cluster_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cluster_runs_campaign_id'))

    op.drop_table('cluster_runs')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_jobs_kind'))

    op.drop_table('jobs')
