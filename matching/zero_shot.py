"""Zero-shot label scores (零样本): a text against each label's own text (name, description, parents).

:class:`ZeroShotScorer` (scikit-learn style) keeps the label texts' rows; a text's score for a label is
``scale`` × the cosine, dense and lexical views mixed by ``dense_weight``. Usable before any demand is
labelled, for any taxonomy file; the shipped router's domain head replaces it where one was fitted.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp


class ZeroShotScorer:
    """Scaled cosines to the label texts (see module docstring)."""

    def __init__(self, scale: float = 20.0, dense_weight: float = 0.5):
        self.scale = scale
        self.dense_weight = dense_weight

    def fit(self, label_lexical: sp.csr_matrix, label_dense: np.ndarray | None = None) -> "ZeroShotScorer":
        """The labels' L2-normalised lexical rows and (optionally) dense rows, one row per label."""
        self.label_lexical_ = sp.csr_matrix(label_lexical)
        self.label_dense_ = None if label_dense is None else np.asarray(label_dense)
        return self

    def decision_function(self, lexical: sp.csr_matrix, dense: np.ndarray | None = None) -> np.ndarray:
        """``(n, n_labels)`` scores."""
        cos = np.asarray((lexical @ self.label_lexical_.T).todense())
        if dense is None or self.label_dense_ is None:
            return self.scale * cos
        return self.scale * (self.dense_weight * (dense @ self.label_dense_.T) + (1 - self.dense_weight) * cos)


__all__ = ["ZeroShotScorer"]
