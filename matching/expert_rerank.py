"""Learned re-ranking of expert suggestions (learning to rank over the affinity's top candidates).

:func:`training_data` cuts the review history into folds grouped by exact panel (no held-out item's panel
reviewed an item of the rest, :mod:`matching.folds`: review sessions repeat panels, and what a re-ranker
learns from recognising a session does not carry over to a new call), fits the affinity on the rest, and
for each held-out item labels its top ``top`` experts (reviewed it or not) — the same candidates the
affinity yields at query time. :class:`CandidateReranker` (a logistic regression on per-(item, expert)
features: the affinity's parts, its rank, max / mean cosine to the expert's items, votes of the nearest
items, co-reviewer propagation, review count, …, :func:`candidate_features`) then reorders each query's top
candidates; they keep the affinity's values (handed out in the new order), so panel assignment sees the
same scale. Learned only from panel history (items with two or more reviewers); otherwise the affinity is
used as is (:func:`fit_reranker` returns None).

The affinity model is passed in (an :class:`~matching.experts.ExpertAffinity`, duck-typed: its fitted
history and its ``_sims`` / ``_parts`` / ``_combine``); nothing here reads files or keeps state between calls.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from matching.expert_data import rowmax_scale
from matching.folds import grouped_folds, held_out_queries, item_panels

N_FEATURES = 15  # columns of candidate_features


class CandidateReranker:
    """Reorder each query's candidate experts by the probability that the expert is a true reviewer
    (scikit-learn contract: parameters in ``__init__``, the learned classifier ``model_`` set by ``fit``)."""

    def __init__(self, kind: str = "logistic", min_positives: int = 10, random_state: int = 0):
        self.kind = kind
        self.min_positives = min_positives
        self.random_state = random_state

    def fit(self, x: np.ndarray, y: np.ndarray) -> "CandidateReranker":
        """Learn from candidates' features ``x`` and labels ``y`` (reviewed the item or not); ``model_`` is
        None when the labels carry nothing to learn (fewer than ``min_positives`` positives, or all positive)."""
        self.model_ = None
        if y.sum() >= self.min_positives and not y.all():
            with threadpool_limits(1):  # small problem: BLAS/OpenMP threads only contend on 2 cores
                self.model_ = make_ranker(self.kind, self.random_state).fit(x, y)
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """``(n, N)`` probability that each of the ``(n, N, F)`` candidates is a true reviewer."""
        return self.model_.predict_proba(x.reshape(-1, x.shape[-1]))[:, 1].reshape(x.shape[:-1])

    def rerank(self, base: np.ndarray, cand: np.ndarray, x: np.ndarray) -> np.ndarray:
        """``base`` with each row's candidates ``cand`` reordered by :meth:`predict_proba` of ``x``."""
        return reorder(base, cand, self.predict_proba(x))


def fit_reranker(model: Any) -> CandidateReranker | None:
    """The re-ranker of an affinity fitted on its history, or None when there is too little panel history
    (fewer than ``rerank_min_items`` items with two or more profiled reviewers: without co-review structure
    there is little to learn beyond the hand-weighted affinity) or nothing was learned."""
    panels = int((np.diff(model.incidence_.indptr) >= 2).sum())
    if not model.rerank or panels < model.rerank_min_items:
        return None
    x, y = training_data(model)
    reranker = CandidateReranker(model.rerank, random_state=model.random_state).fit(x, y)
    return reranker if reranker.model_ is not None else None


