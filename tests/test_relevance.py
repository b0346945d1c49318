"""The relevance floor's core: choosing the floor for a coverage, the shipped artifact, and panel sizes
under the floor (exempt role categories, forced pairs, cluster panels)."""
from __future__ import annotations

import numpy as np

from api.io.resources import expert_floor
from matching.experts import RELEVANCE_FEATURES
from matching.panel_problem import PanelRules
from matching.relevance import RelevanceFloor, choose_floor, floor_sizes, query_coverage


def test_floor_keeps_a_true_reviewer_for_the_target_share_of_queries() -> None:
    # 10 queries; query q's best true reviewer has probability (q + 1) / 100
    prob = np.array([(q + 1) / 100 for q in range(10)] + [0.5] * 10)
    labels = np.array([True] * 10 + [False] * 10)
    query = np.array(list(range(10)) * 2)
    floor = choose_floor(prob, labels, query, target_coverage=0.9)
    assert query_coverage(prob, labels, query, floor) >= 0.9
    assert query_coverage(prob, labels, query, floor + 1e-6) < 0.9  # the highest such floor


def test_shipped_floor_is_a_calibrated_probability_model() -> None:
    f = expert_floor()
    assert f.features == RELEVANCE_FEATURES and 0 < f.floor < 0.5
    assert f.metrics["coverage"] >= 0.9 and abs(f.metrics["mean_predicted"] - f.metrics["base_rate"]) < 0.001
    x = np.zeros((2, len(RELEVANCE_FEATURES)), np.float32)
    x[1, :5] = 10.0  # far above the pool's typical expert on every cosine
    p = f.predict(x)
    assert p[1] > f.floor > p[0]
    assert RelevanceFloor.from_dict(f.to_dict()) == f


def test_floor_sizes_exempt_roles_forced_pairs_and_clusters() -> None:
    rel = np.array([[0.5, 0.5, 0.0, 0.0],    # two suitable technical experts
                    [0.0, 0.0, 0.0, 0.0],    # nobody suitable
                    [0.0, 0.0, 0.0, 0.0]])   # nobody suitable, but staff forced expert 1
    blocked = np.zeros(rel.shape, bool)
    forced = np.zeros(rel.shape, bool)
    forced[2, 1] = True
    cats = ["技术", "技术", "财务", "技术"]
    below, sizes = floor_sizes(rel, 0.1, blocked, forced, PanelRules(panel_size=5, category_mix={"财务": 1}), cats)
    assert sizes.tolist() == [3, 0, 2]  # 2 technical + the 财务 seat; none; the forced one + the 财务 seat
    assert not below[:, 2].any()  # the 财务 expert is chosen for the role, not the topic
    assert below[0].tolist() == [False, False, False, True] and not below[2, 1]
    # a cluster panel: an expert suits the group when suitable for one member and blocked for none
    blocked[0, 0] = True
    _, sizes = floor_sizes(rel, 0.1, blocked, np.zeros(rel.shape, bool), PanelRules(panel_size=3), cats,
                           groups=[[0, 1], [2]])
    assert sizes.tolist() == [1, 1, 0]


def test_a_pool_too_small_to_calibrate_gets_no_floor(tokenizer) -> None:
    from matching.experts import ExpertAffinity, ExpertProfile

    model = ExpertAffinity(tokenizer=tokenizer).fit([ExpertProfile("E1", "轴承 精密磨削"), ExpertProfile("E2", "水稻育种")], [])
    f = expert_floor()
    assert not f.applies(model)
    assert f.relevance(model, ["轴承磨削", "光子计数CT"]).tolist() == [[1.0, 1.0], [1.0, 1.0]]
