"""Load-aware panel sizes (专家组人数按负载核定): how many seats a short panel can really fill.

The relevance floor (:func:`matching.relevance.floor_sizes`) sizes a panel at ``min(panel size, suitable
experts)``: a demand with only two suitable experts asks for both. When those two are also needed by other
demands and reach their max load, asking for both everywhere makes the whole round infeasible, although the
honest answer is a short panel for that demand ("合适的专家已满负荷").

Choice: the seats a panel lacks *because the floor shortened it* (``soft`` rows) are a soft requirement;
every other panel keeps its full size as a hard one. One small integer program over the qualified
(demand, expert) pairs then maximises the soft seats filled, subject to the hard sizes, the max loads and the
forced pairs; its row sums are the panels' sizes, and the assignment methods solve the round with them
unchanged. So a round that cannot seat its full-size panels (total load too small) stays infeasible and is
explained as before by :func:`matching.panel_problem.check_feasible` — staff must still hear that the round
cannot be staffed — while a floor-shortened panel only shrinks to what its suitable experts' load leaves.
Ties are broken towards concentrating scarce experts (the panel with more suitable experts first, then the
earlier demand): one usable short panel rather than two one-person ones. Quotas (out-of-province share,
category mix) are not modelled here; they stay hard in the solve and are explained there when they fail.
The matrix is a bipartite transportation matrix, so the solve is an LP solve (HiGHS via ``scipy.optimize``).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.assign import cluster_problem
from matching.panel_problem import AssignmentProblem

__all__ = ["load_aware_sizes", "round_sizes"]


def load_aware_sizes(p: AssignmentProblem, soft: np.ndarray, top_k: int = 30) -> np.ndarray:
    """Panel sizes (≤ ``p.panel_size``) once the max loads are accounted for: rows not in ``soft`` keep their
    size; ``soft`` rows get as many seats as the load their qualified experts have left allows (see the module
    doc). Returns ``p.panel_size`` unchanged when no soft row exists or the hard rows cannot all be seated
    (true infeasibility, for :func:`~matching.panel_problem.check_feasible` to explain). Edges: every qualified
    pair of a soft row, each hard row's ``top_k`` best plus its pairs to experts some soft row can use (widened
    to all qualified pairs if that is not enough)."""
    soft = np.asarray(soft, bool)
    sizes = p.panel_size.astype(np.int64)
    if not soft.any():
        return sizes
    q = p.qualified & (p.max_load > 0)[None, :] | p.forced
    for k in (top_k, p.shape[1]):
        x, rows = _max_soft_seats(p, soft, q, k)
        if x is not None:
            break
    else:
        return sizes
    filled = np.bincount(rows, weights=x, minlength=p.shape[0]).round().astype(np.int64)
    return np.where(soft, np.minimum(filled, sizes), sizes)


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
    lo = np.concatenate([np.where(soft, 0, p.panel_size), np.zeros(n_e)]).astype(float)
    hi = np.concatenate([p.panel_size, p.max_load]).astype(float)
    # A soft seat is worth 1 plus a tie-break below 1 in total: more suitable experts first, then the earlier row.
    n_soft_seats = int(p.panel_size[soft].sum())
    order = np.lexsort((np.arange(n_d), -p.panel_size))
    priority = np.empty(n_d)
    priority[order] = np.arange(n_d, 0, -1) / (n_d + 1)
    gain = np.where(soft[rows], 1.0 + priority[rows] / (n_soft_seats + 1), 0.0)
    res = milp(c=-gain, constraints=LinearConstraint(a, lo, hi), integrality=np.ones(m),
               bounds=Bounds(p.forced[rows, cols].astype(float), 1), options={"disp": False, "time_limit": 30.0})
    if res.x is None or res.status not in (0, 1):
        return None, rows
    return res.x, rows


def round_sizes(p: AssignmentProblem, full_size: int, clusters: list[str] | None = None) -> np.ndarray:
    """:func:`load_aware_sizes` of a round whose panels the floor sized at ``p.panel_size`` (``full_size`` the
    rules' size: smaller rows are the soft ones); with ``clusters`` (one label per row) the demands of a
    cluster share one panel and so one size."""
    if clusters is None:
        return load_aware_sizes(p, p.panel_size < full_size)
    cp, members = cluster_problem(p, clusters)
    group_sizes = load_aware_sizes(cp, cp.panel_size < full_size)
    out = p.panel_size.astype(np.int64).copy()
    for size, m in zip(group_sizes, members):
        out[m] = size
    return out
