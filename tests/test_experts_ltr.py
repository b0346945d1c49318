"""The learned re-ranker of ExpertAffinity: learned from panel history, skipped without it, scale kept."""
from __future__ import annotations

import numpy as np

from matching.experts import ExpertAffinity, ExpertProfile, ReviewItem

TOPICS = [
    ["高温合金", "单晶叶片", "定向凝固", "铸造缺陷", "涡轮盘", "热处理"],
    ["水稻育种", "抗病基因", "种子加工", "分子标记", "杂交水稻", "稻瘟病"],
    ["锂电池", "正极材料", "电解液", "储能系统", "电池管理", "快充"],
    ["工业机器人", "伺服电机", "运动控制", "视觉定位", "减速器", "机械臂"],
    ["海水养殖", "网箱", "水质监测", "饲料配方", "鱼类疾病", "育苗"],
    ["中药材", "有效成分", "提取工艺", "药效评价", "质量标准", "人参"],
    ["集成电路", "芯片封装", "光刻", "晶圆", "半导体器件", "测试"],
    ["污水处理", "膜分离", "活性污泥", "脱氮除磷", "污泥处置", "水回用"],
]


def _pool(panel_items: bool = True, n_per_topic: int = 35, seed: int = 0):
    """Per topic a pool of 7 experts; each past project is reviewed by 5 of them (or by one)."""
    rng = np.random.default_rng(seed)
    experts = [f"E{t}{k}" for t in range(len(TOPICS)) for k in range(7)]
    profiles = [ExpertProfile(e, fields=TOPICS[int(e[1])][int(e[2]) % 6] if int(e[2]) % 2 else "") for e in experts]
    items = []
    for t, words in enumerate(TOPICS):
        for _ in range(n_per_topic):
            title = "".join(rng.choice(words, size=3, replace=False)) + "关键技术研究"
            panel = rng.choice(7, size=5 if panel_items else 1, replace=False)
            items.append(ReviewItem(tuple(f"E{t}{k}" for k in panel), title, "、".join(rng.choice(words, 2))))
    return profiles, items


def test_reranker_learned_from_panels_keeps_the_affinity_scale():
    profiles, items = _pool()
    model = ExpertAffinity().fit(profiles, items)
    assert model.ranker_ is not None
    queries = ["单晶叶片定向凝固与热处理", "杂交水稻抗病基因分子标记"]
    scores, base = model.score(queries), model.base_score(queries)
    # the re-ranker only reorders values among the top candidates: same values per row, new order
    np.testing.assert_allclose(np.sort(scores, axis=1), np.sort(base, axis=1), atol=1e-6)
    for row, topic in zip(scores, (0, 1)):
        top = {model.expert_ids_[j] for j in np.argsort(-row)[:7]}
        assert top == {f"E{topic}{k}" for k in range(7)}
    plain = ExpertAffinity(rerank=None).fit(profiles, items)
    assert plain.ranker_ is None
    np.testing.assert_allclose(plain.score(queries), plain.base_score(queries))


def test_reranker_skipped_without_panel_history():
    profiles, items = _pool(panel_items=False)
    assert ExpertAffinity().fit(profiles, items).ranker_ is None  # single-reviewer items: no co-review to learn


def test_reranker_survives_save_load(tmp_path):
    profiles, items = _pool(n_per_topic=30, seed=1)
    model = ExpertAffinity().fit(profiles, items)
    assert model.ranker_ is not None
    model.save(tmp_path / "aff")
    again = ExpertAffinity.load(tmp_path / "aff")
    assert again.ranker_ is not None
    q = ["锂电池正极材料与电解液", "污水处理膜分离"]
    np.testing.assert_allclose(model.score(q), again.score(q), atol=1e-5)
