"""Expert matching, I/O side: the expert pool from storage, ranking with evidence, review history.

The pure parts live in ``matching/`` (affinity, conflicts); this module reads storage into their
inputs. :class:`ExpertMatching` (one per process, built by the composition root with its tokenizer)
keeps the fitted affinity model and rebuilds it when experts or review records change, so a
recorded review updates the profiles. Expert identities leave this module only for admin callers;
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
from matching.conflicts import ConflictRules, ExpertParty, build_conflicts
from matching.experts import ExpertAffinity, ExpertProfile, ReviewItem
from nlp.text import normalize
from nlp.tokenize import Tokenizer

log = logging.getLogger(__name__)


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

    def __init__(self, tokenizer: Tokenizer, pseudonym_key: str | None = None):
        self.tokenizer = tokenizer
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

    # ---------------------------------------------------------------- ranking
    def rank_experts(self, session: Session, demand_id: int, *, top: int = 20, admin: bool = False,
                     out_of_region: bool = False) -> dict[str, Any]:
        """Every expert for one demand, best first, conflicted ones listed apart with their rule."""
        demand = get_demand(session, demand_id)
        view = view_of_demand(demand)
        pool = self.pool(session)
        conflicts = build_conflicts([view.party], pool.parties, ConflictRules(out_of_region=out_of_region))
        blocked = conflicts.blocked[0]
        by_id = {str(e.id): e for e in pool.experts}
        excluded_ids = [pool.model.expert_ids_[j] for j in np.flatnonzero(blocked)]
        matches = pool.model.rank(view.matching_text, top=top, exclude=excluded_ids)
        ranked = []
        for r, m in enumerate(matches, 1):
            e = by_id[m.expert_id]
            item = {"rank": r, **self.expert_view(e, admin), **{k: v for k, v in m.to_dict().items() if k != "expert_id"}}
            ranked.append(item)
        excluded = [{**self.expert_view(by_id[x.expert_id], admin), "rule": x.rule, "message_zh": x.message_zh,
                     "message_en": x.message_en} for x in conflicts.exclusions(0)]
        return {"demand_id": demand.id, "experts": ranked, "excluded": excluded}

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
