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
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from matching.shingle_index import ShingleIndex
from nlp.shingles import DEFAULT_K, content_chars, overlap, shingles

VERDICTS = ("duplicate", "near_duplicate", "related", "none")
SIGNAL_KINDS = ("org", "group", "phone", "email")
FEATURES = ("containment", "jaccard", "dense", "dense_short", "containment_short", "short")
_EMPTY_SET = np.zeros(0, dtype=np.uint64)
SHORT_CHARS = 40.0  # texts around this many characters or fewer count as "short" (questions, titles)
MIN_COMPARE_CHARS = 12  # fewer content characters than this: too short to call a rewording a duplicate


class DuplicateModelError(ValueError):
    """The duplicate model parameters are malformed (e.g. a hand-edited config file)."""


@dataclass(frozen=True)
class DuplicateParams:
    """Calibrated scoring model and verdict thresholds (stored in ``corpora/duplicates.yaml``).

    ``coef``/``intercept``: logistic weights over :data:`FEATURES`. A pair is ``near_duplicate``
    when its probability reaches ``near_duplicate``, ``duplicate`` when it also shares at least
    ``duplicate_containment`` of its shingles, ``related`` from ``related``. ``signal_logit``:
    prior log-odds per enterprise signal; the largest one that fired is added.
    """

    coef: tuple[float, ...] = (6.0, 4.0, 9.0, 0.0, 0.0, 0.0)
    intercept: float = -10.0
    near_duplicate: float = 0.5
    related: float = 0.2
    duplicate_containment: float = 0.8
    signal_logit: Mapping[str, float] = field(default_factory=lambda: {
        "org": 1.0, "group": 0.5, "phone": 0.75, "email": 0.75})
    metrics: Mapping[str, Any] = field(default_factory=dict)  # what calibration measured

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DuplicateParams":
        """Read parameters from a plain mapping (a YAML file)."""
        try:
            coef = tuple(float(data["coef"][name]) for name in FEATURES)
            th = data["thresholds"]
            return cls(coef=coef, intercept=float(data["intercept"]),
                       near_duplicate=float(th["near_duplicate"]), related=float(th["related"]),
                       duplicate_containment=float(th["duplicate_containment"]),
                       signal_logit={str(k): float(v) for k, v in data.get("signal_logit", {}).items()}
                       or cls().signal_logit,
                       metrics=dict(data.get("metrics", {})))
        except (KeyError, TypeError, ValueError) as exc:
            raise DuplicateModelError(f"bad duplicate model parameters: {exc!r}") from exc

    def to_dict(self) -> dict[str, Any]:
        """The YAML-ready mapping :meth:`from_dict` reads."""
        return {"coef": {n: round(float(c), 6) for n, c in zip(FEATURES, self.coef)},
                "intercept": round(float(self.intercept), 6),
                "thresholds": {"near_duplicate": round(self.near_duplicate, 6), "related": round(self.related, 6),
                               "duplicate_containment": round(self.duplicate_containment, 6)},
                "signal_logit": dict(self.signal_logit),
                "metrics": dict(self.metrics)}


def pair_features(containment: np.ndarray, jaccard: np.ndarray, dense: np.ndarray,
                  min_chars: np.ndarray) -> np.ndarray:
    """Feature rows (:data:`FEATURES`) for pairs; ``min_chars`` is the shorter text's length."""
    containment, jaccard, dense = (np.asarray(x, dtype=np.float64) for x in (containment, jaccard, dense))
    short = np.exp(-np.asarray(min_chars, dtype=np.float64) / SHORT_CHARS)
    return np.column_stack([containment, jaccard, dense, dense * short, containment * short, short])


def probability(features: np.ndarray, params: DuplicateParams, signal_logit: np.ndarray | None = None) -> np.ndarray:
    """Calibrated probability that each pair is a duplicate (logistic model + signal prior)."""
    z = features @ np.asarray(params.coef) + params.intercept
    if signal_logit is not None:
        z = z + signal_logit
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def verdicts(prob: np.ndarray, containment: np.ndarray, params: DuplicateParams,
             evidence: np.ndarray | None = None, short: np.ndarray | None = None) -> list[str]:
    """Verdict per pair from its probability and shingle containment.

    No verdict without evidence: a pair whose probability reaches ``near_duplicate`` stays ``related``
    unless ``evidence`` (a shared non-boilerplate phrase or an enterprise signal), and a pair with a text
    ``short`` of :data:`MIN_COMPARE_CHARS` is a duplicate only when it is (nearly) the same text.
    """
    n = len(np.asarray(prob))
    evidence = np.ones(n, dtype=bool) if evidence is None else np.asarray(evidence, dtype=bool)
    short = np.zeros(n, dtype=bool) if short is None else np.asarray(short, dtype=bool)
    out = []
    for p, c, e, sh in zip(np.asarray(prob).tolist(), np.asarray(containment).tolist(), evidence.tolist(),
                           short.tolist()):
        same_text = c >= params.duplicate_containment
        if p >= params.near_duplicate and e and (same_text or not sh):
            out.append("duplicate" if same_text else "near_duplicate")
        elif p >= params.near_duplicate:
            out.append("related")
        elif p >= params.related:
            out.append("related")
        else:
            out.append("none")
    return out


def fired_signals(a: Mapping[str, str | None] | None, b: Mapping[str, str | None] | None) -> list[str]:
    """Enterprise signal kinds whose (non-empty) values are equal in ``a`` and ``b``."""
    if not a or not b:
        return []
    return [k for k in SIGNAL_KINDS if a.get(k) and a.get(k) == b.get(k)]


