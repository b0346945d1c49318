"""Folds grouped by exact review panel: no panel on both sides, balanced, seeded; the re-ranker uses them."""
from __future__ import annotations

import numpy as np
import pytest

import matching.expert_rerank as rerank_module
from matching.experts import ExpertAffinity, ExpertProfile, ReviewItem
from matching.folds import grouped_folds, panel_key


def test_panel_key_is_the_sorted_expert_set():
    assert panel_key(["E2", "E1", "E2"]) == panel_key(("E1", "E2")) == ("E1", "E2")


def test_folds_keep_each_group_on_one_side_and_cover_every_item_once():
    rng = np.random.default_rng(0)
    groups = [f"g{k}" for k in rng.integers(0, 40, size=300)] + [f"big{k // 30}" for k in range(60)]
    folds = grouped_folds(groups, n_splits=5, seed=3)
    assert len(folds) == 5
    tests = np.concatenate([test for _, test in folds])
    assert sorted(tests.tolist()) == list(range(len(groups)))  # every item held out exactly once
    for train, test in folds:
        assert not {groups[i] for i in train} & {groups[i] for i in test}
        assert len(set(train.tolist()) | set(test.tolist())) == len(groups)
        assert abs(len(test) - len(groups) / 5) <= 30  # balanced up to the largest group
    again = grouped_folds(groups, n_splits=5, seed=3)
    assert all((a[1] == b[1]).all() for a, b in zip(folds, again))  # same seed, same folds
    other = grouped_folds(groups, n_splits=5, seed=4)
    assert any(not np.array_equal(a[1], b[1]) for a, b in zip(folds, other))


def test_fewer_groups_than_folds():
    assert len(grouped_folds(["a", "a", "b", "c"], n_splits=5)) == 3
    assert grouped_folds(["a", "a"], n_splits=5) == []


def test_reranker_folds_are_grouped_by_exact_panel(monkeypatch: pytest.MonkeyPatch):
    """Sessions: each of 6 panels reviews 40 projects; no held-out item's panel may review a training item."""
    rng = np.random.default_rng(0)
    words = ["高温合金", "单晶叶片", "定向凝固", "水稻育种", "抗病基因", "锂电池", "正极材料", "电解液", "机械臂"]
    experts = [f"E{k}" for k in range(12)]
    items = []
    for s in range(6):
        panel = tuple(experts[(2 * s + k) % 12] for k in range(4))
        for _ in range(40):
            items.append(ReviewItem(panel, "".join(rng.choice(words, 3, replace=False)) + "研究"))
    seen: list[list[tuple[np.ndarray, np.ndarray]]] = []

    def spy(groups, n_splits=5, seed=0):
        folds = grouped_folds(groups, n_splits, seed)
        seen.append(folds)
        return folds

    monkeypatch.setattr(rerank_module, "grouped_folds", spy)
    model = ExpertAffinity(rerank_min_items=100).fit([ExpertProfile(e) for e in experts], items)
    assert model.ranker_ is not None and len(seen) == 1 and len(seen[0]) == 5
    for train, test in seen[0]:
        assert not {items[i].expert_ids for i in train} & {items[i].expert_ids for i in test}
