"""The round's own say in office routing (transductive): a demand's nearest demands of the same round.

A round of demands arrives together, and demands about one thing tend to go to one office (two 汽车钢 demands,
three VOCs treatments). :class:`RoundNeighbours` firms up each demand's office probabilities from the text
alone with those of its ``k`` most similar demands of the round (cosine of the router's lexical rows; the
demand itself left out), as a conditional logit with three parameters fitted on held-out predictions:

    log p'(office) = a · log p_text(office) + b · log q(office) + const,
    q = (Σ_j s_j · p_text,j + ε / K) / (Σ_j s_j + ε)

where ``s_j`` is the cosine similarity (≥ 0) of neighbour ``j``: neighbours that are hardly alike pull ``q``
toward uniform (``ε`` says how much similarity counts as evidence), so a small or scattered round changes
little. ``a``, ``b`` and ``ε`` minimise the log-loss of the true offices over simulated rounds of several
sizes drawn from out-of-fold predictions of the training abstracts (:meth:`RoundNeighbours.fit`), so the
output stays calibrated; no benchmark split chooses them.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import softmax
from sklearn.preprocessing import normalize

ROUND_SIZES = (60, 150, 300, 600)  # simulated rounds: a small batch up to a province's technical demands
CHUNK = 512


def _log(p: np.ndarray) -> np.ndarray:
    return np.log(np.clip(p, 1e-9, 1.0))


class RoundNeighbours:
    """Office probabilities smoothed by the round's nearest demands (module docstring).

    ``k``: neighbours per demand; ``sizes``: the simulated round sizes the parameters are fitted on;
    ``rounds_per_size``: how many rounds of each size; ``random_state``: seeds the simulated rounds."""

    def __init__(self, k: int = 10, sizes: Sequence[int] = ROUND_SIZES, rounds_per_size: int = 3,
                 random_state: int = 0):
        self.k = k
        self.sizes = tuple(sizes)
        self.rounds_per_size = rounds_per_size
        self.random_state = random_state

    # ------------------------------------------------------------------ the round's neighbours
    def neighbours(self, x: sp.csr_matrix, x_round: sp.csr_matrix, self_index: Sequence[int] | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
        """``(index, similarity)``, each ``(n, k)``: the ``k`` rows of ``x_round`` most similar to each row of
        ``x`` (cosine, clipped at 0); ``self_index[i]``: the row of ``x_round`` that *is* row ``i`` (left out;
        -1: none). Fewer than ``k`` other rows: the missing ones have similarity 0."""
        q, r = normalize(sp.csr_matrix(x)), normalize(sp.csr_matrix(x_round))
        n, m = q.shape[0], r.shape[0]
        k = max(1, min(self.k, m))
        me = np.full(n, -1) if self_index is None else np.asarray(self_index, int)
        index, sim = np.zeros((n, k), int), np.zeros((n, k))
        for start in range(0, n, CHUNK):
            s = np.asarray((q[start:start + CHUNK] @ r.T).todense())
            rows = np.arange(s.shape[0])
            mine = me[start:start + CHUNK]
            s[rows[mine >= 0], mine[mine >= 0]] = -np.inf
            top = np.argsort(-s, axis=1, kind="stable")[:, :k]
            index[start:start + CHUNK] = top
            sim[start:start + CHUNK] = np.take_along_axis(s, top, axis=1)
        return index, np.clip(np.nan_to_num(sim, neginf=0.0), 0.0, None)

    def _q(self, proba_round: np.ndarray, index: np.ndarray, sim: np.ndarray, eps: float) -> np.ndarray:
        k = proba_round.shape[1]
        return ((proba_round[index] * sim[..., None]).sum(axis=1) + eps / k) / (sim.sum(axis=1, keepdims=True) + eps)

    def _fuse(self, proba: np.ndarray, q: np.ndarray, a: float, b: float) -> np.ndarray:
        return softmax(a * _log(proba) + b * _log(q), axis=1)

    # ------------------------------------------------------------------ fit and apply
    def simulated_rounds(self, n: int) -> list[np.ndarray]:
        """Row sets of the simulated rounds (seeded): ``rounds_per_size`` of each size below ``n``, and all rows."""
        rng = np.random.default_rng(self.random_state)
        rounds = [rng.choice(n, size=s, replace=False) for s in self.sizes if s < n for _ in range(self.rounds_per_size)]
        return rounds + [np.arange(n)]

    def fit(self, x: sp.csr_matrix, proba: np.ndarray, y: Sequence[int]) -> "RoundNeighbours":
        """``x``: the lexical rows of texts shaped like demands; ``proba``: their held-out (out-of-fold) office
        probabilities from text alone; ``y``: their true office index."""
        proba, y = np.asarray(proba, float), np.asarray(y, int)
        x = sp.csr_matrix(x)
        parts = []
        for rows in self.simulated_rounds(len(y)):
            index, sim = self.neighbours(x[rows], x[rows], self_index=np.arange(len(rows)))
            parts.append((proba[rows], proba[rows][index], sim, y[rows]))

        def loss(theta: np.ndarray) -> float:
            a, b, eps = theta
            total = 0.0
            for p, pn, sim, yy in parts:
                q = ((pn * sim[..., None]).sum(axis=1) + eps / p.shape[1]) / (sim.sum(axis=1, keepdims=True) + eps)
                fused = self._fuse(p, q, a, b)
                total += float(-np.mean(np.log(np.clip(fused[np.arange(len(yy)), yy], 1e-12, 1.0))))
            return total / len(parts)
        theta = minimize(loss, np.array([1.0, 0.5, 0.5]), method="L-BFGS-B",
                         bounds=[(0.05, 5.0), (0.0, 5.0), (1e-3, 10.0)]).x
        self.a_, self.b_, self.eps_ = (float(v) for v in theta)
        self.loss_ = float(loss(theta))
        return self

    def transform(self, proba: np.ndarray, x: sp.csr_matrix, proba_round: np.ndarray, x_round: sp.csr_matrix,
                  self_index: Sequence[int] | None = None) -> np.ndarray:
        """The smoothed office probabilities of the demands ``(proba, x)`` within the round ``(proba_round,
        x_round)``; ``self_index`` as in :meth:`neighbours`. An empty round changes nothing."""
        proba = np.asarray(proba, float)
        if not hasattr(self, "a_"):
            raise RuntimeError("近邻平滑尚未拟合 / RoundNeighbours is not fitted")
        if x_round.shape[0] == 0 or len(proba) == 0:
            return proba
        index, sim = self.neighbours(x, x_round, self_index)
        return self._fuse(proba, self._q(np.asarray(proba_round, float), index, sim, self.eps_), self.a_, self.b_)

    def within_parts(self, x: sp.csr_matrix, proba: np.ndarray, parts: int = 2) -> np.ndarray:
        """Each row smoothed within one of ``parts`` seeded random rounds of the rows (the held-out
        probabilities the human threshold is chosen on: rounds of a province's size, not all rows at once)."""
        x, proba = sp.csr_matrix(x), np.asarray(proba, float)
        part = np.random.default_rng(self.random_state).permutation(len(proba)) % max(1, parts)
        out = proba.copy()
        for j in range(max(1, parts)):
            rows = np.nonzero(part == j)[0]
            out[rows] = self.transform(proba[rows], x[rows], proba[rows], x[rows], self_index=np.arange(len(rows)))
        return out

    # ------------------------------------------------------------------ state
    def to_state(self) -> dict[str, Any]:
        return {"k": self.k, "a": self.a_, "b": self.b_, "eps": self.eps_, "sizes": list(self.sizes),
                "rounds_per_size": self.rounds_per_size, "random_state": self.random_state}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> "RoundNeighbours":
        self = cls(int(state["k"]), state.get("sizes", ROUND_SIZES), int(state.get("rounds_per_size", 3)),
                   int(state.get("random_state", 0)))
        self.a_, self.b_, self.eps_ = float(state["a"]), float(state["b"]), float(state["eps"])
        return self


__all__ = ["RoundNeighbours"]
