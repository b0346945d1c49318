"""Vector index keyed by int64 storage ids: faiss inner product on L2-normalised vectors.

Up to ``exact_limit`` (200,000) vectors the index is exact (``IndexIDMap2(IndexFlatIP)``: every
search scans all vectors, ~10 ms per query at 200k × 256 on 2 cores). Once an ``add`` takes it
above the limit it is rebuilt, automatically, as an approximate ``IndexIVFFlat`` (inner product)
trained on the stored vectors, with ``nlist ≈ 4·√n`` lists and ``nprobe = 32``; it keeps
add/remove/save/load, and recall@10 stays above ~0.95 for embedding-like data. ``add`` is an
upsert: an id already present is replaced. Saved with ``faiss.write_index`` (type preserved).

``threads``: faiss's OpenMP thread count for this index's calls. libgomp keeps that count per calling
thread, so a count set once in a server's main thread does not reach its request threads: they ran with
one OpenMP thread per core, and on a busy 2-core machine a one-query search of 10,000 vectors took
~32 ms of spinning instead of ~0.3 ms (#21). So each call sets it in the thread that makes it (None:
leave the thread's count as it is).
"""
from __future__ import annotations

import math
from pathlib import Path

import faiss
import numpy as np

EXACT_LIMIT = 200_000
NPROBE = 32


class VectorIndexError(ValueError):
    """Bad input to the index (wrong dimension, ids/vectors length mismatch)."""


