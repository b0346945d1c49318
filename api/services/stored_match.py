"""The stored demand a submitted record lands on: the one with its 需求编号, else the first with its content."""
from __future__ import annotations

from sqlalchemy import case, select, union_all
from sqlalchemy.orm import Session

from api.services.campaign import CampaignContext
from api.store import tables as db


def stored_match(session: Session, campaign: CampaignContext, external_id: str | None,
                 digest: str | None) -> db.Demand | None:
    """As committed now (not a copy the session read earlier), in one query: the stored demand of
    ``external_id``, else the first stored demand whose content hash is ``digest`` (either may be None).
    The two lookups are index searches joined by UNION ALL (an OR of them made SQLite read the campaign)."""
    arms = []
    if external_id:
        arms.append(select(db.Demand.id).where(db.Demand.campaign_id == campaign.id,
                                               db.Demand.external_id == external_id))
    if digest:
        first = (select(db.Demand.id).where(db.Demand.campaign_id == campaign.id, db.Demand.content_hash == digest)
                 .order_by(db.Demand.id).limit(1).subquery())
        arms.append(select(first.c.id))
    if not arms:
        return None
    order = [case((db.Demand.external_id == external_id, 0), else_=1)] if external_id else []
    return session.scalar(select(db.Demand).where(db.Demand.id.in_(arms[0] if len(arms) == 1 else union_all(*arms)))
                          .order_by(*order, db.Demand.id).limit(1).execution_options(populate_existing=True))
