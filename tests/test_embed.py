"""Embedder over the shipped model: loads by path (fast path and SentenceTransformer agree),
separates a paraphrase from an unrelated sentence, prompts, cache hits."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlp.embed import DEFAULT_MODEL_DIR, EmbedModelError, Embedder
from nlp.text import normalize

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


def test_normalized_flag_skips_only_normalisation(emb: Embedder) -> None:
    raw = "ＡＢＣ１２３　高溫合金  葉片"  # full-width, traditional: normalised by encode unless told it already is
    assert np.allclose(emb.encode([raw]), emb.encode([normalize(raw)], normalized=True))
    assert not np.allclose(emb.encode([raw], normalized=True), emb.encode([raw]))


def test_bad_model_dir(tmp_path: Path) -> None:
    with pytest.raises(EmbedModelError):
        Embedder(tmp_path)

