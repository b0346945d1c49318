"""enterprise identity without a credit code is name AND region (and a group is not its namesake firm):
re-key stored enterprises (#23)

Revision ID: i23_enterprise_identity
Revises: 0004
Create Date: 2026-12-06
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = 'i23_enterprise_identity'
down_revision = '0004'
branch_labels = None
depends_on = None

enterprises = sa.table('enterprises', sa.column('id', sa.Integer), sa.column('org_key', sa.String),
                       sa.column('name', sa.String), sa.column('region', sa.String))


def _key(org_key: str, name: str | None, region: str | None) -> str:
    """``name:<normalised>`` → ``name:<normalised>[#集团]@<region>`` (what ``nlp.names.enterprise_key`` gives:
    the normalised part is the stored key's, so two stored enterprises never get one key)."""
    group = "#集团" if "集团" in (name or "") and "集团" not in org_key else ""
    return f"{org_key}{group}@{(region or '').strip()}"[:200]


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(enterprises.c.id, enterprises.c.org_key, enterprises.c.name, enterprises.c.region)
                        .where(enterprises.c.org_key.like('name:%'))).all()
    for id_, key, name, region in rows:
        if '@' in key:
            continue
        bind.execute(enterprises.update().where(enterprises.c.id == id_).values(org_key=_key(key, name, region)))


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(enterprises.c.id, enterprises.c.org_key)
                        .where(enterprises.c.org_key.like('name:%@%'))).all()
    seen: set[str] = set()
    for id_, key in rows:  # several firms of one name in other regions: the first keeps the old key
        old = key.rsplit('@', 1)[0].removesuffix('#集团')
        bind.execute(enterprises.update().where(enterprises.c.id == id_)
                     .values(org_key=old if old not in seen else key))
        seen.add(old)
