"""The ranking signals of keyword candidates (:data:`~nlp.keyword_ranker.FEATURES`), computed for many
candidates of many texts at once from a :class:`~nlp.candidate_table.CandidateTable`.

Three kinds of signal: what the term is (its tokens' background IDF, length in tokens and characters,
generic heads, parts of speech — computed once per term), what the text says about it (tf, title, first
position, run edges, cosine to the text — one per entry), and how it nests among the other shortlisted
terms of its text (inside a longer one, holding a shorter one — per text, by substring lookup).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from nlp.candidate_table import CandidateTable, Vocabulary
from nlp.keyword_ranker import FEATURES
from nlp.phrases import PHRASE_PARTS

N_TERM = 21  # columns of term_features


def term_features(vocab: Vocabulary, ids: Sequence[int], corpus_freq: np.ndarray, avg: float,
                  background_idf: Mapping[str, float], default_idf: float, tags: Mapping[str, str]) -> np.ndarray:
    """Per term: bg_idf_mean/min/max, ctfidf_idf, log_corpus_freq, token-count and character-length flags,
    ends/starts with a generic head, then the six part-of-speech signals (:func:`tag_features`)."""
    out = np.zeros((len(ids), N_TERM))
    for row, t in enumerate(ids):
        term, parts = vocab.terms[t], vocab.parts[t]
        idf = [background_idf.get(p, default_idf) for p in parts]
        f = max(float(corpus_freq[t]), 1.0)
        k, n = len(parts), len(term)
        out[row] = (sum(idf) / len(idf), min(idf), max(idf), math.log(1 + avg / f), math.log(f),
                    k == 1, k == 2, k >= 3, n == 2, n == 3, n == 4, 5 <= n <= 6, n >= 7,
                    parts[-1] in PHRASE_PARTS, parts[0] in PHRASE_PARTS, *tag_features(parts, term, tags))
    return out


def tag_features(parts: Sequence[str], term: str, tags: Mapping[str, str]) -> tuple[float, ...]:
    """last_noun, first_verb, first_adjective, verb_inside, unknown_share, in_dictionary."""
    kinds = [tags.get(p, "") for p in parts]
    last, first = kinds[-1], kinds[0]
    return (last == "" or last[0] == "n" or last == "vn", first[:1] == "v" and first != "vn",
            first[:1] in ("a", "b", "d"), any(k[:1] == "v" and k != "vn" for k in kinds[1:-1]),
            sum(k == "" for k in kinds) / len(kinds), len(parts) > 1 and term.lower() in tags)


def nesting(terms: Sequence[str], tf: Sequence[float]) -> np.ndarray:
    """Per term of one text's shortlist: container_tf_share (the largest tf of a longer term that holds it,
    over its own tf), nested_in_longer, holds_shorter."""
    at = {t: i for i, t in enumerate(terms)}
    lengths = sorted({len(t) for t in terms})
    out = np.zeros((len(terms), 3))
    outer = [0.0] * len(terms)
    for i, t in enumerate(terms):
        for size in lengths:
            if size >= len(t):
                break
            for a in range(len(t) - size + 1):
                j = at.get(t[a:a + size])
                if j is not None:
                    out[i, 2] = 1.0
                    outer[j] = max(outer[j], tf[i])
                    out[j, 1] = 1.0
    for j, top in enumerate(outer):
        out[j, 0] = top / tf[j] if out[j, 1] else 0.0
    return out


def feature_matrix(table: CandidateTable, entries: np.ndarray, rows: np.ndarray, term_x: np.ndarray,
                   cosine: np.ndarray) -> np.ndarray:
    """The :data:`FEATURES` rows of ``entries`` of ``table`` (grouped by row, ``rows`` their rows):
    ``term_x`` their :func:`term_features`, ``cosine`` their cosine to their text."""
    tf = table.tf[entries].astype(np.float64)
    x = np.zeros((len(entries), len(FEATURES)))
    x[:, 0], x[:, 1] = np.log1p(tf), tf > 1
    x[:, 2:7] = term_x[:, 0:5]
    x[:, 7], x[:, 8] = table.lead[entries], table.first[entries]
    x[:, 9:17] = term_x[:, 5:13]
    bounds = np.flatnonzero(np.diff(rows)) + 1
    terms = table.vocabulary.terms
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(entries)]):
        x[lo:hi, 17:20] = nesting([terms[t] for t in table.term[entries[lo:hi]].tolist()], tf[lo:hi].tolist())
    x[:, 20:22] = term_x[:, 13:15]
    x[:, 22] = cosine
    x[:, 23], x[:, 24] = table.left[entries] / tf, table.right[entries] / tf
    x[:, 25:31] = term_x[:, 15:21]
    return x
