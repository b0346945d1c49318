"""bench.expert_bench on a review record written here: the split grouped by exact panel is really
panel-disjoint, holds out the same share as the random split, and is reported beside it."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bench.common import Context
from bench.expert_bench import project_panel, run_experts, split_projects, split_projects_grouped

TOPICS = [
    ["水稻育种", "抗病基因", "种子加工", "分子标记", "杂交水稻", "稻瘟病"],
    ["锂电池", "正极材料", "电解液", "储能系统", "电池管理", "快充"],
    ["中药材", "有效成分", "提取工艺", "药效评价", "质量标准", "人参"],
    ["工业机器人", "伺服电机", "运动控制", "视觉定位", "减速器", "机械臂"],
]


def _record(seed: int = 0) -> list[dict]:
    """Per discipline three review sessions (12, 8 and 5 projects, each session one 4-expert panel from
    the discipline's 6 experts), then 25 projects whose panels occur once."""
    rng = np.random.default_rng(seed)
    projects: list[dict] = []

    def add(t: int, panel: list[str]) -> None:
        picked = rng.choice(TOPICS[t], size=3, replace=False)
        projects.append({"id": f"P{len(projects):04d}", "title": "".join(picked) + "关键技术研究",
                         "abstract": "本项目研究" + "、".join(rng.choice(TOPICS[t], 3)), "keywords": list(picked[:2]),
                         "reviewers": [{"expert": e, "field": TOPICS[t][0] if e.endswith("0") else ""} for e in panel]})

    for t in range(len(TOPICS)):
        for session, size in enumerate((12, 8, 5)):
            panel = [f"E{t}{(session + k) % 6}" for k in range(4)]
            for _ in range(size):
                add(t, panel)
    for n in range(25):
        t = n % len(TOPICS)
        add(t, [f"E{t}{k}" for k in rng.choice(6, size=3, replace=False)] + [f"X{n:02d}"])
    return projects


def test_grouped_split_is_panel_disjoint_with_the_same_share():
    record = _record()
    train, test = split_projects_grouped(record, seed=0)
    assert not {project_panel(p) for p in train} & {project_panel(p) for p in test}
    assert sorted(p["id"] for p in train + test) == sorted(p["id"] for p in record)
    _, random_test = split_projects(record, seed=0)
    assert abs(len(test) - len(random_test)) <= 1  # 1/5 held out, as in the 80/20 split
    again, other = split_projects_grouped(record, seed=0)[1], split_projects_grouped(record, seed=1)[1]
    assert [p["id"] for p in again] == [p["id"] for p in test]
    assert [p["id"] for p in other] != [p["id"] for p in test]


def test_experts_task_reports_both_splits(tmp_path: Path):
    path = tmp_path / "reviews" / "dev.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in _record()), encoding="utf-8")
    rows = run_experts(Context(data=tmp_path, split="dev"))
    got = {(r.dataset, r.system, r.metric): r.value for r in rows}
    for dataset in ("reviews", "reviews-grouped"):
        for system in ("jiebang", "tfidf-char", "popularity", "random"):
            for metric in ("recall_at_10", "recall_at_50", "mrr"):
                assert 0.0 <= got[(dataset, system, metric)] <= 1.0
        assert got[(dataset, "jiebang", "n_queries")] > 0
    assert got[("reviews", "jiebang", "panel_seen_share")] > 0.5  # sessions straddle the random split
    assert got[("reviews-grouped", "jiebang", "panel_seen_share")] == 0.0
