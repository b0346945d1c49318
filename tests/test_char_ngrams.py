"""CharTfidfVectorizer: scikit-learn's char TF-IDF to the bit (vocabulary, columns, entry order, weights), counted
with numpy; the lexical block of every capability reads it, so any difference would move clusters and scores."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.char_ngrams import CharTfidfVectorizer, key_of, terms_of
from nlp.lexical import content_chars

DOCS = ["数控机床主轴热变形补偿技术研究：建立热误差模型，实现主轴热变形的实时补偿。",
        "高精度数控机床的热误差补偿方法", "水稻育种与病虫害绿色防治，亩产≥600公斤",
        "锂离子电池正极材料的制备工艺", "Ｔ700级碳纤维原丝  制备", "3D打印多孔钛合金 VOCs 治理",
        "", "！！", "a", "𠀀𠀁 字", "数控机床数控机床数控", "电池 电池 电池 电池"] * 3 + ["孤例只出现一次的句子"]


def _same(a: sp.spmatrix, b: sp.spmatrix) -> bool:
    """Equal dtype, shape and storage, entry for entry (the order of a row's entries included)."""
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    return (a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data))


@pytest.mark.parametrize("params", [
    {"min_df": 1, "max_features": None}, {"min_df": 2, "max_features": 200_000},
    {"min_df": 1, "max_features": 40},  # ties in the column totals: the same argsort picks the same columns
    {"min_df": 0.05, "max_df": 0.5, "max_features": None}, {"ngram_range": (2, 3), "min_df": 2, "max_features": 25}])
def test_equals_scikit_learn(params: dict) -> None:
    args = {"analyzer": "char", "ngram_range": (1, 3), "preprocessor": content_chars, "sublinear_tf": True,
            "dtype": np.float32, **params}
    ours, theirs = CharTfidfVectorizer(**args), TfidfVectorizer(**args)
    assert _same(ours.fit_transform(DOCS), theirs.fit_transform(DOCS))
    assert ours.vocabulary_ == theirs.vocabulary_ and np.array_equal(ours.idf_, theirs.idf_)
    queries = ["数控机床热误差", "电池材料 T700", "", "未见过的字"]
    assert _same(ours.transform(queries), theirs.transform(queries))
    given = CharTfidfVectorizer(**{**args, "vocabulary": theirs.vocabulary_})  # as LexicalVectorizer.load builds it
    given.idf_ = theirs.idf_
    assert _same(given.transform(queries), theirs.transform(queries))


def test_keys_sort_as_strings_and_decode() -> None:
    terms = ["a", "ab", "abc", "b", "数", "数控", "数控机", "𠀀", "z字"]
    keys = np.array([key_of(t) for t in terms], dtype=np.int64)
    assert [terms[i] for i in np.argsort(keys)] == sorted(terms)
    assert terms_of(keys) == terms


def test_longer_ngrams_and_empty_corpus_go_the_scikit_learn_way() -> None:
    wide = CharTfidfVectorizer(analyzer="char", ngram_range=(2, 4), dtype=np.float32)
    assert _same(wide.fit_transform(DOCS), TfidfVectorizer(analyzer="char", ngram_range=(2, 4),
                                                           dtype=np.float32).fit_transform(DOCS))
    with pytest.raises(ValueError, match="empty vocabulary"):
        CharTfidfVectorizer(analyzer="char", preprocessor=content_chars).fit(["", ""])
