"""LexicalVectorizer: TF-IDF of jieba words + char n-grams, fit/transform/save/load."""
from __future__ import annotations

import numpy as np
import pytest

from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.lexical import LexicalVectorizer, content_chars
from nlp.text import normalize

DOCS = ["数控机床主轴热变形补偿技术研究", "高精度数控机床的热误差补偿方法",
        "水稻育种与病虫害绿色防治", "锂离子电池正极材料的制备工艺"]


def test_fit_transform_similarity() -> None:
    vec = LexicalVectorizer().fit(DOCS)
    x = vec.transform(DOCS)
    assert x.shape == (4, vec.n_features) and x.dtype == np.float32
    assert np.allclose(np.sqrt(x.multiply(x).sum(axis=1)).A.ravel(), 1.0, atol=1e-5)
    sim = (x @ x.T).toarray()
    assert sim[0, 1] > 0.2 > sim[0, 2]
    assert vec.transform(["！！"]).nnz == 0  # nothing known: an all-zero row, no NaN


def test_word_weight_changes_representation() -> None:
    a = LexicalVectorizer(word_weight=0.0).fit(DOCS).transform(DOCS[:1])
    b = LexicalVectorizer(word_weight=1.0).fit(DOCS).transform(DOCS[:1])
    assert a.nnz != b.nnz


def test_save_load_roundtrip(tmp_path) -> None:
    vec = LexicalVectorizer(char_ngram=(1, 2), word_weight=0.3).fit(DOCS)
    vec.save(tmp_path / "lex")
    back = LexicalVectorizer.load(tmp_path / "lex")
    assert back.char_ngram == (1, 2) and back.word_weight == 0.3
    q = ["数控机床热误差", "电池材料"]
    assert abs(vec.transform(q) - back.transform(q)).max() == 0


def test_transform_before_fit() -> None:
    with pytest.raises(RuntimeError):
        LexicalVectorizer().transform(DOCS)


def test_words_cut_by_the_caller_give_the_same_rows() -> None:
    """The round's one jieba pass feeds the lexical block and the router: the rows must not change."""
    vec = LexicalVectorizer().fit(DOCS)
    words = [vec.tokenizer_.words(d) for d in DOCS]
    assert (vec.transform(DOCS, words=words) != vec.transform(DOCS)).nnz == 0
    with pytest.raises(ValueError):
        vec.transform(DOCS, words=words[:2])


@pytest.mark.parametrize("chunk", [1024, 2])
def test_vectorised_char_block_equals_scikit_learns(chunk: int, monkeypatch) -> None:
    """The char block is counted in numpy (#18/#19): same n-grams (spaces, full-width and traditional forms,
    empty and one-character texts), same columns, same TF-IDF as scikit-learn's own vectoriser fitted alike."""
    monkeypatch.setattr("nlp.char_ngrams.CHUNK", chunk)  # one batch, or a few texts at a time
    fit_docs = DOCS + ["GPU 加速 a b", "臺灣積體電路"]
    vec = LexicalVectorizer(min_df=1).fit(fit_docs)
    ref = TfidfVectorizer(analyzer="char", ngram_range=vec.char_ngram, preprocessor=content_chars, min_df=1, max_features=vec.max_features,
                          sublinear_tf=vec.sublinear_tf, dtype=np.float32).fit(fit_docs)
    texts = DOCS + ["", "！", "机", "ＧＰＵ  加速\n\na  b 數控機床", "x" * 5 + "数控" * 40]
    _, chars = vec.blocks(texts)
    expected = ref.transform(texts)  # scikit-learn: every n-gram a Python string
    assert vec.chars_.vocabulary_ == ref.vocabulary_
    assert chars.shape == expected.shape and expected.nnz > 0
    assert abs(chars - expected).max() < 1e-6 and (chars != 0).sum() == (expected != 0).sum()
    clean = [normalize(t) for t in texts]  # normalised once by the caller: the same rows
    assert abs(vec.transform(clean, normalized=True) - vec.transform(texts)).max() == 0
