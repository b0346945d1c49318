"""Character shingles of Chinese texts, for near-duplicate detection without word boundaries.

A text is reduced to its content characters (CJK, letters, digits; punctuation and white space
dropped, Latin lower-cased) and every run of ``k`` consecutive characters is hashed to a stable
64-bit integer (same value in every process, unlike Python's ``hash``). Sets of shingles give
*containment* (robust to inserted boilerplate, truncation and merged paragraphs) and *Jaccard*
(robust to reordered sentences). :func:`sentence_overlaps` finds the sentences two texts share,
with offsets into each normalised text, for highlighting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from nlp.text import Sentence, split_sentences

DEFAULT_K = 4
_BOUNDARY = re.compile(r"[。！？!?；;\n]+|(?<![0-9])\.(?![0-9])")
_DROP = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff|]+")
_SEP = "|"
_MULT = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime, used as the polynomial base
_EMPTY = np.zeros(0, dtype=np.uint64)


def content_chars(text: str) -> str:
    """``text`` lower-cased, reduced to CJK characters, letters and digits, with ``|`` between sentences.

    No shingle spans a sentence boundary, so reordering whole sentences changes nothing."""
    text = _BOUNDARY.sub(_SEP, text.lower().replace(_SEP, " "))
    return re.sub(r"\|{2,}", _SEP, _DROP.sub("", text)).strip(_SEP)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads polynomial hashes over all 64 bits (for mod-sampling)."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(31))


def shingles(text: str, k: int = DEFAULT_K, *, prepared: bool = False) -> np.ndarray:
    """Sorted unique uint64 hashes of the ``k``-character shingles of ``text``, within sentences.

    A sentence shorter than ``k`` content characters (but at least 2) yields one shingle of its
    whole length, so short titles still compare. ``prepared``: ``text`` is already
    :func:`content_chars` output.
    """
    chars = text if prepared else content_chars(text)
    if not chars:
        return _EMPTY
    codes = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = []
    if len(codes) >= k:
        n = len(codes) - k + 1
        h = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i in range(k):
                h = h * _MULT + codes[i:i + n] + np.uint64(1)
        seps = np.concatenate([[0], np.cumsum(codes == ord(_SEP))])
        parts.append(h[seps[k:] == seps[:n]])
    for piece in chars.split(_SEP):
        if 2 <= len(piece) < k:  # short sentence: one shingle of its own length
            h = np.uint64(0)
            with np.errstate(over="ignore"):
                for ch in piece:
                    h = h * _MULT + np.uint64(ord(ch)) + np.uint64(1)
            parts.append(np.array([h], dtype=np.uint64))
    return np.unique(_mix(np.concatenate(parts))) if parts else _EMPTY


def sample(hashes: np.ndarray, mod: int) -> np.ndarray:
    """Consistent sample of a shingle set: the hashes divisible by ``mod`` (all when mod ≤ 1).

    The same shingle is kept or dropped in every text, so the overlap of two samples estimates
    the overlap of the full sets (containment stays unbiased, unlike MinHash's Jaccard)."""
    if mod <= 1:
        return hashes
    return hashes[hashes % np.uint64(mod) == 0]


@dataclass(frozen=True)
class Overlap:
    """Shingle overlap of two sets: shared count, both sizes, containment and Jaccard."""

    shared: int
    size_a: int
    size_b: int

    @property
    def containment(self) -> float:
        """Shared share of the smaller set: 1.0 when one text is contained in the other."""
        smaller = min(self.size_a, self.size_b)
        return self.shared / smaller if smaller else 0.0

    @property
    def jaccard(self) -> float:
        union = self.size_a + self.size_b - self.shared
        return self.shared / union if union else 0.0


def overlap(a: np.ndarray, b: np.ndarray) -> Overlap:
    """Overlap of two sorted unique shingle arrays."""
    shared = int(np.intersect1d(a, b, assume_unique=True).size) if a.size and b.size else 0
    return Overlap(shared, int(a.size), int(b.size))


@dataclass(frozen=True)
class SentenceMatch:
    """A sentence of text A found (mostly) in text B: offsets into both normalised texts."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float  # share of the A sentence's shingles present in the B sentence
    text: str     # the A sentence

    def to_dict(self) -> dict[str, object]:
        return {"a": [self.a_start, self.a_end], "b": [self.b_start, self.b_end],
                "score": round(self.score, 3), "text": self.text}


def sentence_overlaps(a: str, b: str, *, k: int = DEFAULT_K, min_score: float = 0.6,
                      min_chars: int = 6) -> list[SentenceMatch]:
    """Sentences of normalised text ``a`` that reappear in normalised text ``b``, best match each.

    Works sentence by sentence, so it finds shared sentences in any order and ignores boilerplate
    that only one side has. Sentences with fewer than ``min_chars`` content characters are skipped.
    """
    sents_b = [(s, shingles(s.text, k)) for s in split_sentences(b)]
    owner: dict[int, list[int]] = {}
    for j, (_, hb) in enumerate(sents_b):
        for h in hb.tolist():
            owner.setdefault(h, []).append(j)
    out: list[SentenceMatch] = []
    for sa in split_sentences(a):
        chars = content_chars(sa.text)
        if len(chars) < min_chars:
            continue
        ha = shingles(chars, k, prepared=True)
        counts: dict[int, int] = {}
        for h in ha.tolist():
            for j in owner.get(h, ()):
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            continue
        j, hits = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))
        score = hits / len(ha)
        if score >= min_score:
            sb: Sentence = sents_b[j][0]
            out.append(SentenceMatch(sa.start, sa.end, sb.start, sb.end, score, sa.text))
    return out
