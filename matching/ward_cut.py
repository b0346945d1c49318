"""The divisive cut of one Ward tree (scikit-learn's :func:`~sklearn.cluster.ward_tree`) that
:class:`matching.clusters.RoundClusterer` groups a round with: a node is kept whole once its members are
alike enough on average, or the tree is cut into a given number of nodes. Unit rows in, index groups out.
"""
from __future__ import annotations

import heapq

import numpy as np
from sklearn.cluster import ward_tree


def cohesion(total: np.ndarray, size: int | float) -> float:
    """Mean pairwise cosine of unit rows from their sum: (|Σx|² − n) / (n(n − 1))."""
    if size < 2:
        return 1.0
    return float((total @ total - size) / (size * (size - 1)))


def cut_ward_tree(x: np.ndarray, threshold: float, n_groups: int | None, link: float = -1.0) -> list[np.ndarray]:
    """Leaves of the divisive cut of the Ward tree of ``x``: a node is split while its mean pairwise cosine
    is below ``threshold`` or its two halves' mean cosine to each other is below ``link`` (two tight but
    unrelated groups can average above the threshold together); with ``n_groups``, the latest merges
    are undone until there are that many nodes."""
    n = len(x)
    if n == 1:
        return [np.arange(1)]
    children = ward_tree(x)[0]
    sums = np.zeros((2 * n - 1, x.shape[1]), dtype=np.float64)
    sizes = np.ones(2 * n - 1)
    sums[:n] = x
    for k, (a, b) in enumerate(children):
        sums[n + k] = sums[a] + sums[b]
        sizes[n + k] = sizes[a] + sizes[b]
    root = 2 * n - 2
    leaves = []
    if n_groups is not None:
        heap = [-root]  # the latest merge (highest node id) is undone first
        while heap and len(heap) + len(leaves) < n_groups:
            node = -heapq.heappop(heap)
            if node < n:
                leaves.append(node)
                continue
            for c in children[node - n]:
                heapq.heappush(heap, -int(c))
        leaves.extend(-h for h in heap)
    else:
        stack = [root]
        while stack:
            node = stack.pop()
            if node < n:
                leaves.append(node)
                continue
            a, b = children[node - n]
            if (cohesion(sums[node], sizes[node]) >= threshold
                    and sums[a] @ sums[b] / (sizes[a] * sizes[b]) >= link):
                leaves.append(node)
            else:
                stack.extend(int(c) for c in children[node - n])
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
