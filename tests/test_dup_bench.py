"""bench.dup_bench's calibration check on train data written here: the headline model is refitted in the
run, and the shipped model file is reported as matching it only when its weights and thresholds do."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml

from bench.dup_bench import (COEF_TOLERANCE, THRESHOLD_TOLERANCE, _embedder, compare_params, fit_systems,
                             refit_and_compare, train_sets)
from matching.duplicates import DuplicateParams

TOPICS = {
    "材料": ["高温合金单晶叶片的定向凝固工艺", "涡轮盘粉末冶金的热处理制度", "铸造缺陷的无损检测方法",
             "镍基合金的蠕变性能评价", "陶瓷基复合材料的界面设计"],
    "农学": ["杂交水稻抗病基因的分子标记筛选", "稻瘟病菌致病机理与绿色防控", "种子加工与贮藏的品质保持",
             "玉米耐旱品种的选育与示范", "设施蔬菜的水肥一体化管理"],
    "电池": ["锂电池正极材料的包覆改性", "电解液添加剂对循环寿命的影响", "储能系统的电池管理策略",
             "快充条件下负极析锂的抑制", "退役动力电池的梯次利用评估"],
}


def _abstracts(n_per_topic: int = 12, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for label, sentences in TOPICS.items():
        for _ in range(n_per_topic):
            picked = rng.choice(sentences, size=4, replace=False)
            rows.append({"content": "本项目围绕" + "。研究".join(picked) + "。形成可推广的技术方案。", "label": label})
    return rows


def _write_train(root: Path) -> None:
    path = root / "csldcp" / "train.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _abstracts()), encoding="utf-8")


def test_compare_params_tolerances():
    base = DuplicateParams(metrics={"embed_model": "m-1"})
    same = compare_params(base, replace(base, metrics={}), "m-1")
    assert same["matches_refit"] == 1.0 and same["same_embedder"] == 1.0 and same["max_coef_diff"] == 0.0
    near = replace(base, coef=tuple(c + COEF_TOLERANCE / 2 for c in base.coef),
                   near_duplicate=base.near_duplicate + THRESHOLD_TOLERANCE / 2)
    assert compare_params(near, base, "m-1")["matches_refit"] == 1.0
    far = replace(base, intercept=base.intercept + 2 * COEF_TOLERANCE)
    assert compare_params(far, base, "m-1")["matches_refit"] == 0.0
    moved = replace(base, related=base.related + 2 * THRESHOLD_TOLERANCE)
    assert abs(compare_params(moved, base, "m-1")["related_diff"] - 2 * THRESHOLD_TOLERANCE) < 1e-12
    assert compare_params(moved, base, "m-1")["matches_refit"] == 0.0
    fitted_elsewhere = replace(base, metrics={"embed_model": "m-1", "fitted_with": "m-0"})
    assert compare_params(fitted_elsewhere, base, "m-1")["same_embedder"] == 0.0


def test_shipped_file_checked_against_the_in_run_refit(tmp_path: Path):
    _write_train(tmp_path)
    sets = train_sets(tmp_path)  # generated resubmissions only: no paraphrase pairs in this layout
    refit = fit_systems(sets)["jiebang"]
    shipped = tmp_path / "duplicates.yaml"
    shipped.write_text(yaml.safe_dump(replace(refit, metrics={"embed_model": _embedder().model_id}).to_dict(),
                                      allow_unicode=True), encoding="utf-8")
    systems, rows = refit_and_compare(sets, shipped)
    assert {"jiebang", "jiebang-shipped", "lexical-only", "dense-only"} <= set(systems)
    check = {r.metric: r.value for r in rows}
    assert {r.dataset for r in rows} == {"calibration"}
    assert check["matches_refit"] == 1.0 and check["same_embedder"] == 1.0
    assert check["max_coef_diff"] <= 1e-6  # the file keeps six decimals
    # a shipped file whose weights were tuned elsewhere is reported as not matching
    stale = dict(yaml.safe_load(shipped.read_text(encoding="utf-8")))
    stale["coef"] = {k: v + 0.5 for k, v in stale["coef"].items()}
    shipped.write_text(yaml.safe_dump(stale, allow_unicode=True), encoding="utf-8")
    _, rows = refit_and_compare(sets, shipped)
    check = {r.metric: r.value for r in rows}
    assert check["matches_refit"] == 0.0 and abs(check["max_coef_diff"] - 0.5) < 1e-5
