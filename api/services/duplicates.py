"""Duplicate demands, the I/O side: the campaign's detector kept in step with storage, the intake
check, candidates with evidence and staff decisions. Batch runs of a round are :mod:`.dedup_runs`.

One :class:`DuplicateService` per process, built by the composition root with the embedder and
tokenizer it made, holds the :class:`matching.duplicates.DuplicateDetector` of the campaign: rebuilt
from storage at start, synced with rows other workers committed before every check, and updated
on insert. What "synced" costs: a change counter of the campaign's demands read with the rows written since
(:mod:`.index_changes`) — before each check, and once more under the campaign lock (:meth:`DuplicateService.behind`),
after which the check in that transaction reads nothing more. Texts and enterprise signals come from the typed
demand view (:mod:`.views`).

Race-free intake: the check runs as an intake step AFTER the new demand is flushed (it has an
id), inside the per-campaign intake lock that intake takes before anything else
(:func:`api.store.locks.intake_lock`, which holds across workers) and an in-process lock. So of
two simultaneous submissions, the second one's check starts after the first one committed, syncs
it from storage and finds it.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sqlalchemy import event, select
from sqlalchemy.orm import Session, defer, joinedload

from api.errors import ConfigError
from api.services.campaign import CampaignContext
from api.services.demands import get_demand
from api.services.duplicate_decisions import PairDecisions
from api.services.duplicate_findings import flag_pair, intake_findings, too_short_finding
from api.services.index_changes import StoredChanges
from api.services.index_lock import BACKLOG, CHUNK, IndexLock
from api.services.index_share import SharedBatches
from api.services.intake import IntakeItem
from api.services.pending_index import PendingWrites, Versions, expected_counter
from api.services.views import DemandView, view_of_demand
from api.store import tables as db
from api.store.locks import holds_intake_lock, intake_lock
from matching.duplicate_evidence import evidence
from matching.duplicates import Candidate, DuplicateDetector, DuplicateModelError, DuplicateParams
from nlp.embed import Embedder
from nlp.tokenize import Tokenizer

log = logging.getLogger(__name__)

Known = tuple[db.Demand, DemandView, np.ndarray]  # a demand this process has normalised and encoded already
_SYNCED = "duplicates_synced"  # session.info: the transaction that synced the index under the intake lock


def load_params(path: Path) -> DuplicateParams:
    """The calibrated model from ``path`` (``corpora/duplicates.yaml``); defaults when absent."""
    if not Path(path).exists():
        log.warning("duplicate model file %s not found; using uncalibrated defaults", path)
        return DuplicateParams()
    try:
        return DuplicateParams.from_dict(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    except DuplicateModelError as exc:
        raise ConfigError("查重模型配置文件有误。", f"The duplicate model file is invalid: {exc}",
                           {"file": str(path)}, code="duplicate_model_invalid") from exc


class DuplicateService(PairDecisions):
    """Per-process duplicate detector of one campaign, kept in step with storage."""

    def __init__(self, params: DuplicateParams, campaign_id: int, embedder: Embedder, tokenizer: Tokenizer,
                 faiss_threads: int | None = None, shared: SharedBatches | None = None):
        self.params = params
        self.shared = shared  # a large file's views and vectors, from the worker that imported it (:mod:`.index_share`)
        self.faiss_threads = faiss_threads  # in every thread that searches (request threads too), not only at start
        self.campaign_id = campaign_id
        self.embedder = embedder
        self.tokenizer = tokenizer
        calibrated = params.metrics.get("embed_model")
        if calibrated and calibrated != embedder.model_id:
            log.warning("duplicate thresholds were calibrated with %s, the embedder is %s: re-run "
                        "`python -m bench.dup_bench calibrate`", calibrated, embedder.model_id)
        self._lock = IndexLock()  # a large batch is worked out with it let go (:mod:`.index_lock`)
        self._detector: DuplicateDetector | None = None
        self._versions: dict[int, str] = {}  # id -> content hash of the version indexed
        self._row_versions = Versions()  # id -> row_version seen
        self._max_id = 0
        self._written: datetime | None = None  # the newest updated_at seen: rows written since are fetched
        self._seen: tuple[int, int, int] | None = None  # the change counter when last synced
        self._pending = PendingWrites()  # indexed by a transaction of this process that has not ended yet
        self._changes = StoredChanges(campaign_id)  # what a sync reads of storage

    # ----- corpus
    def encode(self, views: Sequence[DemandView]) -> np.ndarray:
        """Dense vectors of the views' duplicate texts (already normalised by the view)."""
        if not views:
            return np.zeros((0, self.embedder.dim), np.float32)
        return self.embedder.encode([v.duplicate_text.text for v in views], kind="passage", show_progress=False,
                                    normalized=True)

    def fit_detector(self, views: Sequence[DemandView]) -> DuplicateDetector:
        """A fresh detector over ``views`` (a whole round, for batch runs)."""
        return DuplicateDetector(self.params, threads=self.faiss_threads).fit([v.id for v in views], [v.duplicate_text.text for v in views],
                                                  self.encode(views), [v.signals for v in views])

    def rows(self, session: Session, where: Any = None) -> list[db.Demand]:
        """Stored demands of the campaign (optionally filtered), by id."""
        query = (select(db.Demand).options(joinedload(db.Demand.enterprise))
                 .where(db.Demand.campaign_id == self.campaign_id))
        if where is not None:
            query = query.where(where)
        return list(session.scalars(query.order_by(db.Demand.id)))

    def _add(self, demands: Sequence[db.Demand], views: Sequence[DemandView] | None = None,
             known: Mapping[int, Known] | None = None) -> None:
        """Index ``demands`` (those whose indexed version is older); ``known``: id → (row, view, vector) of a
        demand this process holds already normalised and encoded (the one being taken in), not done again."""
        self._put(demands, self._work_out(demands, views, known))

    def _work_out(self, demands: Sequence[db.Demand], views: Sequence[DemandView] | None = None,
                  known: Mapping[int, Known] | None = None) -> tuple[list[db.Demand], list[DemandView], np.ndarray, Any]:
        """What indexing ``demands`` needs and no lock does: the views, vectors and shingles of those not indexed
        in their version — (demands, views, vectors, shingles)."""
        known = known or {}
        fresh = [(i, d) for i, d in enumerate(demands) if self._versions.get(d.id) != d.content_hash]
        views = [views[i] if views is not None else known[d.id][1] if d.id in known else view_of_demand(d)
                 for i, d in fresh]
        todo = [v for v in views if v.id not in known]
        encoded = dict(zip([v.id for v in todo], self.encode(todo)))
        vectors = (np.stack([known[v.id][2] if v.id in known else encoded[v.id] for v in views]) if views
                   else np.zeros((0, self.embedder.dim), np.float32))
        texts = [v.duplicate_text.text for v in views]
        prepared = (None if self._detector is None else self._detector.prepare(texts) if self.shared is None
                    or len(texts) < BACKLOG else self.shared.prepare(self._detector, texts, self.campaign_id))
        return [d for _, d in fresh], views, vectors, prepared  # (the first build shingles them as it fits)

    def _put(self, demands: Sequence[db.Demand], work: tuple[list[db.Demand], list[DemandView], np.ndarray, Any],
             between: Callable[[], None] | None = None) -> None:
        """Add what :meth:`_work_out` gave to the index (under the lock), :data:`CHUNK` demands at a time with
        ``between`` called between two chunks."""
        for d in demands:
            self._row_versions[d.id] = d.row_version or 1
            self._max_id = max(self._max_id, d.id)
        fresh, views, vectors, prepared = work
        first = bool(fresh) and self._detector is None
        if first:
            self._detector = DuplicateDetector(self.params, threads=self.faiss_threads).fit(
                [v.id for v in views], [v.duplicate_text.text for v in views], vectors, [v.signals for v in views])
        for start in range(0, len(fresh), CHUNK):
            if start and between is not None:
                between()
            part = slice(start, start + CHUNK)
            if not first:
                self._detector.add([v.id for v in views[part]], [v.duplicate_text.text for v in views[part]],
                                   vectors[part], [v.signals for v in views[part]], prepared=prepared[part])
            for d in fresh[part]:
                self._versions[d.id] = d.content_hash
                self._max_id = max(self._max_id, d.id)

    def _absorb(self, ids: Sequence[int], load: Callable[[], Sequence[db.Demand]],
                views: Sequence[DemandView] | None = None, known: Mapping[int, Known] | None = None) -> None:
        """Index the demands ``load`` reads (``ids``, or as ``known``/``views`` give them): when they are
        :data:`.index_lock.BACKLOG` or more and this thread holds the lock once, worked out with it let go and
        added in chunks (:mod:`.index_lock`); otherwise here, under the lock. The caller holds the lock."""
        self._lock.wait_idle()  # another thread's batch first (it may be these very demands: not worked out twice)
        if len(ids) < BACKLOG or not self._lock.held_once():
            self._add(load(), views, known)
            return
        with self._lock.working(ids):
            with self._lock.let_go():
                demands = load()
                work = self._work_out(demands, views, known)
            self._put(demands, work, between=self._lock.pause)

    def behind(self, session: Session, campaign: CampaignContext | None = None) -> bool:
        """Whether :data:`.index_lock.BACKLOG` demands or more are stored that the index does not hold (a file another
        worker committed), asked under the campaign lock before intake writes: a count, not the largest id (a file's
        ids are claimed before its lock on PostgreSQL, :func:`api.services.bulk_ids.reserve`). When it is not, the
        index is synced here, and :meth:`sync` reads nothing more in this transaction (:meth:`_synced_under_lock`)."""
        if self._detector is None:
            return False
        with self._lock:
            stamp, written = self._written_since(session)
            if stamp[0] - len(self._row_versions) >= BACKLOG:
                return True
            self._lock.wait_idle()  # (a batch of this process's is BACKLOG or more: found behind above)
            self._catch_up(session, stamp, written)
            if holds_intake_lock(session, self.campaign_id):
                session.info[_SYNCED] = session.get_transaction()
            return False

    def _synced_under_lock(self, session: Session) -> bool:
        """The index was synced in this transaction under the campaign's intake lock (:meth:`behind`): intakes are
        serialised by it, so what intake stored since is this transaction's own, each indexed by its intake step
        (:meth:`_index_uncommitted`) — nothing to read. (A writer that takes no intake lock races with a check anyway.)"""
        transaction = session.info.get(_SYNCED)
        return (transaction is not None and transaction is session.get_transaction()
                and holds_intake_lock(session, self.campaign_id))

    def _written_since(self, session: Session) -> tuple[tuple[int, int, int], list[Any]]:
        """The change counter, and (id, hash, version, updated_at) of the rows past the largest id indexed or
        written since the newest write seen (:meth:`.index_changes.StoredChanges.since`)."""
        return self._changes.since(session, self._max_id, self._written)

    def sync(self, session: Session, known: Mapping[int, Known] | None = None) -> DuplicateDetector:
        """Build the detector from storage on first use, then pick up what changed since (any worker);
        ``known``: see :meth:`_add`. While another thread adds a large batch (:mod:`.index_lock`), wait for it."""
        with self._lock:
            if self._detector is None:
                stamp = self._changes.counter(session)
                rows = self.rows(session)
                self._add(rows)
                self._saw_writes([d.updated_at for d in rows])
                if self._detector is None:  # empty campaign: an empty index of the right size
                    self._detector = self.fit_detector([])
                self._seen = stamp
                return self._detector
            if self._synced_under_lock(session):  # only this transaction's own demands to add (``known``)
                mine = sorted(i for i, (d, _, _) in (known or {}).items()
                              if self._versions.get(i) != d.content_hash or self._row_versions.get(i) != (d.row_version or 1))
                if mine:
                    self._absorb(mine, lambda: [known[i][0] for i in mine], known=known)
                return self._detector
            self._lock.wait_idle()
            self._catch_up(session, *self._written_since(session), known=known)
            return self._detector

    def _catch_up(self, session: Session, stamp: tuple[int, int, int], written: list[Any],
                  known: Mapping[int, Known] | None = None) -> None:
        """Index what changed since the last sync, given the change counter and the rows written since
        (:meth:`_written_since`); the caller holds the lock."""
        if stamp == self._seen:
            return
        if (stamp != expected_counter(self._row_versions, written)  # nor with another intake uncommitted
                and stamp != expected_counter(self._pending.as_committed(self._row_versions), written)):
            # a delete, or a write committed out of order: compare every (id, hash, version)
            written = self._changes.everything(session)
            gone = set(self._row_versions) - {i for i, *_ in written} - set(self._pending.held)
            if gone:
                self._detector.remove(sorted(gone))
                for i in gone:
                    self._versions.pop(i, None)
                    self._row_versions.pop(i, None)
        fresh = [i for i, digest, version, _ in written
                 if self._versions.get(i) != digest or self._row_versions.get(i) != (version or 1)]
        if fresh:
            known = dict(known or {})
            if self.shared is not None and len(fresh) >= BACKLOG:  # a file: not encoded again (:mod:`.index_share`)
                known.update(self.shared.known(self.campaign_id, {i: (h, v) for i, h, v, _ in written if i not in known}))
            held = [known[i][0] for i in fresh if i in known]  # the demand being taken in: no need to read it
            others = [i for i in fresh if i not in known]

            def load() -> list[db.Demand]:
                return sorted(self._changes.indexable(session, others) + held, key=lambda d: d.id)
            self._absorb(fresh, load, known=known)
        self._saw_writes([at for *_, at in written])
        self._seen = stamp

    def _saw_writes(self, times: Iterable[datetime | None]) -> None:
        """Move the "written since" mark to the newest of ``times`` (intake writes commit in that order: under
        the intake lock; a write that did not is caught by the change counter)."""
        self._written = max([t for t in times if t is not None] + ([self._written] if self._written else []),
                            default=None)

    def rebuild(self, session: Session) -> int:
        """Drop the in-memory detector and rebuild it from storage; returns its size."""
        with self._lock:
            self._lock.wait_idle()
            self._detector, self._versions, self._row_versions, self._max_id, self._seen = None, {}, Versions(), 0, None
            self._written = None
            return len(self.sync(session))

    # ----- checks
    def candidates(self, session: Session, demand: db.Demand, *, min_verdict: str = "related", top: int = 10,
                   view: DemandView | None = None, vector: np.ndarray | None = None,
                   scored: dict[Any, Any] | None = None, new: bool = False,
                   rows: dict[int, db.Demand] | None = None) -> list[Candidate]:
        """Stored demands that may duplicate ``demand``: dismissed pairs left out, confirmed ones always in
        (``vector``: the view's, when already encoded; ``scored``: see :meth:`DuplicateDetector.check`).
        ``new``: inserted by this transaction, so no decision names it (not looked up). ``rows``: filled with
        the candidates' stored rows and findings (one read that also tells which are still stored)."""
        view = view or view_of_demand(demand)
        vector = self.encode([view])[0] if vector is None else vector
        detector = self.sync(session, known={demand.id: (demand, view, vector)})
        text = view.duplicate_text.text
        decided = {} if new else self.decisions(session, [demand.id])
        dismissed = {pair for pair, d in decided.items() if d == "dismiss"}
        confirmed = {a if b == demand.id else b for (a, b), d in decided.items() if d == "confirm"}
        with self._lock:
            signals = view.signals
            found = detector.check(text, vector, signals, exclude=[demand.id], top=top * 2, min_verdict=min_verdict,
                                   scored=scored)
            missing = confirmed - {c.id for c in found}
            found = detector.score_ids(text, vector, signals, sorted(missing)) + found
        out: list[Candidate] = []
        todo = [c for c in found if (min(c.id, demand.id), max(c.id, demand.id)) not in dismissed]
        while todo and len(out) < top:  # read (with findings) only the best that will be returned, not all 2 × top
            batch, todo = todo[:top - len(out)], todo[top - len(out):]
            stored = self._still_stored(session, [c.id for c in batch], rows)
            for c in batch:
                if c.id in stored:
                    out.append(c)
                    continue
                with self._lock:  # rolled back or deleted meanwhile
                    detector.remove([c.id])
                    self._versions.pop(c.id, None)
                    self._row_versions.pop(c.id, None)
        return out

    @staticmethod
    def _still_stored(session: Session, ids: list[int], rows: dict[int, db.Demand] | None) -> set[int]:
        """Which of ``ids`` are stored; ``rows``: filled with their rows and findings (the same one read)."""
        if rows is None:
            return set(session.scalars(select(db.Demand.id).where(db.Demand.id.in_(ids))))
        found = {d.id: d for d in session.scalars(
            select(db.Demand).options(joinedload(db.Demand.findings), defer(db.Demand.record))
            .where(db.Demand.id.in_(ids))).unique()}
        rows.update(found)
        return set(found)

    def score_pair(self, session: Session, demand: db.Demand, other_id: int,
                   view: DemandView | None = None) -> list[Candidate]:
        """``demand`` scored against one stored demand, whatever its verdict (the review queue's pair)."""
        detector = self.sync(session)
        view = view or view_of_demand(demand)
        with self._lock:
            return detector.score_ids(view.duplicate_text.text, self.encode([view])[0], view.signals, [other_id])

    def prepare_intake(self, session: Session, campaign: CampaignContext, items: Sequence[IntakeItem]) -> None:
        """The intake check's work that needs no lock, done before intake takes it: pick up what other workers
        stored (their texts encoded here, not while every other submission waits), encode the new demands
        (one batch for a file) and score each against the stored ones; under the lock only what was stored
        since — another worker's demands, the file's earlier rows — is left to score. (A large batch another thread
        is adding is waited for here, not under the campaign lock, where every worker would wait too.)"""
        detector = self.sync(session)
        views = [item.view for item in items]
        vectors = self.encode(views)
        for item, view, vector in zip(items, views, vectors):
            scored: dict[Any, Any] = {}
            with self._lock:
                detector.check(view.duplicate_text.text, vector, view.signals, top=10, scored=scored)
            if len(items) > 1:  # a file: keep only pairs worth a look (the rest is scored again under the lock)
                scored = {k: c for k, c in scored.items() if k == "index" or c.verdict != "none"}
            item.prepared.update(duplicate_vector=vector, duplicate_scored=scored)

    def intake_step(self, session: Session, campaign: CampaignContext, item: IntakeItem) -> list[dict[str, Any]]:
        """Intake step: duplicate candidates of the new demand as findings; then index the demand. Under the
        lock, the index is synced again (only rows committed since :meth:`prepare_intake` remain to add) and
        searched: the findings are those of a check that held the lock throughout."""
        intake_lock(session, campaign.id)  # already held by intake and check_all (free then); never after writes
        rows: dict[int, db.Demand] = {}
        with self._lock:
            found = self.candidates(session, item.demand, min_verdict="related", top=5, view=item.view,
                                    vector=item.prepared.get("duplicate_vector"),
                                    scored=item.prepared.get("duplicate_scored"), new=item.new, rows=rows)
            self._index_uncommitted(session, item.demand, item.view, new=item.new)
        findings = intake_findings(found) + too_short_finding(item.view.duplicate_text.text)
        self._flag_earlier(item.demand.id, found, rows)
        return findings

    def _index_uncommitted(self, session: Session, demand: db.Demand, view: DemandView, *, new: bool) -> None:
        """Index a demand this transaction wrote (``new``: inserted), visible to the next check in this process at
        once; held (:class:`api.services.pending_index.PendingWrites`) until the session commits or rolls back."""
        self._pending.hold(session, demand.id, None if new else (demand.row_version or 1) - 1)
        self._add([demand], [view])
        if not session.info.get("duplicates_pending"):
            session.info["duplicates_pending"] = True
            event.listen(session, "after_commit", lambda s: self._settle(s, committed=True))
            event.listen(session, "after_rollback", lambda s: self._settle(s, committed=False))

    def _settle(self, session: Session, *, committed: bool) -> None:
        """The transaction ended: what it indexed is stored (commit), or taken out to be read again (rollback)."""
        with self._lock:
            gone = self._pending.settle(session)
            if gone and not committed and self._detector is not None:
                self._detector.remove(gone)
                for i in gone:
                    self._versions.pop(i, None)
                    self._row_versions.pop(i, None)

    @staticmethod
    def _flag_earlier(new_id: int, found: Sequence[Candidate], others: Mapping[int, db.Demand]) -> None:
        """Both sides of a pair are flagged (:func:`flag_pair`) on the stored demands the new one pairs with
        (``others``: their rows, findings loaded)."""
        for c in found:
            if c.id in others:
                flag_pair(others[c.id], new_id, c)

    def evidence_for(self, session: Session, demand: db.Demand, candidate: Candidate, *, admin: bool) -> dict[str, Any]:
        """Why ``candidate`` looks like ``demand``: shared sentences (field + offsets), terms, signals."""
        va, vb = view_of_demand(demand), view_of_demand(get_demand(session, candidate.id))
        ta, tb = va.duplicate_text, vb.duplicate_text
        ev = evidence(ta.text, tb.text, words_a=self.tokenizer.words(ta.text, normalized=True),
                      words_b=self.tokenizer.words(tb.text, normalized=True),
                      signals=candidate.signals, reveal_signals=admin)
        sentences = []
        for m in ev["sentences"]:  # places and text as each side submitted them (matching ran on normalised copies)
            this, other = va.as_sent(ta.locate(*m["a"])), vb.as_sent(tb.locate(*m["b"]))
            sentences.append({"this": this, "other": other, "score": m["score"], "text": this.get("text", m["text"])})
        ev["sentences"] = sentences
        return ev
