"""A review-panel assignment round as plain arrays (affinity, conflicts, loads, panel rules), and the
feasibility check that names every demand or constraint that cannot be met before any method runs."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


class InfeasibleAssignment(Exception):
    """The round's constraints cannot all be met; ``details`` names each failing demand/constraint."""

    def __init__(self, message_zh: str, message_en: str, details: list[dict]):
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        self.details = details


@dataclass(frozen=True)
class PanelRules:
    """Panel constraints of a round (data, not code paths)."""

    panel_size: int = 5
    max_load: int = 8
    min_out_of_province_share: float = 0.0  # e.g. 0.4 → at least ⌈0.4·panel⌉ out-of-province experts
    category_mix: dict[str, int] = field(default_factory=dict)  # e.g. {"技术": 3, "财务": 1}
    pool_factor: float = 3.0  # random draw: pool = top ⌈pool_factor·panel⌉ qualified experts

    def min_out_of_province(self, panel_size: int | None = None) -> int:
        n = self.panel_size if panel_size is None else panel_size
        return int(np.ceil(self.min_out_of_province_share * n - 1e-9))


@dataclass
class AssignmentProblem:
    """Arrays an assignment method sees: affinity, ``blocked`` and ``forced`` (n_demands × n_experts), loads,
    panel rules. ``forced`` pairs (staff put the expert on the panel) must be assigned; a pair staff forbade is
    simply ``blocked``."""

    demand_ids: list[str]
    expert_ids: list[str]
    affinity: np.ndarray
    blocked: np.ndarray
    panel_size: np.ndarray
    max_load: np.ndarray
    out_of_province: np.ndarray
    categories: np.ndarray
    category_mix: dict[str, int]
    min_out: np.ndarray
    pool_factor: float = 3.0
    forced: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.forced is None:
            self.forced = np.zeros(self.affinity.shape, dtype=bool)

    @property
    def shape(self) -> tuple[int, int]:
        return self.affinity.shape

    @property
    def qualified(self) -> np.ndarray:
        return ~self.blocked


def encode(demand_ids: Sequence[str], expert_ids: Sequence[str], affinity: np.ndarray, blocked: np.ndarray,
           rules: PanelRules = PanelRules(), *, out_of_province: Sequence[bool] | None = None,
           categories: Sequence[str | None] | None = None, max_load: Sequence[int] | None = None,
           panel_size: Sequence[int] | None = None, forced: np.ndarray | None = None,
           forbidden: np.ndarray | None = None) -> AssignmentProblem:
    """Build the arrays once; per-expert loads / per-demand panel sizes may override the rules.
    ``forced`` pairs must be on the panel; ``forbidden`` pairs are added to ``blocked``."""
    n_d, n_e = len(demand_ids), len(expert_ids)
    affinity = np.asarray(affinity, dtype=np.float64)
    blocked = np.asarray(blocked, dtype=bool)
    forced = np.zeros((n_d, n_e), bool) if forced is None else np.asarray(forced, dtype=bool)
    if forbidden is not None:
        blocked = blocked | np.asarray(forbidden, dtype=bool)
    if affinity.shape != (n_d, n_e) or blocked.shape != (n_d, n_e) or forced.shape != (n_d, n_e):
        raise ValueError(f"affinity/blocked/forced must be {(n_d, n_e)}, "
                         f"got {affinity.shape}/{blocked.shape}/{forced.shape}")
    sizes = np.full(n_d, rules.panel_size, dtype=np.int64) if panel_size is None else np.asarray(panel_size, np.int64)
    return AssignmentProblem(
        demand_ids=list(demand_ids), expert_ids=list(expert_ids), affinity=affinity, blocked=blocked,
        panel_size=sizes,
        max_load=np.full(n_e, rules.max_load, dtype=np.int64) if max_load is None else np.asarray(max_load, np.int64),
        out_of_province=np.zeros(n_e, bool) if out_of_province is None else np.asarray(out_of_province, bool),
        categories=np.array([c or "" for c in (categories or [""] * n_e)], dtype=object),
        category_mix={k: int(v) for k, v in rules.category_mix.items() if int(v) > 0},
        min_out=np.array([rules.min_out_of_province(int(s)) for s in sizes], dtype=np.int64),
        pool_factor=rules.pool_factor, forced=forced,
    )


# --------------------------------------------------------------------------- feasibility

