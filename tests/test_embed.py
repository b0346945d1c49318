"""Embedder over the shipped model: loads by path (fast path and SentenceTransformer agree),
separates a paraphrase from an unrelated sentence, prompts, cache hits."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from nlp.embed import DEFAULT_MODEL_DIR, EmbedModelError, Embedder, default_embedder

TEXTS = ["数控机床主轴热变形误差补偿技术", "如何补偿数控机床主轴的热误差", "水稻种植的病虫害绿色防控",
         "锂離子電池正極材料", "", "ABC-123 型传感器"]


@pytest.fixture(scope="module")
def emb() -> Embedder:
    return Embedder(DEFAULT_MODEL_DIR)


def test_shipped_model_is_small_and_static(emb: Embedder) -> None:
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.rglob("*") if p.is_file())
    assert size < 40 * 1024 * 1024
    assert emb.backend_name == "static-numpy"
    assert emb.model_id.startswith("jiebang-static-zh-")


def test_vectors_normalised_float32(emb: Embedder) -> None:
    v = emb.encode(TEXTS)
    assert v.shape == (len(TEXTS), emb.dim) and v.dtype == np.float32
    norms = np.linalg.norm(v, axis=1)
    assert np.allclose(norms[[0, 1, 2, 3, 5]], 1.0, atol=1e-5)
    assert norms[4] == 0.0  # empty text: zero vector, not NaN
    assert emb.encode([]).shape == (0, emb.dim)


def test_paraphrase_beats_unrelated(emb: Embedder) -> None:
    pairs = [("数控机床主轴热变形误差补偿技术", "如何补偿数控机床主轴的热误差", "水稻种植的病虫害绿色防控"),
             ("花呗怎么还款", "花呗还钱的方法是什么", "今天天气很好适合出去玩"),
             ("工业废水中重金属的去除方法", "去除污水里重金属离子的技术", "小学生英语口语教学研究")]
    for a, b, c in pairs:
        va, vb, vc = emb.encode([a, b, c])
        assert va @ vb > va @ vc + 0.1, (a, b, c)


def test_traditional_and_fullwidth_normalised(emb: Embedder) -> None:
    a, b = emb.encode(["锂離子電池正極材料", "锂离子电池正极材料"])
    assert a @ b > 0.999


def test_same_vectors_as_sentence_transformers(emb: Embedder) -> None:
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(DEFAULT_MODEL_DIR), device="cpu", local_files_only=True)
    via_st = Embedder(DEFAULT_MODEL_DIR, force_sentence_transformers=True)
    assert via_st.backend_name == "sentence-transformers"
    texts = [t for t in TEXTS if t]
    fast = emb.encode(texts)
    assert np.allclose(fast, via_st.encode(texts), atol=1e-5)
    from nlp.text import normalize

    direct = st.encode([normalize(t) for t in texts], normalize_embeddings=True)
    assert np.allclose(fast, direct, atol=1e-5)


def test_prompts_from_model_config(tmp_path: Path, emb: Embedder) -> None:
    import shutil

    model = tmp_path / "prompted"
    shutil.copytree(DEFAULT_MODEL_DIR, model)
    cfg = model / "config_sentence_transformers.json"
    cfg.write_text(_with_prompts(cfg.read_text(encoding="utf-8")), encoding="utf-8")
    pe = Embedder(model)
    assert pe.prompt("query") == "问题: " and pe.prompt("passage") == ""
    q, p = pe.encode(["数控机床"], kind="query"), pe.encode(["数控机床"], kind="passage")
    assert not np.allclose(q, p)
    assert np.allclose(p, emb.encode(["数控机床"]))
    with pytest.raises(ValueError):
        pe.encode(["x"], kind="document")  # type: ignore[arg-type]


def _with_prompts(text: str) -> str:
    import json

    cfg = json.loads(text)
    cfg["prompts"] = {"query": "问题: ", "passage": ""}
    return json.dumps(cfg, ensure_ascii=False)


def test_disk_cache_hits(tmp_path: Path) -> None:
    emb = Embedder(DEFAULT_MODEL_DIR, cache_dir=tmp_path)
    first = emb.encode(TEXTS[:3])
    db = tmp_path / f"embed-{emb.model_id}.sqlite"
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM vec").fetchone()[0] == 3
        # poison one cached row: a hit must return the stored vector, proving no recomputation
        key = con.execute("SELECT key FROM vec LIMIT 1").fetchone()[0]
        con.execute("UPDATE vec SET v = ? WHERE key = ?", (np.full(emb.dim, 0.5, np.float32).tobytes(), key))
    again = Embedder(DEFAULT_MODEL_DIR, cache_dir=tmp_path).encode(TEXTS[:3] + [TEXTS[0]])
    assert sum(np.allclose(r, 0.5) for r in again) >= 1
    assert np.allclose(again[3], again[0])
    untouched = [i for i in range(3) if not np.allclose(again[i], 0.5)]
    assert np.allclose(again[untouched], first[untouched])


def test_default_embedder_cached_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIEBANG_EMBED_MODEL", raising=False)
    assert default_embedder() is default_embedder()
    assert default_embedder().model_path == DEFAULT_MODEL_DIR


def test_bad_model_dir(tmp_path: Path) -> None:
    with pytest.raises(EmbedModelError):
        Embedder(tmp_path)


def test_benchmark_tasks_on_a_tiny_layout(tmp_path: Path) -> None:
    """The bench tasks read any <task>/<split>.jsonl tree, emit the issue's names, and skip what is absent."""
    import json

    from bench.common import Context, TaskSkipped
    from bench.embedding_bench import run_classify, run_cluster, run_sts

    def write(rel: str, rows: list[dict]) -> None:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")

    pairs = [("花呗怎么还款", "花呗还钱的方法", 1), ("花呗怎么还款", "今天天气很好", 0),
             ("数控机床热误差", "机床热变形补偿", 1), ("水稻育种", "锂电池材料", 0)]
    write("pairs/stsb/dev.jsonl", [{"text1": a, "text2": b, "label": y} for a, b, y in pairs])
    docs = [("数控机床热误差补偿", "工学"), ("机床主轴热变形", "工学"), ("水稻病虫害防治", "农学"), ("小麦育种技术", "农学")]
    write("csl_categories/dev.jsonl", [{"title": t, "category": c} for t, c in docs])
    write("csldcp/train.jsonl", [{"content": t, "label": c} for t, c in docs])
    write("csldcp/dev.jsonl", [{"content": t, "label": c} for t, c in docs[::-1]])
    ctx = Context(data=tmp_path, split="dev", reference=False, cache_dir=tmp_path / "cache")
    rows = run_sts(ctx) + run_cluster(ctx) + run_classify(ctx)
    keys = {(r.task, r.dataset, r.system, r.metric) for r in rows}
    assert ("sts", "stsb", "jiebang", "spearman") in keys
    assert ("sts", "stsb", "tfidf-char", "spearman") in keys
    assert ("cluster", "csl_categories", "jiebang", "v_measure") in keys
    assert ("classify", "csldcp", "jiebang", "accuracy") in keys
    assert not any(r.dataset == "csl" for r in rows)  # csl/dev.jsonl absent: skipped, not failed
    sts = {r.system: r.value for r in rows if r.task == "sts"}
    assert sts["jiebang-dense"] > 0.5
    with pytest.raises(TaskSkipped):
        run_sts(Context(data=tmp_path / "nothing", split="dev", reference=False))
