"""Review-panel assignment (论证专家组): encode a round into arrays once, then solve.

As in openreview-matcher, the domain (demands, experts, affinity, conflicts, loads, panel rules)
is encoded into an :class:`AssignmentProblem` of plain arrays; every assignment method takes the same
problem and returns an :class:`Assignment`. Methods, one concept each:

* :class:`OptimalAssigner` — maximum total affinity as an integer program solved by HiGHS through
  ``scipy.optimize.milp`` (scipy is already a dependency; HiGHS is maintained and exact; with
  only panel-size and load rows the matrix is a bipartite transportation matrix, so the LP
  relaxation is integral and the solve is an LP solve). Edges are sparsified to each demand's
  top-K qualified experts plus the greedy solution's edges and the forced pairs, so the optimum is
  never below greedy; a forced pair is an edge with lower bound 1;
* :class:`GreedyAssigner` — forced pairs first, then best remaining edge first (baseline);
* :class:`RandomDrawAssigner` — the 随机抽取 practice: forced experts seated first, then a seeded
  uniform draw inside each demand's qualified top pool, seed recorded, the rest of the pool listed as
  substitutes.

:func:`matching.panel_problem.check_feasible` runs first and names every demand / constraint that cannot be met, so an
infeasible round is explained, never returned empty. :func:`cluster_problem` makes one panel
review all demands of a cluster (内容相近的项目 share a panel).
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.panel_problem import AssignmentProblem, InfeasibleAssignment, PanelRules, check_feasible, encode

__all__ = ["ASSIGNERS", "Assignment", "AssignmentProblem", "GreedyAssigner", "InfeasibleAssignment", "OptimalAssigner",
           "PanelRules", "RandomDrawAssigner", "check_feasible", "cluster_problem", "encode", "expand_clusters"]


# --------------------------------------------------------------------------- result

@dataclass
class Assignment:
    """Panels as expert indices per demand (best affinity first), plus what produced them."""

    solver: str
    panels: list[list[int]]
    substitutes: list[list[int]]
    total_affinity: float
    seconds: float
    seed: int | None = None
    info: dict = field(default_factory=dict)

    def loads(self, n_experts: int) -> np.ndarray:
        out = np.zeros(n_experts, dtype=np.int64)
        for panel in self.panels:
            out[panel] += 1
        return out

    def records(self, p: AssignmentProblem) -> list[dict]:
        """Flat rows (demand_id, expert_id, role member|substitute, affinity, rank) for storage/export."""
        rows = []
        for i, d in enumerate(p.demand_ids):
            for role, experts in (("member", self.panels[i]), ("substitute", self.substitutes[i])):
                for r, j in enumerate(experts, 1):
                    rows.append({"demand_id": d, "expert_id": p.expert_ids[j], "role": role,
                                 "affinity": round(float(p.affinity[i, j]), 6), "rank": r})
        return rows


def _finish(name: str, p: AssignmentProblem, panels: list[list[int]], started: float, *,
            seed: int | None = None, substitutes: list[list[int]] | None = None, info: dict | None = None) -> Assignment:
    panels = [sorted(map(int, panel), key=lambda j, i=i: -p.affinity[i, j]) for i, panel in enumerate(panels)]
    if substitutes is None:
        substitutes = _default_substitutes(p, panels)
    total = float(sum(p.affinity[i, panel].sum() for i, panel in enumerate(panels)))
    return Assignment(name, panels, substitutes, total, time.perf_counter() - started, seed, info or {})


def _default_substitutes(p: AssignmentProblem, panels: list[list[int]], k: int = 2) -> list[list[int]]:
    """The next ``k`` best qualified experts outside each panel (under their load cap)."""
    loads = np.zeros(len(p.expert_ids), dtype=np.int64)
    for panel in panels:
        loads[panel] += 1
    spare = loads < p.max_load
    out = []
    for i, panel in enumerate(panels):
        score = np.where(p.qualified[i] & spare, p.affinity[i], -np.inf)
        score[panel] = -np.inf
        top = np.argpartition(-score, min(k, len(score) - 1))[: k + 1]
        out.append([int(j) for j in sorted(top, key=lambda j: -score[j]) if np.isfinite(score[j])][:k])
    return out


def _quota_ok(p: AssignmentProblem, i: int, chosen: list[int], j: int) -> bool:
    """Would adding expert ``j`` to demand ``i`` still leave room for the unmet minimums?"""
    left = int(p.panel_size[i]) - len(chosen) - 1
    unmet = 0
    if p.min_out[i]:
        have = int(p.out_of_province[chosen].sum()) + int(p.out_of_province[j])
        unmet += max(0, int(p.min_out[i]) - have)
    for cat, need in p.category_mix.items():
        have = sum(1 for c in chosen if p.categories[c] == cat) + int(p.categories[j] == cat)
        unmet += max(0, need - have)
    return unmet <= left


# --------------------------------------------------------------------------- assignment methods (the HTTP/CLI parameter is still called "solver")

class GreedyAssigner:
    """Baseline: take qualified (demand, expert) edges best first while sizes, loads and quotas allow."""

    name = "greedy"

    def solve(self, p: AssignmentProblem) -> Assignment:
        started = time.perf_counter()
        check_feasible(p)
        panels = self._panels(p)
        return _finish(self.name, p, panels, started)

    @staticmethod
    def _panels(p: AssignmentProblem, top_k: int = 200) -> list[list[int]]:
        n_d, n_e = p.shape
        score = np.where(p.qualified, p.affinity, -np.inf)
        k = min(top_k, n_e)
        cand = np.argpartition(-score, k - 1, axis=1)[:, :k] if k < n_e else np.tile(np.arange(n_e), (n_d, 1))
        rows = np.repeat(np.arange(n_d), cand.shape[1])
        cols = cand.ravel()
        vals = score[rows, cols]
        keep = np.isfinite(vals)
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        order = np.lexsort((cols, rows, -vals))
        panels: list[list[int]] = [[int(j) for j in np.flatnonzero(p.forced[i])] for i in range(n_d)]
        loads = p.forced.sum(axis=0).astype(np.int64)
        quotas = bool(p.min_out.any() or p.category_mix)
        for e in order:
            i, j = int(rows[e]), int(cols[e])
            if len(panels[i]) >= p.panel_size[i] or loads[j] >= p.max_load[j] or p.forced[i, j]:
                continue
            if quotas and not _quota_ok(p, i, panels[i], j):
                continue
            panels[i].append(j)
            loads[j] += 1
        # Demands left short (their top-K experts all full): fill from everyone qualified.
        for i in range(n_d):
            if len(panels[i]) < p.panel_size[i]:
                for j in np.argsort(-score[i], kind="stable"):
                    if len(panels[i]) >= p.panel_size[i] or not np.isfinite(score[i, j]):
                        break
                    if j not in panels[i] and loads[j] < p.max_load[j] and (not quotas or _quota_ok(p, i, panels[i], j)):
                        panels[i].append(int(j))
                        loads[j] += 1
        return panels


class OptimalAssigner:
    """Maximum total affinity under sizes, loads and quotas: an integer program solved by HiGHS."""

    name = "optimal"

    def __init__(self, top_k: int = 30, time_limit: float | None = 55.0):
        self.top_k = top_k
        self.time_limit = time_limit

    def solve(self, p: AssignmentProblem) -> Assignment:
        started = time.perf_counter()
        check_feasible(p)
        greedy = GreedyAssigner._panels(p)
        greedy_ok = all(len(g) == s for g, s in zip(greedy, p.panel_size))
        k = self.top_k
        while True:
            rows, cols = self._edges(p, k, greedy if greedy_ok else None)
            x, status = self._milp(p, rows, cols)
            if x is not None or k >= p.shape[1]:
                break
            k = min(p.shape[1], k * 4)
        if x is None:
            raise InfeasibleAssignment(
                "在回避、负载和配比约束下无法组成全部专家组（专家资源不足或过于集中）",
                "no assignment satisfies conflicts, loads and quotas together (experts too few or too concentrated)",
                [{"demand_id": None, "constraint": "joint", "solver_status": status,
                  "message_zh": "各项约束单独检查可满足，但无法同时满足；请放宽单人上限、配比或省外比例",
                  "message_en": "each constraint is satisfiable alone but not all together; relax the load, mix or share"}])
        chosen = x > 0.5
        panels: list[list[int]] = [[] for _ in range(p.shape[0])]
        for i, j in zip(rows[chosen], cols[chosen]):
            panels[int(i)].append(int(j))
        return _finish(self.name, p, panels, started, info={"edges": int(len(rows)), "top_k": k})

    def _edges(self, p: AssignmentProblem, k: int, extra: list[list[int]] | None) -> tuple[np.ndarray, np.ndarray]:
        n_d, n_e = p.shape
        score = np.where(p.qualified & (p.max_load > 0)[None, :], p.affinity, -np.inf)
        masks = [np.ones(n_e, bool)]
        if p.min_out.any():
            masks.append(p.out_of_province)
        masks += [p.categories == cat for cat in p.category_mix]
        edge_set = []
        for m in masks:
            s = np.where(m[None, :], score, -np.inf)
            kk = min(k, n_e)
            top = np.argpartition(-s, kk - 1, axis=1)[:, :kk] if kk < n_e else np.tile(np.arange(n_e), (n_d, 1))
            r = np.repeat(np.arange(n_d), top.shape[1])
            c = top.ravel()
            ok = np.isfinite(s[r, c])
            edge_set.append(r[ok] * n_e + c[ok])
        if extra:
            edge_set.append(np.array([i * n_e + j for i, panel in enumerate(extra) for j in panel], dtype=np.int64))
        forced_i, forced_j = np.nonzero(p.forced)
        edge_set.append(forced_i * n_e + forced_j)
        flat = np.unique(np.concatenate(edge_set))
        return flat // n_e, flat % n_e

    def _milp(self, p: AssignmentProblem, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray | None, str]:
        n_d, n_e = p.shape
        m = len(rows)
        ones = np.ones(m)
        idx = np.arange(m)
        blocks = [sp.csr_matrix((ones, (rows, idx)), shape=(n_d, m)),
                  sp.csr_matrix((ones, (cols, idx)), shape=(n_e, m))]
        lo = [p.panel_size.astype(float), np.zeros(n_e)]
        hi = [p.panel_size.astype(float), p.max_load.astype(float)]
        if p.min_out.any():
            w = p.out_of_province[cols].astype(float)
            blocks.append(sp.csr_matrix((w, (rows, idx)), shape=(n_d, m)))
            lo.append(p.min_out.astype(float))
            hi.append(np.full(n_d, np.inf))
        for cat, need in p.category_mix.items():
            w = (p.categories[cols] == cat).astype(float)
            blocks.append(sp.csr_matrix((w, (rows, idx)), shape=(n_d, m)))
            lo.append(np.full(n_d, float(need)))
            hi.append(np.full(n_d, np.inf))
        a = sp.vstack(blocks, format="csr")
        options = {"disp": False}
        if self.time_limit:
            options["time_limit"] = self.time_limit
        res = milp(c=-p.affinity[rows, cols], constraints=LinearConstraint(a, np.concatenate(lo), np.concatenate(hi)),
                   integrality=np.ones(m), bounds=Bounds(p.forced[rows, cols].astype(float), 1), options=options)
        if res.x is None or res.status not in (0, 1):
            return None, str(res.message)
        return res.x, str(res.message)


class RandomDrawAssigner:
    """随机抽取: a seeded uniform draw inside each demand's qualified top pool; seed recorded."""

    name = "random_draw"

    def __init__(self, seed: int | None = None, n_substitutes: int = 2):
        self.seed = seed
        self.n_substitutes = n_substitutes

    def solve(self, p: AssignmentProblem) -> Assignment:
        started = time.perf_counter()
        check_feasible(p)
        seed = int(np.random.SeedSequence().entropy % (2**31)) if self.seed is None else int(self.seed)
        rng = np.random.default_rng(seed)
        n_d, n_e = p.shape
        loads = p.forced.sum(axis=0).astype(np.int64)  # forced seats are reserved before any draw
        panels: list[list[int]] = [[] for _ in range(n_d)]
        subs: list[list[int]] = [[] for _ in range(n_d)]
        quotas = bool(p.min_out.any() or p.category_mix)
        for i in rng.permutation(n_d):
            size = int(p.panel_size[i])
            forced = [int(j) for j in np.flatnonzero(p.forced[i])]
            score = np.where(p.qualified[i] & (loads < p.max_load) & ~p.forced[i], p.affinity[i], -np.inf)
            n_ok = int(np.isfinite(score).sum())
            pool_n = min(n_ok, max(size, int(np.ceil(p.pool_factor * size))))
            pool = np.argsort(-score, kind="stable")[:pool_n]
            order = [int(j) for j in rng.permutation(pool)]
            chosen: list[int] = list(forced)
            for j in order:
                if len(chosen) < size and (not quotas or _quota_ok(p, i, chosen, j)):
                    chosen.append(j)
            if len(chosen) < size:  # the pool could not meet the quotas: widen to every qualified expert
                for j in np.argsort(-score, kind="stable")[:n_ok]:
                    if len(chosen) < size and int(j) not in chosen and (not quotas or _quota_ok(p, i, chosen, int(j))):
                        chosen.append(int(j))
            if len(chosen) < size:
                raise InfeasibleAssignment(
                    f"随机抽取时需求 {p.demand_ids[i]} 的可选专家已满负荷，请提高单人评审上限或改用最优分配",
                    f"random draw: qualified experts of demand {p.demand_ids[i]} are fully loaded; raise the max load or use the optimal solver",
                    [{"demand_id": p.demand_ids[i], "constraint": "max_load", "need": size, "have": len(chosen),
                      "message_zh": f"需求 {p.demand_ids[i]} 抽到 {len(chosen)} 人，需要 {size} 人：其余可选专家已被先抽的专家组用满单人评审上限",
                      "message_en": f"demand {p.demand_ids[i]}: {len(chosen)} drawn of {size}; the other qualified "
                                    "experts reached their max load on panels drawn before"}])
            loads[chosen[len(forced):]] += 1
            panels[i] = chosen
            subs[i] = [j for j in order if j not in chosen][: self.n_substitutes]
        return _finish(self.name, p, panels, started, seed=seed, substitutes=subs,
                       info={"pool_factor": p.pool_factor})


