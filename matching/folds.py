"""Cross-validation folds grouped by exact review panel (评审专家组).

A review record is organised in sessions: one panel (the same set of experts) reviews many projects
of one call. A random split puts projects of one session on both sides, so a held-out project's exact
panel has already been seen in training and model choices reward recognising the session rather than
matching the text to experts. These folds keep every exact panel on one side (scikit-learn
:class:`~sklearn.model_selection.GroupKFold`: folds balanced by number of items), with the order of
equally large panels seeded, so another seed gives other folds.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np
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


__all__ = ["panel_key", "grouped_folds"]
