"""Lexical (sparse) text representation: TF-IDF over jieba content words + character n-grams (the n-grams
counted with numpy: :class:`~nlp.char_ngrams.CharTfidfVectorizer`, scikit-learn's output at a third of the time).

The two TF-IDF blocks are L2-normalised, weighted and stacked, and every row is L2-normalised
again, so ``A @ B.T`` is a cosine in [0, 1]. It complements the dense embedding: exact technical
terms, model numbers and rare names that a static embedding blurs. Fitted on the stored corpus
(IDF); saved as JSON + NPZ (no pickle).
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2_rows

from nlp.char_ngrams import CharTfidfVectorizer
from nlp.text import normalize
from nlp.tokenize import Tokenizer

_NOT_CONTENT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")


def content_chars(text: str, *, normalized: bool = False) -> str:
    """Normalised, lower-cased text with punctuation and spaces folded to one space (``normalized``: the
    text went through :func:`nlp.text.normalize` already)."""
    return _NOT_CONTENT.sub(" ", (text if normalized else normalize(text)).lower())


class LexicalVectorizer:
    """TF-IDF of jieba words and char n-grams, stacked with weights, rows L2-normalised.

    ``tokenizer``: the jieba :class:`~nlp.tokenize.Tokenizer` for the word block (the service passes
    its one instance; without one, ``fit`` builds its own with the shipped dictionary).
    """

    def __init__(self, char_ngram: tuple[int, int] = (1, 3), word_weight: float = 0.5,
                 min_df: int = 1, max_features: int | None = 200_000, sublinear_tf: bool = True,
                 tokenizer: Tokenizer | None = None):
        self.tokenizer = tokenizer
        self.char_ngram = tuple(char_ngram)
        self.word_weight = float(word_weight)
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    def _make(self, vocab_words: dict[str, int] | None = None, vocab_chars: dict[str, int] | None = None):
        self._own_tokenizer()
        words = TfidfVectorizer(analyzer=self._words, min_df=self.min_df, max_features=self.max_features,
                                sublinear_tf=self.sublinear_tf, vocabulary=vocab_words, dtype=np.float32)
        chars = CharTfidfVectorizer(analyzer="char", ngram_range=self.char_ngram, preprocessor=content_chars,
                                min_df=self.min_df, max_features=self.max_features,
                                sublinear_tf=self.sublinear_tf, vocabulary=vocab_chars, dtype=np.float32)
        return words, chars

    def _own_tokenizer(self) -> Tokenizer:
        if getattr(self, "tokenizer_", None) is None:
            self.tokenizer_ = self.tokenizer if self.tokenizer is not None else Tokenizer()
        return self.tokenizer_

    def cut(self, texts: Sequence[str], *, normalized: bool = False) -> list[list[str]]:
        """Each text's content words as the word block reads them (this vectoriser's tokenizer): cut once,
        pass them as ``words`` to :meth:`fit`, :meth:`transform` or :meth:`blocks`."""
        tokenizer = self._own_tokenizer()
        return [tokenizer.words(t, normalized=normalized) for t in texts]

    def _words(self, doc: str | list[str]) -> list[str]:
        """Content words of a text, or the words themselves when the caller already cut them."""
        return doc if isinstance(doc, list) else self.tokenizer_.words(doc)

    def fit(self, texts: Sequence[str], y: object = None, *, words: Sequence[list[str]] | None = None
            ) -> "LexicalVectorizer":
        """Learn both vocabularies and IDF weights from ``texts`` (``words`` as in :meth:`fit_transform`)."""
        texts = list(texts)
        self.words_, self.chars_ = self._make()
        self.words_.fit(_word_docs(texts, words))
        self.chars_.fit(texts)
        _drop_pruned(self.words_, self.chars_)
        return self

    def transform(self, texts: Sequence[str], *, words: Sequence[list[str]] | None = None,
                  normalized: bool = False) -> sp.csr_matrix:
        """``(n, n_features)`` float32 CSR, rows L2-normalised (empty rows stay zero); ``words`` as in
        :meth:`fit_transform` (the caller's cut of the same texts: jieba runs once); ``normalized``: the texts
        went through :func:`nlp.text.normalize` already (it runs once per text, not once per block)."""
        return self.stack(*self.blocks(texts, words=words, normalized=normalized))

    def blocks(self, texts: Sequence[str], *, words: Sequence[list[str]] | None = None,
               normalized: bool = False) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """The two TF-IDF blocks of ``texts`` apart (jieba words, char n-grams), each row L2-normalised; the
        texts are normalised and cut once (``words``/``normalized`` as in :meth:`transform`), and the char
        block is counted by :class:`~nlp.char_ngrams.CharTfidfVectorizer` (numpy, same counts as scikit-learn)."""
        if not hasattr(self, "words_"):
            raise RuntimeError("LexicalVectorizer is not fitted / 词法向量器尚未训练")
        texts = list(texts)
        if not normalized:
            texts = [normalize(t) for t in texts]
        if words is None:
            words = self.cut(texts, normalized=True)
        word_block = self.words_.transform(_word_docs(texts, words)).astype(np.float32).tocsr()
        return word_block, self.chars_.transform(texts).astype(np.float32).tocsr()  # normalising again is ~free

    def stack(self, words: sp.spmatrix, chars: sp.spmatrix) -> sp.csr_matrix:
        """The hybrid rows of the two blocks: weighted, stacked, L2-normalised (a dot product is a cosine)."""
        ww = np.float32(np.sqrt(self.word_weight))  # float32 scalars: a float64 one would copy the matrix up
        wc = np.float32(np.sqrt(1.0 - self.word_weight))
        x = sp.hstack([words * ww, chars * wc], format="csr", dtype=np.float32)
        x.eliminate_zeros()  # a block weighted 0 stores nothing
        return l2_rows(x, copy=False)

    def fit_transform(self, texts: Sequence[str], y: object = None, *, words: Sequence[list[str]] | None = None
                      ) -> sp.csr_matrix:
        """:meth:`fit` then :meth:`transform` of the same texts, tokenising each text once (jieba is the cost);
        ``words``: each text's content words when the caller already cut them (:meth:`Tokenizer.content_words`)."""
        texts = list(texts)
        self.words_, self.chars_ = self._make()
        x = self.stack(self.words_.fit_transform(_word_docs(texts, words)), self.chars_.fit_transform(texts))
        _drop_pruned(self.words_, self.chars_)
        return x

    @property
    def n_features(self) -> int:
        return len(self.words_.vocabulary_) + len(self.chars_.vocabulary_)

    def save(self, path: str | Path) -> None:
        """Write ``<path>.json`` (params, vocabularies) and ``<path>.npz`` (IDF weights)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"params": {"char_ngram": list(self.char_ngram), "word_weight": self.word_weight,
                           "min_df": self.min_df, "max_features": self.max_features,
                           "sublinear_tf": self.sublinear_tf},
                "words": {k: int(v) for k, v in self.words_.vocabulary_.items()},
                "chars": {k: int(v) for k, v in self.chars_.vocabulary_.items()}}
        path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(path.with_suffix(".npz"), idf_words=self.words_.idf_, idf_chars=self.chars_.idf_)

    @classmethod
    def load(cls, path: str | Path, tokenizer: Tokenizer | None = None) -> "LexicalVectorizer":
        """Read what :meth:`save` wrote (``tokenizer`` as in the constructor)."""
        path = Path(path)
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        params = meta["params"]
        self = cls(char_ngram=tuple(params["char_ngram"]), word_weight=params["word_weight"],
                   min_df=params["min_df"], max_features=params["max_features"],
                   sublinear_tf=params["sublinear_tf"], tokenizer=tokenizer)
        arrays = np.load(path.with_suffix(".npz"))
        self.words_, self.chars_ = self._make(meta["words"], meta["chars"])
        self.words_.idf_ = arrays["idf_words"]
        self.chars_.idf_ = arrays["idf_chars"]
        return self


def _drop_pruned(*vectorizers: TfidfVectorizer) -> None:
    """Forget the terms ``min_df``/``max_features`` pruned (``stop_words_``: every n-gram seen once, often more
    than the vocabulary kept; scikit-learn documents it as safe to delete)."""
    for v in vectorizers:
        if hasattr(v, "stop_words_"):
            del v.stop_words_


def _word_docs(texts: list[str], words: Sequence[list[str]] | None) -> list[str] | list[list[str]]:
    """What the word block reads: the caller's content words of each text when given (one per text), else the texts."""
    if words is None:
        return texts
    if len(words) != len(texts):
        raise ValueError(f"words for {len(words)} texts, {len(texts)} texts given")
    return [list(w) for w in words]


# How the service combines the two signals, per use (measured in bench/embedding_bench.py; see
# models/jiebang-static-zh/README.md, bench/cluster_bench.py): pairwise similarity (duplicates, matching),
# supervised labelling and clustering demands (matching.clusters.cluster_features) gain from the lexical half.
SERVICE_REPRESENTATION: dict[str, str] = {"similarity": "hybrid", "cluster": "hybrid", "classify": "hybrid"}
DENSE_WEIGHT = 0.5


def hybrid_features(dense: np.ndarray, lexical: sp.spmatrix, dense_weight: float = DENSE_WEIGHT) -> sp.csr_matrix:
    """Stack ``√w·dense`` and ``√(1-w)·lexical`` (both row-normalised) so that a dot product of two
    rows is ``w·cos_dense + (1-w)·cos_lexical``; usable by KMeans / logistic regression as is."""
    dense = np.asarray(dense, dtype=np.float32)
    return sp.hstack([sp.csr_matrix(dense * np.sqrt(dense_weight)),
                      sp.csr_matrix(lexical) * np.float32(np.sqrt(1.0 - dense_weight))], format="csr")


def hybrid_score(dense_cos: np.ndarray | float, lexical_cos: np.ndarray | float,
                 dense_weight: float = DENSE_WEIGHT) -> np.ndarray | float:
    """``w·cos_dense + (1-w)·cos_lexical``: the service's text similarity."""
    return dense_weight * dense_cos + (1.0 - dense_weight) * lexical_cos
