"""Stable cluster ids across runs (``C0001``…): fresh ids after the highest taken, and the assignment of a
run's new groups to the prior clusters they overlap most, so the names the service keeps per id survive.
Pure: index groups in, ids out."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment

_ID = re.compile(r"^C(\d+)$")


class IdMaker:
    """Fresh ids ``C0001``, ``C0002``… after the highest number already taken."""

    def __init__(self, taken: Iterable[str]):
        numbers = [int(m.group(1)) for t in taken if (m := _ID.match(t))]
        self.next = max(numbers, default=0) + 1

    def __call__(self) -> str:
        cid = f"C{self.next:04d}"
        self.next += 1
        return cid


def incidence(groups: Sequence[Sequence[int]], n: int) -> sp.csr_matrix:
    """One 0/1 row per group over ``n`` items (sparse: overlaps of hundreds of clusters in one product)."""
    rows = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    cols = np.array([i for g in groups for i in g], dtype=int)
    return sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(groups), n))


def inherit_ids(groups: Mapping[str, set[int]], prior: Mapping[str, Sequence[int]], n: int, fresh: IdMaker,
                min_overlap: float) -> dict[str, str]:
    """Provisional group id -> prior id by the Hungarian assignment on Jaccard overlap (at least
    ``min_overlap``), else a fresh id (biggest group first). ``prior``: member indices of each prior cluster
    that the run was free to move; ``n``: number of items."""
    live = [t for t in groups if groups[t]]
    prior_ids = sorted(prior)
    rename: dict[str, str] = {}
    if live and prior_ids:
        old = incidence([list(prior[c]) for c in prior_ids], n)
        new = incidence([sorted(groups[t]) for t in live], n)
        both = (old @ new.T).toarray()
        either = np.asarray(old.sum(axis=1)) + np.asarray(new.sum(axis=1)).T - both
        jac = both / np.maximum(either, 1)
        rows, cols = linear_sum_assignment(-jac)
        for r, c in zip(rows, cols):
            if jac[r, c] >= min_overlap:
                rename[live[c]] = prior_ids[r]
    first = {t: min(groups[t]) for t in live}
    for t in sorted(live, key=lambda t: (-len(groups[t]), first[t])):
        if t not in rename:
            rename[t] = fresh()
    return rename
