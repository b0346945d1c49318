"""Groups of a round's duplicate links: each group around the demand all its other members duplicate.

Pure: pairwise links (ids, score, verdict) and staff decisions in, :class:`DuplicateGroup` values out.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

@dataclass(frozen=True)
class DuplicateGroup:
    """Demands linked (transitively) as duplicates, with the proposed canonical one."""

    ids: tuple[int, ...]
    canonical: int
    links: tuple[tuple[int, int, float, str], ...]  # (id_a, id_b, score, verdict)

    def to_dict(self) -> dict[str, Any]:
        return {"ids": list(self.ids), "canonical": self.canonical,
                "links": [{"a": a, "b": b, "score": round(s, 4), "verdict": v} for a, b, s, v in self.links]}


def group_links(links: Iterable[tuple[int, int, float, str]], *, confirmed: Iterable[tuple[int, int]] = (),
                dismissed: Iterable[tuple[int, int]] = (),
                rank: Mapping[int, Any] | None = None) -> list[DuplicateGroup]:
    """Groups of linked demands, each around the member all the others duplicate (star clustering).

    A group is never a chain: a demand joins a group only through its own link to the group's
    canonical demand (A~B and B~C make one group around B; with A~B and C~D apart, two groups), so
    unrelated demands cannot be strung together. The centre is the demand with the most links among
    those not yet grouped (ties: the smallest ``rank``, e.g. submission time, then the smallest id — the
    first submission is kept). Dismissed pairs are cut and never share a group; confirmed pairs are links.
    """
    cut = {(min(a, b), max(a, b)) for a, b in dismissed}
    kept = {(min(a, b), max(a, b)): (min(a, b), max(a, b), s, v) for a, b, s, v in links
            if a != b and (min(a, b), max(a, b)) not in cut}
    for a, b in confirmed:
        if a != b and (min(a, b), max(a, b)) not in kept:
            kept[(min(a, b), max(a, b))] = (min(a, b), max(a, b), 1.0, "confirmed")
    neighbours: dict[int, set[int]] = {}
    for a, b in kept:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    rank = rank or {}

    def order(i: int) -> tuple[bool, Any, int]:
        return (rank.get(i) is None, rank.get(i) or 0, i)

    free = set(neighbours)
    groups = []
    while free:
        centre = min(free, key=lambda i: (-len(neighbours[i] & free), order(i)))
        if not neighbours[centre] & free:
            break
        members = [centre]
        for x in sorted(neighbours[centre] & free, key=order):
            if all((min(x, m), max(x, m)) not in cut for m in members):
                members.append(x)
        free -= set(members)
        inside = set(members)
        group_links_ = tuple(sorted(link for pair, link in kept.items() if pair[0] in inside and pair[1] in inside))
        groups.append(DuplicateGroup(tuple(sorted(members)), centre, group_links_))
    return sorted(groups, key=lambda g: g.ids[0])
