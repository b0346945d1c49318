"""bench.expert_ceiling on a record written here: sessions of two panels per discipline, in file order."""
from __future__ import annotations

import numpy as np

from bench.expert_ceiling import diagnose

TOPICS = [
    ["水稻育种", "抗病基因", "种子加工", "分子标记", "杂交水稻", "稻瘟病"],
    ["锂电池", "正极材料", "电解液", "储能系统", "电池管理", "快充"],
    ["中药材", "有效成分", "提取工艺", "药效评价", "质量标准", "人参"],
]


def _record(seed: int = 0) -> list[dict]:
    """Per discipline two review sessions of 15 projects each; each session has its own 4-expert panel,
    the two panels sharing two experts (a discipline's pool across calls)."""
    rng = np.random.default_rng(seed)
    projects = []
    for t, words in enumerate(TOPICS):
        for session in range(2):
            panel = [f"E{t}0", f"E{t}1", f"E{t}{2 + 2 * session}", f"E{t}{3 + 2 * session}"]
            for _ in range(15):
                picked = rng.choice(words, size=3, replace=False)
                projects.append({"id": f"P{len(projects):04d}", "title": "".join(picked) + "关键技术研究",
                                 "abstract": "本项目研究" + "、".join(rng.choice(words, 3)), "keywords": list(picked[:2]),
                                 "reviewers": [{"expert": e, "field": ""} for e in panel]})
    return projects


def test_sessions_are_found_and_the_true_group_helps_no_less_than_the_guess():
    f = diagnose(_record())
    assert f["queries"] == 18 and f["panel_seen_share"] == 1.0  # every held-out panel reviewed training items
    # the text finds the discipline, but a discipline's two sessions look alike: about a coin toss between them
    assert f["panel_top3"] == 1.0 and f["panel_top1"] < 0.9
    assert abs(f["panel_spread_median"] - 14 / 90) < 1e-9  # a session's 15 projects sit together in the file
    assert f["groups"] >= 2 and f["group_accuracy"] >= 0.9
    assert f["recall_at_10_true_group"] >= f["recall_at_10_predicted_group"] > 0.5


def test_spread_tells_sessions_from_a_shuffled_record():
    record = _record()
    shuffled = [record[i] for i in np.random.default_rng(1).permutation(len(record))]
    assert diagnose(shuffled)["panel_spread_median"] > 0.5 > diagnose(record)["panel_spread_median"]
