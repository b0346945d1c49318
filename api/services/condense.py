"""Condensation (梳理凝练) of a round, I/O side: clusters stored under stable keys, staff edits, profiles.

The pure parts live in the core: :mod:`matching.clusters` (the clustering with prior clusters, staff
pins and locks), :mod:`nlp.keywords` (c-TF-IDF keywords re-ranked by the embedding) and
:mod:`nlp.condense` (titles, summaries, the medoid). This module reads the round from storage into
their inputs and writes back what they return:

- a run keeps what staff did: a demand they moved stays where they put it (``pinned``), a locked
  cluster keeps exactly its members, a renamed cluster keeps its name (names belong to the key, and
  keys survive runs: :class:`~matching.clusters.RoundClusterer` matches new clusters to old keys);
- by default a run *updates* (a new batch: old demands stay, new ones join the nearest cluster or form
  new ones); ``refit`` re-clusters everything but pins and locks;
- every edit (rename, lock, move, merge, split) and every run is written to the audit log.

:class:`Condensation` is built once per process by the composition root; it keeps the demand vectors
of the last run (keyed by demand id and content hash) so the report after a run does not embed again.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.preprocessing import normalize as l2_rows
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import InvalidInput, NotFound
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.cluster_edits import ClusterEditing
from api.services.cluster_figures import (RoundItem, cluster_out, cluster_stats, confirmed_pairs, majority, map_2d,
                                         unclustered_by_office)
from api.services.cluster_signals import DemandSignals
from api.services.demands import all_demands
from api.services.views import view_of_demand
from api.store import tables as db
from matching.cluster_features import cluster_features
from matching.clusters import UNCLUSTERED_LABEL, ClusterInfo, PriorCluster, RoundClusterer
from matching.coherence import copy_weights
from matching.common import CommonCandidate, rank_common
from nlp.condense import cluster_title, medoid, propose_title, summarize, title_members_changed
from nlp.embed import Embedder
from nlp.keyword_ranker import KeywordRanker
from nlp.keywords import DocumentFrequency, KeywordExtractor
from matching.office_model import TextRouter
from nlp.tokenize import Tokenizer

log = logging.getLogger(__name__)

UNCLUSTERED_ZH = UNCLUSTERED_LABEL
TITLE_COMMON_SHARE = 0.01  # a title word in ≥ 1% of the background documents names nothing specific (技术, 系统)
Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class KeywordSettings:
    """What the keyword extractor gets from the shell: form boilerplate, jieba's IDF, the shipped ranker and
    the dictionary's part-of-speech tags (all read once by the composition root)."""

    stopwords: frozenset[str]
    background_idf: Mapping[str, float]
    ranker: KeywordRanker
    tags: Mapping[str, str]
    doc_freq: DocumentFrequency | None = None


