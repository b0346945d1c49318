"""What a process's duplicate index reads of storage to stay in step with it (:meth:`DuplicateService.sync
<api.services.duplicates.DuplicateService.sync>`): the campaign's change counter, the rows written since the index
last looked, every (id, hash, version) when those do not account for the change, and the demands to index.

The change counter is (count, sum of ``row_version``, largest id) of the campaign's demands: every insert, update or
delete moves it; it is read on an index, with the rows past the largest id indexed and those written since the newest
``updated_at`` seen (another worker's update) — (id, hash, version, updated_at) only — in one round trip.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session, load_only

from api.services.pending_index import Counter
from api.store import tables as db

_WRITTEN = (db.Demand.id, db.Demand.content_hash, db.Demand.row_version, db.Demand.updated_at)  # what a sync compares
#: What indexing a demand reads of it (its view is read from the record): another worker's demands, caught up with
#: at every submission, are not read whole with their enterprise (#21)
_INDEXED = select(db.Demand).options(load_only(db.Demand.id, db.Demand.content_hash, db.Demand.row_version,
                                               db.Demand.record))


class StoredChanges:
    """The statements of one campaign's sync, built once (bound: the largest id indexed, the newest write seen)."""

    def __init__(self, campaign_id: int):
        self.campaign_id = campaign_id
        self._statements: dict[bool, Any] = {}

    def _counter(self) -> Any:
        return select(func.count().label("count"), func.coalesce(func.sum(db.Demand.row_version), 0).label("versions"),
                      func.coalesce(func.max(db.Demand.id), 0).label("top")).where(db.Demand.campaign_id == self.campaign_id)

    def counter(self, session: Session) -> Counter:
        """(count, sum of row_version, largest id) of the campaign's demands: moves with every write."""
        count, versions, top = session.execute(self._counter()).one()
        return int(count), int(versions), int(top)

    def since(self, session: Session, max_id: int, written: datetime | None) -> tuple[Counter, list[Any]]:
        """The change counter, and (id, hash, version, updated_at) of the rows past ``max_id`` or written since
        ``written`` — one round trip (a LEFT JOIN of the counter's one row)."""
        params: dict[str, Any] = {"max_id": max_id}
        if written is not None:
            params["written"] = written
        rows = session.execute(self._since_statement("written" in params), params).all()
        count, versions, top = rows[0][:3]
        return (int(count), int(versions), int(top)), [r[3:] for r in rows if r[3] is not None]

    def _since_statement(self, with_written: bool) -> Any:
        """:meth:`since`'s statement, built once per form: it runs at least twice per submission, and building it
        and its cache key anew each time was CPU for nothing (#21)."""
        statement = self._statements.get(with_written)
        if statement is None:
            since = db.Demand.id > bindparam("max_id")
            if with_written:
                since = or_(since, db.Demand.updated_at >= bindparam("written"))
            counter = self._counter().subquery()
            statement = self._statements[with_written] = select(counter, *_WRITTEN).select_from(counter.outerjoin(
                db.Demand, and_(db.Demand.campaign_id == self.campaign_id, since)))
        return statement

    def everything(self, session: Session) -> list[Any]:
        """(id, hash, version, updated_at) of every demand of the campaign (a delete, or a write out of order)."""
        return list(session.execute(select(*_WRITTEN).where(db.Demand.campaign_id == self.campaign_id)).all())

    @staticmethod
    def indexable(session: Session, ids: Sequence[int]) -> list[db.Demand]:
        """The demands ``ids`` with what indexing reads of them."""
        return [d for at in range(0, len(ids), 1000)
                for d in session.scalars(_INDEXED.where(db.Demand.id.in_(list(ids[at:at + 1000]))))]
