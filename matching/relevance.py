"""A relevance floor for expert suggestions (专家相关度下限): calibrated scores comparable across demands.

The affinity of :mod:`matching.experts` is scaled per query, so the best expert of any pool scores near
1 — even when nobody in the pool knows the field, and a panel is then padded with unrelated experts.
:class:`RelevanceFloor` maps *absolute* evidence (cosines to the expert's reviewed projects and declared
fields, review count: :data:`matching.experts.RELEVANCE_FEATURES`) to the probability that the expert
would be chosen to review the text (Platt scaling: a logistic regression on standardised features),
learned on held-out folds of a review record grouped by exact panel (:mod:`matching.folds`), so the
probability is what a new call would see. ``floor``: the probability below which an expert is not
suggested, chosen on the same held-out folds so that for ``target_coverage`` of the projects at least one
true reviewer clears it. Pure: arrays in, arrays out; the fitted values are plain data (``to_dict``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from matching.experts import RELEVANCE_FEATURES, ExpertAffinity
from matching.folds import grouped_folds, held_out_queries, item_panels
from matching.panel_problem import PanelRules

#: What staff read when no expert in the pool clears the floor.
NO_SUITABLE_ZH = "库中无合适专家"
NO_SUITABLE_EN = "no suitable expert in the pool"
#: What staff read when suitable experts exist but other panels took their whole max load.
FULL_LOAD_ZH = "合适的专家已满负荷"
FULL_LOAD_EN = "suitable experts fully loaded"
#: Fewer experts than this and there is no "typical expert" to compare with: the floor does not apply.
MIN_POOL = 10


@dataclass(frozen=True)
class RelevanceFloor:
    """``P(chosen | features)`` = σ(coef · (x − mean) / scale + intercept); suggest only ``≥ floor``."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    floor: float
    metrics: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if tuple(self.features) != RELEVANCE_FEATURES:
            raise ValueError(f"relevance floor features {self.features} differ from {RELEVANCE_FEATURES}; refit it")

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probabilities for feature rows ``(..., n_features)``."""
        z = ((np.asarray(x, np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef)
        return (1.0 / (1.0 + np.exp(-(z + self.intercept)))).astype(np.float32)

    def applies(self, model: ExpertAffinity) -> bool:
        """Whether the pool is large enough for the floor: its features compare each expert with the pool's
        typical one, which a handful of experts cannot tell (:data:`MIN_POOL`)."""
        return len(model.expert_ids_) >= MIN_POOL

    def relevance(self, model: ExpertAffinity, texts: Sequence[str], batch: int = 200) -> np.ndarray:
        """``(n_texts, n_experts)`` calibrated relevance of every expert of ``model``'s pool (all ones — every
        expert counts as relevant — when the floor does not apply to so small a pool)."""
        texts = list(texts)
        if not self.applies(model):
            return np.ones((len(texts), len(model.expert_ids_)), np.float32)
        if not texts:
            return np.zeros((0, len(model.expert_ids_)), np.float32)
        return np.vstack([self.predict(model.relevance_features(texts[i:i + batch]))
                          for i in range(0, len(texts), batch)])

    def to_dict(self) -> dict:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept, "floor": self.floor, "metrics": self.metrics}

    @classmethod
    def from_dict(cls, d: dict) -> "RelevanceFloor":
        return cls(tuple(d["features"]), tuple(d["mean"]), tuple(d["scale"]), tuple(d["coef"]),
                   float(d["intercept"]), float(d["floor"]), dict(d.get("metrics") or {}))


def held_out_features(model: ExpertAffinity, n_folds: int = 5, seed: int = 0,
                      max_queries: int = 2000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of every (held-out item, expert) and labels (did the expert review it), folds grouped by
    exact panel: each item is scored by the affinity fitted on the other folds. Returns ``(x, y, query)``,
    ``query`` the row's held-out item number (items without a profiled reviewer are left out)."""
    inc = model.incidence_
    xs, ys, qs = [], [], []
    per_fold = -(-min(inc.shape[0], max_queries) // max(n_folds, 1))
    for sub, held, sims in held_out_queries(model, grouped_folds(item_panels(inc), n_folds, seed), per_fold, seed):
        x = sub._relevance_features(sims)
        y = inc[held].toarray() > 0
        xs.append(x.reshape(-1, x.shape[-1]))
        ys.append(y.ravel())
        qs.append(np.repeat(held, x.shape[1]))
    if not xs:
        return np.zeros((0, len(RELEVANCE_FEATURES)), np.float32), np.zeros(0, bool), np.zeros(0, np.int64)
    return np.vstack(xs), np.concatenate(ys), np.concatenate(qs)


def query_coverage(prob: np.ndarray, labels: np.ndarray, query: np.ndarray, floor: float) -> float:
    """Share of queries with at least one true reviewer at or above ``floor``."""
    best = _best_true(prob, labels, query)
    return float(np.mean(best >= floor)) if len(best) else 0.0


def _best_true(prob: np.ndarray, labels: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Per query (with a true reviewer): the highest probability among its true reviewers."""
    mask = labels.astype(bool)
    if not mask.any():
        return np.zeros(0)
    q, p = query[mask], prob[mask]
    order = np.lexsort((-p, q))
    first = np.r_[True, q[order][1:] != q[order][:-1]]
    return p[order][first]


def choose_floor(prob: np.ndarray, labels: np.ndarray, query: np.ndarray, target_coverage: float = 0.9) -> float:
    """The highest floor that still leaves a true reviewer above it for ``target_coverage`` of the queries."""
    best = np.sort(_best_true(prob, labels, query))
    if not len(best):
        return 0.0
    k = int(np.floor((1.0 - target_coverage) * len(best) + 1e-9))  # queries allowed below the floor
    return float(best[min(k, len(best) - 1)])


def fit_floor(model: ExpertAffinity, *, target_coverage: float = 0.92, n_folds: int = 5, seed: int = 0,
              C: float = 1.0) -> RelevanceFloor:
    """Fit the calibration and the floor on held-out folds of ``model``'s review history (see module doc).
    ``target_coverage`` is set a little above the 0.9 that is asked, as a margin for unseen calls."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from threadpoolctl import threadpool_limits

    x, y, q = held_out_features(model, n_folds=n_folds, seed=seed)
    if y.sum() < 10 or y.all():
        raise ValueError("too little review history to calibrate a relevance floor / 评审记录太少，无法校准相关度下限")
    mean = x.mean(axis=0)
    scale = np.where(x.std(axis=0) > 1e-9, x.std(axis=0), 1.0)
    with threadpool_limits(1):
        lr = LogisticRegression(C=C, max_iter=2000).fit((x - mean) / scale, y)
    calib = RelevanceFloor(RELEVANCE_FEATURES, tuple(map(float, mean)), tuple(map(float, scale)),
                           tuple(map(float, lr.coef_[0])), float(lr.intercept_[0]), 0.0)
    prob = calib.predict(x)
    floor = choose_floor(prob, y, q, target_coverage)
    metrics = {"held_out_pairs": int(len(y)), "held_out_queries": int(len(np.unique(q[y]))),
               "positives": int(y.sum()), "auc": round(float(roc_auc_score(y, prob)), 4),
               "brier": round(float(brier_score_loss(y, prob)), 6),
               "mean_predicted": round(float(prob.mean()), 6), "base_rate": round(float(y.mean()), 6),
               "coverage": round(query_coverage(prob, y, q, floor), 4),
               "reviewer_share_above_floor": round(float(np.mean(prob[y] >= floor)), 4),
               "other_share_above_floor": round(float(np.mean(prob[~y] >= floor)), 4),
               "target_coverage": target_coverage, "folds": n_folds, "seed": seed}
    return RelevanceFloor(calib.features, calib.mean, calib.scale, calib.coef, calib.intercept, floor, metrics)


def short_panel_message(need: int, have: int, suitable: int | None = None, conflicted: int = 0,
                        loaded: int | None = None) -> dict[str, str]:
    """The zh/en sentence (and its ``cause``) for a short panel: ``suitable`` experts cleared the relevance floor
    (default ``have``, at most ``need``), ``have`` were seated, ``conflicted`` relevant ones are excluded by
    conflict rules, ``loaded`` suitable ones are at their max load on other panels (default ``suitable - have``).
    Causes: ``full_load`` (suitable experts left out because other panels took their whole max load),
    ``conflict`` (relevant experts excluded by conflict rules), ``no_suitable`` (too few clear the floor)."""
    suitable = have if suitable is None else suitable
    blocked_zh = f"；另有 {conflicted} 位相关专家因回避规则不能参加" if conflicted else ""
    blocked_en = f"; {conflicted} relevant experts are excluded by conflict rules" if conflicted else ""
    if have < suitable:
        loaded = suitable - have if loaded is None else loaded
        return {"cause": "full_load",
                "message_zh": f"{FULL_LOAD_ZH}：{loaded} 位达到相关度下限的专家已在其他专家组达到单人评审上限，"
                              f"专家组缺 {need - have} 人（需要 {need} 人）{blocked_zh}",
                "message_en": f"{FULL_LOAD_EN}: {loaded} experts above the relevance floor are at their max load on "
                              f"other panels; {need - have} short of {need}{blocked_en}"}
    cause = "conflict" if conflicted else "no_suitable"
    if have == 0:
        return {"cause": cause, "message_zh": f"{NO_SUITABLE_ZH}：没有可参加的专家达到相关度下限，未组专家组（需要 {need} 人）{blocked_zh}",
                "message_en": f"{NO_SUITABLE_EN}: no eligible expert reaches the relevance floor; no panel "
                              f"(needed {need}){blocked_en}"}
    return {"cause": cause, "message_zh": f"专家不足：仅 {have} 人达到相关度下限，专家组缺 {need - have} 人（需要 {need} 人）{blocked_zh}",
            "message_en": f"too few suitable experts: {have} reach the relevance floor, {need - have} short of {need}{blocked_en}"}


def describe_shortfall(x: dict) -> dict[str, str]:
    """:func:`short_panel_message` of one stored short-panel record (``need``, ``have``, optional ``suitable``
    and ``excluded_relevant``); records of runs stored before load-aware sizing have no ``suitable``."""
    return short_panel_message(x["need"], x["have"], x.get("suitable"), len(x.get("excluded_relevant") or []),
                               len(x["fully_loaded"]) if x.get("fully_loaded") else None)


def floor_sizes(relevance: np.ndarray, floor: float, blocked: np.ndarray, forced: np.ndarray, rules: PanelRules,
                categories: list[str | None], groups: list[list[int]] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which pairs the relevance floor keeps off the panels, and each demand's panel size under it.

    Below the floor: relevance < ``floor``, except pairs staff forced and experts of a category the round's
    mix asks for other than 技术 (a 财务 or 管理 expert is chosen for the role, not the topic). A panel holds
    at most its suitable technical experts plus the mix's other seats, and none when no technical expert is
    suitable (库中无合适专家) unless staff forced one. ``groups``: demands that share one panel (clusters):
    an expert suits the group when they clear the floor for one of its demands and no conflict blocks them
    for any."""
    n = relevance.shape[0]
    groups = groups or [[i] for i in range(n)]
    exempt = np.array([(c or "") in rules.category_mix and (c or "") != "技术" for c in categories], bool)
    others = sum(v for k, v in rules.category_mix.items() if k != "技术")
    below = np.zeros(relevance.shape, bool)
    sizes = np.zeros(n, np.int64)
    for members in groups:
        g_forced = forced[members].any(axis=0)
        g_below = (relevance[members] < floor).all(axis=0) & ~exempt & ~g_forced
        suitable = int((~blocked[members].any(axis=0) & ~g_below & ~exempt).sum()) + int((g_forced & exempt).sum())
        below[members] = g_below
        sizes[members] = min(rules.panel_size, suitable + others) if suitable > 0 else 0
    return below, sizes


__all__ = ["FULL_LOAD_EN", "FULL_LOAD_ZH", "MIN_POOL", "NO_SUITABLE_EN", "NO_SUITABLE_ZH", "RelevanceFloor", "choose_floor",
           "describe_shortfall", "fit_floor", "floor_sizes",
           "held_out_features", "query_coverage", "short_panel_message"]
