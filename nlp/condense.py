"""Condensation (梳理凝练) of a demand or a cluster into what a 榜单 shows: a proposed title
(发榜需求名称), an extractive summary and the representative member (medoid).

Everything here is pure: strings and arrays in, strings and indices out; keywords come from
:mod:`nlp.keywords`. No generator model: titles are the text's own keyphrases, in the order the
text states them, set in the patterns real titles use ("基于X的Y研究", "X的Y关键技术研发"), so a
proposal never says what the demand does not.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from nlp.text import normalize, split_sentences

MAX_TITLE_CHARS = 30
# The research verb of the text picks the title's last word: (verb found in the opening, suffix),
# most specific first. Order and pairs are from the styles of CSL titles and of 发榜需求名称.
TITLE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("关键技术", "关键技术研发"), ("研制", "研制"), ("研发", "研发"), ("开发", "开发"), ("制备", "制备"),
    ("测定", "测定"), ("设计", "设计"), ("影响", "影响"), ("分析", "分析"), ("探讨", "探讨"),
)
DEFAULT_SUFFIX = "研究"
REPEAT_GAIN = 0.1  # a key term already covered still counts a little, so the budget fills with on-topic sentences
SUFFIX_WINDOW = 80  # characters of the opening where the verb is looked for
_BASED_ON = re.compile(r"基于([^,，。;；:：、\s]{2,12}?)的")
_CLAUSE = re.compile(r"[,，:：、]")


def _title_keywords(text: str, keywords: Sequence[str], n: int) -> list[str]:
    """Up to ``n`` keywords, none sharing more than half its characters with another, in text order."""
    kept: list[str] = []
    for k in keywords:
        k = k.strip()
        if k and not any(_overlap(k, other) > 0.5 for other in kept):
            kept.append(k)
        if len(kept) == n:
            break
    return sorted(kept, key=lambda k: (text.find(k) if k in text else len(text), kept.index(k)))


def _overlap(a: str, b: str) -> float:
    """Share of the shorter phrase's characters in the other: "工程项目" and "项目全过程" say one thing twice."""
    return len(set(a) & set(b)) / max(min(len(set(a)), len(set(b))), 1)


def title_suffix(text: str) -> str:
    """The research word a title on ``text`` ends with (研制, 设计, 分析 … else 研究)."""
    opening = text[:SUFFIX_WINDOW]
    return next((suffix for verb, suffix in TITLE_SUFFIXES if verb in opening), DEFAULT_SUFFIX)


def propose_title(text: str, keywords: Sequence[str], *, cluster: bool = False,
                  max_chars: int = MAX_TITLE_CHARS, n_keywords: int = 3) -> str:
    """A proposed 发榜需求名称 (≤ ``max_chars`` characters) for a demand, or for a cluster from its
    keywords and its medoid's text (``cluster=True``: the keywords are the cluster's, ordered by the
    medoid, and the title names the shared problem as 共性 work).

    A demand whose first line (its 需求名称) fits and names the top keyword keeps that line. Else the
    pattern: ``基于X的`` when the text says it builds on X, then the keyphrases in text order, the last
    one joined by 的 ("A B的C"), then the suffix of :func:`title_suffix`. Without keywords: the first
    clause of the first sentence."""
    text = normalize(text)
    first_line = text.split("\n", 1)[0].strip().rstrip("。.;；,，")
    if "\n" in text and keywords and len(first_line) <= max_chars and keywords[0] in first_line and not cluster:
        return first_line  # the demand's own name is already a title that says its main keyword
    suffix = title_suffix(text)
    if cluster and suffix in (DEFAULT_SUFFIX, "关键技术研发"):
        suffix = "共性关键技术研究" if suffix == DEFAULT_SUFFIX else "共性关键技术研发"
    words = _title_keywords(text, keywords, n_keywords)
    if not words:
        sentences = split_sentences(text)
        first = _CLAUSE.split(sentences[0].text)[0] if sentences else ""
        return first[:max_chars]
    based = _BASED_ON.search(text[:SUFFIX_WINDOW * 2])
    prefix = f"基于{based.group(1)}的" if based and not any(based.group(1) in w for w in words) else ""
    while True:
        body = words[0] if len(words) == 1 else "".join(words[:-1]) + "的" + words[-1]
        for title in (prefix + body + suffix, body + suffix, body):
            if len(title) <= max_chars:
                return title
        if len(words) == 1:
            return body[:max_chars]
        words = words[:-1]


def summarize(texts: str | Sequence[str], key_terms: Sequence[str], max_chars: int = 200) -> str:
    """Extractive summary of one text or a group: whole source sentences, picked greedily for the
    key terms they add per √character (earlier terms weigh more; terms already covered count a
    tenth), shown in source order, joined by "。", ≤ ``max_chars``. Repeated sentences (near-duplicate
    demands) count once. Without a sentence that has a key term and fits: the first sentence that
    fits, else the first one cut at its last clause within the limit."""
    if isinstance(texts, str):
        texts = [texts]
    sentences: list[tuple[tuple[int, int], str]] = []
    seen: set[str] = set()
    for t, text in enumerate(texts):
        for s, sentence in enumerate(split_sentences(normalize(text))):
            if sentence.text not in seen:
                seen.add(sentence.text)
                sentences.append(((t, s), sentence.text))
    if not sentences:
        return ""
    terms = [k for k in dict.fromkeys(k.strip() for k in key_terms) if k]
    weight = {k: 1.0 / (1 + r) for r, k in enumerate(terms)}
    covered: set[str] = set()
    chosen: list[int] = []
    used = 0
    while True:
        best, best_gain = -1, 0.0
        for i, (_, sentence) in enumerate(sentences):
            if i in chosen or used + len(sentence) + (1 if chosen else 0) > max_chars:
                continue
            gain = sum(weight[k] * (1.0 if k not in covered else REPEAT_GAIN) for k in terms if k in sentence)
            gain /= np.sqrt(len(sentence))
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            break
        chosen.append(best)
        used += len(sentences[best][1]) + (1 if len(chosen) > 1 else 0)
        covered.update(k for k in terms if k in sentences[best][1])
    if not chosen:  # no sentence has a key term, or none fits: the first that fits, else the first clipped
        fitting = [s for _, s in sentences if len(s) <= max_chars]
        return fitting[0] if fitting else _clip(sentences[0][1], max_chars)
    return "。".join(sentences[i][1] for i in sorted(chosen, key=lambda i: sentences[i][0]))


def _clip(sentence: str, max_chars: int) -> str:
    head = sentence[:max_chars]
    cut = max((m.start() for m in _CLAUSE.finditer(head)), default=-1)
    return head[:cut] if cut > 0 else head


def medoid(vectors: np.ndarray) -> int:
    """Index of the member with the highest total cosine similarity to the others (rows are
    L2-normalised here): ``Σ_j x_i·x_j = x_i·Σ_j x_j``, so it costs one pass, not n². Ties → the
    lowest index, so the choice does not depend on anything but the vectors."""
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim != 2 or not len(x):
        raise ValueError("medoid needs a non-empty 2-D array / 需要非空的二维向量数组")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    totals = x @ x.sum(axis=0)
    return int(np.flatnonzero(totals >= totals.max() - 1e-9)[0])
