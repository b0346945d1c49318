"""Expert matching, I/O side: the expert pool from storage, ranking with evidence, review history.

The pure parts live in ``matching/`` (affinity, conflicts); this module reads storage into their
inputs. :class:`ExpertMatching` (one per process, built by the composition root with its tokenizer)
keeps the fitted affinity model and rebuilds it when experts or review records change, so a
recorded review updates the profiles. A relevance floor (:class:`matching.relevance.RelevanceFloor`, shipped in
``models/expert-floor``) keeps experts who do not fit a demand out of its suggestions: when nobody clears it
the ranking says 库中无合适专家 and shows why (the best candidates below it, the conflicts that excluded
relevant ones). Expert identities leave this module only for admin callers;
everyone else sees a stable pseudonym. Logs carry counts and run ids, never names.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import NotFound
from api.forms.models import Expert as ExpertForm
from api.services.audit import append_audit
from api.services.demands import get_demand
from api.services.intake import content_hash
from api.services.views import view_of_demand
from api.store import tables as db
from matching.conflicts import RULES, ConflictMatrix, ConflictRules, ExpertParty, build_conflicts
from matching.experts import ExpertAffinity, ExpertProfile, ReviewItem
from matching.relevance import MIN_POOL, NO_SUITABLE_EN, NO_SUITABLE_ZH, RelevanceFloor
from nlp.orgs import OrgDirectory
from nlp.text import normalize
from nlp.tokenize import Tokenizer

log = logging.getLogger(__name__)
RULES_ZH = {rule: zh for rule, (_, zh, _) in RULES.items()}
RULES_EN = {rule: en for rule, (_, _, en) in RULES.items()}


def in_province(region: str | None) -> bool:
    """True when an expert's 所在地区 is in the province (or unknown)."""
    return ExpertForm.model_construct(location=region).in_province if region else True


@dataclass(frozen=True)
class PoolExpert:
    """What the pool keeps of a stored expert: plain values, not the ORM row — the pool outlives the
    session that read it, and a row of a rolled-back session would be expired (DetachedInstanceError)."""

    id: int
    external_id: str | None
    name: str | None
    organization: str | None
    title: str | None
    region: str | None
    category: str | None
    avoid_orgs: tuple[str, ...]
    available: bool

    @classmethod
    def of(cls, e: db.Expert) -> "PoolExpert":
        return cls(e.id, e.external_id, e.name, e.organization, e.title, e.region, e.category,
                   tuple(e.avoid_orgs or ()), bool(e.available))


@dataclass
class Pool:
    """The expert pool as the matcher sees it (row order = model columns)."""

    experts: list[PoolExpert]
    model: ExpertAffinity
    key: tuple

    @property
    def parties(self) -> list[ExpertParty]:
        return [ExpertParty(str(e.id), e.organization or "", e.region, tuple(e.avoid_orgs or ()), bool(e.available))
                for e in self.experts]


