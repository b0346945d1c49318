"""Conflicts of interest (回避) as data: a demands × experts rule matrix, built once from rules.

Each cell holds a bit per rule that fired, so a solver only sees ``blocked`` and every exclusion
can be reported with its rule id and a zh/en reason. Organisations compare as people write them
(:class:`nlp.orgs.OrgDirectory`: abbreviations and former names of the alias table, and a unit with the
institution it belongs to, both ways). Rules: expert unavailable, same organisation
(normalised names, or one a unit of the other), same group, the enterprise (or its group) on the expert's avoid-list, the
expert's organisation on the enterprise's avoid-list, same region when the campaign wants
out-of-region reviewers, explicit (demand, expert) pair exclusions, and pairs staff forbade on the
panels page (移出并禁止).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from nlp.names import group_root, normalize_org_name
from nlp.orgs import OrgDirectory

# rule id -> (bit, zh, en); the order is the order of reporting.
RULES: dict[str, tuple[int, str, str]] = {
    "unavailable": (1, "专家当前不可用", "expert is marked unavailable"),
    "same_org": (2, "专家与需求企业为同一单位", "expert works for the demanding enterprise"),
    "same_group": (4, "专家单位与需求企业同属一个集团", "expert's organisation is in the enterprise's group"),
    "expert_avoids": (8, "需求企业或其集团在专家的回避单位名单中", "enterprise or its group is on the expert's avoid-list"),
    "enterprise_avoids": (16, "专家单位在企业的回避单位名单中", "expert's organisation is on the enterprise's avoid-list"),
    "same_region": (32, "本次要求区域外专家，专家与企业同在一地", "campaign requires out-of-region experts; same region"),
    "pair_excluded": (64, "该专家与该需求被指定回避", "this expert–demand pair is explicitly excluded"),
    "staff_forbid": (128, "工作人员已将该专家移出并禁止参加该需求的专家组", "staff removed and forbade this expert for this demand"),
}


@dataclass(frozen=True)
class DemandParty:
    """The side of a demand that conflicts are checked against (its enterprise)."""

    demand_id: str
    enterprise: str = ""
    group: str | None = None
    region: str | None = None
    avoid_orgs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExpertParty:
    """The side of an expert that conflicts are checked against (no identity)."""

    expert_id: str
    organization: str = ""
    region: str | None = None
    avoid_orgs: tuple[str, ...] = ()
    available: bool = True


@dataclass(frozen=True)
class ConflictRules:
    """Which optional rules apply in this round."""

    out_of_region: bool = False
    excluded_pairs: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    forbidden_pairs: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (demand, expert) staff forbade


@dataclass(frozen=True)
class Exclusion:
    """One expert excluded from one demand, with the rule that excluded them."""

    demand_id: str
    expert_id: str
    rule: str
    message_zh: str
    message_en: str

    def to_dict(self) -> dict[str, str]:
        return {"demand_id": self.demand_id, "expert_id": self.expert_id, "rule": self.rule,
                "message_zh": self.message_zh, "message_en": self.message_en}


@dataclass
class ConflictMatrix:
    """``codes[i, j]``: bit-or of the rules excluding expert ``j`` from demand ``i`` (0 = allowed)."""

    demand_ids: list[str]
    expert_ids: list[str]
    codes: np.ndarray

    @property
    def blocked(self) -> np.ndarray:
        """Boolean ``(n_demands, n_experts)``: True where the pair must not be assigned."""
        return self.codes != 0

    def rules_for(self, i: int, j: int) -> list[str]:
        code = int(self.codes[i, j])
        return [rule for rule, (bit, _, _) in RULES.items() if code & bit]

    def exclusions(self, demand_index: int | None = None) -> list[Exclusion]:
        """Every excluded (demand, expert) pair, one entry per rule that fired."""
        rows = range(len(self.demand_ids)) if demand_index is None else [demand_index]
        out = []
        for i in rows:
            for j in np.flatnonzero(self.codes[i]):
                for rule in self.rules_for(i, int(j)):
                    _, zh, en = RULES[rule]
                    out.append(Exclusion(self.demand_ids[i], self.expert_ids[j], rule, zh, en))
        return out


def _region(value: str | None) -> str:
    return (value or "").strip().removesuffix("市")


def _keys(names: Iterable[str]) -> tuple[set[str], set[str]]:
    """Normalised names and group roots of an avoid-list."""
    names = [n for n in names if n and n.strip()]
    return ({normalize_org_name(n) for n in names} - {""},
            {r for r in (group_root(n) for n in names) if len(r) >= 2})


class _PathIndex:
    """Experts by the unit paths of some of their names: which are related to a given path (one path a
    prefix of the other: the same unit, one of its units, or the unit it belongs to)."""

    def __init__(self) -> None:
        self.exact: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self.below: dict[tuple[str, ...], set[int]] = defaultdict(set)  # every prefix -> experts under it

    def add(self, path: tuple[str, ...], j: int) -> None:
        if path:
            self.exact[path].add(j)
            for k in range(1, len(path) + 1):
                self.below[path[:k]].add(j)

    def related(self, path: tuple[str, ...]) -> set[int]:
        if not path:
            return set()
        out = set(self.below.get(path, ()))
        for k in range(1, len(path)):
            out |= self.exact.get(path[:k], set())
        return out


def build_conflicts(demands: Sequence[DemandParty], experts: Sequence[ExpertParty],
                    rules: ConflictRules = ConflictRules(), orgs: OrgDirectory | None = None) -> ConflictMatrix:
    """The rule matrix for a round; vectorised over experts (a province pool in well under a second).
    ``orgs``: the alias table of institutions (without one, units still meet their institution by name)."""
    orgs = orgs if orgs is not None else OrgDirectory()
    n_d, n_e = len(demands), len(experts)
    codes = np.zeros((n_d, n_e), dtype=np.uint8)
    bit = {rule: b for rule, (b, _, _) in RULES.items()}

    codes[:, [j for j, e in enumerate(experts) if not e.available]] |= bit["unavailable"]

    # Organisation and group keys as integer codes so equality is one broadcast comparison.
    vocab: dict[str, int] = {"": 0}
    def code(s: str) -> int:
        return vocab.setdefault(s, len(vocab))

    e_org = np.array([code(normalize_org_name(e.organization)) for e in experts], dtype=np.int64)
    e_grp = np.array([code(r if len(r := group_root(e.organization)) >= 2 else "") for e in experts], dtype=np.int64)
    d_org = np.array([code(normalize_org_name(d.enterprise)) for d in demands], dtype=np.int64)
    d_grp = np.array([code(r if len(r := group_root(d.enterprise, d.group)) >= 2 else "") for d in demands],
                     dtype=np.int64)
    same_org = (d_org[:, None] == e_org[None, :]) & (d_org[:, None] != 0)
    by_org, by_avoid = _PathIndex(), _PathIndex()
    for j, e in enumerate(experts):
        by_org.add(orgs.path(e.organization), j)
        for name in e.avoid_orgs:
            by_avoid.add(orgs.path(name), j)
    for i, d in enumerate(demands):
        hit = by_org.related(orgs.path(d.enterprise))
        if hit:
            same_org[i, sorted(hit)] = True
    codes[same_org] |= bit["same_org"]
    same_grp = (d_grp[:, None] == e_grp[None, :]) & (d_grp[:, None] != 0) & ~same_org
    codes[same_grp] |= bit["same_group"]

    # Expert avoid-lists: avoided name or group root -> experts.
    avoid_name: dict[str, list[int]] = defaultdict(list)
    avoid_root: dict[str, list[int]] = defaultdict(list)
    for j, e in enumerate(experts):
        names, roots = _keys(e.avoid_orgs)
        for n in names:
            avoid_name[n].append(j)
        for r in roots:
            avoid_root[r].append(j)
    inv = {v: k for k, v in vocab.items()}
    for i, d in enumerate(demands):
        hit = set(avoid_name.get(inv[int(d_org[i])], ())) | set(avoid_root.get(inv[int(d_grp[i])], ()))
        if d.group:
            hit |= set(avoid_name.get(normalize_org_name(d.group), ())) | by_avoid.related(orgs.path(d.group))
        hit |= by_avoid.related(orgs.path(d.enterprise))
        if hit:
            codes[i, sorted(hit)] |= bit["expert_avoids"]

    # The enterprise's avoid-list against each expert's organisation / group.
    for i, d in enumerate(demands):
        names, roots = _keys(d.avoid_orgs)
        if not names and not roots:
            continue
        name_codes = [vocab[n] for n in names if n in vocab]
        root_codes = [vocab[r] for r in roots if r in vocab]
        mask = np.isin(e_org, name_codes) | np.isin(e_grp, root_codes)
        related = set().union(*(by_org.related(orgs.path(n)) for n in d.avoid_orgs if n and n.strip()))
        mask[sorted(related)] = True
        codes[i, mask] |= bit["enterprise_avoids"]

    if rules.out_of_region:
        rv: dict[str, int] = {"": 0}
        e_reg = np.array([rv.setdefault(_region(e.region), len(rv)) for e in experts], dtype=np.int64)
        d_reg = np.array([rv.setdefault(_region(d.region), len(rv)) for d in demands], dtype=np.int64)
        codes[(d_reg[:, None] == e_reg[None, :]) & (d_reg[:, None] != 0)] |= bit["same_region"]

    d_index = {d.demand_id: i for i, d in enumerate(demands)}
    e_index = {e.expert_id: j for j, e in enumerate(experts)}
    for rule, pairs in (("pair_excluded", rules.excluded_pairs), ("staff_forbid", rules.forbidden_pairs)):
        for d_id, e_id in pairs:
            if d_id in d_index and e_id in e_index:
                codes[d_index[d_id], e_index[e_id]] |= bit[rule]

    return ConflictMatrix([d.demand_id for d in demands], [e.expert_id for e in experts], codes)