class Condensation(ClusterEditing):
    """Condense a campaign's round: cluster, profile each cluster, keep staff edits (one per process)."""

    def __init__(self, campaign: CampaignContext, embedder: Embedder, tokenizer: Tokenizer, keywords: KeywordSettings,
                 topics: TextRouter | None = None):
        self.campaign = campaign
        self.signals = DemandSignals(tokenizer, topics, keywords.doc_freq, keywords.tags)  # terms and 技术领域 per demand
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.keywords = keywords
        self._vectors: dict[tuple[int, str], np.ndarray] = {}
        self._model: RoundClusterer | None = None  # the last run's model: coherence of edited clusters

    # ------------------------------------------------------------------ inputs
    def items(self, session: Session, batches: Sequence[str] | None = None) -> list[RoundItem]:
        """The demands of the round (or of ``batches``), in id order."""
        rows = all_demands(session, self.campaign)
        if batches:
            wanted = set(batches)
            unknown = wanted - {d.batch for d in rows}
            if unknown:
                raise InvalidInput(f"没有这些批次的需求：{'、'.join(sorted(unknown))}",
                                   f"no demands in batch(es): {', '.join(sorted(unknown))}", {"batch": sorted(unknown)})
            rows = [d for d in rows if d.batch in wanted]
        items = [RoundItem(d, view_of_demand(d)) for d in sorted(rows, key=lambda d: d.id)]
        for d in rows:  # the views hold what condensation reads: the raw records (~40 MB a 5,000 round) can go
            session.expire(d, ["record"])
        return items

    def vectors(self, items: Sequence[RoundItem]) -> np.ndarray:
        """Dense rows of the items' condensation texts (embedded once per demand version)."""
        keys = [(it.demand.id, it.demand.content_hash) for it in items]
        missing = [i for i, k in enumerate(keys) if k not in self._vectors]
        if missing:
            encoded = self.embedder.encode([items[i].view.condense_text for i in missing], kind="passage",
                                           show_progress=False, normalized=True)
            for i, row in zip(missing, encoded):
                self._vectors[keys[i]] = row
        if len(self._vectors) > 4 * max(len(keys), 1000):  # a long-lived server: keep the last round only
            keep = set(keys)
            self._vectors = {k: v for k, v in self._vectors.items() if k in keep}
        dim = self.embedder.dim
        return np.vstack([self._vectors[k] for k in keys]) if keys else np.zeros((0, dim), dtype=np.float32)

    def features(self, items: Sequence[RoundItem], seed: int = 0, tokens: list[list[str]] | None = None) -> np.ndarray:
        """What the round is clustered on: dense vectors, the round's lexical TF-IDF and the routing model's
        技术领域 probabilities, reduced to unit rows (:func:`~matching.cluster_features.cluster_features`);
        ``tokens``: the texts' cut_lines (each demand is cut by jieba once per run)."""
        words = [self.tokenizer.content_words(t) for t in tokens] if tokens is not None else None
        lexical, topics = self.signals.features(items, words=words)
        return cluster_features(self.vectors(items), lexical, seed=seed, topics=topics)

    # ------------------------------------------------------------------ run
    def run(self, session: Session, *, batches: Sequence[str] | None = None, n_groups: int | None = None,
            min_similarity: float | None = None, refit: bool = False, seed: int = 0, actor: str = "system",
            progress: Progress = _no_progress) -> dict[str, Any]:
        """Cluster the round and profile every cluster; returns the run summary (also stored and audited).

        ``n_groups`` ("about N groups") or ``min_similarity`` ("similar at least s") steer the grouping;
        with neither, the number of groups is chosen from the data. A run with either, or ``refit``,
        re-clusters everything but what staff pinned or locked; otherwise new demands join the clusters
        of earlier runs when close enough (a new batch)."""
        if n_groups is not None and n_groups < 1:
            raise InvalidInput("分组数至少为 1。", "groups must be at least 1.", {"groups": n_groups})
        if min_similarity is not None and not 0.0 < min_similarity < 1.0:
            raise InvalidInput("相似度阈值须在 0 与 1 之间。", "min_similarity must be between 0 and 1.",
                               {"min_similarity": min_similarity})
        items = self.items(session, batches)
        if len(items) < 2:
            raise InvalidInput("至少需要 2 条需求才能凝练。", "condensation needs at least 2 demands.",
                               {"demands": len(items)})
        progress("embed", 0, len(items))
        tokens = [self.tokenizer.cut_lines(it.view.condense_text, normalized=True) for it in items]
        x = self.features(items, seed, tokens)
        progress("embed", len(items), len(items))
        prior, pinned, left_out = self._prior(session, {it.key for it in items})
        kept = [i for i, it in enumerate(items) if it.key not in left_out]  # staff put those in 未归类
        mode = "refit" if (refit or n_groups is not None or min_similarity is not None or not prior) else "update"
        progress("cluster", 0, 1)
        model = RoundClusterer(n_groups=n_groups, min_similarity=min_similarity, seed=seed)
        model.fit(x[kept], [items[i].key for i in kept], prior=prior, pinned=pinned, mode=mode,
                  reserved_ids=[c.key for c in self._clusters(session, top_only=True)],
                  terms=self.signals.terms([items[i] for i in kept]))
        progress("cluster", 1, 1)
        labels: list[str | None] = [None] * len(items)
        subs: list[str | None] = [None] * len(items)
        for j, i in enumerate(kept):
            labels[i], subs[i] = model.labels_[j], model.sub_labels_[j]
        self._store_members(session, items, labels, subs, model.clusters_, x)
        self._model = model
        profiles = self._profile(session, items, x, progress, tokens)
        floor, common_floor = round(model.coherence_floor_, 3), round(model.common_floor_, 3)
        coherence = {c.cluster_id: c.coherence for c in (*model.clusters_, *model.sub_clusters_)}
        for row in self._clusters(session, active_only=True):
            if row.key in coherence:
                row.stats = {**(row.stats or {}), "coherence": round(coherence[row.key], 3), "coherence_floor": floor,
                             "common_floor": common_floor}
        unclustered = sum(1 for label in labels if label is None)
        by_office = unclustered_by_office([it.demand.office for it in items], labels,
                                          self.campaign.rules.coordinator_office)
        params = {"batches": list(batches or []), "n_groups": n_groups, "min_similarity": min_similarity,
                  "seed": seed, "refit": refit}
        run = db.ClusterRun(campaign_id=self.campaign.id, mode=mode, params=params, demands=len(items),
                            clusters=len(profiles), unclustered=unclustered, actor=actor)
        session.add(run)
        append_audit(session, actor, "condense.run", "cluster_run", None, None,
                     {"mode": mode, **params, "demands": len(items), "clusters": len(profiles),
                      "unclustered": unclustered})
        session.commit()
        log.info("condensation run %s: %d demands, %d clusters, %d unclustered", mode, len(items), len(profiles),
                 unclustered)
        return {"run_id": run.id, "mode": mode, **params, "demands": len(items), "clusters": len(profiles),
                "unclustered": unclustered, "unclustered_by_office": by_office, "coherence_floor": floor,
                "common_floor": common_floor,
                "run_at": db.as_utc(run.run_at).isoformat()}

    def _prior(self, session: Session, keys: set[str]) -> tuple[list[PriorCluster], dict[str, str], set[str]]:
        """Clusters of earlier runs restricted to this round's demands, the staff's pins, and the demands
        staff moved to 未归类 (they stay out of clustering)."""
        members: dict[str, list[str]] = {}
        pinned: dict[str, str] = {}
        left_out: set[str] = set()
        for m in session.scalars(select(db.ClusterMember).where(db.ClusterMember.campaign_id == self.campaign.id)):
            key = str(m.demand_id)
            if key not in keys:
                continue
            if m.cluster_key is None:
                if m.pinned:
                    left_out.add(key)
                continue
            members.setdefault(m.cluster_key, []).append(key)
            if m.pinned:
                pinned[key] = m.cluster_key
        clusters = self._clusters(session, active_only=True, top_only=True)
        prior = [PriorCluster(c.key, tuple(sorted(members.get(c.key, ()))), locked=c.locked)
                 for c in clusters if members.get(c.key) or c.locked]
        return prior, pinned, left_out

    def _clusters(self, session: Session, *, active_only: bool = False, top_only: bool = False) -> list[db.Cluster]:
        query = select(db.Cluster).where(db.Cluster.campaign_id == self.campaign.id)
        if active_only:
            query = query.where(db.Cluster.active.is_(True))
        if top_only:
            query = query.where(db.Cluster.parent_key.is_(None))
        return list(session.scalars(query.order_by(db.Cluster.key)))

    def _store_members(self, session: Session, items: Sequence[RoundItem], labels: Sequence[str | None],
                       sub: Sequence[str | None], clusters: Sequence[ClusterInfo], x: np.ndarray) -> None:
        existing = {m.demand_id: m for m in session.scalars(
            select(db.ClusterMember).where(db.ClusterMember.campaign_id == self.campaign.id))}
        centroids = {c.cluster_id: np.asarray(c.centroid, dtype=np.float32) for c in clusters}
        points = map_2d(x)
        for i, (it, label) in enumerate(zip(items, labels)):
            m = existing.get(it.demand.id)
            if m is None:
                m = db.ClusterMember(campaign_id=self.campaign.id, demand_id=it.demand.id, pinned=False)
                session.add(m)
            m.cluster_key = label
            m.sub_key = sub[i]
            m.similarity = float(x[i] @ centroids[label]) if label in centroids else None
            m.point = [round(float(v), 4) for v in points[i]]
        session.flush()

    # ------------------------------------------------------------------ profiles
    def _profile(self, session: Session, items: Sequence[RoundItem], x: np.ndarray,
                 progress: Progress = _no_progress, tokens: Sequence[list[str]] | None = None) -> list[db.Cluster]:
        """Keywords, titles, summaries, medoids and totals for every demand and cluster of the round."""
        index = {it.demand.id: i for i, it in enumerate(items)}
        every = list(session.scalars(select(db.ClusterMember).where(db.ClusterMember.campaign_id == self.campaign.id)))
        occupied = {k for m in every for k in (m.cluster_key, m.sub_key) if k}  # this run's batches or others
        members = {m.demand_id: m for m in every if m.demand_id in index}
        texts = [it.view.condense_text for it in items]
        kw = self.keywords
        extractor = KeywordExtractor(self.tokenizer, encoder=self._encode, stopwords=kw.stopwords,
                                     background_idf=kw.background_idf, ranker=kw.ranker, tags=kw.tags,
                                     doc_freq=kw.doc_freq)
        progress("keywords", 0, len(items))
        dense = self.vectors(items)
        per_demand = extractor.fit_keywords(texts, tokens=tokens, vectors=dense)
        for it, words in zip(items, per_demand):
            m = members.get(it.demand.id)
            if m is not None:
                m.keywords = [w.term for w in words]
                m.title = propose_title(it.view.condense_text, [w.term for w in words], cut=self._cut)
        progress("keywords", len(items), len(items))
        groups: dict[str, list[int]] = {}
        for demand_id, m in members.items():
            if m.cluster_key is not None:
                groups.setdefault(m.cluster_key, []).append(index[demand_id])
                if m.sub_key:
                    groups.setdefault(m.sub_key, []).append(index[demand_id])
        rows = {c.key: c for c in self._clusters(session)}
        keys = sorted(groups)
        means = l2_rows(np.vstack([dense[groups[k]].mean(axis=0) for k in keys])) if keys else None
        cluster_words = extractor.class_keywords_of([groups[k] for k in keys], vectors=means)
        confirmed = self._confirmed_duplicates(session, list(index))  # one query for every cluster
        for n, key in enumerate(keys):
            rows[key] = self._profile_one(session, rows.get(key), key, [items[i] for i in groups[key]],
                                          x[groups[key]], [w.term for w in cluster_words[n]], extractor.generic,
                                          confirmed)
            progress("clusters", n + 1, len(keys))
        for key, row in rows.items():  # emptied clusters (all members moved or merged away)
            if key not in occupied and row.active and not row.locked:
                row.active = False
        session.flush()
        return [rows[k] for k in keys if "." not in k]

    def _profile_one(self, session: Session, row: db.Cluster | None, key: str, members: Sequence[RoundItem],
                     x: np.ndarray, keywords: list[str], generic: Callable[[str], bool] | None = None,
                     confirmed: dict[int, list[int]] | None = None) -> db.Cluster:
        if row is None:
            row = db.Cluster(campaign_id=self.campaign.id, key=key, parent_key=key.split(".")[0] if "." in key else None)
            session.add(row)
        row.active = True
        weights = copy_weights(x)  # a demand filed twice is not its own centre
        centre = medoid(x, weights)
        representative = members[centre]
        row.medoid_id = representative.demand.id
        row.keywords = keywords
        # the title: what most members' own titles share, else the representative's own title; it is kept
        # through runs that change the membership by a third or less (a staff name always wins: row.name)
        ids = sorted(it.demand.id for it in members)
        before = list((row.stats or {}).get("title_members") or [])
        if not row.title or title_members_changed(before, ids):
            titles = [it.view.title or it.view.condense_text.split("\n", 1)[0] for it in members]
            order = [int(j) for j in np.argsort(-(x @ (x * weights[:, None]).sum(axis=0)), kind="stable")]  # central first
            row.title = db.clip(db.Cluster, "title", cluster_title(titles, centre, self._cut, self._specific(generic),
                                                                   order=order)) or ""
            before = ids
        row.summary = summarize([it.view.condense_text for it in members], keywords, max_chars=200, per_text=1)
        row.office = majority([it.demand.office for it in members], self.campaign.rules.coordinator_office)
        if confirmed is None:  # one cluster after an edit: its own confirmed pairs
            confirmed = self._confirmed_duplicates(session, [it.demand.id for it in members])
        row.stats = {**cluster_stats(members, confirmed_pairs(members, confirmed)), "title_members": before,
                     **self.signals.evidence(members),
                     **{k: v for k, v in (row.stats or {}).items() if k in ("coherence", "coherence_floor", "common_floor")}}
        return row

    def _confirmed_duplicates(self, session: Session, ids: Sequence[int]) -> dict[int, list[int]]:
        """demand_a → [demand_b, …] of the pairs staff confirmed as duplicates among ``ids`` (decision id order)."""
        wanted = set(ids)
        out: dict[int, list[int]] = {}
        for r in session.scalars(select(db.DuplicateDecision).where(db.DuplicateDecision.decision == "confirm")
                                 .order_by(db.DuplicateDecision.id)):
            if r.demand_a in wanted and r.demand_b in wanted:
                out.setdefault(r.demand_a, []).append(r.demand_b)
        return out

    def _cut(self, text: str) -> list[str]:
        return self.tokenizer.cut(text)

    def _specific(self, generic: Callable[[str], bool] | None) -> Callable[[str], bool]:
        """What names something in a title: a noun (or a term the dictionary lacks, or a Latin term) that is
        not common in the background corpus nor generic in the round (铸件, VOCs; not 提升, 技术, 智能)."""
        tags, df = self.keywords.tags, self.keywords.doc_freq

        def specific(word: str) -> bool:
            tag = tags.get(word, "") or tags.get(word.lower(), "")
            common = ((df is not None and df.share(word) >= TITLE_COMMON_SHARE)  # 技术, 系统
                      or (generic is not None and generic(word)))  # and what the round says everywhere (智能)
            return (tag == "" or tag.startswith("n") or tag == "eng") and not common
        return specific

    def _encode(self, texts: list[str]) -> np.ndarray:  # keyword candidates, cut from normalised texts
        return self.embedder.encode(texts, kind="passage", show_progress=False, normalized=True)

    # ------------------------------------------------------------------ reading
    def clusters(self, session: Session, members: Sequence[db.ClusterMember] | None = None) -> list[dict[str, Any]]:
        """Active top-level clusters, biggest first (``members``: the member rows when already read)."""
        members = self._member_rows(session) if members is None else members
        sizes = Counter(m.cluster_key for m in members)
        out = [cluster_out(c, sizes.get(c.key, 0)) for c in self._clusters(session, active_only=True, top_only=True)]
        out.sort(key=lambda c: (-c["size"], c["key"]))
        return out

    def sub_clusters(self, session: Session, members: Sequence[db.ClusterMember] | None = None) -> list[dict[str, Any]]:
        """Active sub-clusters (``C0007.1``…), by parent then size: first-class rows of the office sheets."""
        sizes = Counter(m.sub_key for m in (self._member_rows(session) if members is None else members) if m.sub_key)
        out = [cluster_out(c, sizes.get(c.key, 0)) for c in self._clusters(session, active_only=True)
               if c.parent_key and sizes.get(c.key)]
        out.sort(key=lambda c: (c["parent_key"], -c["size"], c["key"]))
        return out

    def cluster(self, session: Session, key: str) -> tuple[db.Cluster, list[tuple[db.ClusterMember, db.Demand]]]:
        """One cluster (or sub-cluster) and its members, closest to the centre first."""
        row = session.scalar(select(db.Cluster).where(db.Cluster.campaign_id == self.campaign.id,
                                                      db.Cluster.key == key))
        if row is None:
            raise NotFound(f"没有编号为 {key} 的类。", f"no cluster {key}.", {"cluster": key})
        column = db.ClusterMember.sub_key if "." in key else db.ClusterMember.cluster_key
        pairs = [(m, session.get(db.Demand, m.demand_id)) for m in session.scalars(
            select(db.ClusterMember).where(db.ClusterMember.campaign_id == self.campaign.id, column == key))]
        pairs.sort(key=lambda p: (-(p[0].similarity or 0.0), p[0].demand_id))
        return row, [(m, d) for m, d in pairs if d is not None]

    def unclustered(self, session: Session) -> list[tuple[db.ClusterMember, db.Demand]]:
        """The 未归类 bucket."""
        return [(m, d) for m in self._member_rows(session) if m.cluster_key is None
                if (d := session.get(db.Demand, m.demand_id)) is not None]

    def _member_rows(self, session: Session) -> list[db.ClusterMember]:
        return list(session.scalars(select(db.ClusterMember).where(db.ClusterMember.campaign_id == self.campaign.id)
                                    .order_by(db.ClusterMember.demand_id)))

    def common_problems(self, session: Session, min_enterprises: int = 3,
                        clusters: Sequence[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """共性技术问题 (:func:`matching.common.rank_common`): clusters raised by ``min_enterprises`` or more
        distinct enterprises (an enterprise group, the same credit code and likely duplicates count once)
        with a coherence at least the round's common floor (every member fits the others as a group of the
        round must); most distinct enterprises first, then coherence, then planned investment. ``rank`` is
        the position (1 = most common)."""
        clusters = {c["key"]: c for c in (self.clusters(session) if clusters is None else clusters)}  # as read
        floors = [c["stats"]["common_floor"] for c in clusters.values() if c["stats"].get("common_floor") is not None]
        candidates = [CommonCandidate(k, int(c["stats"].get("distinct_enterprises", c["stats"].get("enterprises", 0))),
                                      c["stats"].get("coherence"), float(c["stats"].get("investment") or 0.0),
                                      c["stats"].get("shared_support"), c["stats"].get("topic_agreement"))
                      for k, c in clusters.items()]
        out = []
        for n, key in enumerate(rank_common(candidates, max(floors, default=0.0), min_enterprises), start=1):
            out.append({**clusters[key], "rank": n})
        return out
