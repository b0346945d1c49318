"""共性技术 (common problems): which clusters of a round are problems several enterprises share.

Pure: per-member identities and duplicate links in, counts and a ranking out. A problem is common when
at least ``min_enterprises`` **distinct** enterprises raise it: members of the same enterprise, of the same
group (集团名称) or under the same 统一社会信用代码 count once, and so do likely duplicates (the same text
filed twice, or a group copy under another company's name); and when the cluster is coherent (its
coherence at least the round's floor), so that a loose bag of unrelated demands is never listed.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def distinct_enterprises(identities: Sequence[Iterable[str]], duplicates: Iterable[tuple[int, int]] = ()) -> int:
    """How many distinct enterprises stand behind the members: members sharing any identity (an enterprise
    name, ``"group:<集团名称>"``, ``"code:<信用代码>"``) or linked as duplicates (member indices) count once."""
    parent = list(range(len(identities)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first: dict[str, int] = {}
    for i, ids in enumerate(identities):
        for ident in ids:
            if ident:
                union(i, first.setdefault(ident, i))
    for a, b in duplicates:
        union(a, b)
    return len({find(i) for i in range(len(identities))})


@dataclass(frozen=True)
class CommonCandidate:
    """What the ranking needs of one cluster."""

    key: str
    distinct_enterprises: int
    coherence: float | None  # None: unknown (members edited since the last run)
    investment: float


def rank_common(candidates: Iterable[CommonCandidate], coherence_floor: float, min_enterprises: int = 3) -> list[str]:
    """Keys of the common problems, most common first: ≥ ``min_enterprises`` distinct enterprises and a
    coherence at least ``coherence_floor`` (an unknown coherence is not held against a staff edit);
    ranked by distinct enterprises, then coherence, then planned investment, then key."""
    kept = [c for c in candidates if c.distinct_enterprises >= min_enterprises
            and (c.coherence is None or c.coherence >= coherence_floor)]
    kept.sort(key=lambda c: (-c.distinct_enterprises, -(c.coherence if c.coherence is not None else 0.0),
                             -c.investment, c.key))
    return [c.key for c in kept]
