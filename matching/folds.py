"""Cross-validation folds grouped by exact review panel (评审专家组).

A review record is organised in sessions: one panel (the same set of experts) reviews many projects
of one call. A random split puts projects of one session on both sides, so a held-out project's exact
panel has already been seen in training and model choices reward recognising the session rather than
matching the text to experts. These folds keep every exact panel on one side (scikit-learn
:class:`~sklearn.model_selection.GroupKFold`: folds balanced by number of items), with the order of
equally large panels seeded, so another seed gives other folds.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import GroupKFold


def panel_key(expert_ids: Iterable[Hashable]) -> tuple:
    """The exact panel of a reviewed item: its sorted set of experts."""
    return tuple(sorted(set(expert_ids)))


def grouped_folds(groups: Sequence[Hashable], n_splits: int = 5,
                  seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(train, test)`` index arrays of ``n_splits`` folds (fewer when there are fewer groups), no
    group on both sides of any fold; ``[]`` when there are fewer than two groups."""
    codes = {g: n for n, g in enumerate(dict.fromkeys(groups))}
    n_splits = min(n_splits, len(codes))
    if n_splits < 2:
        return []
    # GroupKFold deals the largest groups first and breaks ties by label: seeded labels, seeded folds.
    labels = np.random.default_rng(seed).permutation(len(codes))[[codes[g] for g in groups]]
    return list(GroupKFold(n_splits=n_splits).split(labels, groups=labels))


def item_panels(incidence: sp.csr_matrix) -> list[tuple]:
    """Each reviewed item's exact panel of profiled experts (items × experts ``incidence``); an item with
    no profiled reviewer is a group of its own (it is never a held-out query)."""
    return [panel_key(incidence.indices[incidence.indptr[i]:incidence.indptr[i + 1]].tolist()) or (-1 - i,)
            for i in range(incidence.shape[0])]


def held_out_queries(model: Any, folds: Sequence[tuple[np.ndarray, np.ndarray]], per_fold: int,
                     seed: int = 0) -> Iterator[tuple[Any, np.ndarray, dict[str, np.ndarray]]]:
    """For each fold, ``model`` (an :class:`~matching.experts.ExpertAffinity`) fitted on the training part,
    its held-out items that have a profiled reviewer (at most ``per_fold``, a seeded sample) and their
    similarities to that sub-model: ``(sub, held, sims)`` — what a new call would see."""
    rng = np.random.default_rng(seed)
    inc = model.incidence_
    for train, held in folds:
        sub = model._submodel(train)
        held = held[np.diff(inc.indptr)[held] > 0]
        if len(held) > per_fold:
            held = np.sort(rng.choice(held, size=per_fold, replace=False))
        if not len(held):
            continue
        yield sub, held, sub._sims([], model.item_lex_[held],
                                   None if model.item_dense_ is None else model.item_dense_[held])


__all__ = ["panel_key", "grouped_folds", "item_panels", "held_out_queries"]