ASSIGNERS = {"optimal": OptimalAssigner, "greedy": GreedyAssigner, "random_draw": RandomDrawAssigner}


# --------------------------------------------------------------------------- cluster-level panels

def cluster_problem(p: AssignmentProblem, clusters: Sequence[str | int]) -> tuple[AssignmentProblem, list[list[int]]]:
    """One panel per cluster: affinity = mean over members, blocked (or forced) if so for any member."""
    keys = list(dict.fromkeys(clusters))
    members = [[i for i, c in enumerate(clusters) if c == k] for k in keys]
    aff = np.stack([p.affinity[m].mean(axis=0) for m in members])
    blocked = np.stack([p.blocked[m].any(axis=0) for m in members])
    forced = np.stack([p.forced[m].any(axis=0) for m in members])
    sizes = np.array([p.panel_size[m].max() for m in members], dtype=np.int64)
    q = AssignmentProblem(
        demand_ids=["+".join(p.demand_ids[i] for i in m) for m in members], expert_ids=p.expert_ids,
        affinity=aff, blocked=blocked, panel_size=sizes, max_load=p.max_load, out_of_province=p.out_of_province,
        categories=p.categories, category_mix=p.category_mix,
        min_out=np.array([p.min_out[m].max() for m in members], dtype=np.int64), pool_factor=p.pool_factor,
        forced=forced)
    return q, members


def expand_clusters(a: Assignment, members: list[list[int]], n_demands: int,
                    p: AssignmentProblem) -> Assignment:
    """Per-demand panels from a cluster-level assignment (each member demand gets its cluster's panel)."""
    panels: list[list[int]] = [[] for _ in range(n_demands)]
    subs: list[list[int]] = [[] for _ in range(n_demands)]
    for c, m in enumerate(members):
        for i in m:
            panels[i] = list(a.panels[c])
            subs[i] = list(a.substitutes[c])
    total = float(sum(p.affinity[i, panel].sum() for i, panel in enumerate(panels)))
    return Assignment(a.solver, panels, subs, total, a.seconds, a.seed, {**a.info, "clusters": len(members)})
