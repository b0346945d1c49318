"""A parent-label view of the texts (父类视图): what texts labelled only with a parent say about a new text.

Texts filed only under a parent label (8,000 titles under one of 13 CSL categories, a demand confirmed only as
电子信息) train the finer labels as pseudo-labelled examples (:mod:`matching.coarse_labels`), with a small weight
because their child is a guess. :class:`ParentView` reads them a second way, at full strength and with no guess:
a multinomial logistic regression fitted on those texts alone predicts their parent labels, and its
log-probabilities of a text are a small dense view (one column per parent label) that a head of
:class:`~matching.view_heads.ViewHeads` (``"parents"``: logistic regression, ``C`` ``MAP_C``) maps to the finer
labels and the stack weighs like any other view. The model never sees the fully labelled texts, so its scores of
them are held out as they stand: the out-of-fold stack needs no refit of it per fold.

Settings chosen out of fold on csldcp/train (5 folds, the stacking weights themselves nested; the 8,000
category-labelled csl_categories/train titles as the parent-labelled texts, #19), never on dev: the stack of the
three lexical heads 0.5894 → 0.6041 with this view (accuracy at 80% coverage 0.6710 → 0.6753, top-3 0.8030 →
0.8075; its learned weight 1.12 against 0.60 for the character head), ``C`` = 10 for the parent model and 1 for
the map.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

#: the view's name among :class:`~matching.view_heads.ViewHeads`' views
PARENTS = "parents"
#: regularisation of the head mapping the parent log-probabilities to the finer labels (out of fold, see above)
MAP_C = 1.0


class ParentView:
    """Log-probabilities of the parent labels (scikit-learn style). ``C``/``max_iter``: the logistic regression
    fitted on the parent-labelled texts; :meth:`fit` takes their rows (any features: the classifier's hybrid
    lexical rows) and parent codes, at least two distinct."""

    def __init__(self, C: float = 10.0, max_iter: int = 3000):
        self.C = C
        self.max_iter = max_iter

    def fit(self, x, parents: Sequence[str]) -> "ParentView":
        parents = np.asarray([str(p) for p in parents], dtype=object)
        if len(set(parents)) < 2:
            raise ValueError("父类标签至少两个 / a parent view needs at least two parent labels")
        with threadpool_limits(1):
            model = LogisticRegression(C=self.C, max_iter=self.max_iter).fit(x, parents)
        self.classes_ = [str(c) for c in model.classes_]
        self.coef_ = model.coef_.astype(np.float32)
        self.intercept_ = model.intercept_.astype(np.float32)
        if len(self.classes_) == 2:  # one margin for the second class: the two logits ±margin/2
            self.coef_ = np.vstack([-self.coef_ / 2, self.coef_ / 2])
            self.intercept_ = np.array([-self.intercept_[0] / 2, self.intercept_[0] / 2], dtype=np.float32)
        return self

    def transform(self, x) -> np.ndarray:
        """``(n, len(classes_))`` log-probabilities of each parent label."""
        logits = np.asarray(x @ self.coef_.T, dtype=np.float64) + self.intercept_
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The fitted model as arrays (the classifier's saved form, :mod:`matching.domain_state`)."""
        return {"parent_coef": self.coef_, "parent_intercept": self.intercept_,
                "parent_classes": np.asarray(self.classes_, dtype=str)}

    @classmethod
    def from_arrays(cls, arrays) -> "ParentView | None":
        """The model :meth:`to_arrays` described (``None``: the arrays hold none, e.g. a state saved before it)."""
        if "parent_coef" not in arrays:
            return None
        view = cls()
        view.coef_ = np.asarray(arrays["parent_coef"], dtype=np.float32)
        view.intercept_ = np.asarray(arrays["parent_intercept"], dtype=np.float32)
        view.classes_ = [str(c) for c in arrays["parent_classes"]]
        return view


def fit_parent_view(x, parents: Sequence[str | None], enabled: bool = True) -> ParentView | None:
    """The view of texts ``x`` labelled only with ``parents`` (``None``: disabled, or fewer than two parent labels)."""
    if not enabled or len({str(p) for p in parents}) < 2:
        return None
    return ParentView().fit(x, [str(p) for p in parents])


__all__ = ["MAP_C", "PARENTS", "ParentView", "fit_parent_view"]
