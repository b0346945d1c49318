"""Duplicate demands, the I/O side: the campaign's detector kept in step with storage, the intake
check, candidates with evidence and staff decisions. Batch runs of a round are :mod:`.dedup_runs`.

One :class:`DuplicateService` per process, built by the composition root with the embedder and
tokenizer it made, holds the :class:`matching.duplicates.DuplicateDetector` of the campaign: rebuilt
from storage at start, synced with rows other workers committed before every check, and updated
on insert. Texts and enterprise signals come from the typed demand view (:mod:`.views`).

Race-free intake: the check runs as an intake step AFTER the new demand is flushed (it has an
id), under a per-campaign database lock (``SELECT … FOR UPDATE`` on the campaign row, which holds
across workers on PostgreSQL; SQLite serialises writers by itself) and an in-process lock. So of
two simultaneous submissions, the second one's check starts after the first one committed, syncs
it from storage and finds it.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from api.errors import ConfigError, InvalidInput
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.demands import get_demand
from api.services.intake import IntakeItem, check_status_of, finding_row
from api.services.views import DemandView, view_of_demand
from api.store import tables as db
from matching.duplicates import (MIN_COMPARE_CHARS, Candidate, DuplicateDetector, DuplicateModelError, DuplicateParams,
                                 evidence)
from nlp.embed import Embedder
from nlp.shingles import content_chars
from nlp.tokenize import Tokenizer

log = logging.getLogger(__name__)

DECISIONS = ("confirm", "dismiss")
SYNC_SLACK_IDS = 1000  # rows committed out of id order (other workers) are still picked up
SYNC_RECENT_MINUTES = 10  # and rows updated this recently (an update keeps its id)
RULE_DUPLICATE = "duplicate"
RULE_RELATED = "duplicate_related"
RULE_TOO_SHORT = "too_short_to_compare"
STRONG = ("duplicate", "near_duplicate")


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


class DuplicateService:
    """Per-process duplicate detector of one campaign, kept in step with storage."""

    def __init__(self, params: DuplicateParams, campaign_id: int, embedder: Embedder, tokenizer: Tokenizer):
        self.params = params
        self.campaign_id = campaign_id
        self.embedder = embedder
        self.tokenizer = tokenizer
        calibrated = params.metrics.get("embed_model")
        if calibrated and calibrated != embedder.model_id:
            log.warning("duplicate thresholds were calibrated with %s, the embedder is %s: re-run "
                        "`python -m bench.dup_bench calibrate`", calibrated, embedder.model_id)
        self._lock = threading.RLock()
        self._detector: DuplicateDetector | None = None
        self._versions: dict[int, str] = {}  # id -> content hash of the version indexed
        self._max_id = 0

    # ----- corpus
    def encode(self, views: Sequence[DemandView]) -> np.ndarray:
        """Dense vectors of the views' duplicate texts (already normalised by the view)."""
        if not views:
            return np.zeros((0, self.embedder.dim), np.float32)
        return self.embedder.encode([v.duplicate_text.text for v in views], kind="passage", show_progress=False,
                                    normalized=True)

    def fit_detector(self, views: Sequence[DemandView]) -> DuplicateDetector:
        """A fresh detector over ``views`` (a whole round, for batch runs)."""
        return DuplicateDetector(self.params).fit([v.id for v in views], [v.duplicate_text.text for v in views],
                                                  self.encode(views), [v.signals for v in views])

    def rows(self, session: Session, where: Any = None) -> list[db.Demand]:
        """Stored demands of the campaign (optionally filtered), by id."""
        query = (select(db.Demand).options(selectinload(db.Demand.enterprise))
                 .where(db.Demand.campaign_id == self.campaign_id))
        if where is not None:
            query = query.where(where)
        return list(session.scalars(query.order_by(db.Demand.id)))

    def _add(self, demands: Sequence[db.Demand], views: Sequence[DemandView] | None = None) -> None:
        fresh = [(i, d) for i, d in enumerate(demands) if self._versions.get(d.id) != d.content_hash]
        if not fresh:
            return
        views = [views[i] if views is not None else view_of_demand(d) for i, d in fresh]
        if self._detector is None:
            self._detector = self.fit_detector(views)
        else:
            self._detector.add([v.id for v in views], [v.duplicate_text.text for v in views], self.encode(views),
                               [v.signals for v in views])
        for _, d in fresh:
            self._versions[d.id] = d.content_hash
            self._max_id = max(self._max_id, d.id)

    def sync(self, session: Session) -> DuplicateDetector:
        """Build the detector from storage on first use, then pick up rows committed since (any worker)."""
        with self._lock:
            if self._detector is None:
                self._add(self.rows(session))
                if self._detector is None:  # empty campaign: an empty index of the right size
                    self._detector = self.fit_detector([])
                return self._detector
            since = datetime.now(timezone.utc) - timedelta(minutes=SYNC_RECENT_MINUTES)
            recent = session.execute(
                select(db.Demand.id, db.Demand.content_hash).where(
                    db.Demand.campaign_id == self.campaign_id,
                    or_(db.Demand.id > self._max_id - SYNC_SLACK_IDS, db.Demand.updated_at >= since))).all()
            fresh = [i for i, digest in recent if self._versions.get(i) != digest]
            if fresh:
                self._add(self.rows(session, db.Demand.id.in_(fresh)))
            return self._detector

    def rebuild(self, session: Session) -> int:
        """Drop the in-memory detector and rebuild it from storage; returns its size."""
        with self._lock:
            self._detector, self._versions, self._max_id = None, {}, 0
            return len(self.sync(session))

    # ----- decisions
    def decisions(self, session: Session, ids: Iterable[int] | None = None) -> dict[tuple[int, int], str]:
        """Stored staff decisions ``{(a, b): confirm|dismiss}`` (a < b), optionally touching ``ids``."""
        query = select(db.DuplicateDecision)
        if ids is not None:
            ids = list(ids)
            query = query.where(or_(db.DuplicateDecision.demand_a.in_(ids), db.DuplicateDecision.demand_b.in_(ids)))
        return {(r.demand_a, r.demand_b): r.decision for r in session.scalars(query)}

    def decide(self, session: Session, a: int, b: int, decision: str, *, note: str | None = None,
               actor: str = "api") -> db.DuplicateDecision:
        """Record (or change) a decision on a pair and commit; a dismissed pair is never proposed again."""
        if decision not in DECISIONS:
            raise InvalidInput("决定只能是 confirm（确认重复）或 dismiss（不是重复）。",
                               "decision must be 'confirm' or 'dismiss'.", {"decision": decision})
        if a == b:
            raise InvalidInput("不能对同一条需求作出查重决定。", "A pair needs two different demands.", {"a": a})
        a, b = min(a, b), max(a, b)
        for i in (a, b):
            get_demand(session, i)
        row = session.scalar(select(db.DuplicateDecision).where(db.DuplicateDecision.demand_a == a,
                                                                db.DuplicateDecision.demand_b == b))
        before = {"decision": row.decision} if row else None
        if row is None:
            row = db.DuplicateDecision(demand_a=a, demand_b=b, decision=decision, note=note, actor=actor)
            session.add(row)
        else:
            row.decision, row.note, row.actor = decision, note, actor
            row.decided_at = datetime.now(timezone.utc)
        session.flush()
        append_audit(session, actor, "decide", "duplicate_pair", row.id, before,
                     {"demand_a": a, "demand_b": b, "decision": decision})
        session.commit()
        return row

    # ----- checks
    def candidates(self, session: Session, demand: db.Demand, *, min_verdict: str = "related", top: int = 10,
                   view: DemandView | None = None) -> list[Candidate]:
        """Stored demands that may duplicate ``demand``: dismissed pairs left out, confirmed ones always in."""
        detector = self.sync(session)
        view = view or view_of_demand(demand)
        text = view.duplicate_text.text
        decided = self.decisions(session, [demand.id])
        dismissed = {pair for pair, d in decided.items() if d == "dismiss"}
        confirmed = {a if b == demand.id else b for (a, b), d in decided.items() if d == "confirm"}
        with self._lock:
            vector, signals = self.encode([view])[0], view.signals
            found = detector.check(text, vector, signals, exclude=[demand.id], top=top * 2, min_verdict=min_verdict)
            missing = confirmed - {c.id for c in found}
            found = detector.score_ids(text, vector, signals, sorted(missing)) + found
        out = []
        for c in found:
            if (min(c.id, demand.id), max(c.id, demand.id)) in dismissed:
                continue
            if session.get(db.Demand, c.id) is None:  # rolled back or deleted meanwhile
                with self._lock:
                    detector.remove([c.id])
                    self._versions.pop(c.id, None)
                continue
            out.append(c)
        return out[:top]

    def score_pair(self, session: Session, demand: db.Demand, other_id: int,
                   view: DemandView | None = None) -> list[Candidate]:
        """``demand`` scored against one stored demand, whatever its verdict (the review queue's pair)."""
        detector = self.sync(session)
        view = view or view_of_demand(demand)
        with self._lock:
            return detector.score_ids(view.duplicate_text.text, self.encode([view])[0], view.signals, [other_id])

    def intake_step(self, session: Session, campaign: CampaignContext, item: IntakeItem) -> list[dict[str, Any]]:
        """Intake step: duplicate candidates of the new demand as findings; then index the demand."""
        # DB-level guard: serialise intake checks per campaign across workers until commit.
        session.execute(select(db.Campaign.id).where(db.Campaign.id == campaign.id).with_for_update())
        with self._lock:
            found = self.candidates(session, item.demand, min_verdict="related", top=5, view=item.view)
            self._add([item.demand], [item.view])  # visible to the next check at once (this process)
        findings = intake_findings(found)
        self._flag_earlier(session, item.demand.id, found)
        chars = len(content_chars(item.view.duplicate_text.text).replace("|", ""))
        if chars < MIN_COMPARE_CHARS:
            findings.append({"rule_id": RULE_TOO_SHORT, "severity": "info", "fields": [], "values": {"chars": chars},
                             "message_zh": f"需求名称和描述共{chars}字，过短，无法可靠查重；请补充需求描述后再核对。",
                             "message_en": f"Only {chars} characters of title and description: too short to check for "
                                           "duplicates reliably; add a description."})
        return findings

    @staticmethod
    def _flag_earlier(session: Session, new_id: int, found: Sequence[Candidate]) -> None:
        """Both sides of a pair are flagged: each stored demand the new one duplicates (or relates to) gets, or
        extends, its own ``duplicate`` (``duplicate_related``) finding naming the new demand — what re-running the
        checks would give it, so an import's counts and ``check``'s agree."""
        for c in found:
            other = session.get(db.Demand, c.id)
            if other is None:
                continue
            strong = c.verdict in STRONG
            rule = RULE_DUPLICATE if strong else RULE_RELATED
            brief = {**_brief(c), "id": new_id}
            rows = [f for f in other.findings if f.rule_id == rule]
            listed = list((rows[0].values or {}).get("candidates", [])) if rows else []
            if any(x.get("id") == new_id for x in listed):
                continue
            kept = [f for f in other.findings if f.rule_id != rule]
            other.findings = kept + [finding_row(f) for f in intake_findings_for(listed + [brief], strong=strong)]
            other.check_status = check_status_of(other.findings)

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


