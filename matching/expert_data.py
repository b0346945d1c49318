"""What the expert matcher reads and answers, as plain values: an expert's profile, a reviewed project
(评审记录), a ranked match with its evidence; and the per-query scaling the affinity and its re-ranker share.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Encoder = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class ExpertProfile:
    """What the matcher knows about one expert besides their history (no identity)."""

    expert_id: str
    fields: str = ""
    keywords: tuple[str, ...] = ()
    achievements: str = ""

    def text(self) -> str:
        return " ".join(x for x in (self.fields, " ".join(self.keywords), self.achievements) if x)


@dataclass(frozen=True)
class ReviewItem:
    """One reviewed project (评审记录) and the experts who reviewed it."""

    expert_ids: tuple[str, ...]
    title: str
    abstract: str = ""
    keywords: tuple[str, ...] = ()

    def text(self) -> str:
        return " ".join(x for x in (self.title, " ".join(self.keywords), self.abstract) if x)


@dataclass(frozen=True)
class Evidence:
    """Why an expert matches: the closest past projects and the shared terms."""

    items: list[dict]
    shared_terms: list[str]


@dataclass(frozen=True)
class ExpertMatch:
    """One ranked expert: score, its parts, and evidence."""

    expert_id: str
    score: float
    components: dict[str, float]
    evidence: Evidence | None = None

    def to_dict(self) -> dict:
        out = {"expert_id": self.expert_id, "score": round(self.score, 4),
               "components": {k: round(v, 4) for k, v in self.components.items()}}
        if self.evidence is not None:
            out["evidence"] = {"items": self.evidence.items, "shared_terms": self.evidence.shared_terms}
        return out


def rowmax_scale(x: np.ndarray) -> np.ndarray:
    """Scale each row to max 1 (rows of zeros stay zero): makes the parts comparable per query."""
    top = x.max(axis=1, keepdims=True)
    return x / np.where(top > 0, top, 1.0)


__all__ = ["Encoder", "ExpertProfile", "ReviewItem", "Evidence", "ExpertMatch", "rowmax_scale"]
