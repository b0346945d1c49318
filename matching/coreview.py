"""Review communities (评审圈): experts who sit on panels together, and which community a text belongs to.

Experts who review the same projects form communities of the co-review graph (Louvain, networkx); a
logistic regression learned on the past items predicts a text's community. The expert affinity multiplies
its other parts by this probability, so experts of the panels that handle this kind of project rise
together. Pure: matrices in, arrays out (scikit-learn contract: parameters in ``__init__``, learned state
with a trailing underscore set by ``fit``).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits


class ReviewCommunities:
    """Communities of the co-review graph and a classifier from item text to community."""

    def __init__(self, resolution: float = 1.0, c: float = 10.0, min_size: int = 3, max_anchor_items: int = 2000):
        self.resolution = resolution
        self.c = c
        self.min_size = min_size
        self.max_anchor_items = max_anchor_items

    def fit(self, incidence: sp.csr_matrix, item_lex: sp.csr_matrix,
            item_dense: np.ndarray | None = None) -> "ReviewCommunities":
        """Learn from the history: ``incidence`` items × experts (who reviewed what), the items' lexical
        vectors and, when there are any, their dense vectors. ``model_`` stays None when there are fewer than
        two communities of ``min_size`` experts (then every probability is 1)."""
        n_experts = incidence.shape[1]
        self.labels_ = np.full(n_experts, -1, dtype=np.int64)
        self.model_ = None
        if incidence.shape[0] < 10:
            return self
        import networkx as nx
        from sklearn.linear_model import LogisticRegression

        co = (incidence.T @ incidence).tocoo()
        graph = nx.Graph()
        graph.add_nodes_from(range(n_experts))
        graph.add_weighted_edges_from((int(a), int(b), float(w)) for a, b, w in zip(co.row, co.col, co.data) if a < b)
        if graph.number_of_edges() == 0:
            return self
        found = nx.community.louvain_communities(graph, weight="weight", resolution=self.resolution, seed=0)
        kept = [sorted(c) for c in found if len(c) >= self.min_size]
        if len(kept) < 2:
            return self
        for c, members in enumerate(kept):
            self.labels_[members] = c
        onehot = sp.csr_matrix((np.ones(sum(map(len, kept)), np.float32),
                                (np.concatenate(kept), np.concatenate([[c] * len(m) for c, m in enumerate(kept)]))),
                               shape=(n_experts, len(kept)))
        votes = (incidence @ onehot).toarray()  # items × communities: panel members in each
        rows = np.flatnonzero(votes.sum(axis=1) > 0)
        y = votes[rows].argmax(axis=1)
        if len(np.unique(y)) < 2:
            return self
        step = -(-item_lex.shape[0] // self.max_anchor_items)
        self.anchors_ = item_lex[np.arange(0, item_lex.shape[0], step)]
        x = self._features(item_lex[rows], None if item_dense is None else item_dense[rows])
        with threadpool_limits(1):  # small problem: BLAS/OpenMP threads only contend (≈20× slower on 2 cores)
            self.model_ = LogisticRegression(C=self.c, max_iter=1000).fit(x, y)
        self.n_communities_ = len(kept)
        return self

    def _features(self, lex: sp.csr_matrix, dense: np.ndarray | None) -> np.ndarray:
        """Dense vectors when there are any, else cosines to an even sample of past items."""
        if dense is not None:
            return dense
        return (lex @ self.anchors_.T).toarray()

    def predict_proba(self, q_lex: sp.csr_matrix, q_dense: np.ndarray | None = None) -> np.ndarray:
        """``(n_texts, n_experts)``: P(text in the expert's community); 1 where no model or no community."""
        n = q_lex.shape[0]
        if self.model_ is None:
            return np.ones((n, len(self.labels_)), np.float32)
        p = np.zeros((n, self.n_communities_ + 1), np.float32)
        p[:, self.model_.classes_] = self.model_.predict_proba(self._features(q_lex, q_dense))
        p[:, -1] = 1.0 / self.n_communities_  # experts outside any community: an uninformed share
        return p[:, self.labels_]


__all__ = ["ReviewCommunities"]