def intake_findings(found: Sequence[Candidate]) -> list[dict[str, Any]]:
    """Findings for the intake report: one ``duplicate`` warning and/or one ``duplicate_related`` note.

    Values list candidate ids, verdicts and scores only; which enterprise signal fired is not
    stored here (findings are shown to every caller) — GET /demands/{id}/duplicates shows it to admins.
    """
    strong = [_brief(c) for c in found if c.verdict in STRONG]
    weak = [_brief(c) for c in found if c.verdict == "related"]
    return intake_findings_for(strong, strong=True) + intake_findings_for(weak, strong=False)


def intake_findings_for(briefs: Sequence[dict[str, Any]], *, strong: bool) -> list[dict[str, Any]]:
    """One ``duplicate`` warning (``strong``) or one ``duplicate_related`` note over candidate briefs."""
    if not briefs:
        return []
    ids = "、".join(f"#{b['id']}" for b in briefs)
    if strong:
        return [{"rule_id": RULE_DUPLICATE, "severity": "warning",
                 "message_zh": f"疑似重复申报：与需求 {ids} 内容重复或高度相似，请核实。",
                 "message_en": f"Possible duplicate of demand(s) {ids.replace('、', ', ')}; please review.",
                 "fields": [], "values": {"candidates": list(briefs)}}]
    return [{"rule_id": RULE_RELATED, "severity": "info",
             "message_zh": f"与需求 {ids} 内容相关（非重复），供参考。",
             "message_en": f"Related to demand(s) {ids.replace('、', ', ')} (not duplicates).",
             "fields": [], "values": {"candidates": list(briefs)}}]


def _brief(c: Candidate) -> dict[str, Any]:
    return {"id": c.id, "verdict": c.verdict, "score": round(c.score, 4),
            "enterprise_signal": bool(c.signals)}


def candidate_out(c: Candidate, *, admin: bool, decision: str | None = None) -> dict[str, Any]:
    """A candidate as callers see it: signal names only with the admin token; the staff decision."""
    d = c.to_dict()
    d["decision"] = decision
    d["signals"] = list(c.signals) if admin else (["enterprise"] if c.signals else [])
    return d
