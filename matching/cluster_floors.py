"""The floors every cluster shown as a topic must reach, whatever the run (a first run, a refit, or an
update that grew a prior cluster): a size cap (no catch-all), no stray member, a coherence floor, a minimum
size. Pure: unit rows and labels in, labels changed in place (``None`` = 未归类)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from matching.cluster_ids import IdMaker
from matching.coherence import copies, member_fit
from matching.ward_cut import cohesion, cut_ward_tree

MIN_SHARED = 2  # terms a member must share with the rest of its group (one may be chance)
MIN_NAMING = 3  # ... or one term this many members of the group (copies once) name


@dataclass(frozen=True)
class Floors:
    """The thresholds in force: ``max_size`` demands at most (the round's share cap); ``min_similarity``
    (the group rule) for splitting an over-size cluster; ``join_similarity`` (the join rule): every member's
    mean cosine to the others and the cluster's mean pairwise cosine must reach it; ``min_cluster_size``."""

    max_size: int
    min_similarity: float
    join_similarity: float
    min_cluster_size: int


def evidence_parts(terms: Sequence[Collection[str]], idx: np.ndarray, generic: Collection[str],
                   min_shared: int = MIN_SHARED, min_naming: int = MIN_NAMING,
                   voices: np.ndarray | None = None) -> list[np.ndarray]:
    """The parts of the group ``idx`` that its members' terms hold together (positions into ``idx``, biggest
    first; a member held by none is a part of one). A member has evidence when it shares ``min_shared``
    terms (other than ``generic`` ones) with the rest of the group, or one term that ``min_naming`` members
    name: one word two demands happen to share is a coincidence (热场, 存量, 生产线 between a wafer hot plate
    and a silicon ingot, a zinc residue and an iron tailing), a term three of them name is a topic (VOCs).
    Two members with evidence that share a term are linked, and linked members make one part (a chain is
    one part), so a group of two unrelated pairs falls apart into the two pairs. ``voices``: a group id per
    member of ``idx`` (:func:`~matching.coherence.copies`): copies of one demand name a term once."""
    voices = np.arange(len(idx)) if voices is None else np.asarray(voices)
    own = [{t for t in terms[r] if t not in generic} for r in idx]
    users: dict[str, list[int]] = {}
    for n, words in enumerate(own):
        for t in words:
            users.setdefault(t, []).append(n)
    named_by = {t: len({int(voices[n]) for n in who}) for t, who in users.items()}
    evidence = [sum(len(users[t]) >= 2 for t in words) >= min_shared or any(named_by[t] >= min_naming for t in words)
                for words in own]
    first, other = [], []
    for who in users.values():  # members with evidence that name one term are linked
        held = [n for n in who if evidence[n]]
        first.extend(held[:1] * (len(held) - 1))
        other.extend(held[1:])
    if not other:
        return [np.array([n]) for n in range(len(idx))]
    links = sp.csr_matrix((np.ones(len(other)), (first, other)), shape=(len(idx), len(idx)))
    part = connected_components(links, directed=False)[1]
    return sorted((np.flatnonzero(part == p) for p in np.unique(part)), key=lambda g: (-len(g), int(g[0])))


def enforce_floors(xs: np.ndarray, labels: list[str | None], fixed: np.ndarray, locked_ids: set[str],
                   fresh: IdMaker, floors: Floors, terms: Sequence[Collection[str]] | None = None,
                   kept: np.ndarray | None = None) -> None:
    """What every cluster shown as a topic must satisfy, whatever the run (an update can grow a prior
    cluster past it): at most ``max_size`` demands, else split along its own Ward tree (the biggest part
    keeps the id); no member less alike to the others than the join rule (it goes to 未归类); a cohesion
    (mean pairwise cosine) of at least ``join_similarity`` (the coherence floor), else dissolved into
    未归类; at least ``min_cluster_size`` members. Staff-locked clusters and pinned demands are exempt.

    With ``terms`` (each row's specific terms), a cluster is also held together by what its members name
    (:func:`evidence_parts`): it splits into the parts its shared terms link, a member linked to no other
    is a stray, leaving out the terms of more demands than a cluster may hold (``max_size``: more
    widespread than any one topic, 制造, 生产线). A cosine can be high between two demands of one broad
    field that name nothing in common (a wafer hot plate and a superalloy ingot), or one word by chance.
    What the floors left in 未归类 may then join another cluster it fits tightly and names things with
    (:func:`rejoin`).

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
        strays &= ~stay[idx]
        for r in idx[strays]:
            labels[r] = None
        idx = idx[~strays]
        parts = [idx]
        if terms is not None and len(idx) >= 2:
            linked = evidence_parts(terms, idx, generic, voices=copies(xs[idx]))
            parts = _split_by_evidence(idx, linked, stay, labels, cid, fresh, floors.min_cluster_size)
        for part in parts:
            pinned = bool(stay[part].any()) if len(part) else False
            if not pinned and (len(part) < floors.min_cluster_size
                               or cohesion(xs[part].sum(axis=0), len(part)) < floors.join_similarity):
                for r in part:
                    labels[r] = None
    if terms is not None:
        rejoin(xs, labels, locked_ids, floors, terms, generic)


def rejoin(xs: np.ndarray, labels: list[str | None], locked_ids: set[str], floors: Floors,
           terms: Sequence[Collection[str]], generic: Collection[str], chunk: int = 1024) -> None:
    """Each 未归类 demand joins the open cluster it resembles most among those it fits as tightly as a group
    must (mean cosine to the members at least ``min_similarity``: the join rule lets in too much once the
    evidence is judged) and has evidence in (it shares ``MIN_SHARED`` terms with the members, or one that
    ``MIN_NAMING`` − 1 of them name, copies once), room permitting: a demand the floors took out of a mixed
    group may still belong to another topic (csl round: mean size 4.8 → 5.4, 未归类 24% → 14%). The
    clusters are those before any of these joins (order-free); the closest fits first."""
    members: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        if lab is not None and lab not in locked_ids:
            members.setdefault(lab, []).append(i)
    rows = [i for i, lab in enumerate(labels) if lab is None]
    if not rows or not members:
        return
    ids = sorted(members)
    means = np.stack([xs[members[c]].sum(axis=0) / len(members[c]) for c in ids])
    offers: list[tuple[float, int, int]] = []  # (−similarity, row, cluster) for every fit of the join rule
    for a in range(0, len(rows), chunk):
        block = np.asarray(rows[a:a + chunk])
        sims = xs[block] @ means.T
        for r, c in zip(*np.nonzero(sims >= floors.min_similarity)):
            offers.append((-float(sims[r, c]), int(block[r]), int(c)))
    named: dict[int, dict[str, int]] = {}
    room = {c: floors.max_size - len(members[ids[c]]) for c in range(len(ids))}
    for _, row, c in sorted(offers):
        if labels[row] is not None or room[c] <= 0:
            continue
        if c not in named:
            named[c] = _voices_naming(xs, members[ids[c]], terms, generic)
        mine = [named[c][t] for t in set(terms[row]) if t in named[c]]
        if len(mine) >= MIN_SHARED or any(n >= MIN_NAMING - 1 for n in mine):
            labels[row] = ids[c]
            room[c] -= 1


def _voices_naming(xs: np.ndarray, idx: list[int], terms: Sequence[Collection[str]],
                   generic: Collection[str]) -> dict[str, int]:
    """How many members of a cluster (copies once) name each of its terms."""
    voices = copies(xs[idx])
    seen = {(t, int(v)) for r, v in zip(idx, voices) for t in set(terms[r]) if t not in generic}
    return Counter(t for t, _ in seen)


def _split_by_evidence(idx: np.ndarray, parts: list[np.ndarray], stay: np.ndarray, labels: list[str | None],
                       cid: str, fresh: IdMaker, min_size: int) -> list[np.ndarray]:
    """The cluster ``cid`` (rows ``idx``) split along its evidence ``parts``: the parts holding a member that
    must stay, else the biggest part, keep the id; every other part of ``min_size`` or more becomes a
    cluster of its own (a fresh id), a smaller one goes to 未归类 unless it must stay."""
    rows = [idx[p] for p in parts]
    anchored = [n for n, r in enumerate(rows) if stay[r].any()] or [0]
    here = np.concatenate([rows[n] for n in anchored])
    out = [here]
    for n, r in enumerate(rows):
        if n in anchored:
            continue
        new = fresh() if len(r) >= min_size else None
        for i in r:
            labels[i] = new
        if new is not None:
            out.append(r)
    for i in here:
        labels[i] = cid
    return out
