"""TF-IDF of character n-grams counted with numpy: scikit-learn's ``TfidfVectorizer(analyzer="char")``, the same
vocabulary, columns, pruning and weights, without a Python string per n-gram.

Why: the char block of :class:`~nlp.lexical.LexicalVectorizer` is the costliest step of condensing a round
(5,000 demands: ~4.5 million 1–3-grams, each a Python string, a dict lookup and a small allocation the heap
keeps afterwards; 3 s to fit, 2.5 s to transform, ~90 MB). Here every text becomes an array of code points, an
n-gram of up to three characters one 63-bit integer (21 bits per character, shifted by one so that a shorter
n-gram sorts before its extensions: integer order is scikit-learn's alphabetical column order), and counts are
``np.unique`` over (text, n-gram) pairs. The result equals scikit-learn's to the bit
(``tests/test_char_ngrams.py``); n-grams longer than three characters go the scikit-learn way.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

BITS = 21  # every code point (≤ 0x10FFFF) plus one fits
MAX_N = 3  # three characters in 63 bits
CHUNK = 512  # texts counted per step: the position arrays stay a few MB


def ngram_keys(codes: np.ndarray, lengths: np.ndarray, ngram_range: tuple[int, int]
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(row, key, order)`` of every n-gram occurrence of the texts whose code points (each plus one) are
    ``codes``, concatenated, ``lengths`` long: the key of ``c1 c2 c3`` is ``c1<<42 | c2<<21 | c3`` (missing places
    0); ``order`` sorts occurrences as scikit-learn's analyzer yields them (by text, then n, then position)."""
    starts = np.concatenate([[0], np.cumsum(lengths)])
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    rows, keys, orders = [], [], []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        pos = np.flatnonzero(np.arange(len(codes)) + n <= starts[row_of + 1])
        key = np.zeros(len(pos), dtype=np.int64)
        for k in range(n):
            key |= codes[pos + k] << (BITS * (MAX_N - 1 - k))
        rows.append(row_of[pos])
        keys.append(key)
        orders.append((row_of[pos] << 34) | (n << 31) | (pos - starts[row_of[pos]]))
    return np.concatenate(rows), np.concatenate(keys), np.concatenate(orders)


def key_of(term: str) -> int:
    """The key of one n-gram of one to three characters (as :func:`ngram_keys` packs it)."""
    key = 0
    for k, ch in enumerate(term):
        key |= (ord(ch) + 1) << (BITS * (MAX_N - 1 - k))
    return key


def terms_of(keys: np.ndarray) -> list[str]:
    """The n-grams of ``keys`` (inverse of :func:`key_of`): code points as UTF-32 strings, empty places dropped."""
    places = np.stack([(keys >> (BITS * (MAX_N - 1 - k))) & ((1 << BITS) - 1) for k in range(MAX_N)], axis=1)
    if len(places) and (places == 1).any():  # a NUL character: numpy would drop it as padding
        return ["".join(chr(c - 1) for c in row if c) for row in places.tolist()]
    chars = np.where(places > 0, places - 1, 0).astype(np.uint32)
    return np.ascontiguousarray(chars).view(f"<U{MAX_N}").ravel().tolist()


