"""Staff edits of a condensation (梳理凝练): rename, lock, move, merge, split — stored and audited, and the
figures staff read (counts, enterprises, investment, summary, proposed title) recomputed at once.

What staff decide is kept as state the next run honours: a moved demand is ``pinned`` where they put it
(in 未归类 too), a merged or split cluster's members are pinned, a locked cluster keeps exactly its
members, a name belongs to the cluster key (and keys survive runs). A mixin of
:class:`~api.services.condense.Condensation`, which provides ``campaign``, ``cluster`` and ``_clusters``.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import InvalidInput, NotFound
from api.services.audit import append_audit
from api.store import tables as db


class ClusterEditing:
    """Staff edits over the stored clusters of one campaign."""

    campaign: Any

    def cluster(self, session: Session, key: str) -> tuple[db.Cluster, list[tuple[db.ClusterMember, db.Demand]]]:
        raise NotImplementedError

    def _clusters(self, session: Session, *, active_only: bool = False, top_only: bool = False) -> list[db.Cluster]:
        raise NotImplementedError

    def refresh(self, session: Session, keys: Sequence[str | None]) -> None:
        """Recompute the figures, summary and title of the clusters ``keys`` after their members changed."""
        raise NotImplementedError

    def rename(self, session: Session, key: str, name: str | None, actor: str) -> db.Cluster:
        """Give a cluster a name staff chose (kept by every later run); an empty name goes back to the proposal."""
        row, _ = self.cluster(session, key)
        name = (name or "").strip() or None
        if name is not None and len(name) > 100:
            raise InvalidInput("类名不能超过 100 个字符。", "a cluster name is at most 100 characters.", {"name": name})
        before = row.name
        row.name = name
        append_audit(session, actor, "cluster.rename", "cluster", row.id, {"key": key, "name": before},
                     {"key": key, "name": name})
        session.commit()
        return row

    def lock(self, session: Session, key: str, locked: bool, actor: str) -> db.Cluster:
        """Lock a cluster (its members stay exactly as they are through later runs) or unlock it."""
        row, members = self.cluster(session, key)
        row.locked = bool(locked)
        for m, _ in members:
            m.pinned = m.pinned or bool(locked)
        append_audit(session, actor, "cluster.lock" if locked else "cluster.unlock", "cluster", row.id,
                     None, {"key": key, "locked": bool(locked), "members": len(members)})
        session.commit()
        return row

    def move(self, session: Session, demand_id: int, key: str | None, actor: str) -> db.ClusterMember:
        """Put one demand into cluster ``key`` (or into 未归类 with None); later runs keep it there."""
        member = session.scalar(select(db.ClusterMember).where(db.ClusterMember.campaign_id == self.campaign.id,
                                                               db.ClusterMember.demand_id == demand_id))
        if member is None:
            raise NotFound(f"需求 {demand_id} 还没有参与凝练。", f"demand {demand_id} has not been condensed yet.",
                           {"demand_id": demand_id})
        if key is not None:
            target, _ = self.cluster(session, key)
            if "." in key:
                raise InvalidInput("只能移入一级类。", "move demands into a top-level cluster.", {"cluster": key})
            target.active = True
        before = member.cluster_key
        self._check_unlocked(session, before, key)
        member.cluster_key, member.sub_key, member.pinned, member.similarity = key, None, True, None
        append_audit(session, actor, "cluster.move", "demand", demand_id, {"cluster": before}, {"cluster": key})
        self.refresh(session, [before, key])
        session.commit()
        return member

    def merge(self, session: Session, keys: Sequence[str], into: str, actor: str) -> db.Cluster:
        """Merge clusters ``keys`` into ``into``: all members are pinned there, the other keys retire."""
        target, kept = self.cluster(session, into)
        for m, _ in kept:  # the merged cluster stays together through later runs
            m.pinned = True
        moved = 0
        for key in keys:
            if key == into:
                continue
            row, members = self.cluster(session, key)
            self._check_unlocked(session, key, into)
            for m, _ in members:
                m.cluster_key, m.sub_key, m.pinned = into, None, True
                moved += 1
            row.active = False
        append_audit(session, actor, "cluster.merge", "cluster", target.id, {"keys": list(keys)},
                     {"into": into, "moved": moved})
        self.refresh(session, [into])
        session.commit()
        return target

    def split(self, session: Session, key: str, demand_ids: Sequence[int], actor: str,
              name: str | None = None) -> db.Cluster:
        """Move ``demand_ids`` out of cluster ``key`` into a new cluster (pinned there), optionally named."""
        row, members = self.cluster(session, key)
        self._check_unlocked(session, key, None)
        chosen = {m.demand_id: m for m, _ in members if m.demand_id in set(demand_ids)}
        missing = sorted(set(demand_ids) - set(chosen))
        if missing or not chosen or len(chosen) == len(members):
            raise InvalidInput("拆分时请选择该类中的一部分需求（不能为空，也不能是全部）。",
                               "split needs some, not all, of the cluster's demands.", {"not_in_cluster": missing})
        new_key = self.next_key(session)
        new = db.Cluster(campaign_id=self.campaign.id, key=new_key, name=(name or "").strip() or None, active=True)
        session.add(new)
        for m, _ in members:  # both parts stay as staff split them through later runs
            m.pinned = True
        for m in chosen.values():
            m.cluster_key, m.sub_key, m.similarity = new_key, None, None
        append_audit(session, actor, "cluster.split", "cluster", row.id, {"key": key},
                     {"new_key": new_key, "demands": sorted(chosen)})
        self.refresh(session, [key, new_key])
        session.commit()
        return new

    def next_key(self, session: Session) -> str:
        """The next unused top-level key (keys of retired clusters are never reused)."""
        numbers = [int(c.key[1:]) for c in self._clusters(session) if c.key[1:].isdigit()]
        return f"C{max(numbers, default=0) + 1:04d}"

    def _check_unlocked(self, session: Session, *keys: str | None) -> None:
        for key in keys:
            if key is None:
                continue
            row = session.scalar(select(db.Cluster).where(db.Cluster.campaign_id == self.campaign.id,
                                                          db.Cluster.key == key))
            if row is not None and row.locked:
                raise InvalidInput(f"类 {key} 已锁定，请先解锁再调整成员。",
                                   f"cluster {key} is locked: unlock it before changing its members.",
                                   {"cluster": key}, code="cluster_locked")
