"""The memory of confirmed examples (已确认样本): a staff decision answers a near-identical text at once.

:class:`ExampleMemory` (scikit-learn style) keeps the confirmed texts' rows and labels; for a new text it
finds the nearest example (hybrid cosine of the lexical rows and, when given, the dense rows) and that
example's say ``β``: 0 below ``low``, 1 from ``high``, linear between. The latest example wins a tie, so a
correction beats what it corrects.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

CHUNK = 1000  # texts × examples in slices: bounded memory


class ExampleMemory:
    """Nearest confirmed example and its say (see module docstring); ``dense_weight`` mixes the views."""

    def __init__(self, low: float = 0.85, high: float = 0.95, dense_weight: float = 0.5):
        self.low = low
        self.high = high
        self.dense_weight = dense_weight

    def fit(self, lexical: sp.csr_matrix, y: np.ndarray, dense: np.ndarray | None = None) -> "ExampleMemory":
        """Remember the examples' L2-normalised ``lexical`` rows, their labels ``y`` and ``dense`` rows."""
        self.lexical_ = sp.csr_matrix(lexical)
        self.y_ = np.asarray(y)
        self.dense_ = None if dense is None or np.asarray(dense).size == 0 else np.asarray(dense)
        return self

    def nearest(self, lexical: sp.csr_matrix, dense: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(index of the nearest example, β)`` per row (β = 0 when nothing is remembered)."""
        n = lexical.shape[0]
        if not hasattr(self, "y_") or len(self.y_) == 0 or n == 0:
            return np.zeros(n, np.int64), np.zeros(n)
        use_dense = dense is not None and self.dense_ is not None
        last, best = np.zeros(n, np.int64), np.zeros(n)
        for start in range(0, n, CHUNK):
            rows = slice(start, start + CHUNK)
            sim = np.asarray((lexical[rows] @ self.lexical_.T).todense(), dtype=np.float64)
            if use_dense:
                sim = self.dense_weight * (dense[rows] @ self.dense_.T) + (1 - self.dense_weight) * sim
            last[rows] = sim.shape[1] - 1 - np.argmax(sim[:, ::-1], axis=1)
            best[rows] = sim[np.arange(sim.shape[0]), last[rows]]
        beta = np.clip((best - self.low) / max(1e-9, self.high - self.low), 0.0, 1.0)
        return last, beta


__all__ = ["ExampleMemory"]