class ExpertMatching:
    """Per-process matcher: cached affinity model over storage, pseudonyms, ranking, review history."""

    def __init__(self, tokenizer: Tokenizer, pseudonym_key: str | None = None,
                 floor: RelevanceFloor | None = None, orgs: OrgDirectory | None = None):
        self.tokenizer = tokenizer
        self.floor = floor  # None: every expert counts as relevant (no floor)
        self.orgs = orgs if orgs is not None else OrgDirectory()
        self._pool: Pool | None = None
        self._salt = (pseudonym_key or "jiebang-experts").encode()

    # ---------------------------------------------------------------- pool
    def _pool_key(self, session: Session) -> tuple:
        return (session.scalar(select(func.count(db.Expert.id))), session.scalar(select(func.max(db.Expert.updated_at))),
                session.scalar(select(func.count(db.ExpertReview.id))),
                session.scalar(select(func.max(db.ExpertReview.id))))

    def pool(self, session: Session) -> Pool:
        """The fitted pool, rebuilt when experts or review records changed since the last call."""
        key = self._pool_key(session)
        if self._pool is not None and self._pool.key == key:
            return self._pool
        experts = list(session.scalars(select(db.Expert).order_by(db.Expert.id)))
        if not experts:
            raise NotFound("专家库为空，请先导入专家（jiebang import --kind experts）。",
                           "The expert pool is empty; import experts first.")
        profiles = [ExpertProfile(str(e.id), e.research_fields or "", tuple(e.keywords or ()),
                                  ExpertForm.model_validate(e.record or {}).achievements or "") for e in experts]
        items = review_items(session.scalars(select(db.ExpertReview).order_by(db.ExpertReview.id)))
        model = ExpertAffinity(tokenizer=self.tokenizer).fit(profiles, items)
        log.info("expert pool fitted: %d experts, %d review records", len(experts), len(items))
        self._pool = Pool([PoolExpert.of(e) for e in experts], model, key)
        return self._pool

    def pseudonym(self, expert_id: int) -> str:
        """A stable pseudonymous id for non-admin callers (HMAC of the storage id)."""
        return "专家-" + hmac.new(self._salt, str(expert_id).encode(), hashlib.sha256).hexdigest()[:10]

    def expert_view(self, e: db.Expert | PoolExpert, admin: bool) -> dict[str, Any]:
        if not admin:
            return {"expert": self.pseudonym(e.id), "category": e.category,
                    "out_of_province": not in_province(e.region)}
        return {"expert": self.pseudonym(e.id), "expert_id": e.external_id, "name": e.name,
                "organization": e.organization, "title": e.title, "region": e.region, "category": e.category,
                "out_of_province": not in_province(e.region)}

    # ---------------------------------------------------------------- relevance floor
    def relevance(self, pool: Pool, texts: list[str]) -> np.ndarray:
        """``(n_texts, n_experts)`` calibrated relevance (P(chosen to review), comparable across demands);
        all ones when no floor is configured or the pool is too small for it."""
        if self.floor is None:
            return np.ones((len(texts), len(pool.experts)), np.float32)
        return self.floor.relevance(pool.model, texts)

    @property
    def floor_value(self) -> float:
        return self.floor.floor if self.floor is not None else 0.0

    def floor_info(self, pool: Pool) -> dict[str, Any]:
        """What the floor is, for callers to show beside the ranking."""
        applied = self.floor is not None and self.floor.applies(pool.model)
        note = {} if applied else {
            "note_zh": f"专家库不足 {MIN_POOL} 人，无法校准相关度，未启用下限" if self.floor is not None else "未配置相关度下限",
            "note_en": f"fewer than {MIN_POOL} experts: relevance cannot be calibrated, no floor applied"
                       if self.floor is not None else "no relevance floor configured"}
        return {"value": round(self.floor_value, 4), "applied": applied, **note,
                "meaning_zh": "相关度 = 按历史评审记录校准的“该专家会被选来评审此类项目”的概率；低于下限的专家不推荐、不入专家组",
                "meaning_en": "relevance = calibrated probability that the expert would be chosen to review such a "
                              "project (fitted on the review record); experts below the floor are neither "
                              "suggested nor seated"}

    def shortfall_reasons(self, pool: Pool, text: str, relevance: np.ndarray, conflicts: ConflictMatrix, row: int,
                          k: int = 3, full: np.ndarray | None = None) -> dict[str, list[dict[str, Any]]]:
        """Why a demand has too few suitable experts, by storage id (render with :meth:`render_reasons`): its
        best ``k`` qualified candidates below the floor (affinity, relevance, shared terms), the experts
        above the floor that a conflict excluded (with the rules), and ``full``: its suitable experts that
        other panels took to their max load (合适的专家已满负荷)."""
        ids = pool.model.expert_ids_
        blocked = conflicts.blocked[row]
        below = ~blocked & (relevance < self.floor_value)
        best = [int(j) for j in np.argsort(-np.where(below, relevance, -1.0), kind="stable")[:k] if below[j]]
        keep = set(best)
        matches = pool.model.rank(text, top=k, exclude=[ids[j] for j in range(len(ids)) if j not in keep]) if best else []
        j_of = {x: j for j, x in enumerate(ids)}
        candidates = sorted(({"sid": int(m.expert_id), "score": round(m.score, 4),
                              "relevance": round(float(relevance[j_of[m.expert_id]]), 4),
                              "shared_terms": m.evidence.shared_terms[:5] if m.evidence else []} for m in matches),
                            key=lambda c: -c["relevance"])
        excluded = sorted(({"sid": int(ids[j]), "relevance": round(float(relevance[j]), 4),
                            "rules": conflicts.rules_for(row, int(j))}
                           for j in np.flatnonzero(blocked & (relevance >= self.floor_value))),
                          key=lambda x: -x["relevance"])
        loaded = sorted(({"sid": int(ids[j]), "relevance": round(float(relevance[j]), 4)}
                         for j in np.flatnonzero(full if full is not None else np.zeros(len(ids), bool))),
                        key=lambda x: -x["relevance"])
        return {"best_below_floor": candidates, "excluded_relevant": excluded, "fully_loaded": loaded}

    def render_reasons(self, raw: dict[str, list[dict[str, Any]]], experts: dict[int, db.Expert | PoolExpert],
                       admin: bool) -> dict[str, list[dict[str, Any]]]:
        """:meth:`shortfall_reasons` per role: experts as pseudonyms (identities for admin callers), rules in words."""
        def who(x: dict[str, Any]) -> dict[str, Any]:
            e = experts.get(x["sid"])
            return self.expert_view(e, admin) if e is not None else {"expert": self.pseudonym(x["sid"])}
        return {"best_below_floor": [{**who(x), **{k: v for k, v in x.items() if k != "sid"}}
                                     for x in raw.get("best_below_floor", [])],
                "excluded_relevant": [{**who(x), "relevance": x["relevance"], "rules": x["rules"],
                                       "message_zh": "；".join(RULES_ZH[r] for r in x["rules"]),
                                       "message_en": "; ".join(RULES_EN[r] for r in x["rules"])}
                                      for x in raw.get("excluded_relevant", [])],
                "fully_loaded": [{**who(x), "relevance": x["relevance"]} for x in raw.get("fully_loaded", [])]}

    # ---------------------------------------------------------------- ranking
    def rank_experts(self, session: Session, demand_id: int, *, top: int = 20, admin: bool = False,
                     out_of_region: bool = False) -> dict[str, Any]:
        """The experts above the relevance floor for one demand, best first, conflicted ones listed apart with
        their rule; when none clears the floor, ``no_suitable_expert`` and why (see :meth:`shortfall_reasons`)."""
        demand = get_demand(session, demand_id)
        view = view_of_demand(demand)
        pool = self.pool(session)
        conflicts = build_conflicts([view.party], pool.parties, ConflictRules(out_of_region=out_of_region),
                                    orgs=self.orgs)
        blocked = conflicts.blocked[0]
        relevance = self.relevance(pool, [view.matching_text])[0]
        by_id = {str(e.id): e for e in pool.experts}
        ids = pool.model.expert_ids_
        hidden = [ids[j] for j in np.flatnonzero(blocked | (relevance < self.floor_value))]
        matches = pool.model.rank(view.matching_text, top=top, exclude=hidden)
        ranked = []
        for r, m in enumerate(matches, 1):
            e = by_id[m.expert_id]
            item = {"rank": r, **self.expert_view(e, admin), **{k: v for k, v in m.to_dict().items() if k != "expert_id"},
                    "relevance": round(float(relevance[ids.index(m.expert_id)]), 4)}
            ranked.append(item)
        j_of = {x: j for j, x in enumerate(ids)}
        excluded = [{**self.expert_view(by_id[x.expert_id], admin), "rule": x.rule, "message_zh": x.message_zh,
                     "message_en": x.message_en, "relevance": round(float(relevance[j_of[x.expert_id]]), 4)}
                    for x in conflicts.exclusions(0)]
        out = {"demand_id": demand.id, "floor": self.floor_info(pool), "experts": ranked,
               "n_above_floor": int((~blocked & (relevance >= self.floor_value)).sum()),
               "no_suitable_expert": not ranked, "excluded": excluded}
        if not ranked:
            out |= {"message_zh": f"{NO_SUITABLE_ZH}：没有专家的相关度达到下限 {self.floor_value:.3f}",
                    "message_en": f"{NO_SUITABLE_EN}: no expert's relevance reaches the floor {self.floor_value:.3f}",
                    **self.render_reasons(self.shortfall_reasons(pool, view.matching_text, relevance, conflicts, 0),
                                          {e.id: e for e in pool.experts}, admin)}
        return out

    def blocking(self, session: Session, demand_id: int, expert_id: int, *,
                 out_of_region: bool = False) -> list[dict[str, Any]]:
        """The conflict rules (回避) that keep expert ``expert_id`` (storage id) off ``demand_id``'s panel, each
        with its zh/en message; empty when the pair is allowed."""
        view = view_of_demand(get_demand(session, demand_id))
        pool = self.pool(session)
        conflicts = build_conflicts([view.party], pool.parties, ConflictRules(out_of_region=out_of_region))
        return [{"rule": x.rule, "message_zh": x.message_zh, "message_en": x.message_en}
                for x in conflicts.exclusions(0) if str(x.expert_id) == str(expert_id)]

    def record_review(self, session: Session, expert_external_id: str, title: str, abstract: str = "",
                      keywords: list[str] | None = None, reviewed_at: str | None = None,
                      actor: str = "system") -> dict[str, Any]:
        """Add a review record; the next ranking sees the updated profile."""
        expert = session.scalar(select(db.Expert).where(db.Expert.external_id == expert_external_id))
        if expert is None:
            raise NotFound("专家不存在", "expert not found")
        digest = content_hash({"expert": expert.id, "title": title, "abstract": abstract,
                                       "keywords": keywords or [], "at": reviewed_at})
        row = db.ExpertReview(expert_id=expert.id, title=title, abstract=abstract, keywords=list(keywords or []),
                              reviewed_at=reviewed_at, content_hash=digest)
        session.add(row)
        session.flush()
        append_audit(session, actor, "create", "expert_review", row.id, None, {"expert_id": expert.id})
        session.commit()
        return {"review_id": row.id, "expert": self.pseudonym(expert.id)}



def review_items(rows: Iterable[Any]) -> list[ReviewItem]:
    """One item per reviewed project: review records of the same demand, or of the same title on the
    same date, are one panel — so co-review communities and per-panel vote shares see the panel."""
    panels: dict[tuple[Any, ...], list[Any]] = {}
    for r in rows:
        key = ("demand", r.demand_id) if r.demand_id else ("title", normalize(r.title), r.reviewed_at or "")
        panels.setdefault(key, []).append(r)
    return [ReviewItem(tuple(dict.fromkeys(str(r.expert_id) for r in group)), group[0].title,
                       group[0].abstract or "", tuple(group[0].keywords or ()))
            for group in panels.values()]
