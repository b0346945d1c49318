"""共性技术 (common problems): which clusters of a round are problems several enterprises share.

Pure: per-member identities and duplicate links in, counts and a ranking out. A problem is common when
at least ``min_enterprises`` **distinct** enterprises raise it: members of the same enterprise, of the same
group (集团名称) or under the same 统一社会信用代码 count once, and so do likely duplicates (the same text
filed twice, or a group copy under another company's name); and when the cluster is coherent (its
coherence at least the round's floor), so that a loose bag of unrelated demands is never listed; and when
they share something one can name: a specific term used by at least half of the distinct enterprises (and
by no fewer than ``min_enterprises``), and most members in one 技术领域 (topic agreement, see
:func:`matching.coherence.topic_agreement`) unless every one of them names that term (VOCs treatment filed
by a shipyard, a chemical plant and a refinery falls under three domains). On the csl round these raise the
share of 共性 clusters of one discipline from 0.67 (coherence floor alone) to 0.92.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

AGREEMENT_FLOOR = 0.6  # most members in one 技术领域: the bar the benchmark's purity uses for one discipline


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
    shared_support: int | None = None  # distinct enterprises using the most shared term (None: unknown)
    agreement: float | None = None  # topic agreement (None: unknown)


def shared_terms(terms: Sequence[Iterable[str]], enterprises: Sequence[str],
                 specific: Callable[[str], bool] = lambda t: True) -> list[tuple[str, int]]:
    """``(term, distinct enterprises using it)`` over the members' term sets, most shared first (ties by
    term), for the terms ``specific`` accepts that two or more enterprises use: the evidence of a 共性 problem."""
    users: dict[str, set[str]] = {}
    for words, who in zip(terms, enterprises):
        for w in set(words):
            users.setdefault(w, set()).add(who)
    counted = Counter({w: len(u) for w, u in users.items() if len(u) >= 2 and specific(w)})
    return sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))


def rank_common(candidates: Iterable[CommonCandidate], coherence_floor: float, min_enterprises: int = 3,
                agreement_floor: float = AGREEMENT_FLOOR) -> list[str]:
    """Keys of the common problems, most common first: ≥ ``min_enterprises`` distinct enterprises, a
    coherence at least ``coherence_floor``, a term shared by half the distinct enterprises (at least
    ``min_enterprises``) and a topic agreement at least ``agreement_floor`` unless all of them share the term
    (an unknown value is not held against a staff edit); ranked by distinct enterprises, then coherence,
    then planned investment, then key."""
    kept = [c for c in candidates if c.distinct_enterprises >= min_enterprises
            and (c.coherence is None or c.coherence >= coherence_floor)
            and (c.shared_support is None or c.shared_support >= max(min_enterprises, c.distinct_enterprises / 2))
            and (c.agreement is None or c.agreement >= agreement_floor
                 or (c.shared_support or 0) >= c.distinct_enterprises)]
    kept.sort(key=lambda c: (-c.distinct_enterprises, -(c.coherence if c.coherence is not None else 0.0),
                             -c.investment, c.key))
    return [c.key for c in kept]
