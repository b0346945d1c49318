"""What a clustering run of :class:`matching.clusters.RoundClusterer` takes and gives: the clusters of the
previous run (:class:`PriorCluster`) and the clusters of this one (:class:`ClusterInfo`). Plain values."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matching.ward_cut import cohesion

__all__ = ["ClusterInfo", "PriorCluster", "cluster_info"]


@dataclass(frozen=True)
class PriorCluster:
    """A cluster as stored after the previous run and the staff's edits.

    ``locked``: staff fixed it — its membership is kept exactly, nothing joins it, it is never re-clustered."""

    cluster_id: str
    members: tuple[str, ...]
    locked: bool = False


@dataclass(frozen=True, eq=False)
class ClusterInfo:
    """One cluster (or sub-cluster) of a run.

    ``members``: demand keys, closest to the centroid first (the first is the most representative);
    ``centroid``: unit vector of the members' mean; ``cohesion``: mean pairwise cosine of the members
    (what ``min_similarity`` bounds); ``coherence``: the share of the round's random demand pairs that are
    less alike than the cluster's least fitting member is to the other members on average (0.95: even
    that member resembles the others more than 95% of random pairs do; see :data:`matching.coherence.COHERENCE_NOTE_ZH`).
    The weakest member, not the mean, because a mean hides the unrelated member of a mixed cluster (on the
    csl round, the share of ≥ 3-enterprise clusters of one discipline rises with it, not with the mean);
    ``new``: the id did not exist before this run."""

    cluster_id: str
    members: tuple[str, ...]
    centroid: np.ndarray = field(repr=False)
    cohesion: float
    locked: bool = False
    coherence: float = 1.0
    new: bool = False
    parent_id: str | None = None
    children: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.members)


def cluster_info(cid: str, xs: np.ndarray, idx: np.ndarray, skeys: list[str], *, locked: bool = False,
                 new: bool = False, parent: str | None = None, children: tuple[str, ...] = ()) -> ClusterInfo:
    """The record of the cluster of rows ``idx`` of ``xs`` (keys ``skeys``), members closest to the centroid first."""
    total = xs[idx].sum(axis=0)
    norm = float(np.linalg.norm(total))
    centroid = (total / norm if norm > 0 else total).astype(np.float32)
    sims = xs[idx] @ centroid
    ranked = sorted(range(len(idx)), key=lambda j: (-round(float(sims[j]), 6), skeys[idx[j]]))
    return ClusterInfo(cid, tuple(skeys[idx[j]] for j in ranked), centroid, cohesion(total, len(idx)),
                       locked=locked, new=new, parent_id=parent, children=children)
