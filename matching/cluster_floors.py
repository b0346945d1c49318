"""The floors every cluster shown as a topic must reach, whatever the run (a first run, a refit, or an
update that grew a prior cluster): a size cap (no catch-all), no stray member, a coherence floor, a minimum
size. Pure: unit rows and labels in, labels changed in place (``None`` = 未归类)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from matching.cluster_ids import IdMaker
from matching.coherence import member_fit
from matching.ward_cut import cohesion, cut_ward_tree


@dataclass(frozen=True)
class Floors:
    """The thresholds in force: ``max_size`` demands at most (the round's share cap); ``min_similarity``
    (the group rule) for splitting an over-size cluster; ``join_similarity`` (the join rule): every member's
    mean cosine to the others and the cluster's mean pairwise cosine must reach it; ``min_cluster_size``."""

    max_size: int
    min_similarity: float
    join_similarity: float
    min_cluster_size: int


def without_shared_term(terms: Sequence[Collection[str]], idx: np.ndarray, generic: Collection[str]) -> np.ndarray:
    """Which members of the group ``idx`` share no term (other than ``generic`` ones) with another member."""
    counts = Counter(t for r in idx for t in set(terms[r]) if t not in generic)
    return np.array([not any(counts[t] > 1 for t in set(terms[r]) if t not in generic) for r in idx], dtype=bool)


def enforce_floors(xs: np.ndarray, labels: list[str | None], fixed: np.ndarray, locked_ids: set[str],
                   fresh: IdMaker, floors: Floors, terms: Sequence[Collection[str]] | None = None,
                   kept: np.ndarray | None = None) -> None:
    """What every cluster shown as a topic must satisfy, whatever the run (an update can grow a prior
    cluster past it): at most ``max_size`` demands, else split along its own Ward tree (the biggest part
    keeps the id); no member less alike to the others than the join rule (it goes to 未归类); a cohesion
    (mean pairwise cosine) of at least ``join_similarity`` (the coherence floor), else dissolved into
    未归类; at least ``min_cluster_size`` members. Staff-locked clusters and pinned demands are exempt.

    With ``terms`` (each row's specific terms), a member that shares none with any other member is a stray
    too, leaving out the terms of more demands than a cluster may hold (``max_size``: more widespread than
    any one topic, 制造, 生产线): a cosine can be high between two demands of one broad field that name
    nothing in common (a wafer hot plate and a superalloy ingot).

    ``kept``: rows an update keeps where the last run put them (a new batch never takes a demand out of
    the cluster staff already read it in); they are never strays and keep their cluster from dissolving,
    while the size cap still splits a cluster the batch grew past it."""
    stay = fixed if kept is None else fixed | kept
    generic: set[str] = set()
    if terms is not None:
        df = Counter(t for row in terms for t in set(row))
        generic = {t for t, n in df.items() if n > floors.max_size}
    members: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        if lab is not None and lab not in locked_ids:
            members.setdefault(lab, []).append(i)
    for cid in sorted(members):
        idx = np.array(members[cid])
        free = idx[~fixed[idx]]
        if len(idx) > floors.max_size and len(free):
            parts = sorted(cut_ward_tree(xs[free], floors.min_similarity, None, floors.join_similarity,
                                         max_size=floors.max_size), key=lambda p: (-len(p), p[0]))
            keep_here = floors.max_size - int(fixed[idx].sum())
            for n, part in enumerate(parts):
                new = cid if n == 0 and len(part) <= keep_here else fresh()
                for r in free[part]:
                    labels[r] = new
                if new != cid:
                    members[new] = list(free[part])
            members[cid] = [i for i in idx if labels[i] == cid]
    for cid in sorted(members):
        idx = np.array([i for i in members[cid] if labels[i] == cid])
        if not len(idx):
            continue
        strays = np.zeros(len(idx), dtype=bool)
        if len(idx) >= 3:
            strays |= member_fit(xs[idx]) < floors.join_similarity
        if terms is not None and len(idx) >= 2:
            strays |= without_shared_term(terms, idx, generic)
        strays &= ~stay[idx]
        for r in idx[strays]:
            labels[r] = None
        idx = idx[~strays]
        pinned = bool(stay[idx].any()) if len(idx) else False
        if not pinned and (len(idx) < floors.min_cluster_size
                           or cohesion(xs[idx].sum(axis=0), len(idx)) < floors.join_similarity):
            for r in idx:
                labels[r] = None