def signal_offset(fired: Iterable[str], params: DuplicateParams) -> float:
    """Prior log-odds for the signals that fired: the strongest one (0 when none fired)."""
    return max((params.signal_logit.get(k, 0.0) for k in fired), default=0.0)


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
                 relearn_min: int = 50):
        self.params = params
        self.k = k
        self.n_dense = n_dense
        self.n_lexical = n_lexical
        self.max_signal_candidates = max_signal_candidates
        self.index_params = index_params
        self.relearn_min = relearn_min

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
        self.dense_ = VectorIndex(self.dim_)
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
            signals: Sequence[Mapping[str, str | None] | None] | None = None) -> None:
        """Index more stored demands (an id already present is replaced)."""
        known = [i for i in ids if int(i) in self.pos_of_]
        if known:
            self.remove(known)
        chars = [content_chars(t) for t in texts]
        positions = self.index_.add([shingles(c, self.k, prepared=True) for c in chars])
        self._append(ids, chars, np.asarray(vectors, dtype=np.float32), signals, positions)
        if len(self) >= max(self.relearn_min, 2 * self.fitted_size_):
            self.relearn()

    def relearn(self) -> None:
        """Re-learn the common shingles (boilerplate) from the demands indexed now, and re-index them.

        Called by :meth:`add` whenever the corpus has doubled since the last fit, so a service that
        started empty learns its forms' boilerplate as demands arrive (dense index untouched)."""
        alive = np.zeros(len(self.chars_), dtype=bool)
        alive[list(self.pos_of_.values())] = True
        sets = [shingles(c, self.k, prepared=True) if ok else _EMPTY_SET for c, ok in zip(self.chars_, alive)]
        self.index_ = ShingleIndex(**dict(self.index_params or {})).fit(sets)
        self._shingle_cache = {}  # stripped of the old common shingles
        self.index_.remove(np.flatnonzero(~alive))
        self.fitted_size_ = len(self)

    def _append(self, ids: Sequence[int], chars: list[str], vectors: np.ndarray,
                signals: Sequence[Mapping[str, str | None] | None] | None, positions: np.ndarray) -> None:
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
        if len(ids_arr):
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
              scored: dict[Any, Any] | None = None) -> list[Candidate]:
        """Stored demands that may duplicate ``text``, best first, down to ``min_verdict``.

        ``scored``: the caller's memo for checking the SAME query again after more demands were added
        (intake checks before it takes its lock, then again under it): a pair's score depends only on the
        two demands and the common shingles, so positions scored before are reused while the common
        shingles have not been re-learned; only the demands added since are scored anew."""
        chars = content_chars(text)
        hashes = shingles(chars, self.k, prepared=True)
        vector = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        positions: set[int] = set()
        if len(self.dense_):
            _, dense_ids = self.dense_.search(vector, min(self.n_dense, len(self.dense_)))
            positions.update(self.pos_of_[i] for i in dense_ids[0].tolist() if i in self.pos_of_)
        lex, _ = self.index_.query(hashes, self.n_lexical)
        positions.update(lex.tolist())
        clean = {k: str(v) for k, v in (signals or {}).items() if k in SIGNAL_KINDS and v}
        for kv in clean.items():
            positions.update(self.by_signal_.get(kv, [])[-self.max_signal_candidates:])
        excluded = {int(i) for i in exclude}
        cand = [p for p in sorted(positions) if int(self.ids_[p]) not in excluded
                and self.pos_of_.get(int(self.ids_[p])) == p]
        if not cand:
            return []
        if scored is None:
            out = self._score(hashes, len(chars), vector[0], clean, np.asarray(cand))
        else:
            if scored.get("index") is not self.index_:  # common shingles re-learned: every score may move
                scored.clear()
                scored["index"] = self.index_
            todo = [p for p in cand if p not in scored]
            if todo:
                scored.update(zip(todo, self._score(hashes, len(chars), vector[0], clean, np.asarray(todo))))
            out = [scored[p] for p in cand]
        floor = VERDICTS.index(min_verdict)
        out = [c for c in out if VERDICTS.index(c.verdict) <= floor]
        return sorted(out, key=lambda c: (-c.score, c.id))[:top]

    def _score(self, hashes: np.ndarray, n_chars: int, vector: np.ndarray, signals: Mapping[str, str],
               cand: np.ndarray) -> list[Candidate]:
        q = self.index_.strip_common(hashes)
        ov = [overlap(q, self._shingles_at(p)) for p in cand.tolist()]
        cont = np.array([o.containment for o in ov])
        jac = np.array([o.jaccard for o in ov])
        dense = self.vectors_[cand] @ vector
        lengths = np.minimum(n_chars, [len(self.chars_[p]) for p in cand.tolist()])
        fired = [tuple(fired_signals(signals, self.signals_[p])) for p in cand.tolist()]
        offsets = np.array([signal_offset(f, self.params_) for f in fired])
        prob = probability(pair_features(cont, jac, dense, lengths), self.params_, offsets)
        evidence = (cont > 0) | np.array([bool(f) for f in fired], dtype=bool)
        verd = verdicts(prob, cont, self.params_, evidence=evidence, short=np.asarray(lengths) < MIN_COMPARE_CHARS)
        return [Candidate(int(self.ids_[p]), float(pr), v, float(c), float(j), float(d), f)
                for p, pr, v, c, j, d, f in zip(cand.tolist(), prob, verd, cont, jac, dense, fired)]

    def _shingles_at(self, position: int) -> np.ndarray:
        """The shingles of an indexed demand without the common ones, computed once when it is first a candidate
        (kept until the common shingles are re-learned: a demand is compared again and again as demands arrive;
        only those ever compared are kept)."""
        found = self._shingle_cache.get(position)
        if found is None:
            found = self._shingle_cache[position] = self.index_.strip_common(
                shingles(self.chars_[position], self.k, prepared=True))
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
