"""Staff edits of a condensation (梳理凝练): rename, lock, move, merge, split — stored and audited, and the
figures staff read (counts, enterprises, investment, summary, proposed title) recomputed at once.

What staff decide is kept as state the next run honours: a moved demand is ``pinned`` where they put it
(in 未归类 too), a merged or split cluster's members are pinned, a locked cluster keeps exactly its
members, a name belongs to the cluster key (and keys survive runs). A mixin of
:class:`~api.services.condense.Condensation`, which provides ``campaign``, ``cluster``, ``_clusters``,
``_member_rows``, ``_profile_one`` (a cluster's title, summary and figures), ``vectors`` and ``_model``
(the last run's clusterer, for the coherence of an edited cluster).

Every edit keeps, in its audit entry, what it changed as it was before (``UNDO_KEY``): the last edits since
the last run can be undone one at a time, newest first (撤销), each undo audited too.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import Conflict, InvalidInput, NotFound
from api.services.audit import append_audit
from api.services.cluster_figures import RoundItem
from api.services.views import view_of_demand
from api.store import tables as db

#: The audit image's key that holds what an edit changed, as it was before (read back by :meth:`undo_last`).
UNDO_KEY = "_undo"
UNDOABLE = ("cluster.rename", "cluster.lock", "cluster.unlock", "cluster.move", "cluster.merge", "cluster.split")
SHOWN = ("title", "keywords", "summary", "medoid_id", "office", "stats")  # restored as they were by an undo


class ClusterEditing:
    """Staff edits over the stored clusters of one campaign."""

    campaign: Any
    _model: Any

    def cluster(self, session: Session, key: str) -> tuple[db.Cluster, list[tuple[db.ClusterMember, db.Demand]]]:
        raise NotImplementedError

    def _clusters(self, session: Session, *, active_only: bool = False, top_only: bool = False) -> list[db.Cluster]:
        raise NotImplementedError

    def _member_rows(self, session: Session) -> list[db.ClusterMember]:
        raise NotImplementedError

    def _profile_one(self, session: Session, row: db.Cluster | None, key: str, members: Sequence[RoundItem],
                     x: np.ndarray, keywords: list[str]) -> db.Cluster:
        raise NotImplementedError

    def vectors(self, items: Sequence[RoundItem]) -> np.ndarray:
        raise NotImplementedError

    def rename(self, session: Session, key: str, name: str | None, actor: str) -> db.Cluster:
        """Give a cluster a name staff chose (kept by every later run); an empty name goes back to the proposal."""
        row, _ = self.cluster(session, key)
        name = (name or "").strip() or None
        if name is not None and len(name) > 100:
            raise InvalidInput("类名不能超过 100 个字符。", "a cluster name is at most 100 characters.", {"name": name})
        before, undo = row.name, self._snapshot(session, [key])
        row.name = name
        append_audit(session, actor, "cluster.rename", "cluster", row.id, {"key": key, "name": before, UNDO_KEY: undo},
                     {"key": key, "name": name})
        session.commit()
        return row

    def lock(self, session: Session, key: str, locked: bool, actor: str) -> db.Cluster:
        """Lock a cluster (its members stay exactly as they are through later runs) or unlock it."""
        row, members = self.cluster(session, key)
        undo = self._snapshot(session, [key])
        row.locked = bool(locked)
        for m, _ in members:
            m.pinned = m.pinned or bool(locked)
        append_audit(session, actor, "cluster.lock" if locked else "cluster.unlock", "cluster", row.id,
                     {UNDO_KEY: undo}, {"key": key, "locked": bool(locked), "members": len(members)})
        session.commit()
        return row

    def move(self, session: Session, demand_id: int, key: str | None, actor: str,
             edit: str | None = None) -> db.ClusterMember:
        """Put one demand into cluster ``key`` (or into 未归类 with None); later runs keep it there. Moves
        that share ``edit`` (one bulk action) are undone together."""
        member = session.scalar(select(db.ClusterMember).where(db.ClusterMember.campaign_id == self.campaign.id,
                                                               db.ClusterMember.demand_id == demand_id))
        if member is None:
            if session.get(db.Demand, demand_id) is None:
                raise NotFound(f"没有编号为 {demand_id} 的需求。", f"There is no demand {demand_id}.", {"demand_id": demand_id})
            # it exists (a 404 would say it does not): it came after the last run — condense again first
            raise Conflict(f"需求 {demand_id} 还没有参与凝练，请先重新凝练。",
                           f"Demand {demand_id} has not been condensed yet; run condensation again first.",
                           {"demand_id": demand_id}, code="not_condensed")
        if key is not None:
            target, _ = self.cluster(session, key)
            if "." in key:
                raise InvalidInput("只能移入一级类。", "move demands into a top-level cluster.", {"cluster": key})
            target.active = True
        before = member.cluster_key
        self._check_unlocked(session, before, key)
        undo = {**self._snapshot(session, [before, key], [demand_id], members=False), "edit": edit}
        member.cluster_key, member.sub_key, member.pinned, member.similarity = key, None, True, None
        append_audit(session, actor, "cluster.move", "demand", demand_id, {"cluster": before, UNDO_KEY: undo},
                     {"cluster": key})
        self.refresh(session, [before, key])
        session.commit()
        return member

    def merge(self, session: Session, keys: Sequence[str], into: str, actor: str) -> db.Cluster:
        """Merge clusters ``keys`` into ``into``: all members are pinned there, the other keys retire."""
        target, kept = self.cluster(session, into)
        undo = self._snapshot(session, [into, *keys])
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
        append_audit(session, actor, "cluster.merge", "cluster", target.id, {"keys": list(keys), UNDO_KEY: undo},
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
        new_key, undo = self.next_key(session), self._snapshot(session, [key])
        new = db.Cluster(campaign_id=self.campaign.id, key=new_key, name=(name or "").strip() or None, active=True)
        session.add(new)
        for m, _ in members:  # both parts stay as staff split them through later runs
            m.pinned = True
        for m in chosen.values():
            m.cluster_key, m.sub_key, m.similarity = new_key, None, None
        append_audit(session, actor, "cluster.split", "cluster", row.id, {"key": key, UNDO_KEY: undo},
                     {"new_key": new_key, "demands": sorted(chosen)})
        self.refresh(session, [key, new_key])
        session.commit()
        return new

    def last_edit(self, session: Session) -> list[db.AuditEntry]:
        """The audit entries of the newest edit not yet undone since the last run (several for one bulk
        move), newest first; empty when there is nothing to undo."""
        undone: set[int] = set()
        found: list[db.AuditEntry] = []
        query = select(db.AuditEntry).where(db.AuditEntry.action.in_((*UNDOABLE, "cluster.undo", "condense.run")))
        for entry in session.scalars(query.order_by(db.AuditEntry.id.desc()).limit(500)):
            undo = (entry.before or {}).get(UNDO_KEY)
            if entry.action == "condense.run":
                break
            if entry.action == "cluster.undo":
                undone.update((entry.after or {}).get("undone", []))
            elif entry.id in undone or undo is None or undo.get("campaign_id") != self.campaign.id:
                continue
            elif found and not (undo.get("edit") and undo["edit"] == found[0].before[UNDO_KEY].get("edit")):
                break
            else:
                found.append(entry)
        return found

    def undo_last(self, session: Session, actor: str) -> dict[str, Any]:
        """Undo the newest edit since the last run (撤销): members, names, locks and retired clusters as they
        were before it, figures recomputed; audited. :class:`NotFound` when there is nothing to undo."""
        entries = self.last_edit(session)
        if not entries:
            raise NotFound("没有可以撤销的修改（最近一次凝练运行之后没有修改，或已全部撤销）。",
                           "nothing to undo since the last condensation run.", code="nothing_to_undo")
        keys: set[str | None] = set()
        for entry in entries:  # newest first: the oldest image wins where they overlap
            undo = entry.before[UNDO_KEY]
            rows = {c.key: c for c in self._clusters(session) if c.key in undo["clusters"]}
            for key, state in undo["clusters"].items():
                if key in rows:
                    rows[key].name, rows[key].active, rows[key].locked = state["name"], state["active"], state["locked"]
            members = {str(m.demand_id): m for m in self._member_rows(session) if str(m.demand_id) in undo["members"]}
            for demand_id, (cluster_key, sub_key, pinned, similarity) in undo["members"].items():
                if demand_id in members:
                    m = members[demand_id]
                    keys.update((m.cluster_key, m.sub_key, cluster_key, sub_key))
                    m.cluster_key, m.sub_key, m.pinned, m.similarity = cluster_key, sub_key, pinned, similarity
            keys.update(undo["clusters"])
        action = entries[0].action
        append_audit(session, actor, "cluster.undo", "cluster", entries[0].entity_id, {"action": action},
                     {"undone": [e.id for e in entries], "clusters": sorted(k for k in keys if k)})
        self.refresh(session, list(keys))
        for entry in entries:  # what staff read before the edit, exactly (the oldest image applied last)
            rows = {c.key: c for c in self._clusters(session)}
            for key, state in entry.before[UNDO_KEY]["clusters"].items():
                if key in rows and all(f in state for f in SHOWN):
                    for f in SHOWN:
                        setattr(rows[key], f, state[f])
        session.commit()
        return {"undone": action, "entries": len(entries), "clusters": sorted(k for k in keys if k)}

    def _snapshot(self, session: Session, keys: Sequence[str | None], demand_ids: Sequence[int] = (),
                  members: bool = True) -> dict[str, Any]:
        """What an edit of clusters ``keys`` may change, as it is now: their name, active and locked flags,
        what staff read of them (``SHOWN``: title, keywords, summary, figures), and the placement of their members (``members``) and of ``demand_ids``."""
        wanted = {k for k in keys if k}
        ids = set(demand_ids)
        rows = [m for m in self._member_rows(session)
                if m.demand_id in ids or (members and (m.cluster_key in wanted or m.sub_key in wanted))]
        return {"campaign_id": self.campaign.id,
                "clusters": {c.key: {"name": c.name, "active": c.active, "locked": c.locked,
                                     **{f: getattr(c, f) for f in SHOWN}}
                             for c in self._clusters(session) if c.key in wanted},
                "members": {str(m.demand_id): [m.cluster_key, m.sub_key, m.pinned, m.similarity] for m in rows}}

    def refresh(self, session: Session, keys: Sequence[str | None]) -> None:
        """Recompute what staff read of the clusters ``keys`` after an edit (members moved, merged, split,
        locked): counts, enterprises, investment, office, summary, the proposed title (a staff name stays),
        keywords (those of the clusters the members came from, most shared first) and the coherence (from
        the last run's rows in this process; otherwise marked to be recomputed by the next run)."""
        wanted = sorted({k for k in keys if k})
        if not wanted:
            return
        session.flush()
        rows = {c.key: c for c in self._clusters(session)}
        every = {m.demand_id: m for m in self._member_rows(session)}
        for key in wanted:
            row = rows.get(key)
            if row is None:
                continue
            column = "sub_key" if "." in key else "cluster_key"
            ids = sorted(d for d, m in every.items() if getattr(m, column) == key)
            if not ids:
                if not row.locked:
                    row.active = False
                continue
            demands = [session.get(db.Demand, d) for d in ids]
            members = [RoundItem(d, view_of_demand(d)) for d in demands if d is not None]
            texts = [it.view.condense_text for it in members]
            pool: list[str] = []
            for k in [key, *sorted({c.key for c in rows.values() if c.key != key})]:
                for w in rows[k].keywords or []:
                    if w not in pool and any(w in t for t in texts):
                        pool.append(w)
            pool.sort(key=lambda w: -sum(w in t for t in texts))
            keep = {k: v for k, v in (row.stats or {}).items() if k in ("coherence_floor", "common_floor")}
            self._profile_one(session, row, key, members, self.vectors(members), pool[:10])
            coherence = self._model.coherence_of([str(d) for d in ids]) if self._model is not None else None
            row.stats = {**row.stats, **keep, "coherence": round(coherence, 3) if coherence is not None else None,
                         "coherence_stale": coherence is None}
        session.flush()

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