class VectorIndex:
    """Inner-product index over float32 vectors keyed by int64 ids (exact, then IVF above ``exact_limit``)."""

    def __init__(self, dim: int, exact_limit: int = EXACT_LIMIT, nprobe: int = NPROBE, threads: int | None = None):
        self.dim = int(dim)
        self.exact_limit = int(exact_limit)
        self.nprobe = int(nprobe)
        self.threads = threads
        self._index: faiss.Index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    # ------------------------------------------------------------------ basics
    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def is_exact(self) -> bool:
        """True while the index is the exact flat index."""
        return not isinstance(self._index, faiss.IndexIVF)

    def _vecs(self, vecs: np.ndarray) -> np.ndarray:
        vecs = np.ascontiguousarray(np.atleast_2d(np.asarray(vecs, dtype=np.float32)))
        if vecs.shape[1] != self.dim:
            raise VectorIndexError(f"向量维度错误 / expected dimension {self.dim}, got {vecs.shape[1]}")
        return vecs

    def _use_threads(self) -> None:
        """The calling thread's OpenMP thread count set to ``threads`` (a cheap check when it is already)."""
        if self.threads is not None and faiss.omp_get_max_threads() != self.threads:
            faiss.omp_set_num_threads(max(1, int(self.threads)))

    @staticmethod
    def _ids(ids: np.ndarray | list[int]) -> np.ndarray:
        return np.ascontiguousarray(np.asarray(ids, dtype=np.int64).reshape(-1))

    # ------------------------------------------------------------------ updates
    def add(self, ids: np.ndarray | list[int], vecs: np.ndarray) -> None:
        """Insert (or replace) vectors under ``ids``."""
        ids, vecs = self._ids(ids), self._vecs(vecs)
        if len(ids) != len(vecs):
            raise VectorIndexError(f"ids 与向量数量不一致 / {len(ids)} ids for {len(vecs)} vectors")
        if len(ids) == 0:
            return
        if len(np.unique(ids)) != len(ids):  # keep the last vector of a repeated id
            _, last = np.unique(ids[::-1], return_index=True)
            keep = np.sort(len(ids) - 1 - last)
            ids, vecs = ids[keep], vecs[keep]
        if self.is_exact:  # only ids present: a flat index's remove_ids rebuilds its id map (~0.3-1 ms at 10,000)
            present = ids[np.isin(ids, faiss.vector_to_array(self._index.id_map))] if len(self) else ids[:0]
        else:
            present = ids
        self.remove(present)
        self._use_threads()
        self._index.add_with_ids(vecs, ids)
        if self.is_exact and len(self) > self.exact_limit:
            self._to_approximate()

    def remove(self, ids: np.ndarray | list[int]) -> int:
        """Remove the given ids (absent ones are ignored); return how many were removed."""
        ids = self._ids(ids)
        if len(ids) == 0 or len(self) == 0:
            return 0
        self._use_threads()
        return int(self._index.remove_ids(faiss.IDSelectorBatch(ids)))

    # ------------------------------------------------------------------ queries
    def search(self, vecs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` ``(scores, ids)`` per query row, best first; ``k`` is capped at ``len(self)``.

        Slots the approximate index could not fill have id ``-1`` and score ``-inf``.
        """
        vecs = self._vecs(vecs)
        k = min(int(k), len(self))
        if k <= 0:
            return np.zeros((len(vecs), 0), np.float32), np.zeros((len(vecs), 0), np.int64)
        if not self.is_exact:
            self._index.nprobe = self.nprobe
        self._use_threads()
        scores, ids = self._index.search(vecs, k)
        scores[ids < 0] = -np.inf
        return scores, ids

    def ids(self) -> np.ndarray:
        """All stored ids (order unspecified)."""
        if self.is_exact:
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)
        invlists = self._index.invlists
        out = [faiss.rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy()
               for i in range(self._index.nlist) if invlists.list_size(i)]
        return np.concatenate(out).astype(np.int64) if out else np.zeros(0, np.int64)

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """``(ids, vectors)`` of everything stored (used to rebuild or convert the index)."""
        if self.is_exact:
            ids = self.ids()
            if len(ids) == 0:
                return ids, np.zeros((0, self.dim), np.float32)
            return ids, faiss.downcast_index(self._index.index).reconstruct_n(0, len(ids)).astype(np.float32)
        invlists = self._index.invlists
        all_ids, all_vecs = [], []
        for i in range(self._index.nlist):
            n = invlists.list_size(i)
            if n:
                all_ids.append(faiss.rev_swig_ptr(invlists.get_ids(i), n).copy())
                codes = faiss.rev_swig_ptr(invlists.get_codes(i), n * self.dim * 4).copy()
                all_vecs.append(codes.view(np.float32).reshape(n, self.dim))
        if not all_ids:
            return np.zeros(0, np.int64), np.zeros((0, self.dim), np.float32)
        return np.concatenate(all_ids).astype(np.int64), np.concatenate(all_vecs)

    # ------------------------------------------------------------------ building
    def _to_approximate(self) -> None:
        self._use_threads()
        ids, vecs = self.vectors()
        nlist = max(1, min(int(4 * math.sqrt(len(ids))), len(ids) // 39))  # ≥ 39 training points per list
        quantizer = faiss.IndexFlatIP(self.dim)
        ivf = faiss.IndexIVFFlat(quantizer, self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)
        sample = vecs[rng.choice(len(vecs), size=min(len(vecs), 256 * nlist), replace=False)]
        ivf.train(sample)
        ivf.add_with_ids(vecs, ids)
        ivf.nprobe = self.nprobe
        self._index = ivf

    @classmethod
    def from_arrays(cls, ids: np.ndarray | list[int], vecs: np.ndarray, exact_limit: int = EXACT_LIMIT) -> "VectorIndex":
        """Rebuild an index from stored ``(ids, vectors)`` (e.g. read back from the database)."""
        vecs = np.atleast_2d(np.asarray(vecs, dtype=np.float32))
        index = cls(vecs.shape[1], exact_limit=exact_limit)
        index.add(ids, vecs)
        return index

    def save(self, path: str | Path) -> None:
        """Write the index to ``path`` (parent folders are created)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self._index, str(tmp))
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path, exact_limit: int = EXACT_LIMIT, nprobe: int = NPROBE) -> "VectorIndex":
        """Read an index written by :meth:`save`."""
        raw = faiss.read_index(str(path))
        index = cls(raw.d, exact_limit=exact_limit, nprobe=nprobe)
        index._index = raw
        return index
