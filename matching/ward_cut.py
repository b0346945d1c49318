"""The divisive cut of one Ward tree that :class:`matching.clusters.RoundClusterer` groups a round with: a
node is kept whole once its members are alike enough on average (and it is not bigger than a cap), or the
tree is cut into a given number of nodes. Unit rows in, index groups out.

The tree is **connectivity-constrained** (scikit-learn's :func:`~sklearn.cluster.ward_tree` with a
k-nearest-neighbour graph): two groups merge only if some of their members are among each other's
nearest neighbours. Memory is linear in the round (the graph holds ``n × k`` edges; the unconstrained
tree held a condensed n² distance matrix: 100 MB at 5,000, 10 GB at 50,000), and on the csl round it
groups as well as the unconstrained tree (purity 0.564 vs 0.556 at 140 groups).
"""
from __future__ import annotations

import heapq

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn import config_context
from sklearn.cluster import ward_tree
from sklearn.neighbors import NearestNeighbors

#: neighbours per row in the connectivity graph (10 and 20 group alike on the csl round; 10 is cheaper)
N_NEIGHBOURS = 10


def cohesion(total: np.ndarray, size: int | float) -> float:
    """Mean pairwise cosine of unit rows from their sum: (|Σx|² − n) / (n(n − 1))."""
    if size < 2:
        return 1.0
    return float((total @ total - size) / (size * (size - 1)))


def knn_graph(x: np.ndarray, n_neighbours: int = N_NEIGHBOURS) -> sp.csr_matrix:
    """The symmetric k-nearest-neighbour graph of unit rows (cosine), computed in bounded-memory chunks."""
    k = min(n_neighbours, len(x) - 1)
    with config_context(working_memory=64):  # MB per chunk of the brute-force distance blocks
        graph = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(x).kneighbors_graph(mode="connectivity")
    return _connected(x, (graph + graph.T).tocsr())


def _connected(x: np.ndarray, graph: sp.csr_matrix) -> sp.csr_matrix:
    """``graph`` with one edge added from each connected component to its nearest one (by centroid), until
    it is connected: the Ward tree then has one root. (scikit-learn would join components itself, but by
    the distances between every pair of components: n² work when a large round has many near-duplicate
    cliques.) Each pass at least halves the number of components."""
    while True:
        n_comp, comp = connected_components(graph, directed=False)
        if n_comp == 1:
            return graph
        sums = np.zeros((n_comp, x.shape[1]), dtype=np.float64)
        np.add.at(sums, comp, x)
        cent = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
        with config_context(working_memory=64):
            partner = NearestNeighbors(n_neighbors=2, algorithm="brute").fit(cent).kneighbors(cent)[1][:, 1]
        order = np.argsort(comp, kind="stable")
        bounds = np.searchsorted(comp[order], np.arange(n_comp + 1))
        rows, cols = [], []
        for c in range(n_comp):
            mine = order[bounds[c]:bounds[c + 1]]
            theirs = order[bounds[partner[c]]:bounds[partner[c] + 1]]
            a = mine[int(np.argmax(x[mine] @ cent[partner[c]]))]
            rows.append(a)
            cols.append(theirs[int(np.argmax(x[theirs] @ x[a]))])
        extra = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=graph.shape)
        graph = (graph + extra + extra.T).tocsr()


def cut_ward_tree(x: np.ndarray, threshold: float, n_groups: int | None, link: float = -1.0,
                  max_size: int | None = None, n_neighbours: int = N_NEIGHBOURS,
                  min_groups: int = 1, tight: float = 1.0) -> list[np.ndarray]:
    """Leaves of the divisive cut of the (kNN-constrained) Ward tree of ``x``: a node is split while its mean
    pairwise cosine is below ``threshold``, its two halves' mean cosine to each other is below ``link`` (two
    tight but unrelated groups can average above the threshold together), or it has more than ``max_size``
    members, and then the latest merges are undone until there are at least ``min_groups`` nodes (a node
    whose mean pairwise cosine reaches ``tight`` is one topic and stays whole); with
    ``n_groups``, the latest merges are undone until there are that many nodes (and any node over
    ``max_size`` is split further)."""
    n = len(x)
    if n == 1:
        return [np.arange(1)]
    max_size = max_size or n
    if n <= 2 * n_neighbours + 1:
        children = ward_tree(x)[0]
    else:
        children = ward_tree(x, connectivity=knn_graph(x, n_neighbours))[0]
    sums = np.zeros((2 * n - 1, x.shape[1]), dtype=np.float64)
    sizes = np.ones(2 * n - 1)
    sums[:n] = x
    for k, (a, b) in enumerate(children):
        sums[n + k] = sums[a] + sums[b]
        sizes[n + k] = sizes[a] + sizes[b]
    root = 2 * n - 2
    leaves = []
    if n_groups is not None:
        stack = _undo_latest([root], children, n, n_groups)  # the latest merge (highest node id) first
        while stack:
            node = stack.pop()
            if node < n or sizes[node] <= max_size:
                leaves.append(node)
            else:
                stack.extend(int(c) for c in children[node - n])
    else:
        stack = [root]
        while stack:
            node = stack.pop()
            if node < n:
                leaves.append(node)
                continue
            a, b = children[node - n]
            if (sizes[node] <= max_size and cohesion(sums[node], sizes[node]) >= threshold
                    and sums[a] @ sums[b] / (sizes[a] * sizes[b]) >= link):
                leaves.append(node)
            else:
                stack.extend(int(c) for c in children[node - n])
        whole = {int(v) for v in range(n, 2 * n - 1) if cohesion(sums[v], sizes[v]) >= tight} if min_groups > 1 else set()
        leaves = _undo_latest(leaves, children, n, min_groups, whole)
    out = []
    for leaf in sorted(leaves, key=lambda v: -v):
        found, stack = [], [leaf]
        while stack:
            node = stack.pop()
            if node < n:
                found.append(node)
            else:
                stack.extend(int(c) for c in children[node - n])
        out.append(np.sort(np.array(found, dtype=int)))
    return out


def _undo_latest(leaves: list[int], children: np.ndarray, n: int, min_groups: int,
                 whole: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """``leaves`` (tree nodes) with the latest merges among them undone until there are ``min_groups``
    (a node of ``whole`` is never undone)."""
    heap = [-v for v in leaves]
    heapq.heapify(heap)
    done: list[int] = []
    while heap and len(heap) + len(done) < min_groups:
        node = -heapq.heappop(heap)
        if node < n or node in whole:
            done.append(node)
            continue
        for c in children[node - n]:
            heapq.heappush(heap, -int(c))
    return done + [-h for h in heap]

