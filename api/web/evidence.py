"""A duplicate pair as the console shows it: both demands side by side with the shared sentences marked,
and the score broken into what each signal contributed (Splink-style, in log-odds).

The figures come from the duplicate service (:meth:`~api.services.duplicates.DuplicateService.candidates`,
:meth:`~api.services.duplicates.DuplicateService.evidence_for`) and the calibrated model's weights; nothing
is re-scored here. Which enterprise signal fired is named only to roles that may see personal data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from api.services.access import Principal
from api.services.duplicate_findings import candidate_out, sealed_candidate_out
from api.services.duplicates import DuplicateService
from api.services.views import DUPLICATE_FIELDS, DemandView, view_of_demand
from api.store import tables as db
from api.web.render import PREFIX
from matching.duplicates import FEATURES, Candidate, pair_features, signal_offset
from nlp.shingles import content_chars

#: Each signal in words a clerk reads (the figures are on hover).
FEATURE_ZH = {"containment": "文字大段相同", "jaccard": "用词重合", "dense": "意思相近",
              "dense_short": "意思相近（短文本）", "containment_short": "文字大段相同（短文本）", "short": "文本很短"}
DECISION_ZH = {"confirm": "确认重复", "dismiss": "不是重复"}
VERDICT_ZH = {"duplicate": "重复", "near_duplicate": "疑似重复", "related": "相关", "none": "无"}


@dataclass
class Pair:
    """One candidate pair, ready for a template."""

    this: db.Demand
    other: db.Demand
    candidate: dict[str, Any]
    parts: list[dict[str, Any]]
    logit: float
    evidence: dict[str, Any]
    fields_this: list[tuple[str, list[tuple[str, bool]]]] = field(default_factory=list)
    fields_other: list[tuple[str, list[tuple[str, bool]]]] = field(default_factory=list)
    sealed: bool = False


@dataclass
class SealedPair:
    """A candidate in a region the reader may not see (a city bureau): that it exists, nothing of its content."""

    this: db.Demand
    candidate: dict[str, Any]
    sealed: bool = True


def pairs_for(session: Session, dup: DuplicateService, demand: db.Demand, *, who: Principal, top: int = 5,
              only: int | None = None, decided: dict[tuple[int, int], str] | None = None) -> list[Pair | SealedPair]:
    """The candidates of ``demand`` (or only the one with id ``only``) with evidence and score parts; those
    in a region ``who`` may not see are :class:`SealedPair` (no title, text, evidence or figures)."""
    admin = who.may("see_personal")
    view = view_of_demand(demand)
    if only is not None:
        if session.get(db.Demand, only) is None:
            return []
        found = dup.score_pair(session, demand, only, view=view)
    else:
        found = dup.candidates(session, demand, min_verdict="related", top=top, view=view)
    decided = decided if decided is not None else dup.decisions(session, [demand.id])
    out: list[Pair | SealedPair] = []
    for c in found:
        decision = decided.get((min(c.id, demand.id), max(c.id, demand.id)))
        if not who.sees_region(session.get(db.Demand, c.id).region):
            out.append(SealedPair(demand, sealed_candidate_out(c, decision=decision)))
        else:
            out.append(pair(session, dup, demand, view, c, admin=admin, decision=decision))
    return out


def pair(session: Session, dup: DuplicateService, demand: db.Demand, view: DemandView, c: Candidate, *,
         admin: bool, decision: str | None) -> Pair:
    other = session.get(db.Demand, c.id)
    other_view = view_of_demand(other)
    ev = dup.evidence_for(session, demand, c, admin=admin)
    parts, logit = score_parts(dup, c, view, other_view)
    return Pair(demand, other, candidate_out(c, admin=admin, decision=decision), parts, logit, ev,
                marked(view, ev["sentences"], "this"), marked(other_view, ev["sentences"], "other"))


def score_parts(dup: DuplicateService, c: Candidate, a: DemandView, b: DemandView) -> tuple[list[dict[str, Any]], float]:
    """What each signal adds to the log-odds of the pair (the model's weight × the pair's value)."""
    params = dup.params
    chars = min(len(content_chars(a.duplicate_text.text)), len(content_chars(b.duplicate_text.text)))
    values = pair_features(np.array([c.containment]), np.array([c.jaccard]), np.array([c.dense]),
                           np.array([chars]))[0]
    parts = [{"name": name, "label": FEATURE_ZH[name], "value": float(v), "weight": float(w), "contribution": float(v * w)}
             for name, v, w in zip(FEATURES, values, params.coef) if w]
    offset = signal_offset(c.signals, params)
    if c.signals:
        parts.append({"name": "enterprise", "label": "同一企业或关联企业", "value": 1.0, "weight": offset,
                      "contribution": offset})
    logit = sum(p["contribution"] for p in parts) + params.intercept  # the model's baseline: in the sum, not a row
    scale = max((abs(p["contribution"]) for p in parts), default=1.0) or 1.0
    for p in parts:
        p["width"] = round(abs(p["contribution"]) / scale * 100, 1)
    return parts, logit


def marked(view: DemandView, sentences: list[dict[str, Any]], side: str) -> list[tuple[str, list[tuple[str, bool]]]]:
    """The compared fields of one side as submitted, each cut into (text, shared?) segments."""
    out = []
    for name in DUPLICATE_FIELDS:
        raw = view.sent.get(name) or ""
        if not raw:
            continue
        header = view.headers.get(name, name)
        spans = sorted((int(s[side]["start"]), int(s[side]["end"])) for s in sentences
                       if s[side].get("field") == header and s[side].get("start") is not None)
        segments, pos = [], 0
        for start, end in spans:
            start, end = max(start, pos), min(end, len(raw))
            if start >= end:
                continue
            if start > pos:
                segments.append((raw[pos:start], False))
            segments.append((raw[start:end], True))
            pos = end
        if pos < len(raw):
            segments.append((raw[pos:], False))
        out.append((header, segments))
    return out


def decision_undo(notice: str | None, decided: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Right after a confirm / dismiss, the 撤销 button of the newest decision shown (``decided`` newest
    first): it reopens that pair, as 重新打开 does."""
    if notice not in DECISION_ZH or not decided:
        return None
    last = decided[0]
    return {"action": f"{PREFIX}/dedup/reopen", "fields": {"a": last["a"], "b": last["b"]},
            "label": f"撤销（#{last['a']} 与 #{last['b']} 重新待确认）"}
