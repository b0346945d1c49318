"""Supervised heads per view and their stacking (按视图的监督分类头与堆叠).

:class:`ViewHeads` (scikit-learn style) fits one linear head per view of the same texts — a linear SVM on
character n-gram TF-IDF (``"chars"``), a linear SVM and a complement naive Bayes on jieba-word TF-IDF
(``"words"``, ``"words_nb"``), logistic regression on dense rows (``"dense"``) — and scores a text as the
weighted sum of each head's per-text standardised scores. :meth:`ViewHeads.out_of_fold` gives the
held-out scores the weights (a conditional logit: one weight per view, so it cannot overfit many
classes × views) and any later calibration are learned from. Texts labelled only with a parent label (``coarse``:
their rows and the classes each may be) join every head with weight ``coarse_weight``, each as the class the
first view's head, fitted on the fully labelled texts, scores highest among those allowed
(:mod:`matching.coarse_labels`); in :meth:`ViewHeads.out_of_fold` that head is the fold's own.
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import log_softmax
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from matching.coarse_labels import pseudo_labels

VIEWS = ("chars", "words", "words_nb", "dense")
Head = tuple[np.ndarray, np.ndarray]  # (coef (K, F), intercept (K,))
#: texts labelled only with a parent: (view name → their rows, (n, K) bool mask of the classes each may be)
Coarse = tuple[Mapping[str, object], np.ndarray]


def standardise(s: np.ndarray) -> np.ndarray:
    """Per-text z-scores over the classes: puts SVM margins and NB log-likelihoods on one scale."""
    return (s - s.mean(axis=1, keepdims=True)) / (s.std(axis=1, keepdims=True) + 1e-9)


class ViewHeads:
    """One linear head per view (see module docstring). ``C``: the SVMs' regularisation; ``nb_alpha``:
    the naive Bayes smoothing; ``cv``/``random_state``: the out-of-fold split; ``coarse_weight``: the sample
    weight of a text labelled only with a parent (0: such texts are left out)."""

    def __init__(self, views: Sequence[str] = ("chars", "words", "words_nb"), C: float = 1.0, nb_alpha: float = 0.3,
                 cv: int = 5, random_state: int = 0, coarse_weight: float = 0.3):
        self.views = tuple(views)
        self.C = C
        self.nb_alpha = nb_alpha
        self.cv = cv
        self.random_state = random_state
        self.coarse_weight = coarse_weight

    def _fit_one(self, view: str, x, y: np.ndarray, n_classes: int, weight: np.ndarray | None = None) -> Head:
        if view == "words_nb":
            nb = ComplementNB(alpha=self.nb_alpha).fit(x, y, sample_weight=weight)
            return nb.feature_log_prob_.astype(np.float32), np.zeros(n_classes, np.float32)
        if view == "dense":
            from sklearn.linear_model import LogisticRegression
            model = LogisticRegression(C=10.0, max_iter=2000).fit(x, y, sample_weight=weight)
        else:
            model = LinearSVC(C=self.C).fit(x, y, sample_weight=weight)
        coef, intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
        if n_classes == 2:  # one margin for class 1: score ±margin/2
            coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
        return coef, intercept

    def _with_coarse(self, xs: Mapping[str, object], y: np.ndarray, k: int, coarse: Coarse | None
                     ) -> tuple[Mapping[str, object], np.ndarray, np.ndarray | None]:
        """``xs``/``y`` with the coarse texts appended under their pseudo-labels, and the sample weights."""
        if coarse is None or self.coarse_weight <= 0 or not len(coarse[1]):
            return xs, y, None
        rows, allowed = coarse
        first = self.views[0]
        coef, intercept = self._fit_one(first, xs[first], y, k)
        label = pseudo_labels(np.asarray(rows[first] @ coef.T + intercept), allowed)
        keep = np.flatnonzero(label >= 0)
        stacked = {v: (sp.vstack([xs[v], rows[v][keep]], format="csr") if sp.issparse(xs[v])
                       else np.vstack([xs[v], rows[v][keep]])) for v in self.views}
        weight = np.concatenate([np.ones(len(y)), np.full(len(keep), float(self.coarse_weight))])
        return stacked, np.concatenate([y, label[keep]]), weight

    def fit(self, xs: Mapping[str, object], y: np.ndarray, coarse: Coarse | None = None) -> "ViewHeads":
        """``xs``: the view name → rows of the same texts; ``y``: class indices 0…K-1 (K ≥ 2); ``coarse``: texts
        labelled only with a parent (see module docstring)."""
        y = np.asarray(y)
        k = int(y.max()) + 1
        with threadpool_limits(1):
            xs, y, weight = self._with_coarse(xs, y, k, coarse)
            self.heads_: dict[str, Head] = {v: self._fit_one(v, xs[v], y, k, weight) for v in self.views}
        return self

    def decision_function(self, xs: Mapping[str, object], weights: Mapping[str, float]) -> np.ndarray:
        """Weighted sum of the heads' standardised scores, ``(n, K)``."""
        total = None
        for view, (coef, intercept) in self.heads_.items():
            s = standardise(np.asarray(xs[view] @ coef.T + intercept, dtype=np.float64)) * weights.get(view, 0.0)
            total = s if total is None else total + s
        return total

    def out_of_fold(self, xs: Mapping[str, object], y: np.ndarray, coarse: Coarse | None = None) -> np.ndarray | None:
        """``(n, K, n_views)`` standardised held-out scores (``None`` when a fold cannot be made); a label
        absent from a fold's training part scores lowest there; ``coarse`` as in :meth:`fit` (pseudo-labelled
        per fold, by that fold's first head)."""
        y = np.asarray(y)
        k = int(y.max()) + 1
        folds = int(min(self.cv, np.median(np.bincount(y))))  # a rare label does not stop the others' folds
        if folds < 2:
            return None
        oof = np.zeros((len(y), k, len(self.views)))
        split = StratifiedKFold(folds, shuffle=True, random_state=self.random_state).split(np.zeros(len(y)), y)
        with threadpool_limits(1), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
            for train, test in split:
                present = np.unique(y[train])
                if len(present) < 2:
                    continue
                local = np.searchsorted(present, y[train])
                fold = None if coarse is None else (coarse[0], coarse[1][:, present])
                part, part_y, weight = self._with_coarse({v: xs[v][train] for v in self.views}, local, len(present), fold)
                for j, v in enumerate(self.views):
                    coef, intercept = self._fit_one(v, part[v], part_y, len(present), weight)
                    s = np.asarray(xs[v][test] @ coef.T + intercept, np.float64)
                    full = np.repeat(s.min(axis=1, keepdims=True), k, axis=1)
                    full[:, present] = s
                    oof[test, :, j] = standardise(full)
        return oof


def stacking_weights(oof: np.ndarray, y: np.ndarray, views: Sequence[str]) -> dict[str, float]:
    """One weight per view maximising the held-out likelihood of ``softmax(oof @ w)``."""
    rows = np.arange(len(y))

    def nll(w: np.ndarray) -> float:
        return float(-log_softmax(oof @ w, axis=1)[rows, y].mean())

    w = minimize(nll, np.ones(len(views)), method="L-BFGS-B").x
    return {v: float(x) for v, x in zip(views, w)}


__all__ = ["ViewHeads", "VIEWS", "stacking_weights", "standardise"]
