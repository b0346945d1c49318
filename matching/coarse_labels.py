"""Texts labelled only with a parent label (粗粒度标注): how they train a finer classifier.

A text whose label sits above the level a classifier predicts (a title filed only under 工学 when the labels are
67 disciplines; a demand staff confirmed only as 电子信息 when the labels are level-3 domains) says which
children it may belong to, not which one. :func:`coarse_targets` turns such labels into a mask of the allowed
children (:func:`ancestor_matrix`: which label at one level each label at a deeper level falls under, the same
relation that sums a classifier's probabilities up the hierarchy); :func:`pseudo_labels` gives each text the child a first model, fitted on the fully labelled texts,
scores highest among those allowed — the text then trains the heads with a small weight
(:class:`~matching.view_heads.ViewHeads`, ``coarse_weight``). Measured on CSLDCP with the 8,000 category-labelled
csl_categories/train titles (#19): out of fold on csldcp/train (5 folds), the character head alone 0.558 → 0.588
at weight 0.3 (0.1: 0.584, 1.0: 0.583: the weight was chosen there), the whole classifier 0.554 → 0.573; on dev
(the measurement only) 0.579 → 0.603, top-3 0.800 → 0.827, accuracy at 80% coverage 0.654 → 0.674.

Tried and left out (#19): a second use of such texts, a logistic regression predicting their parent labels whose
log-probabilities a further stacked head maps to the children. It lifted the stack of the heads' out-of-fold scores
on csldcp/train 0.589 → 0.604 (the same stack on dev: 0.596 → 0.590), and the whole classifier out of fold on
csldcp/train (outer folds 0–2 of 5) fell 0.603/0.546/0.558 → 0.591/0.541/0.546; the bench on dev, measured once:
accuracy 0.603 → 0.595, at 80% coverage 0.674 → 0.679, top-3 0.827 → 0.826, ECE 0.030 → 0.036 (fit 30 → 89 s,
the second run on a busier machine).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from matching.taxonomy import Taxonomy


def ancestor_matrix(taxonomy: Taxonomy, codes: Sequence[str], level: int) -> tuple[list[str], sp.csr_matrix]:
    """The labels at ``level`` and the ``(len(codes), n)`` 0/1 matrix putting each of ``codes`` (labels at a deeper
    level) under its ancestor there (a leaf above ``level`` is its own)."""
    names = [n.code for n in taxonomy.at_level(level)]
    index = {c: i for i, c in enumerate(names)}
    rows = []
    for c in codes:
        node = taxonomy.ancestor_at(c, level)
        rows.append(index[node.code if node is not None and node.level == level else c])
    m = sp.csr_matrix((np.ones(len(rows)), (np.arange(len(rows)), rows)), shape=(len(codes), len(names)))
    return names, m


def coarse_targets(taxonomy: Taxonomy, codes: Sequence[str], level: int,
                   labels: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, allowed)``: the indices of ``labels`` naming a node above ``level`` that has children among
    ``codes`` (the labels at ``level``), and their ``(len(rows), len(codes))`` boolean mask of those children."""
    known = set(codes)
    under: dict[str, np.ndarray] = {}
    rows, masks = [], []
    for i, label in enumerate(labels):
        code = "" if label is None else str(label)
        if code in known or code not in taxonomy or taxonomy[code].level >= level:
            continue
        if code not in under:
            names, m = ancestor_matrix(taxonomy, codes, taxonomy[code].level)
            under[code] = np.asarray(m[:, names.index(code)].todense()).ravel() > 0
        if under[code].any():
            rows.append(i)
            masks.append(under[code])
    allowed = np.vstack(masks) if masks else np.zeros((0, len(codes)), dtype=bool)
    return np.asarray(rows, dtype=np.int64), allowed


def pseudo_labels(scores: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Each row's highest-scoring allowed column (``-1`` where none is allowed)."""
    masked = np.where(allowed, np.asarray(scores, dtype=np.float64), -np.inf)
    best = masked.argmax(axis=1)
    return np.where(allowed.any(axis=1), best, -1)


__all__ = ["ancestor_matrix", "coarse_targets", "pseudo_labels"]
