"""A batch of new demands (a file) checked for duplicates as one-by-one intake checks them, in order: intake
indexes a demand (flushed, with its id) and then searches, leaving itself out — so row *i* is scored against the
stored corpus and rows 0..i-1, with its own entry taking one of the dense and lexical slots and the common
shingles re-learned at the same points; the findings are the same. But the dense neighbours come from ONE
search of the whole batch against the stored vectors plus a blocked search of the batch against itself (rows up
to it only), instead of one search per row.

The fitted detector is not changed: :class:`InOrderCheck` copies what it appends to (the shingle index, the
signal lists, the positions), so other demands can be checked against the detector while a file is checked.
Pure: ids, texts, vectors and signals in; candidates out.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence

import faiss
import numpy as np

from matching.duplicates import Candidate, DuplicateDetector
from matching.index import VectorIndex
from nlp.shingles import content_chars, shingles

BLOCK = 512  # batch rows searched against each other at once (memory: BLOCK × batch floats at most)


def batch_neighbours(stored: VectorIndex, vectors: np.ndarray, ids: np.ndarray, k: int,
                     block: int = BLOCK) -> list[np.ndarray]:
    """For each batch row *i*, the ids of its ``k`` nearest vectors (inner product) among ``stored`` and the batch
    rows up to it (itself included), best first: what a search of an index holding those would return. Every inner product is
    faiss's (not a BLAS matrix product, whose rounding differs in the last bit and would reorder near-ties)."""
    n = len(vectors)
    if not n:
        return []
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if len(stored):
        s_scores, s_ids = stored.search(vectors, min(k, len(stored)))
    else:
        s_scores, s_ids = np.zeros((n, 0), np.float32), np.zeros((n, 0), np.int64)
    earlier = faiss.IndexFlatIP(vectors.shape[1])  # the batch rows of the blocks before
    out: list[np.ndarray] = []
    for b in range(0, n, block):
        e = min(n, b + block)
        q = vectors[b:e]
        scores, found = [s_scores[b:e]], [s_ids[b:e]]
        if earlier.ntotal:
            sc, pos = earlier.search(q, min(k, earlier.ntotal))
            scores.append(sc)
            found.append(np.where(pos >= 0, ids[np.maximum(pos, 0)], -1))
        own = faiss.IndexFlatIP(vectors.shape[1])  # within the block (faiss's arithmetic, as the other searches)
        own.add(q)
        sc, pos = own.search(q, e - b)
        sc[pos > np.arange(b, e)[:, None] - b] = -np.inf  # row i sees rows b..i only
        scores.append(sc)
        found.append(ids[b + pos])
        scores_all, found_all = np.concatenate(scores, axis=1), np.concatenate(found, axis=1)
        order = np.argsort(-scores_all, axis=1, kind="stable")[:, :k]
        for row in range(e - b):
            picked = order[row][np.isfinite(scores_all[row, order[row]])]
            out.append(found_all[row, picked])
        earlier.add(q)
    return out


class InOrderCheck:
    """Check a batch against a fitted :class:`DuplicateDetector` in order (see the module docstring).

    Build it while the detector is not being changed (it copies the detector's growing parts and searches the
    stored vectors once); :meth:`run` then needs no lock. Afterwards :meth:`against_batch` finds the batch rows a
    demand stored meanwhile pairs with."""

    def __init__(self, detector: DuplicateDetector, ids: Sequence[int], texts: Sequence[str], vectors: np.ndarray,
                 signals: Sequence[Mapping[str, str | None] | None]):
        self.ids = np.asarray(list(ids), dtype=np.int64)
        self.vectors = np.asarray(vectors, dtype=np.float32).reshape(len(self.ids), -1)
        self.texts, self.signals = list(texts), list(signals)
        self.sim = _private_copy(detector)
        self.neighbours = batch_neighbours(detector.dense_, self.vectors, self.ids, detector.n_dense)

    def run(self, *, top: int = 10, min_verdict: str = "related") -> list[list[Candidate]]:
        """Each row's candidates (stored ids, or the ids of earlier batch rows), as :meth:`DuplicateDetector.check`
        returns them to intake: the rows before it and itself indexed, itself left out."""
        sim, out = self.sim, []
        for i, (text, vector, sig, dense_ids) in enumerate(zip(self.texts, self.vectors, self.signals,
                                                             self.neighbours)):
            chars = content_chars(text)
            hashes = shingles(chars, sim.k, prepared=True)
            sim.add([int(self.ids[i])], [text], vector.reshape(1, -1), [sig], dense=False, prepared=[(chars, hashes)])
            out.append(sim.check_prepared(chars, hashes, vector, sig, dense_ids, exclude=[int(self.ids[i])], top=top,
                                          min_verdict=min_verdict))
        sim.dense_ = VectorIndex(self.vectors.shape[1], threads=sim.threads)  # the batch's own vectors, for :meth:`against_batch`
        sim.dense_.add(self.ids, self.vectors)
        return out

    def __getstate__(self) -> dict:
        """Pickled (to be checked in another process) without the stored vector index its detector copy shares with
        the live detector: the batch's neighbours in it are searched already, and :meth:`run` gives the copy the
        batch's own."""
        sim = copy.copy(self.sim)
        sim.dense_ = None
        return {**self.__dict__, "sim": sim}

    def against_batch(self, text: str, vector: np.ndarray, signals: Mapping[str, str | None] | None, *,
                      top: int = 10, min_verdict: str = "related") -> list[Candidate]:
        """The batch rows that ``text`` (a demand stored while the batch was checked) may duplicate; after
        :meth:`run`. Pair scores are symmetric, so each is also what that row would score against ``text``."""
        batch = set(self.ids.tolist())
        return self.sim.check(text, vector, signals, top=top, min_verdict=min_verdict, keep=batch.__contains__)


def _private_copy(detector: DuplicateDetector) -> DuplicateDetector:
    """A copy of ``detector`` that can be appended to without touching it (its vector index is not copied:
    the batch's neighbours are searched beforehand)."""
    sim = copy.copy(detector)
    sim.index_ = copy.deepcopy(detector.index_)
    sim.chars_ = list(detector.chars_)
    sim.pos_of_ = dict(detector.pos_of_)
    sim._vectors = detector._vectors.copy()
    sim.signals_ = list(detector.signals_)
    sim.by_signal_ = {kv: list(v) for kv, v in detector.by_signal_.items()}
    sim._shingle_cache = dict(detector._shingle_cache)
    sim._stripped, sim._stripped_for = dict(getattr(detector, "_stripped", {})), getattr(detector, "_stripped_for", None)
    if getattr(detector, "_stripped_for", None) is detector.index_:
        sim._stripped_for = sim.index_  # the copy of the same index: the stripped shingles still hold
    return sim
