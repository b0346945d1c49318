"""Panel assignment: load caps, quotas, infeasibility explained, seeded draw, optimal ≥ greedy."""
from __future__ import annotations

import numpy as np
import pytest

from matching.assign import (GreedyAssigner, InfeasibleAssignment, OptimalAssigner, PanelRules, RandomDrawAssigner,
                             check_feasible, cluster_problem, encode, expand_clusters)


def _problem(n_d=30, n_e=60, seed=0, rules=PanelRules(panel_size=3, max_load=2), block_share=0.1, **kw):
    rng = np.random.default_rng(seed)
    # Contended affinity: a few "star" experts everybody wants.
    aff = rng.random((n_d, n_e)) + np.linspace(1.0, 0.0, n_e)[None, :]
    blocked = rng.random((n_d, n_e)) < block_share
    ids_d = [f"D{i}" for i in range(n_d)]
    ids_e = [f"E{j}" for j in range(n_e)]
    return encode(ids_d, ids_e, aff, blocked, rules, **kw)


def _check(p, a):
    loads = a.loads(len(p.expert_ids))
    assert (loads <= p.max_load).all()
    for i, panel in enumerate(a.panels):
        assert len(panel) == p.panel_size[i] == len(set(panel))
        assert not p.blocked[i, panel].any()
        assert not set(panel) & set(a.substitutes[i])


@pytest.mark.parametrize("solver", [OptimalAssigner(), GreedyAssigner(), RandomDrawAssigner(seed=7)])
def test_every_solver_respects_sizes_loads_and_conflicts(solver):
    p = _problem()
    a = solver.solve(p)
    _check(p, a)
    assert a.loads(len(p.expert_ids)).max() == 2  # the cap binds on the star experts


def test_optimal_total_affinity_at_least_greedy():
    for seed in range(3):
        p = _problem(seed=seed, n_d=25, n_e=40)
        opt, greedy = OptimalAssigner(top_k=5).solve(p), GreedyAssigner().solve(p)
        _check(p, opt)
        assert opt.total_affinity >= greedy.total_affinity - 1e-9
    # and strictly better on a textbook case where greedy's first pick blocks a better pair
    aff = np.array([[1.0, 0.9], [0.8, 0.0]])
    p = encode(["A", "B"], ["x", "y"], aff, np.zeros((2, 2), bool), PanelRules(panel_size=1, max_load=1))
    assert GreedyAssigner().solve(p).total_affinity == pytest.approx(1.0)
    assert OptimalAssigner().solve(p).total_affinity == pytest.approx(1.7)


def test_out_of_province_share_and_category_mix():
    n_e = 40
    cats = ["技术"] * 30 + ["财务"] * 5 + ["管理"] * 5
    out = [j % 4 == 0 for j in range(n_e)]
    rules = PanelRules(panel_size=5, max_load=4, min_out_of_province_share=0.4, category_mix={"财务": 1, "管理": 1})
    p = _problem(n_d=12, n_e=n_e, rules=rules, out_of_province=out, categories=cats, block_share=0.0)
    for solver in (OptimalAssigner(), GreedyAssigner(), RandomDrawAssigner(seed=1)):
        a = solver.solve(p)
        _check(p, a)
        for panel in a.panels:
            assert sum(out[j] for j in panel) >= 2
            assert sum(cats[j] == "财务" for j in panel) >= 1 and sum(cats[j] == "管理" for j in panel) >= 1