def training_data(model: Any) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of held-out history items' candidates, fold by fold: ``rerank_folds`` folds
    grouped by the exact panel of profiled reviewers (seeded), at most ``rerank_max_queries`` held-out items."""
    inc = model.incidence_
    folds = grouped_folds(item_panels(inc), model.rerank_folds, model.random_state)
    per_fold = -(-min(inc.shape[0], model.rerank_max_queries) // max(len(folds), 1))
    xs, ys = [np.zeros((0, N_FEATURES), np.float32)], [np.zeros(0, bool)]
    for sub, held, sims in held_out_queries(model, folds, per_fold, model.random_state):
        parts = sub._parts(sims)
        base = sub._combine(parts)
        cand = candidates(base, model.rerank_top)
        xs.append(candidate_features(sub, sims, parts, base, cand).reshape(-1, N_FEATURES))
        ys.append(np.concatenate([np.isin(c, inc[i].indices) for c, i in zip(cand, held)]))
    return np.vstack(xs), np.concatenate(ys)


def candidates(base: np.ndarray, top: int) -> np.ndarray:
    """``(n, N)`` column indices of the ``top`` experts of each row of the hand-weighted affinity."""
    n = min(top, base.shape[1])
    return np.argpartition(-base, n - 1, axis=1)[:, :n] if n < base.shape[1] else np.tile(
        np.arange(base.shape[1]), (base.shape[0], 1))


def candidate_features(model: Any, sims: dict[str, np.ndarray], parts: dict[str, np.ndarray], base: np.ndarray,
                       cand: np.ndarray) -> np.ndarray:
    """``(n, N, F)`` features of each (query, candidate expert): the affinity's parts, its rank, and
    history statistics it does not use (max / mean item cosine, nearest-item votes, co-reviewers)."""
    raw = sims["raw"]
    inc = model.incidence_
    counts = np.maximum(model.review_counts_, 1.0)
    softmax = np.asarray(inc.T.dot((raw ** 8).T)).T ** (1.0 / 8)  # ≈ max cosine over the expert's items
    mean = np.asarray(inc.T.dot(raw.T)).T / counts
    k = min(10, raw.shape[1])
    if k:
        top = np.argpartition(-raw, k - 1, axis=1)[:, :k]
        near = sp.csr_matrix((np.ones(top.size, np.float32), top.ravel(), np.arange(0, top.size + 1, k)),
                             shape=raw.shape)
        nearest = np.asarray((near @ inc).todense())
    else:
        nearest = np.zeros_like(base)
    co = model.coreview_
    propagated = rowmax_scale(np.asarray(co.T.dot(parts["history"].T)).T)
    rank = np.argsort(np.argsort(-base, axis=1, kind="stable"), axis=1, kind="stable")
    q_cover = np.broadcast_to(raw.max(axis=1, keepdims=True) if raw.shape[1] else 0.0, base.shape)
    has_field = np.broadcast_to(model.has_field_, base.shape)
    log_count = np.broadcast_to(np.log1p(model.review_counts_), base.shape)
    cols = [parts["history"], parts["profile"], parts["field"], parts["community"], rowmax_scale(base),
            np.log1p(rank), softmax, mean, nearest, propagated, sims["field"], sims["profile"], has_field,
            log_count, q_cover]
    rows = np.arange(base.shape[0])[:, None]
    return np.stack([np.asarray(c)[rows, cand] for c in cols], axis=-1).astype(np.float32)


def reorder(base: np.ndarray, cand: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Reorder each row's candidates by the ranker's probability, handing them the candidates' own
    affinity values in that order: the others are untouched and the scale stays the affinity's
    (panel assignment sums these values)."""
    out = base.astype(np.float32).copy()
    rows = np.arange(base.shape[0])[:, None]
    values = -np.sort(-base[rows, cand], axis=1)
    order = np.argsort(-p, axis=1, kind="stable")
    out[rows, np.take_along_axis(cand, order, axis=1)] = values
    return out


def make_ranker(kind: str, random_state: int) -> Any:
    """``"hgb"``: gradient-boosted trees; ``"logistic"``: logistic regression on standardised features."""
    if kind == "logistic":
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
    if kind == "hgb":
        from sklearn.ensemble import HistGradientBoostingClassifier
        return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                              min_samples_leaf=50, l2_regularization=1.0,
                                              early_stopping=False, random_state=random_state)
    raise ValueError(f"unknown re-ranker {kind!r}")


__all__ = ["CandidateReranker", "fit_reranker", "training_data", "candidates", "candidate_features", "reorder",
           "make_ranker", "N_FEATURES"]
