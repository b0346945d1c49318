"""Duplicate demands: score a demand against the stored corpus, and link a whole round (groups: :mod:`matching.dedup_groups`).

Three signals are combined into one calibrated probability (a logistic model whose weights and
thresholds are learned on generated train-side data, see :mod:`matching.calibration`):
  (a) near-exact text overlap — containment and Jaccard of character shingles, with corpus-common
      shingles (form boilerplate) ignored, so reordered sentences, inserted boilerplate,
      truncation and merged paragraphs still match;
  (b) semantic similarity — cosine of the embedder's vectors;
  (c) enterprise signals — same enterprise (org key / credit code), group, contact phone or
      e-mail — a fixed prior added to the logit (the strongest signal that fired; they are
      correlated, so they do not add up): they make a textual match more likely a
      resubmission, never a duplicate on their own.
Candidates come from the faiss index (dense), the shingle index (lexical) and the signal keys,
so nothing compares all pairs. Verdicts: ``duplicate`` (the same text, lightly edited),
``near_duplicate`` (a rewording), ``related`` (worth a look), or ``none``.

Pure: ids, texts, vectors and signal values in; plain data out. :func:`matching.duplicate_evidence.evidence`
gives the overlapping sentences (offsets in both texts), shared key terms and the signals that fired.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from matching.duplicate_model import (FEATURES, MIN_COMPARE_CHARS, SHORT_CHARS, SIGNAL_KINDS, VERDICTS,  # noqa: F401
                                      DuplicateModelError, DuplicateParams, fired_signals, pair_features,
                                      probability, signal_offset, verdicts)
from matching.shingle_index import ShingleIndex
from nlp.shingles import DEFAULT_K, content_chars, overlap, shingles

_EMPTY_SET = np.zeros(0, dtype=np.uint64)


@dataclass(frozen=True)
class Candidate:
    """One stored demand that may duplicate the query, with the figures behind its score."""

    id: int
    score: float
    verdict: str
    containment: float
    jaccard: float
    dense: float
    signals: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["signals"] = list(self.signals)
        for key in ("score", "containment", "jaccard", "dense"):
            d[key] = round(float(d[key]), 4)
        return d


class DuplicateDetector:
    """Finds stored demands that duplicate a new one (scikit-learn style: params, ``fit``, pure queries).

    ``fit(ids, texts, vectors, signals)`` indexes the stored corpus (texts normalised, vectors
    L2-normalised, signals per demand ``{"org", "group", "phone", "email"}`` → value or None);
    :meth:`add`/:meth:`remove` keep it in step with storage; :meth:`check` scores a new demand.
    """

    def __init__(self, params: DuplicateParams | None = None, k: int = DEFAULT_K, n_dense: int = 20,
                 n_lexical: int = 20, max_signal_candidates: int = 50, index_params: Mapping[str, Any] | None = None,
                 relearn_min: int = 50, threads: int | None = None):
        self.params = params
        self.k = k
        self.n_dense = n_dense
        self.n_lexical = n_lexical
        self.max_signal_candidates = max_signal_candidates
        self.index_params = index_params
        self.relearn_min = relearn_min
        self.threads = threads  # faiss's threads for the dense index's calls (:class:`matching.index.VectorIndex`)

    @property
    def params_(self) -> DuplicateParams:
        return self.params or DuplicateParams()

    # --- fitting and keeping in sync ----------------------------------------------------------
    def fit(self, ids: Sequence[int], texts: Sequence[str], vectors: np.ndarray,
            signals: Sequence[Mapping[str, str | None] | None] | None = None) -> "DuplicateDetector":
        """Index a corpus: learn its common shingles, build the lexical, dense and signal indexes."""
        from matching.index import VectorIndex

        vectors = np.asarray(vectors, dtype=np.float32)
        if len(ids) != len(texts) or len(ids) != len(vectors):
            raise ValueError("ids, texts and vectors must have the same length")
        self.dim_ = int(vectors.shape[1]) if vectors.ndim == 2 and vectors.shape[1] else 0
        chars = [content_chars(t) for t in texts]
        sets = [shingles(c, self.k, prepared=True) for c in chars]
        self.index_ = ShingleIndex(**dict(self.index_params or {})).fit(sets)
        self.fitted_size_ = len(ids)
        self.dense_ = VectorIndex(self.dim_, threads=self.threads)
        self.chars_: list[str] = []
        self._shingle_cache: dict[int, np.ndarray] = {}
        self.ids_ = np.zeros(0, dtype=np.int64)
        self.pos_of_: dict[int, int] = {}
        self._vectors = np.zeros((max(16, len(ids)), self.dim_), dtype=np.float32)  # grows by doubling
        self.signals_: list[dict[str, str]] = []
        self.by_signal_: dict[tuple[str, str], list[int]] = {}
        self._append(ids, chars, vectors, signals, positions=np.arange(len(ids)))
        return self

    def add(self, ids: Sequence[int], texts: Sequence[str], vectors: np.ndarray,
            signals: Sequence[Mapping[str, str | None] | None] | None = None, *, dense: bool = True,
            prepared: Sequence[tuple[str, np.ndarray]] | None = None) -> None:
        """Index more stored demands (an id already present is replaced). ``dense=False``: not into the vector
        index (a batch checked in order searches its own vectors); ``prepared``: each text's content characters
        and shingles, already computed."""
        known = [i for i in ids if int(i) in self.pos_of_]
        if known:
            self.remove(known)
        prepared = self.prepare(texts) if prepared is None else prepared
        chars, sets = [c for c, _ in prepared], [h for _, h in prepared]
        positions = self.index_.add(sets)
        self._append(ids, chars, np.asarray(vectors, dtype=np.float32), signals, positions, dense=dense)
        if prepared is not None:
            self._shingle_cache.update(zip(positions.tolist(), sets))
        if len(self) >= max(self.relearn_min, 2 * self.fitted_size_):
            self.relearn()

    def prepare(self, texts: Sequence[str]) -> list[tuple[str, np.ndarray]]:
        """Each text's content characters and shingles, as :meth:`add` takes them (``prepared``): pure, so a
        caller can work them out without holding what guards the detector."""
        chars = [content_chars(t) for t in texts]
        return [(c, shingles(c, self.k, prepared=True)) for c in chars]

    def relearn(self) -> None:
        """Re-learn the common shingles (boilerplate) from the demands indexed now, and re-index them.

        Called by :meth:`add` whenever the corpus has doubled since the last fit, so a service that
        started empty learns its forms' boilerplate as demands arrive (dense index untouched)."""
        alive = np.zeros(len(self.chars_), dtype=bool)
        alive[list(self.pos_of_.values())] = True
        sets = [shingles(c, self.k, prepared=True) if ok else _EMPTY_SET for c, ok in zip(self.chars_, alive)]
        self.index_ = ShingleIndex(**dict(self.index_params or {})).fit(sets)
        self.index_.remove(np.flatnonzero(~alive))
        self.fitted_size_ = len(self)

    def _append(self, ids: Sequence[int], chars: list[str], vectors: np.ndarray,
                signals: Sequence[Mapping[str, str | None] | None] | None, positions: np.ndarray,
                dense: bool = True) -> None:
        ids_arr = np.asarray(list(ids), dtype=np.int64)
        self.chars_.extend(chars)
        self.ids_ = np.concatenate([self.ids_, ids_arr])
        n = len(self.ids_)
        if n > len(self._vectors):  # amortised growth: an intake add must not copy the whole matrix
            grown = np.zeros((max(n, 2 * len(self._vectors)), self.dim_), dtype=np.float32)
            grown[: n - len(ids_arr)] = self._vectors[: n - len(ids_arr)]
            self._vectors = grown
        self._vectors[n - len(ids_arr):n] = vectors.reshape(len(ids_arr), self.dim_)
        for pos, i in zip(positions.tolist(), ids_arr.tolist()):
            self.pos_of_[i] = pos
        for pos, sig in zip(positions.tolist(), signals or [None] * len(ids_arr)):
            clean = {k: str(v) for k, v in (sig or {}).items() if k in SIGNAL_KINDS and v}
            self.signals_.append(clean)
            for kv in clean.items():
                self.by_signal_.setdefault(kv, []).append(pos)
        if len(ids_arr) and dense:
            self.dense_.add(ids_arr, vectors.reshape(len(ids_arr), self.dim_))

    def remove(self, ids: Iterable[int]) -> None:
        """Forget stored demands (deleted or withdrawn)."""
        ids = [int(i) for i in ids if int(i) in self.pos_of_]
        if not ids:
            return
        positions = [self.pos_of_.pop(i) for i in ids]
        self.index_.remove(positions)
        self.dense_.remove(np.asarray(ids, dtype=np.int64))
        for pos in positions:
            for kv in self.signals_[pos].items():
                self.by_signal_[kv].remove(pos)
            self.signals_[pos] = {}

    def __len__(self) -> int:
        return len(self.pos_of_)

    @property
    def vectors_(self) -> np.ndarray:
        """Vectors by position (removed positions keep their old rows)."""
        return self._vectors[: len(self.ids_)]

    # --- queries ------------------------------------------------------------------------------
    def check(self, text: str, vector: np.ndarray, signals: Mapping[str, str | None] | None = None, *,
              exclude: Iterable[int] = (), top: int = 10, min_verdict: str = "related",
              scored: dict[Any, Any] | None = None, keep: Any = None) -> list[Candidate]:
        """Stored demands that may duplicate ``text``, best first, down to ``min_verdict``.

        ``scored``: the caller's memo for checking the SAME query again after more demands were added
        (intake checks before it takes its lock, then again under it): a pair's score depends only on the
        two demands and the common shingles, so positions scored before are reused while the common
        shingles have not been re-learned; only the demands added since are scored anew."""
        chars = content_chars(text)
        vector = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        dense_ids = None
        if len(self.dense_):
            _, found = self.dense_.search(vector, min(self.n_dense, len(self.dense_)))
            dense_ids = found[0]
        return self.check_prepared(chars, shingles(chars, self.k, prepared=True), vector[0], signals, dense_ids,
                                   exclude=exclude, top=top, min_verdict=min_verdict, scored=scored, keep=keep)

    def check_prepared(self, chars: str, hashes: np.ndarray, vector: np.ndarray,
                       signals: Mapping[str, str | None] | None, dense_ids: np.ndarray | None, *,
                       exclude: Iterable[int] = (), top: int = 10, min_verdict: str = "related",
                       scored: dict[Any, Any] | None = None, keep: Any = None) -> list[Candidate]:
        """:meth:`check` of a text already reduced to content characters and shingles, with its dense
        neighbours' ids already searched (``dense_ids``; :mod:`matching.duplicate_batch` searches a whole
        batch at once); ``keep``: a predicate on candidate ids (None: all)."""
        positions: set[int] = set()
        if dense_ids is not None:
            positions.update(self.pos_of_[i] for i in dense_ids.tolist() if i in self.pos_of_)
        lex, _ = self.index_.query(hashes, self.n_lexical)
        positions.update(lex.tolist())
        clean = {k: str(v) for k, v in (signals or {}).items() if k in SIGNAL_KINDS and v}
        for kv in clean.items():
            positions.update(self.by_signal_.get(kv, [])[-self.max_signal_candidates:])
        excluded = {int(i) for i in exclude}
        cand = [p for p in sorted(positions) if int(self.ids_[p]) not in excluded
                and self.pos_of_.get(int(self.ids_[p])) == p and (keep is None or keep(int(self.ids_[p])))]
        if not cand:
            return []
        floor = VERDICTS.index(min_verdict)
        if scored is None:
            out = self._score(hashes, len(chars), vector, clean, np.asarray(cand), floor=floor)
        else:
            if scored.get("index") is not self.index_:  # common shingles re-learned: every score may move
                scored.clear()
                scored["index"] = self.index_
            todo = [p for p in cand if p not in scored]
            if todo:
                scored.update(zip(todo, self._score(hashes, len(chars), vector, clean, np.asarray(todo))))
            out = [scored[p] for p in cand]
        out = [c for c in out if VERDICTS.index(c.verdict) <= floor]
        return sorted(out, key=lambda c: (-c.score, c.id))[:top]

    def _score(self, hashes: np.ndarray, n_chars: int, vector: np.ndarray, signals: Mapping[str, str],
               cand: np.ndarray, floor: int | None = None) -> list[Candidate]:
        """Score the candidates at positions ``cand``: all of them, in order (or, with ``floor``, only those whose
        verdict reaches ``VERDICTS[floor]``)."""
        cont, jac = self._overlaps(self.index_.strip_common(hashes), cand)
        dense = self.vectors_[cand] @ vector
        lengths = np.minimum(n_chars, [len(self.chars_[p]) for p in cand.tolist()])
        query = [(k, signals[k]) for k in SIGNAL_KINDS if signals and signals.get(k)]
        fired = [tuple(k for k, v in query if self.signals_[p].get(k) == v) for p in cand.tolist()] if query else \
            [()] * len(cand)
        offsets = {f: signal_offset(f, self.params_) for f in set(fired)}
        prob = probability(pair_features(cont, jac, dense, lengths), self.params_, np.array([offsets[f] for f in fired]))
        evidence = (cont > 0) | np.array([bool(f) for f in fired], dtype=bool)
        verd = verdicts(prob, cont, self.params_, evidence=evidence, short=np.asarray(lengths) < MIN_COMPARE_CHARS)
        return [Candidate(int(self.ids_[p]), float(pr), v, float(c), float(j), float(d), f)
                for p, pr, v, c, j, d, f in zip(cand.tolist(), prob.tolist(), verd, cont.tolist(), jac.tolist(),
                                                dense.tolist(), fired) if floor is None or VERDICTS.index(v) <= floor]

    def _overlaps(self, q: np.ndarray, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Containment and Jaccard of the query's shingles ``q`` with each candidate's (common ones stripped):
        :func:`nlp.shingles.overlap`'s figures, counted for all candidates in one ``isin``."""
        others = [self._stripped_at(p) for p in cand.tolist()]
        sizes = np.array([o.size for o in others], dtype=np.int64)
        ends = np.cumsum(sizes)
        if q.size and ends[-1]:
            flat = np.concatenate(others)  # q is sorted and unique: a hit is where searchsorted lands on it
            hits = np.concatenate([[0], np.cumsum(q[np.minimum(np.searchsorted(q, flat), q.size - 1)] == flat)])
            shared = hits[ends] - hits[ends - sizes]
        else:
            shared = np.zeros(len(others), dtype=np.int64)
        smaller, union = np.minimum(sizes, q.size), sizes + q.size - shared
        with np.errstate(divide="ignore", invalid="ignore"):
            return (np.where(smaller > 0, shared / np.maximum(smaller, 1), 0.0),
                    np.where(union > 0, shared / np.maximum(union, 1), 0.0))

    def _stripped_at(self, position: int) -> np.ndarray:
        """The shingles of an indexed demand without the common ones, kept until the common shingles are
        re-learned (a demand is compared again and again as demands arrive)."""
        if getattr(self, "_stripped_for", None) is not self.index_:
            self._stripped, self._stripped_for = {}, self.index_
        found = self._stripped.get(position)
        if found is None:
            found = self._stripped[position] = self.index_.strip_common(self._shingles_at(position))
        return found

    def _shingles_at(self, position: int) -> np.ndarray:
        """The shingles of an indexed demand, computed once when it is first a candidate (kept: a demand is
        compared again and again as demands arrive; only those ever compared are kept)."""
        found = self._shingle_cache.get(position)
        if found is None:
            found = self._shingle_cache[position] = shingles(self.chars_[position], self.k, prepared=True)
        return found

    def score_ids(self, text: str, vector: np.ndarray, signals: Mapping[str, str | None] | None,
                  ids: Iterable[int]) -> list[Candidate]:
        """Score ``text`` against the given stored ids whatever their verdict (unknown ids skipped)."""
        positions = [self.pos_of_[int(i)] for i in ids if int(i) in self.pos_of_]
        if not positions:
            return []
        chars = content_chars(text)
        clean = {k: str(v) for k, v in (signals or {}).items() if k in SIGNAL_KINDS and v}
        return self._score(shingles(chars, self.k, prepared=True), len(chars),
                           np.asarray(vector, dtype=np.float32).reshape(-1), clean, np.asarray(positions))

    def pair_feature_rows(self, texts_a: Sequence[str], texts_b: Sequence[str], dense: np.ndarray) -> np.ndarray:
        """Feature rows (:data:`FEATURES`) for explicit pairs."""
        cont, jac, lengths = [], [], []
        for a, b in zip(texts_a, texts_b):
            ca, cb = content_chars(a), content_chars(b)
            o = overlap(self.index_.strip_common(shingles(ca, self.k, prepared=True)),
                        self.index_.strip_common(shingles(cb, self.k, prepared=True)))
            cont.append(o.containment)
            jac.append(o.jaccard)
            lengths.append(min(len(ca), len(cb)))
        return pair_features(np.array(cont), np.array(jac), np.asarray(dense), np.array(lengths))

    # --- a whole round ------------------------------------------------------------------------
    def links(self, *, min_verdict: str = "near_duplicate") -> list[tuple[int, int, Candidate]]:
        """Every pair of indexed demands at or above ``min_verdict``: ``(id_a, id_b, candidate)``, id_a < id_b."""
        alive = sorted(self.pos_of_.values())
        if not alive:
            return []
        seen: dict[tuple[int, int], Candidate] = {}
        k = min(self.n_dense + 1, len(self.dense_))
        pos = np.asarray(alive)
        _, dense_ids = self.dense_.search(self.vectors_[pos], k)
        floor = VERDICTS.index(min_verdict)
        for row, p in enumerate(alive):
            my_id = int(self.ids_[p])
            chars = self.chars_[p]
            hashes = shingles(chars, self.k, prepared=True)
            cand = {self.pos_of_[i] for i in dense_ids[row].tolist() if i in self.pos_of_}
            cand.update(self.index_.query(hashes, self.n_lexical)[0].tolist())
            for kv in self.signals_[p].items():
                cand.update(self.by_signal_.get(kv, [])[-self.max_signal_candidates:])
            cand = [c for c in cand if c != p and (min(my_id, int(self.ids_[c])), max(my_id, int(self.ids_[c])))
                    not in seen and self.pos_of_.get(int(self.ids_[c])) == c]
            if not cand:
                continue
            for c in self._score(hashes, len(chars), self.vectors_[p], self.signals_[p], np.asarray(sorted(cand))):
                key = (min(my_id, c.id), max(my_id, c.id))
                if VERDICTS.index(c.verdict) <= floor:
                    seen[key] = c
        return [(a, b, c) for (a, b), c in sorted(seen.items())]