def test_infeasible_input_is_explained_by_demand_and_constraint():
    p = _problem(n_d=3, n_e=6, rules=PanelRules(panel_size=3, max_load=5), block_share=0.0)
    p.blocked[1, :4] = True  # demand D1 keeps only 2 qualified experts
    with pytest.raises(InfeasibleAssignment) as exc:
        OptimalAssigner().solve(p)
    (detail,) = exc.value.details
    assert detail["demand_id"] == "D1" and detail["constraint"] == "panel_size"
    assert detail["need"] == 3 and detail["have"] == 2
    assert "D1" in detail["message_zh"] and "D1" in detail["message_en"]
    # total capacity below the seats needed
    p = _problem(n_d=10, n_e=6, rules=PanelRules(panel_size=3, max_load=2), block_share=0.0)
    with pytest.raises(InfeasibleAssignment) as exc:
        GreedyAssigner().solve(p)
    assert [d["constraint"] for d in exc.value.details] == ["max_load"]
    # a quota nobody can meet
    p = _problem(n_d=2, n_e=10, rules=PanelRules(panel_size=3, max_load=2, min_out_of_province_share=0.5),
                 out_of_province=[False] * 10, block_share=0.0)
    with pytest.raises(InfeasibleAssignment) as exc:
        RandomDrawAssigner(seed=0).solve(p)
    assert {d["constraint"] for d in exc.value.details} == {"min_out_of_province"}


def test_seeded_draw_is_reproducible_and_records_seed():
    p = _problem()
    a, b = RandomDrawAssigner(seed=42).solve(p), RandomDrawAssigner(seed=42).solve(p)
    assert a.seed == b.seed == 42
    assert a.panels == b.panels and a.substitutes == b.substitutes
    assert all(len(s) == 2 for s in a.substitutes)
    c = RandomDrawAssigner(seed=43).solve(p)
    assert c.panels != a.panels
    auto = RandomDrawAssigner().solve(p)
    assert auto.seed is not None and RandomDrawAssigner(seed=auto.seed).solve(p).panels == auto.panels
    _check_inside_pools(p, a)


def _pool_size(p, i):
    return int(np.ceil(p.pool_factor * p.panel_size[i]))


def _check_inside_pools(p, a):
    """Each drawn member and substitute was among the ⌈pool_factor·panel⌉ best qualified experts still
    under their load cap when its demand was drawn. Experts under the cap at the end were under it then,
    so fewer than the pool size of them may rank above a drawn expert."""
    open_end = a.loads(len(p.expert_ids)) < p.max_load
    for i, (panel, subs) in enumerate(zip(a.panels, a.substitutes)):
        for j in panel + subs:
            assert not p.blocked[i, j]
            above = p.qualified[i] & open_end & (p.affinity[i] > p.affinity[i, j])
            assert above.sum() < _pool_size(p, i), (i, j)


def test_random_draw_stays_inside_the_qualified_top_pool():
    # loads never bind: the pool is exactly the top ⌈pool_factor·panel⌉ non-conflicted experts by affinity
    rules = PanelRules(panel_size=3, max_load=100, pool_factor=2.0)
    p = _problem(n_d=20, n_e=40, rules=rules, block_share=0.3)
    pools = [set(np.argsort(-np.where(p.blocked[i], -np.inf, p.affinity[i]))[:_pool_size(p, i)].tolist())
             for i in range(p.shape[0])]
    drawn: list[set[int]] = [set() for _ in pools]
    for seed in range(30):
        a = RandomDrawAssigner(seed=seed).solve(p)
        _check_inside_pools(p, a)
        for i, (panel, subs) in enumerate(zip(a.panels, a.substitutes)):
            assert set(panel) | set(subs) <= pools[i]
            drawn[i] |= set(panel)
    assert drawn == pools  # a draw, not the top of the pool: over the seeds every pool member is drawn
    # pool_factor 1: the pool is the panel, so the draw is the top qualified experts
    p.pool_factor = 1.0
    a = RandomDrawAssigner(seed=0).solve(p)
    for i, panel in enumerate(a.panels):
        assert set(panel) == set(sorted(pools[i], key=lambda j: -p.affinity[i, j])[:3])
        assert a.substitutes[i] == []
    # under binding loads (and conflicts) the draws stay inside the pools of the experts still free
    _check_inside_pools(p := _problem(), RandomDrawAssigner(seed=5).solve(p))


