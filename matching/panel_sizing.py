"""Load-aware panel sizes (专家组人数按负载核定): how many seats each panel can really fill.

The relevance floor (:func:`matching.relevance.floor_sizes`) sizes a panel at ``min(panel size, suitable
experts)``: a demand with only two suitable experts asks for both. When those two are also needed by other
demands and reach their max load, asking for both everywhere made the whole round infeasible, although the
honest answer is a short panel for that demand ("合适的专家已满负荷").

Choice: the seats a panel lacks because the floor shortened it (``soft`` rows) never make a round
infeasible. True infeasibility is what :func:`matching.panel_problem.check_feasible` finds on the full-size
panels alone — they need more seats than the experts' loads give, a quota or a forced pair cannot be met —
and it stays an error that names why (staff must hear that the round cannot be staffed). When the full-size
panels pass that check, every seat is a soft requirement: one small integer program over the qualified
(demand, expert) pairs maximises the seats filled under the max loads and the forced pairs, and its row
sums become the panels' sizes, which the assignment methods then solve unchanged. So contention for a few
scarce experts shortens the panels that depend on them instead of failing the round; each short panel is
reported with its fully loaded experts. Ties are broken towards concentrating scarce experts (the larger panel first, then the
earlier demand): one usable short panel rather than two one-person ones. Quotas (out-of-province share,
category mix) are not modelled here; they stay hard in the solve and are explained there when they fail.
The matrix is a bipartite transportation matrix, so the solve is an LP solve (HiGHS via ``scipy.optimize``).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.assign import cluster_problem
from matching.panel_problem import AssignmentProblem, InfeasibleAssignment, check_feasible

__all__ = ["load_aware_sizes", "round_sizes"]


def load_aware_sizes(p: AssignmentProblem, soft: np.ndarray, top_k: int = 30) -> np.ndarray:
    """Panel sizes (≤ ``p.panel_size``) once the max loads are accounted for: every panel gets as many seats as
    its qualified experts' loads allow (see the module doc), unless the rows not ``soft`` (full-size panels)
    fail :func:`~matching.panel_problem.check_feasible` on their own: then ``p.panel_size`` is returned
    unchanged, for the solve to explain. Edges: every qualified pair of a soft row, each other row's ``top_k``
    best plus its pairs to experts some soft row can use (widened to all qualified pairs when that leaves a
    full-size panel short)."""
    soft = np.asarray(soft, bool)
    sizes = p.panel_size.astype(np.int64)
    try:
        check_feasible(_rows(p, np.flatnonzero(~soft)))
    except InfeasibleAssignment:
        return sizes
    q = p.qualified & (p.max_load > 0)[None, :] | p.forced
    for k in (top_k, p.shape[1]):
        x, rows = _max_soft_seats(p, soft, q, k)
        if x is None:
            continue
        filled = np.minimum(np.bincount(rows, weights=x, minlength=p.shape[0]).round().astype(np.int64), sizes)
        if k >= p.shape[1] or (filled[~soft] == sizes[~soft]).all():  # else the edges cut short a full panel
            return filled
    return sizes


def _max_soft_seats(p: AssignmentProblem, soft: np.ndarray, q: np.ndarray, k: int
                    ) -> tuple[np.ndarray | None, np.ndarray]:
    n_d, n_e = p.shape
    keep = q.copy()
    if k < n_e:
        contended = q[soft].any(axis=0)
        score = np.where(q, p.affinity, -np.inf)
        top = np.argpartition(-score, k - 1, axis=1)[:, :k]
        hard_keep = np.zeros_like(q)
        np.put_along_axis(hard_keep, top, True, axis=1)
        hard_keep = (hard_keep | contended[None, :] | p.forced) & q
        keep = np.where(soft[:, None], q, hard_keep)
    rows, cols = np.nonzero(keep)
    m = len(rows)
    idx = np.arange(m)
    a = sp.vstack([sp.csr_matrix((np.ones(m), (rows, idx)), shape=(n_d, m)),
                   sp.csr_matrix((np.ones(m), (cols, idx)), shape=(n_e, m))], format="csr")
    lo = np.zeros(n_d + n_e)
    hi = np.concatenate([p.panel_size, p.max_load]).astype(float)
    # A seat is worth 1 plus a tie-break below 1 in total: more suitable experts first, then the earlier row.
    n_seats = int(p.panel_size.sum())
    order = np.lexsort((np.arange(n_d), -p.panel_size))
    priority = np.empty(n_d)
    priority[order] = np.arange(n_d, 0, -1) / (n_d + 1)
    gain = 1.0 + priority[rows] / (n_seats + 1)
    res = milp(c=-gain, constraints=LinearConstraint(a, lo, hi), integrality=np.ones(m),
               bounds=Bounds(p.forced[rows, cols].astype(float), 1), options={"disp": False, "time_limit": 30.0})
    if res.x is None or res.status not in (0, 1):
        return None, rows
    return res.x, rows


def round_sizes(p: AssignmentProblem, full_size: int, clusters: list[str] | None = None) -> np.ndarray:
    """:func:`load_aware_sizes` of a round whose panels the floor sized at ``p.panel_size`` (``full_size``, the
    rules' size: smaller panels are the soft ones); with ``clusters`` (one label per row) the demands of a
    cluster share one panel and so one size."""
    if clusters is None:
        return load_aware_sizes(p, p.panel_size < full_size)
    cp, members = cluster_problem(p, clusters)
    group_sizes = load_aware_sizes(cp, cp.panel_size < full_size)
    out = p.panel_size.astype(np.int64).copy()
    for size, m in zip(group_sizes, members):
        out[m] = size
    return out


def _rows(p: AssignmentProblem, idx: np.ndarray) -> AssignmentProblem:
    """The sub-round of rows ``idx`` (same experts, loads and rules)."""
    return replace(p, demand_ids=[p.demand_ids[i] for i in idx], affinity=p.affinity[idx], blocked=p.blocked[idx],
                   panel_size=p.panel_size[idx], min_out=p.min_out[idx], forced=p.forced[idx])