def check_feasible(p: AssignmentProblem) -> None:
    """Raise :class:`InfeasibleAssignment` naming every demand or constraint that cannot be met."""
    details: list[dict] = _forced_problems(p)
    q = p.qualified & (p.max_load > 0)[None, :]
    n_q = q.sum(axis=1)
    for i in np.flatnonzero(n_q < p.panel_size):
        details.append({"demand_id": p.demand_ids[i], "constraint": "panel_size", "need": int(p.panel_size[i]),
                        "have": int(n_q[i]),
                        "message_zh": f"需求 {p.demand_ids[i]} 可选专家（无回避冲突且可用）仅 {int(n_q[i])} 人，不足专家组规模 {int(p.panel_size[i])} 人",
                        "message_en": f"demand {p.demand_ids[i]}: only {int(n_q[i])} qualified experts for a panel of {int(p.panel_size[i])}"})
    if p.min_out.any():
        n_out = (q & p.out_of_province[None, :]).sum(axis=1)
        for i in np.flatnonzero(n_out < p.min_out):
            details.append({"demand_id": p.demand_ids[i], "constraint": "min_out_of_province", "need": int(p.min_out[i]),
                            "have": int(n_out[i]),
                            "message_zh": f"需求 {p.demand_ids[i]} 需省外专家 {int(p.min_out[i])} 人，可选仅 {int(n_out[i])} 人",
                            "message_en": f"demand {p.demand_ids[i]}: needs {int(p.min_out[i])} out-of-province experts, {int(n_out[i])} qualified"})
    for cat, need in p.category_mix.items():
        n_cat = (q & (p.categories == cat)[None, :]).sum(axis=1)
        for i in np.flatnonzero(n_cat < need):
            details.append({"demand_id": p.demand_ids[i], "constraint": f"category_mix:{cat}", "need": need,
                            "have": int(n_cat[i]),
                            "message_zh": f"需求 {p.demand_ids[i]} 需{cat}类专家 {need} 人，可选仅 {int(n_cat[i])} 人",
                            "message_en": f"demand {p.demand_ids[i]}: needs {need} '{cat}' experts, {int(n_cat[i])} qualified"})
    if sum(p.category_mix.values()) > p.panel_size.min(initial=10**9):
        details.append({"demand_id": None, "constraint": "category_mix", "need": sum(p.category_mix.values()),
                        "have": int(p.panel_size.min()),
                        "message_zh": "专家类别配比之和超过专家组规模", "message_en": "the category mix exceeds the panel size"})
    # Capacity: each expert can serve at most min(max_load, #demands it qualifies for) panels —
    # for all seats, and for the seats reserved to out-of-province experts and to each category.
    per_expert = np.minimum(p.max_load, q.sum(axis=0))
    quota_groups = [("min_out_of_province", "省外专家", "out-of-province", p.out_of_province, p.min_out)]
    quota_groups += [(f"category_mix:{cat}", f"{cat}类专家", f"'{cat}' experts", p.categories == cat,
                      np.full(p.shape[0], need)) for cat, need in p.category_mix.items()]
    for constraint, zh, en, members, needs in quota_groups:
        need_q, have_q = int(needs.sum()), int(per_expert[members].sum())
        if need_q > have_q:
            details.append({"demand_id": None, "constraint": constraint, "need": need_q, "have": have_q,
                            "message_zh": f"{zh}共需 {need_q} 人次，按单人上限最多只能提供 {have_q} 人次",
                            "message_en": f"{en}: {need_q} seats needed, at most {have_q} available under the max load"})
    capacity = int(per_expert.sum())
    need = int(p.panel_size.sum())
    if capacity < need:
        details.append({"demand_id": None, "constraint": "max_load", "need": need, "have": capacity,
                        "message_zh": f"专家总承载量 {capacity} 人次少于所需 {need} 人次，请提高单人评审上限或扩充专家库",
                        "message_en": f"total expert capacity {capacity} is below the {need} seats needed; raise the max load or add experts"})
    if details:
        raise InfeasibleAssignment(
            f"约束无法同时满足（{len(details)} 项）：" + "；".join(d["message_zh"] for d in details[:3])
            + ("……（全部原因见下表）" if len(details) > 3 else ""),
            f"constraints cannot all be met ({len(details)} problems); see details", details)


def _forced_problems(p: AssignmentProblem) -> list[dict]:
    """Pairs staff forced that cannot be honoured: blocked (a conflict or forbidden), more forced experts
    than seats, an expert forced onto more panels than the max load, or forced experts that leave too
    few seats for the out-of-province / category minimums."""
    details: list[dict] = []
    for i, j in zip(*np.nonzero(p.forced & p.blocked)):
        d, e = p.demand_ids[i], p.expert_ids[j]
        details.append({"demand_id": d, "expert_id": e, "constraint": "forced_blocked", "need": 1, "have": 0,
                        "message_zh": f"需求 {d} 指定的专家 {e} 与该需求存在回避冲突（或已被禁止），不能指定",
                        "message_en": f"demand {d}: forced expert {e} is blocked for it (a conflict or a forbidden pair)"})
    n_forced = p.forced.sum(axis=1)
    for i in np.flatnonzero(n_forced > p.panel_size):
        d = p.demand_ids[i]
        details.append({"demand_id": d, "constraint": "forced_panel_size", "need": int(n_forced[i]),
                        "have": int(p.panel_size[i]),
                        "message_zh": f"需求 {d} 指定了 {int(n_forced[i])} 位专家，超过专家组规模 {int(p.panel_size[i])} 人",
                        "message_en": f"demand {d}: {int(n_forced[i])} experts forced onto a panel of {int(p.panel_size[i])}"})
    per_expert = p.forced.sum(axis=0)
    for j in np.flatnonzero(per_expert > p.max_load):
        e = p.expert_ids[j]
        details.append({"demand_id": None, "expert_id": e, "constraint": "forced_max_load", "need": int(per_expert[j]),
                        "have": int(p.max_load[j]),
                        "message_zh": f"专家 {e} 被指定参加 {int(per_expert[j])} 个专家组，超过单人评审上限 {int(p.max_load[j])}",
                        "message_en": f"expert {e} is forced onto {int(per_expert[j])} panels, above the max load {int(p.max_load[j])}"})
    if p.min_out.any() or p.category_mix:
        for i in np.flatnonzero((n_forced > 0) & (n_forced <= p.panel_size)):
            chosen = np.flatnonzero(p.forced[i])
            unmet = max(0, int(p.min_out[i]) - int(p.out_of_province[chosen].sum()))
            unmet += sum(max(0, need - int((p.categories[chosen] == cat).sum())) for cat, need in p.category_mix.items())
            left = int(p.panel_size[i]) - len(chosen)
            if unmet > left:
                d = p.demand_ids[i]
                details.append({"demand_id": d, "constraint": "forced_quota", "need": unmet, "have": left,
                                "message_zh": f"需求 {d} 指定的专家占去席位后仅剩 {left} 席，不足以满足省外/类别最低人数（还需 {unmet} 人）",
                                "message_en": f"demand {d}: forced experts leave {left} seats, {unmet} needed for the out-of-province / category minimums"})
    return details