def test_cluster_level_panels_share_one_panel():
    p = _problem(n_d=6, n_e=20, rules=PanelRules(panel_size=3, max_load=1), block_share=0.0)
    p.blocked[5, 0] = True
    q, members = cluster_problem(p, ["a", "a", "b", "b", "c", "c"])
    a = expand_clusters(OptimalAssigner().solve(q), members, 6, p)
    assert a.panels[0] == a.panels[1] and a.panels[2] == a.panels[3]
    assert 0 not in a.panels[4]  # blocked for one member → blocked for the cluster
    assert len({j for panel in a.panels[::2] for j in panel}) == 9  # max_load 1 counts per cluster


def test_records_are_flat_rows():
    p = _problem(n_d=2, n_e=8, rules=PanelRules(panel_size=2, max_load=2))
    rows = OptimalAssigner().solve(p).records(p)
    assert {r["role"] for r in rows} == {"member", "substitute"}
    assert [r["rank"] for r in rows if r["demand_id"] == "D0" and r["role"] == "member"] == [1, 2]


# --------------------------------------------------------------------------- force / forbid a pair (staff)

def _contended(**kw):
    """Loads bind and the wanted pairs are far from the affinity optimum, so honouring them is visible."""
    p = _problem(n_d=12, n_e=20, rules=PanelRules(panel_size=3, max_load=2), block_share=0.0, **kw)
    forced = np.zeros(p.shape, bool)
    forced[0, 19] = forced[1, 19] = True  # the worst expert onto two panels (its whole load)
    forced[2, [17, 18]] = True            # two weak experts onto one panel
    return p, forced


@pytest.mark.parametrize("solver", [OptimalAssigner(top_k=3), GreedyAssigner(), RandomDrawAssigner(seed=3)])
def test_every_solver_seats_forced_pairs_and_never_forbidden_ones(solver):
    p, forced = _contended()
    forbidden = np.zeros(p.shape, bool)
    forbidden[:, 0] = True                # the star expert forbidden everywhere
    forbidden[3, 1] = True
    p = encode(p.demand_ids, p.expert_ids, p.affinity, p.blocked, PanelRules(panel_size=3, max_load=2),
               forced=forced, forbidden=forbidden)
    a = solver.solve(p)
    _check(p, a)
    assert 19 in a.panels[0] and 19 in a.panels[1] and {17, 18} <= set(a.panels[2])
    assert all(0 not in panel for panel in a.panels) and 1 not in a.panels[3]
    assert all(0 not in s for s in a.substitutes)


def test_forced_pairs_hold_in_cluster_panels_and_under_quotas():
    out = [j % 3 == 0 for j in range(20)]
    rules = PanelRules(panel_size=3, max_load=3, min_out_of_province_share=0.3)
    p = _problem(n_d=6, n_e=20, rules=rules, out_of_province=out, block_share=0.0)
    p.forced[4, 19] = True  # in-province expert forced onto cluster "c"'s first member
    for solver in (OptimalAssigner(), GreedyAssigner(), RandomDrawAssigner(seed=0)):
        _check(p, a := solver.solve(p))
        assert 19 in a.panels[4] and all(sum(out[j] for j in panel) >= 1 for panel in a.panels)
        q, members = cluster_problem(p, ["a", "a", "b", "b", "c", "c"])
        c = expand_clusters(solver.solve(q), members, 6, p)
        assert 19 in c.panels[4] and 19 in c.panels[5]


