"""Inverted index of sampled character shingles: lexical near-duplicate candidates in ~1 ms.

Each document is indexed by a consistent sample of its shingles (hash divisible by
``sample_mod``, at most ``max_per_doc`` of them, smallest hashes first — the same shingle is
sampled in every text), so the number of sampled shingles two texts share estimates their
containment. Shingles found in many *different* documents (form boilerplate, stock phrases) are
*common*: they are learned in :meth:`fit` and ignored, which is what makes inserted boilerplate
harmless. Copies of one document count once when learning (what twenty copies of a demand share is
the demand, not boilerplate), and a query made only of much-posted shingles still uses them.

Storage is a sorted ``(hash, position)`` array (searched with ``np.searchsorted``) plus a small
append buffer (a dict) for documents added after ``fit``; removal marks positions dead. Positions are
the caller's; the index never sees texts.
"""
from __future__ import annotations

import numpy as np

from nlp.shingles import sample

_EMPTY_U64 = np.zeros(0, dtype=np.uint64)
_EMPTY_I64 = np.zeros(0, dtype=np.int64)
BULK = 256  # documents added at once from which they skip the append buffer (a 3,000-demand file: ~1 s less)


class ShingleIndex:
    """Sampled-shingle inverted index over document positions 0..n-1.

    Parameters: ``sample_mod`` (keep hashes ≡ 0 mod this), ``max_per_doc`` (bottom-k cap),
    ``max_df`` (a shingle in more than this share of the documents is common), ``min_common``
    (but never common below this many documents, so a repeated demand stays visible),
    ``df_sample`` (documents used to learn common shingles), ``merge_every`` (buffered
    documents before the buffer is merged into the sorted arrays).
    """

    def __init__(self, sample_mod: int = 2, max_per_doc: int = 160, max_df: float = 0.01,
                 min_common: int = 20, df_sample: int = 5000, merge_every: int = 2000, seed: int = 0):
        self.sample_mod = sample_mod
        self.max_per_doc = max_per_doc
        self.max_df = max_df
        self.min_common = min_common
        self.df_sample = df_sample
        self.merge_every = merge_every
        self.seed = seed

    # --- learning -----------------------------------------------------------------------------
    def fit(self, shingle_sets: list[np.ndarray]) -> "ShingleIndex":
        """Learn the common shingles from (a sample of) the documents and index them all."""
        n = len(shingle_sets)
        rng = np.random.default_rng(self.seed)
        pick = rng.choice(n, size=min(n, self.df_sample), replace=False) if n else _EMPTY_I64
        families = _distinct([shingle_sets[i] for i in pick])
        if families:
            allh, counts = np.unique(np.concatenate(families), return_counts=True)
            bound = max(self.min_common, self.max_df * len(families))
            self.common_ = allh[counts > bound]
        else:
            self.common_ = _EMPTY_U64
        self.n_docs_ = 0
        self._alive = np.zeros(0, dtype=bool)  # grown by doubling: one document at a time must not copy them all
        self._sizes = np.zeros(0, dtype=np.int32)
        self.keys_ = _EMPTY_U64
        self.pos_ = _EMPTY_I64
        self._delta: dict[int, list[int]] = {}
        self._buffered = 0
        self.add(shingle_sets)
        self._merge()
        return self

    def strip_common(self, hashes: np.ndarray) -> np.ndarray:
        """``hashes`` without the common shingles learned in :meth:`fit`."""
        if not self.common_.size or not hashes.size:
            return hashes
        return hashes[~np.isin(hashes, self.common_, assume_unique=True)]

    def sketch(self, hashes: np.ndarray) -> np.ndarray:
        """The indexed sample of a (common-stripped) shingle set."""
        s = sample(hashes, self.sample_mod)
        if s.size < 3 <= hashes.size:  # very short text: index it whole rather than not at all
            s = hashes
        return s[: self.max_per_doc]  # hashes are sorted: bottom-k is a consistent sample

    # --- updates ------------------------------------------------------------------------------
    def add(self, shingle_sets: list[np.ndarray]) -> np.ndarray:
        """Index more documents; returns their positions."""
        start = self.n_docs_
        sketches = [self.sketch(self.strip_common(hashes)) for hashes in shingle_sets]
        sizes = np.fromiter((sk.size for sk in sketches), dtype=np.int32, count=len(sketches))
        bulk = len(sketches) >= BULK  # many documents: straight into the sorted arrays, not through the buffer
        if not bulk:
            for i, sk in enumerate(sketches):
                for h in sk.tolist():
                    self._delta.setdefault(h, []).append(start + i)
        end = start + len(shingle_sets)
        if end > len(self._alive):
            grown = max(end, 2 * len(self._alive), 16)
            self._alive = np.concatenate([self._alive[:start], np.zeros(grown - start, dtype=bool)])
            self._sizes = np.concatenate([self._sizes[:start], np.zeros(grown - start, dtype=np.int32)])
        self._alive[start:end], self._sizes[start:end] = True, sizes
        self.n_docs_ = end
        if bulk and sketches:
            self._merge(np.concatenate(sketches).astype(np.uint64, copy=False),
                        np.repeat(np.arange(start, end, dtype=np.int64), sizes))
            return np.arange(start, self.n_docs_, dtype=np.int64)
        self._buffered += len(shingle_sets)
        if self._buffered >= self.merge_every:
            self._merge()
        return np.arange(start, self.n_docs_, dtype=np.int64)

    @property
    def alive_(self) -> np.ndarray:
        """Whether each document position is still indexed."""
        return self._alive[: self.n_docs_]

    @property
    def sizes_(self) -> np.ndarray:
        """How many sampled shingles each document position has."""
        return self._sizes[: self.n_docs_]

    def remove(self, positions: np.ndarray | list[int]) -> None:
        """Forget documents (their postings are dropped at the next merge)."""
        self.alive_[np.asarray(positions, dtype=np.int64)] = False

    def _merge(self, more_keys: np.ndarray = _EMPTY_U64, more_pos: np.ndarray = _EMPTY_I64) -> None:
        """The buffered postings (and ``more_keys``/``more_pos``, a bulk add's) into the sorted arrays."""
        if not self._delta and not more_keys.size:
            return
        lengths = [len(v) for v in self._delta.values()]
        new_keys = np.repeat(np.fromiter(self._delta.keys(), dtype=np.uint64, count=len(lengths)), lengths)
        new_pos = np.fromiter((p for v in self._delta.values() for p in v), dtype=np.int64, count=sum(lengths))
        keys = np.concatenate([self.keys_, new_keys, more_keys])
        pos = np.concatenate([self.pos_, new_pos, more_pos])
        keep = self.alive_[pos]
        keys, pos = keys[keep], pos[keep]
        order = np.argsort(keys, kind="stable")
        self.keys_, self.pos_ = keys[order], pos[order]
        self._delta, self._buffered = {}, 0

    # --- queries ------------------------------------------------------------------------------
    def query(self, hashes: np.ndarray, k: int = 20, min_shared: int = 2) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` positions by estimated containment with a (full) shingle set.

        Returns ``(positions, estimates)``, best first; documents sharing fewer than
        ``min_shared`` sampled shingles (1 for very short texts) are left out.
        """
        sk = self.sketch(self.strip_common(hashes))
        if not sk.size or not self.n_docs_:
            return _EMPTY_I64, np.zeros(0)
        lo = np.searchsorted(self.keys_, sk, side="left")
        hi = np.searchsorted(self.keys_, sk, side="right")
        longest = max(self.min_common, int(self.max_df * self.n_docs_))  # grew common since fit
        spans = [(a, b) for a, b in zip(lo.tolist(), hi.tolist()) if b > a]
        usable = [(a, b) for a, b in spans if b - a <= longest]
        if len(usable) < min(min_shared, len(spans)):  # all much-posted: a text with many copies, not boilerplate
            usable = spans
        parts = [self.pos_[a:b] for a, b in usable]
        if self._delta:
            extra = [p for h in sk.tolist() for p in self._delta.get(h, ())]
            if extra:
                parts.append(np.asarray(extra, dtype=np.int64))
        if not parts:
            return _EMPTY_I64, np.zeros(0)
        found, shared = np.unique(np.concatenate(parts), return_counts=True)
        alive = self.alive_[found]
        found, shared = found[alive], shared[alive]
        need = min(min_shared, max(1, sk.size // 2))
        ok = shared >= need
        found, shared = found[ok], shared[ok]
        est = shared / np.maximum(1, np.minimum(sk.size, self.sizes_[found]))
        top = np.argsort(-est, kind="stable")[:k]
        return found[top], est[top]


def _distinct(shingle_sets: list[np.ndarray], signature: int = 8) -> list[np.ndarray]:
    """One shingle set per family of copies: sets with the same ``signature`` smallest hashes (a bottom-k
    MinHash signature, equal for copies and light edits of one text) count once."""
    seen: set[tuple[int, ...]] = set()
    out = []
    for hashes in shingle_sets:
        key = tuple(np.sort(hashes)[:signature].tolist())
        if key not in seen:
            seen.add(key)
            out.append(hashes)
    return out
