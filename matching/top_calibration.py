"""Calibrating a classifier's top-1 confidence without changing its ranking (置信度校准).

:class:`TopCalibrator` (scikit-learn style) fits a logistic (Platt) map from the logit of the top-1
probability to "the top label is right", on out-of-fold predictions; applied, it sets a per-text
temperature so that the top probability equals the calibrated confidence — every ranking stays as it was.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def temper(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Softmax rows with a per-row temperature chosen so the top probability equals ``target``:
    calibrates the confidence without changing any ranking (bisection, vectorised)."""
    k = logits.shape[1]
    target = np.clip(target, 1.0 / k + 1e-6, 1 - 1e-6)
    z = logits - logits.max(axis=1, keepdims=True)
    lo, hi = np.zeros(len(z)), np.full(len(z), 64.0)
    for _ in range(40):
        mid = (lo + hi) / 2
        top = 1.0 / np.exp(z * mid[:, None]).sum(axis=1)
        below = top < target
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return softmax(z * ((lo + hi) / 2)[:, None], axis=1)


class TopCalibrator:
    """Platt scaling of the top-1 confidence (see module docstring). ``C``: the logistic fit's inverse
    regularisation; ``min_examples``: fewer predictions than this (or all right, or all wrong) fit nothing,
    and :meth:`predict_proba` is then the plain softmax. ``params_``: ``(a, b)`` or ``None``."""

    def __init__(self, C: float = 1e4, min_examples: int = 30):
        self.C = C
        self.min_examples = min_examples

    @classmethod
    def from_params(cls, params: Sequence[float] | None) -> "TopCalibrator":
        """A calibrator with known ``(a, b)`` (as saved), or the identity for ``None``."""
        self = cls()
        self.params_ = None if params is None else (float(params[0]), float(params[1]))
        return self

    def fit(self, proba: np.ndarray, correct: np.ndarray) -> "TopCalibrator":
        """``proba``: out-of-fold probabilities ``(n, k)``; ``correct``: whether each top label was right."""
        correct = np.asarray(correct, bool)
        self.params_ = None
        if 0 < correct.sum() < len(correct) and len(correct) >= self.min_examples:
            platt = LogisticRegression(C=self.C).fit(logit(np.asarray(proba).max(axis=1))[:, None], correct)
            self.params_ = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
        return self

    def predict_proba(self, logits: np.ndarray) -> np.ndarray:
        """Softmax of ``logits`` with the top probability set to its calibrated value."""
        p = softmax(logits, axis=1)
        if getattr(self, "params_", None) is None:
            return p
        a, b = self.params_
        return temper(logits, 1 / (1 + np.exp(-(a * logit(p.max(axis=1)) + b))))


__all__ = ["TopCalibrator", "temper", "logit"]