def test_infeasible_forced_pairs_are_explained():
    p = _problem(n_d=4, n_e=10, rules=PanelRules(panel_size=2, max_load=2), block_share=0.0)
    p.blocked[0, 5] = True
    p.forced[0, 5] = True                 # forced but in conflict
    p.forced[1, [1, 2, 3]] = True         # three forced onto a panel of two
    p.forced[[1, 2, 3], 4] = True         # expert E4 forced onto three panels, max load 2
    for solver in (OptimalAssigner(), GreedyAssigner(), RandomDrawAssigner(seed=0)):
        with pytest.raises(InfeasibleAssignment) as exc:
            solver.solve(p)
        by = {d["constraint"]: d for d in exc.value.details}
        assert set(by) == {"forced_blocked", "forced_panel_size", "forced_max_load"}
        assert by["forced_blocked"]["demand_id"] == "D0" and by["forced_blocked"]["expert_id"] == "E5"
        assert "E5" in by["forced_blocked"]["message_zh"] and "E5" in by["forced_blocked"]["message_en"]
        assert (by["forced_panel_size"]["need"], by["forced_panel_size"]["have"]) == (4, 2)  # E1–E3 and E4
        assert by["forced_max_load"]["expert_id"] == "E4" and by["forced_max_load"]["need"] == 3
        assert all(d["message_zh"] and d["message_en"] for d in exc.value.details)
    # forced experts that leave no room for the out-of-province minimum
    rules = PanelRules(panel_size=2, max_load=2, min_out_of_province_share=0.5)
    p = _problem(n_d=2, n_e=10, rules=rules, out_of_province=[j >= 5 for j in range(10)], block_share=0.0)
    p.forced[0, [0, 1]] = True
    with pytest.raises(InfeasibleAssignment) as exc:
        GreedyAssigner().solve(p)
    assert [(d["constraint"], d["demand_id"]) for d in exc.value.details] == [("forced_quota", "D0")]


def test_forbidden_pair_is_reported_with_its_own_conflict_rule():
    from matching.conflicts import ConflictRules, DemandParty, ExpertParty, build_conflicts
    m = build_conflicts([DemandParty("D1", "甲公司")], [ExpertParty("E1", "乙大学"), ExpertParty("E2", "丙大学")],
                        ConflictRules(forbidden_pairs=frozenset({("D1", "E2")})))
    assert m.blocked.tolist() == [[False, True]]
    (x,) = m.exclusions()
    assert (x.expert_id, x.rule) == ("E2", "staff_forbid") and x.message_zh and x.message_en


def test_load_aware_sizes_shorten_floor_short_panels_but_keep_true_infeasibility() -> None:
    """Panels the relevance floor shortened never make a round infeasible: every panel gets the seats the max
    loads leave (scarce experts concentrated); a round whose full-size panels alone cannot be seated keeps its
    sizes, so the solve still explains it."""
    from matching.panel_sizing import load_aware_sizes, round_sizes

    # experts 0,1 suit demands A and B only (floor's size 2 of 3 each); demand C (full size 3) may use all five
    aff = np.array([[0.9, 0.8, 0.0, 0.0, 0.0], [0.85, 0.8, 0.0, 0.0, 0.0], [0.5, 0.5, 0.6, 0.7, 0.4]])
    blocked = np.array([[0, 0, 1, 1, 1], [0, 0, 1, 1, 1], [0, 0, 0, 0, 0]], bool)
    ids = [f"e{j}" for j in range(5)]
    p = encode(["A", "B", "C"], ids, aff, blocked, PanelRules(panel_size=3, max_load=1), panel_size=[2, 2, 3])
    with pytest.raises(InfeasibleAssignment):  # as the floor sized it, the round asks 7 seats of 5 experts
        check_feasible(p)
    sizes = load_aware_sizes(p, p.panel_size < 3)
    assert sizes.tolist() == [2, 0, 3]  # A takes both scarce experts, B is left short, C is seated from e2..e4
    p.panel_size = sizes
    assert OptimalAssigner().solve(p).panels[1] == []
    # C needs 6 seats from five experts: the full-size panel alone cannot be seated — true infeasibility
    q = encode(["A", "B", "C"], ids, aff, blocked, PanelRules(panel_size=6, max_load=1), panel_size=[2, 2, 6])
    assert load_aware_sizes(q, q.panel_size < 6).tolist() == [2, 2, 6]
    # A and B in one cluster share one panel, and so one size
    q = encode(["A", "B", "C"], ids, aff, blocked, PanelRules(panel_size=3, max_load=1), panel_size=[2, 2, 3])
    assert round_sizes(q, 3, ["x", "x", "c"]).tolist() == [2, 2, 3]
