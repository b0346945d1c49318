"""Calibrating the duplicate model: logistic weights and verdict thresholds from labelled pairs.

Pure: feature rows and labels in, :class:`matching.duplicates.DuplicateParams` out. The data
(generated resubmissions of train-side abstracts, train paraphrase pairs) is read by the caller.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve

from matching.duplicates import FEATURES, DuplicateParams


RELATED_MARGIN = 2.0  # `related` sits at least this many log-odds below `near_duplicate`


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12)
    return np.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    return float(1 / (1 + np.exp(-z)))


def best_f1(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Best F1 over thresholds and the threshold that reaches it."""
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    i = int(np.argmax(f1[:-1])) if len(thresholds) else 0
    return float(f1[i]), float(thresholds[i]) if len(thresholds) else 0.5


def average_precision(scores: np.ndarray, labels: np.ndarray) -> float:
    return float(average_precision_score(labels, scores))


def prf(pred: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of boolean predictions."""
    pred, labels = np.asarray(pred, dtype=bool), np.asarray(labels, dtype=bool)
    tp = float(np.sum(pred & labels))
    p = tp / max(1.0, float(pred.sum()))
    r = tp / max(1.0, float(labels.sum()))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fit_weights(features: np.ndarray, labels: np.ndarray, sources: Sequence[str], *,
                use: Sequence[str] = FEATURES, C: float = 1.0) -> tuple[tuple[float, ...], float]:
    """Logistic weights over ``use`` (other features get weight 0); every source weighs the same."""
    sources = np.asarray(sources)
    weight = np.zeros(len(labels))
    for s in np.unique(sources):
        mask = sources == s
        for y in (0, 1):  # balance classes within each source too
            m = mask & (labels == y)
            if m.any():
                weight[m] = 0.5 / m.sum()
    cols = [FEATURES.index(f) for f in use]
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit(features[:, cols], labels, sample_weight=weight * len(labels))
    coef = np.zeros(len(FEATURES))
    coef[cols] = model.coef_[0]
    return tuple(float(c) for c in coef), float(model.intercept_[0])


def choose_thresholds(prob: np.ndarray, labels: np.ndarray, hard: np.ndarray, *,
                      hard_pass: float = 0.995, related_recall: float = 0.99) -> tuple[float, float, dict[str, float]]:
    """``near_duplicate``: the best-F1 threshold among those keeping ≥ ``hard_pass`` of the hard
    negatives below it; ``related``: the threshold that still finds ``related_recall`` of the
    positives (at least ``RELATED_MARGIN`` log-odds lower). Ties in F1 go to the widest gap.
    Returns both and what they give on this data."""
    prob, labels, hard = np.asarray(prob), np.asarray(labels, dtype=bool), np.asarray(hard, dtype=bool)
    z = np.sort(np.unique(_logit(prob)))
    floor = float(np.quantile(_logit(prob[hard]), hard_pass)) if hard.any() else -np.inf
    cuts = (z[:-1] + z[1:]) / 2 if len(z) > 1 else z
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)  # (f1, margin, cut)
    for t, margin in zip(cuts.tolist(), (np.diff(z) / 2).tolist() or [0.0]):
        if t <= floor:
            continue
        f1 = prf(_logit(prob) >= t, labels)[2]
        if (round(f1, 9), margin) > (round(best[0], 9), best[1]):  # ties: the widest gap
            best = (f1, margin, t)
    near = float(_sigmoid(best[2]))
    related = float(min(_sigmoid(best[2] - RELATED_MARGIN),
                        np.quantile(prob[labels], 1 - related_recall) if labels.any() else 1.0))
    p, r, f1 = prf(prob >= near, labels)
    report = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
              "hard_negative_pass": round(float(np.mean(prob[hard] < near)) if hard.any() else 1.0, 4)}
    return near, related, report


def calibrate(features: np.ndarray, labels: np.ndarray, sources: Sequence[str], long_mask: np.ndarray,
              hard_mask: np.ndarray, *, use: Sequence[str] = FEATURES, base: DuplicateParams | None = None,
              hard_pass: float = 0.995) -> DuplicateParams:
    """Fit weights on all pairs, thresholds on the long-text pairs (where verdicts matter)."""
    base = base or DuplicateParams()
    coef, intercept = fit_weights(features, labels, sources, use=use)
    params = DuplicateParams(coef=coef, intercept=intercept, near_duplicate=0.5, related=0.2,
                             duplicate_containment=base.duplicate_containment,
                             signal_logit=base.signal_logit)
    z = features @ np.asarray(coef) + intercept
    prob = 1 / (1 + np.exp(-z))
    near, related, report = choose_thresholds(prob[long_mask], labels[long_mask].astype(bool),
                                              hard_mask[long_mask], hard_pass=hard_pass)
    return DuplicateParams(coef=coef, intercept=intercept, near_duplicate=near, related=related,
                           duplicate_containment=base.duplicate_containment, signal_logit=base.signal_logit,
                           metrics={"train": report})
