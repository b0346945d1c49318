"""Coherence of a round's clusters (一致性) and the floors a cluster must reach to be shown or listed as 共性.

Pure: unit rows in, numbers out. :class:`SimilarityScale` is fitted on a round (scikit-learn style): the
median and spread of the cosine of two random demands of that round, and their quantiles, so that
"similar" is judged on the round's own scale (long vs short texts, one embedding model or another).
A cluster's coherence is read on that scale from its **weakest member** (:func:`weakest_fit`), not from
its mean, because a mean hides the unrelated member of a mixed cluster: on the csl round, the share of
≥ 3-enterprise clusters of one discipline rises with the weakest fit, not with the mean.

:func:`topic_agreement` is the second, independent view staff can read: the share of the members whose
most likely 技术领域 (the shipped routing model's level-2 domain) is the cluster's most common one. On the
csl round it separates one-discipline clusters from mixed ones better than any similarity (ROC AUC 0.73
against 0.69 for the weakest fit), so a 共性 problem must reach a floor on it too (:mod:`matching.common`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

#: what a cluster's coherence means, in one sentence staff read beside it
COHERENCE_NOTE_ZH = ("一致性：本类中与其他成员最不相像的那条需求，与其他成员的平均相似度仍高于本轮随机两条需求相似度的"
                     "比例（越接近 1 越是同一问题；每条需求都要相符，混杂的类因此得分低）。")
COHERENCE_NOTE_EN = ("coherence: the share of random demand pairs of this round that are less alike than the cluster's "
                     "least fitting member is to the other members on average (closer to 1: one problem; every "
                     "member must fit, so a mixed cluster scores low).")
#: what a cluster's topic agreement means
AGREEMENT_NOTE_ZH = "领域一致度：按归口模型判断的技术领域，与本类最常见领域相同的成员所占比例。"
AGREEMENT_NOTE_EN = "topic agreement: the share of members whose most likely technology domain is the cluster's most common one."
#: two rows at least this alike are one demand stated twice (sample round: copies ≥ 0.97, the closest distinct pair 0.85)
COPY_SIMILARITY = 0.9


def member_fit(x: np.ndarray) -> np.ndarray:
    """Each member's mean cosine to the other members (unit rows; 1.0 for a lone member)."""
    if len(x) < 2:
        return np.ones(len(x))
    return (x @ x.sum(axis=0) - 1.0) / (len(x) - 1)


def weakest_fit(x: np.ndarray) -> float:
    """The least fitting member's mean cosine to the other members (1.0 for a single member)."""
    return float(member_fit(x).min()) if len(x) >= 2 else 1.0


def fitting(x: np.ndarray, floor: float) -> np.ndarray:
    """Which members of one group fit it: their mean cosine to the others reaches ``floor``. A group's mean
    pairwise cosine hides a lone stray (ten close demands and one unrelated still average high); the
    stray is taken out. Groups of one or two are kept whole (no majority to judge by)."""
    if len(x) < 3:
        return np.ones(len(x), dtype=bool)
    return member_fit(x) >= floor


def copies(x: np.ndarray, threshold: float = COPY_SIMILARITY) -> np.ndarray:
    """A group id per unit row of one cluster: rows at least ``threshold`` alike (transitively) are one demand
    stated twice (a resubmission, a group's copy), which must count once wherever members are counted (what
    the members name, which member is central)."""
    x = np.asarray(x, dtype=np.float32)
    close = np.triu(x @ x.T >= threshold, 1)
    if not close.any():  # the usual case: no copies
        return np.arange(len(x))
    return connected_components(sp.csr_matrix(close), directed=False)[1]


def copy_weights(x: np.ndarray, threshold: float = COPY_SIMILARITY) -> np.ndarray:
    """Each row's weight when copies count once: 1 / the number of rows in its :func:`copies` group."""
    group = copies(x, threshold)
    return 1.0 / np.bincount(group)[group]


def mean_norm(cohesion: float, size: int) -> float:
    """Length of the mean of ``size`` unit vectors whose mean pairwise cosine is ``cohesion``."""
    if size <= 1:
        return 1.0
    return float(np.sqrt(max(0.0, (cohesion * size * (size - 1) + size) / size ** 2)))


def topic_agreement(topics: Sequence[object]) -> float:
    """The share of members whose topic (e.g. the routing model's most likely domain) is the most common one."""
    if not len(topics):
        return 1.0
    return Counter(topics).most_common(1)[0][1] / len(topics)


class SimilarityScale:
    """The round's own similarity scale: centre and spread of the cosine of two random demands, and
    the quantiles that turn a similarity into a coherence (0–1).

    ``sample_size``: rows drawn (seeded) to estimate it, ≤ ``sample_size``²/2 pairs.
    Learned: ``centre_`` (median), ``spread_`` (MAD scaled to a normal std; the std for a handful of rows),
    ``quantiles_`` (1001 quantiles of the sampled pairs)."""

    def __init__(self, sample_size: int = 2000, seed: int = 0):
        self.sample_size = sample_size
        self.seed = seed

    def fit(self, x: np.ndarray) -> "SimilarityScale":
        """Median and MAD, so that the similar pairs we look for do not inflate the background: they matter
        in a small round of a few topics, and change nothing on a round of many."""
        if len(x) < 3:
            self.centre_, self.spread_, self.quantiles_ = 0.5, 0.0, np.full(1001, 0.5)
            return self
        if len(x) > self.sample_size:
            x = x[np.sort(np.random.default_rng(self.seed).choice(len(x), self.sample_size, replace=False))]
        sims = (x @ x.T)[np.triu_indices(len(x), 1)]
        self.quantiles_ = np.quantile(sims, np.linspace(0.0, 1.0, 1001))
        self.centre_ = float(np.median(sims))
        spread = 1.4826 * float(np.median(np.abs(sims - self.centre_)))
        self.spread_ = spread if spread > 1e-6 else float(sims.std())  # a handful of rows: MAD can be 0
        return self

    def above(self, contrast: float) -> float:
        """The similarity ``contrast`` spreads above the centre ("clearly more alike than two random demands")."""
        return self.centre_ + contrast * self.spread_

    def coherence(self, similarity: float) -> float:
        """The share of the round's random demand pairs less alike than ``similarity`` (0–1)."""
        q = self.quantiles_
        return float(np.searchsorted(q, similarity, side="right") - 1) / 1000.0 if similarity < q[-1] else 1.0

    def coherence_of(self, x: np.ndarray) -> float:
        """The coherence of a group of unit rows: its weakest member's fit, on this scale."""
        return self.coherence(weakest_fit(x))