class CharTfidfVectorizer(TfidfVectorizer):
    """``TfidfVectorizer(analyzer="char", …)`` whose counting runs in numpy (same parameters, same output).

    Only the counting changes: the preprocessor, scikit-learn's white-space folding, ``min_df``/``max_df``/
    ``max_features`` pruning (the same ``argsort`` on the same float32 totals), the IDF and the norm are
    scikit-learn's own. ``vocabulary_`` is a dict as usual; its keys are kept sorted as integers for
    :meth:`transform` (computed once from a loaded vocabulary)."""

    def _fast(self) -> bool:
        return self.analyzer == "char" and 1 <= self.ngram_range[0] <= self.ngram_range[1] <= MAX_N

    def _texts(self, raw_documents: Iterable[str]) -> Iterator[list[str]]:
        """The texts as the char analyzer reads them (decoded, preprocessed, white space folded), in chunks."""
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        preprocess = self.build_preprocessor()
        chunk: list[str] = []
        for doc in raw_documents:
            chunk.append(self._white_spaces.sub(" ", preprocess(self.decode(doc))))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _occurrences(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        return ngram_keys(codes + 1, lengths, self.ngram_range)

    # ------------------------------------------------------------------ fit
    def fit(self, raw_documents: Iterable[str], y: object = None) -> "CharTfidfVectorizer":
        self.fit_transform(raw_documents)
        return self

    def fit_transform(self, raw_documents: Iterable[str], y: object = None) -> sp.spmatrix:
        if not self._fast() or self.vocabulary is not None:
            return super().fit_transform(raw_documents, y)
        self._validate_params()
        self._validate_ngram_range()
        self._validate_vocabulary()
        self._check_params()
        self._tfidf = TfidfTransformer(norm=self.norm, use_idf=self.use_idf, smooth_idf=self.smooth_idf,
                                       sublinear_tf=self.sublinear_tf)
        x = self._fit_counts(raw_documents)
        self._tfidf.fit(x)
        return self._tfidf.transform(x, copy=False)

    def _fit_counts(self, raw_documents: Iterable[str]) -> sp.csr_array:
        """The count matrix and ``vocabulary_`` as ``CountVectorizer.fit_transform`` leaves them, in two passes
        (statistics per n-gram, then the kept n-grams' counts: no array of every (text, n-gram) pair). A row's
        entries come in the order scikit-learn stores them: by when the corpus first showed each n-gram (its
        column slicing keeps that order, and sums over a row, e.g. its norm, follow it)."""
        chunks = list(self._texts(raw_documents))
        stats, n_doc = _NgramStats(), 0
        for texts in chunks:
            row, key, order = self._occurrences(texts)
            stats.add(row, key, order + (n_doc << 34))
            n_doc += len(texts)
        vocab, df, tf, first = stats.merged()
        if not len(vocab):
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        keep = self._kept(df, tf.astype(self.dtype), n_doc)
        self._keys, self._cols = vocab[keep], np.arange(int(keep.sum()))
        self.vocabulary_ = dict(zip(terms_of(self._keys), range(len(self._keys))))
        self._keys_of = self.vocabulary_
        by_rank = np.argsort(first[keep], kind="stable")  # slot → column, slots in first-seen order
        slot = np.empty_like(by_rank)
        slot[by_rank] = np.arange(len(by_rank))
        return self._counts(chunks, self._keys, slot, by_rank)

    def _counts(self, chunks: Iterable[list[str]], keys: np.ndarray, slot: np.ndarray, column: np.ndarray
                ) -> sp.csr_array:
        """Counts of the n-grams ``keys`` (sorted) in the texts: each key's entries are ordered in a row by its
        ``slot``, and ``column[slot]`` is its column."""
        width = max(len(slot), 1)
        indptr, slots, counts, n_doc = [np.zeros(1, np.int64)], [], [], 0
        for texts in chunks:
            row, key, _ = self._occurrences(texts)
            at = np.searchsorted(keys, key)
            hit = (at < len(keys)) & (keys[np.minimum(at, len(keys) - 1)] == key) if len(keys) else key < 0
            m = _row_counts(row[hit], slot[at[hit]], len(texts), width)
            indptr.append(m.indptr[1:].astype(np.int64) + indptr[-1][-1])
            slots.append(m.indices)
            counts.append(m.data)
            n_doc += len(texts)
        at, count = (np.concatenate(a) if a else np.zeros(0, np.int32) for a in (slots, counts))
        index = np.int32 if len(at) <= np.iinfo(np.int32).max else np.int64
        return sp.csr_array((count.astype(self.dtype), column[at].astype(index), np.concatenate(indptr).astype(index)),
                            shape=(n_doc, len(self.vocabulary_)))

    def _kept(self, dfs: np.ndarray, tfs: np.ndarray, n_doc: int) -> np.ndarray:
        """The columns ``CountVectorizer._limit_features`` keeps (``tfs``: column totals, as float32 as its sum)."""
        high = self.max_df if isinstance(self.max_df, Integral) else self.max_df * n_doc
        low = self.min_df if isinstance(self.min_df, Integral) else self.min_df * n_doc
        if high < low:
            raise ValueError("max_df corresponds to < documents than min_df")
        mask = (dfs <= high) & (dfs >= low)
        limit = self.max_features
        if limit is not None and mask.sum() > limit:
            mask_inds = (-tfs[mask]).argsort()[:limit]
            new_mask = np.zeros(len(dfs), dtype=bool)
            new_mask[np.where(mask)[0][mask_inds]] = True
            mask = new_mask
        if not mask.any():
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
        return mask

    # ------------------------------------------------------------------ transform
    def _count_vocab(self, raw_documents: Iterable[str], fixed_vocab: bool):
        """Counts over the fitted (or given) vocabulary, as scikit-learn's ``_count_vocab(…, fixed_vocab=True)``
        (a row's entries by column)."""
        if not (fixed_vocab and self._fast()):
            return super()._count_vocab(raw_documents, fixed_vocab)
        keys, cols = self._vocabulary_keys()
        return self.vocabulary_, self._counts(self._texts(raw_documents), keys, cols, np.arange(len(self.vocabulary_)))

    def _vocabulary_keys(self) -> tuple[np.ndarray, np.ndarray]:
        """``vocabulary_`` as sorted keys and their columns (n-grams outside the range can never match)."""
        if getattr(self, "_keys_of", None) is not self.vocabulary_:
            low, high = self.ngram_range
            pairs = sorted((key_of(t), c) for t, c in self.vocabulary_.items() if low <= len(t) <= high)
            self._keys = np.fromiter((k for k, _ in pairs), dtype=np.int64, count=len(pairs))
            self._cols = np.fromiter((c for _, c in pairs), dtype=np.int64, count=len(pairs))
            self._keys_of = self.vocabulary_
        return self._keys, self._cols


class _NgramStats:
    """Per n-gram key over the texts seen so far: in how many texts (df), how often (tf), and the first
    occurrence's ``order``; merged every few chunks, so memory follows the vocabulary, not the corpus."""

    MERGE_AT = 1_000_000  # pending per-chunk entries before a merge

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.pending = 0

    def add(self, row: np.ndarray, key: np.ndarray, order: np.ndarray) -> None:
        uniq, inv = np.unique(key, return_inverse=True)
        first = np.full(len(uniq), np.iinfo(np.int64).max)
        np.minimum.at(first, inv, order)
        df = np.bincount(_row_counts(row, inv, int(row.max(initial=-1)) + 1, len(uniq)).indices, minlength=len(uniq))
        self.parts.append((uniq, df.astype(np.int32), np.bincount(inv, minlength=len(uniq)).astype(np.int32), first))
        self.pending += len(uniq)
        if self.pending >= self.MERGE_AT:
            self.parts, self.pending = [self.merged()], 0

    def merged(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(keys sorted, df, tf, first order)`` of everything added."""
        if not self.parts:
            return tuple(np.zeros(0, np.int64) for _ in range(4))  # type: ignore[return-value]
        if len(self.parts) == 1:
            return self.parts[0]
        keys, df, tf, first = (np.concatenate(a) for a in zip(*self.parts))
        uniq, inv = np.unique(keys, return_inverse=True)
        low = np.full(len(uniq), np.iinfo(np.int64).max)
        np.minimum.at(low, inv, first)
        return (uniq, np.bincount(inv, weights=df, minlength=len(uniq)).astype(np.int32),
                np.bincount(inv, weights=tf, minlength=len(uniq)).astype(np.int32), low)


def _row_counts(row: np.ndarray, col: np.ndarray, n_rows: int, n_cols: int) -> sp.csr_array:
    """How often each (row, column) pair occurs, as a canonical CSR (a row's columns sorted, each once)."""
    m = sp.coo_array((np.ones(len(row), dtype=np.int32), (row, col)), shape=(n_rows, n_cols)).tocsr()
    m.sum_duplicates()
    return m
