"""Condensation (梳理凝练) of a demand or a cluster into what a 榜单 shows: a proposed title
(发榜需求名称), an extractive summary and the representative member (medoid).

Everything here is pure: strings, token lists and arrays in, strings and indices out; keywords come
from :mod:`nlp.keywords`, tokens from the caller's tokenizer. No generator model, so a proposal never
says what the demands do not:

- a demand keeps its own name when it has at most 30 characters; a longer one is shortened at token
  boundaries (:func:`shorten_title`), never inside a model number ("3D打印", "T700级");
- a cluster's title is built from the title words most of its members share, in the order its
  representative states them ("VOCs治理技术"), else it is the representative member's own title
  (:func:`cluster_title`) — never a template such as "X的Y共性关键技术研究";
- a text without a name of its own (an abstract) gets its keyphrases in text order, set in the
  patterns real titles use ("基于X的Y研究"), the first pattern without a visible defect
  (:mod:`nlp.title_quality`);
- a summary keeps one sentence per distinct problem: no repeated or near-repeated sentence, no
  schedule or policy filler (项目实施周期三年…, 为深入贯彻落实…).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from nlp.text import normalize, split_sentences
from nlp.title_quality import DANGLING_ENDINGS, MAX_TITLE_CHARS, title_defects

Cut = Callable[[str], list[str]]  # text -> tokens (the service's jieba tokenizer)
# The research verb of the text picks the title's last word: (verb found in the opening, suffix),
# most specific first. Order and pairs are from the styles of CSL titles and of 发榜需求名称.
TITLE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("关键技术", "关键技术研发"), ("研制", "研制"), ("研发", "研发"), ("开发", "开发"), ("制备", "制备"),
    ("测定", "测定"), ("设计", "设计"), ("影响", "影响研究"), ("分析", "分析"), ("探讨", "探讨"),
)
DEFAULT_SUFFIX = "研究"
REPEAT_GAIN = 0.1  # a key term already covered still counts a little, so the budget fills with on-topic sentences
SUFFIX_WINDOW = 80  # characters of the opening where the verb is looked for
# Schedule and policy filler of a form (never a summary sentence): plans by year, slogans, boilerplate need
FILLER = re.compile(r"实施周期|第[一二三四五12345]年(完成|实现|开展|建成)|贯彻落实|深入贯彻|习近平|十四五|二十大|高质量发展"
                    r"|为全面|为深入|具有重要(的)?意义|突破后可|推广应用前景|本企业立足|急需攻关|亟需解决")
NEAR_DUPLICATE = 0.6  # character-bigram overlap (of the shorter sentence) above which two sentences say one thing
# Words a title may end on when a shortened one lost its own head
TITLE_HEADS = ("关键技术", "技术", "工艺", "系统", "装备", "装置", "平台", "方法", "研究", "研发", "研制", "开发", "设备",
               "材料", "软件")
_CONNECTIVES = frozenset({"与", "及", "和", "或", "及其", "以及", "、", "的", "并", "暨"})
_LEADS = ("面向", "基于", "针对", "关于")
_ALNUM_PREFIX = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z])[0-9A-Za-z.\-+]{2,8}$")
_TOKEN_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
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


def propose_title(text: str, keywords: Sequence[str], *, max_chars: int = MAX_TITLE_CHARS,
                  n_keywords: int = 3, cut: Cut | None = None) -> str:
    """A proposed 发榜需求名称 (≤ ``max_chars`` characters) for one demand or text.

    A text whose first line is its name (a demand: 发榜需求名称 or 需求名称, then its fields) keeps that
    name when it fits, and otherwise gets it shortened at token boundaries (:func:`shorten_title`, with
    ``cut``). A text without a name (an abstract): ``基于X的`` when it says it builds on X, then the
    keyphrases in text order, the last one joined by 的 ("A B的C"), then the suffix of
    :func:`title_suffix` — the first of these forms that fits and has no visible defect. Without
    keywords: the first clause of the first sentence."""
    text = normalize(text)
    if "\n" in text:
        first_line = text.split("\n", 1)[0].strip().rstrip("。.;；,，")
        if first_line:
            return first_line if len(first_line) <= max_chars else shorten_title(first_line, cut, max_chars)
    suffix = title_suffix(text)
    words = _title_keywords(text, keywords, n_keywords)
    if not words:
        sentences = split_sentences(text)
        first = _CLAUSE.split(sentences[0].text)[0] if sentences else ""
        return first[:max_chars]
    based = _BASED_ON.search(text[:SUFFIX_WINDOW * 2])
    prefix = f"基于{based.group(1)}的" if based and not any(based.group(1) in w for w in words) else ""
    fallback = ""
    while True:
        body = words[0] if len(words) == 1 else "".join(words[:-1]) + "的" + words[-1]
        for title in (prefix + body + suffix, body + suffix, body):
            if len(title) <= max_chars:
                if not title_defects(title):
                    return title
                fallback = fallback or title
        if len(words) == 1:
            return fallback or body[:max_chars]
        words = words[:-1]


def shorten_title(title: str, cut: Cut | None = None, max_chars: int = MAX_TITLE_CHARS) -> str:
    """``title`` cut to ``max_chars`` at token boundaries: a leading "面向…的"/"基于…的" goes first, then
    tokens from the end; a model number stays with its word, the result never ends on a connective, and
    the head it lost (技术, 系统 …) comes back when it fits. ``cut``: the tokenizer (else characters)."""
    title = title.strip()
    if len(title) <= max_chars:
        return title
    tokens = [t for t in (cut(title) if cut else list(title)) if t.strip()]
    if tokens and tokens[0] in _LEADS and "的" in tokens[1:8]:
        rest = tokens[tokens.index("的", 1) + 1:]
        if len("".join(rest)) >= 6:
            tokens = rest
    head = next((h for h in TITLE_HEADS if "".join(tokens).endswith(h)), "")
    if len("".join(tokens)) <= max_chars:
        return "".join(tokens)
    for budget in (max_chars - len(head), max_chars):
        kept: list[str] = []
        for tok in tokens:
            if len("".join(kept)) + len(tok) > budget:
                break
            kept.append(tok)
        while kept and (kept[-1] in _CONNECTIVES or _ALNUM_PREFIX.match(kept[-1]) or not _TOKEN_CONTENT.search(kept[-1])
                        or any(kept[-1].endswith(e) for e in DANGLING_ENDINGS)):
            kept.pop()
        body = "".join(kept)
        candidate = body + head if head and not body.endswith(head) and len(body + head) <= max_chars else body
        if candidate and not title_defects(candidate):
            return candidate
    return "".join(tokens)[:max_chars]


def cluster_title(titles: Sequence[str], representative: int, cut: Cut,
                  specific: Callable[[str], bool] = lambda t: True, max_chars: int = MAX_TITLE_CHARS,
                  order: Sequence[int] = ()) -> str:
    """The proposed title of a cluster from its members' own titles (``titles``; ``representative``: the
    index of its medoid).

    Built from what most members share: the representative's title words found in the titles of more than
    half of the members (at least two; inside a longer word counts: 检测 in 视觉检测), in the order the representative's title states them (a model number with its word;
    a connective only between two kept tokens; at most one skipped token between two kept ones), when
    they make a title of two or more tokens and six or more characters that names something specific (a
    token of two or more characters that ``specific`` accepts: the service's test is "a noun, not generic")
    and has no visible defect (:mod:`nlp.title_quality`).
    Otherwise the representative member's own title (shortened when longer than ``max_chars``), or, when
    that one has a visible defect (a paper-style "…的影响", a repeated run), the own title of the most
    central member (``order``: member indices, most central first) that has none."""
    own = _own_title(titles, [representative, *order], cut, max_chars) if titles else ""
    if len(titles) < 2:
        return own
    normalised = [normalize(title) for title in titles]
    rep = [t for t in cut(normalised[representative]) if t.strip()]
    need = max(2, len(titles) // 2 + 1)
    # a word is shared by a member whose title contains it, as a word or inside one (检测 in 视觉检测)
    keep = [bool(_TOKEN_CONTENT.search(t)) and sum(t in title for title in normalised) >= need for t in rep]
    for i, tok in enumerate(rep):  # a model number goes with the word it qualifies ("3D" + "打印")
        if i + 1 < len(rep) and keep[i + 1] and _ALNUM_PREFIX.match(tok):
            keep[i] = True
    chosen = [i for i, k in enumerate(keep) if k]
    while chosen and rep[chosen[0]] in _CONNECTIVES:
        chosen.pop(0)
    while chosen and rep[chosen[-1]] in _CONNECTIVES:
        chosen.pop()
    chosen = [i for n, i in enumerate(chosen) if rep[i] not in _CONNECTIVES
              or (0 < n < len(chosen) - 1 and chosen[n - 1] == i - 1 and chosen[n + 1] == i + 1)]
    if len(chosen) < 2 or any(b - a > 2 for a, b in zip(chosen, chosen[1:])):
        return own
    tail = rep[chosen[-1] + 1:]
    if rep[chosen[-1]] not in TITLE_HEADS and len(tail) == 1 and tail[0] in TITLE_HEADS:
        chosen.append(len(rep) - 1)  # the representative's own head right after the shared words ("…控制" + "关键技术")
    if not any(rep[chosen[-1]].endswith(h) for h in TITLE_HEADS) and chosen[-1] != len(rep) - 1:
        return own  # shared words that stop short of a head ("…建模与实时") are no title
    words = [rep[i] for i in chosen]
    built = "".join(words)
    named = [w for w in words if w not in _CONNECTIVES and w not in TITLE_HEADS and len(w) >= 2 and specific(w)]
    if len(built) < 6 or not named or len(built) > max_chars or title_defects(built):
        return own
    return built


def _own_title(titles: Sequence[str], candidates: Sequence[int], cut: Cut, max_chars: int) -> str:
    """The first candidate member's own title (shortened) without a visible defect, else the first one's
    (a paper-style "…的影响" closed as titles close it: "…的影响研究")."""
    first = shorten_title(normalize(titles[candidates[0]]), cut, max_chars)
    for i in candidates:
        title = first if i == candidates[0] else shorten_title(normalize(titles[i]), cut, max_chars)
        if not title_defects(title):
            return title
    closed = first + DEFAULT_SUFFIX
    return closed if first.endswith("影响") and len(closed) <= max_chars and not title_defects(closed) else first


def title_members_changed(before: Sequence[object], after: Sequence[object], share: float = 1 / 3) -> bool:
    """Whether a cluster's membership changed by more than ``share`` since its title was made (members
    gained plus members lost, over the earlier size): below it an incremental run keeps the title."""
    old, new = set(before), set(after)
    return not old or len(old ^ new) > share * len(old)


def summarize(texts: str | Sequence[str], key_terms: Sequence[str], max_chars: int = 200,
              per_text: int | None = None) -> str:
    """Extractive summary of one text or a group: whole source sentences, picked greedily for the
    key terms they add per √character (earlier terms weigh more; terms already covered count a
    tenth), shown in source order, joined by "。", ≤ ``max_chars``. A sentence that repeats or nearly
    repeats one already picked (near-duplicate demands, :data:`NEAR_DUPLICATE`) and schedule or policy
    filler (:data:`FILLER`) are never picked; ``per_text``: at most this many sentences from one text (1
    for a cluster: one sentence per distinct problem). Without a sentence that has a key term and fits: the
    first sentence that fits, else the first one cut at its last clause within the limit."""
    if isinstance(texts, str):
        texts = [texts]
    sentences: list[tuple[tuple[int, int], str]] = []
    seen: set[str] = set()
    for t, text in enumerate(texts):
        for s, sentence in enumerate(split_sentences(normalize(text))):
            if sentence.text not in seen and not FILLER.search(sentence.text):
                seen.add(sentence.text)
                sentences.append(((t, s), sentence.text))
    if not sentences:
        return ""
    terms = [k for k in dict.fromkeys(k.strip() for k in key_terms) if k]
    weight = {k: 1.0 / (1 + r) for r, k in enumerate(terms)}
    has = [[k for k in terms if k in sentence] for _, sentence in sentences]  # once per sentence, not per step
    grams = [_bigrams(sentence) for _, sentence in sentences]
    covered: set[str] = set()
    chosen: list[int] = []
    used = 0
    per: Counter[int] = Counter()
    while True:
        best, best_gain = -1, 0.0
        for i, ((t, _), sentence) in enumerate(sentences):
            if i in chosen or used + len(sentence) + (1 if chosen else 0) > max_chars:
                continue
            if (per_text is not None and per[t] >= per_text) or any(
                    _near(grams[i], grams[j], sentence == sentences[j][1]) for j in chosen):
                continue
            gain = sum(weight[k] * (1.0 if k not in covered else REPEAT_GAIN) for k in has[i])
            gain /= np.sqrt(len(sentence))
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            break
        chosen.append(best)
        per[sentences[best][0][0]] += 1
        used += len(sentences[best][1]) + (1 if len(chosen) > 1 else 0)
        covered.update(k for k in terms if k in sentences[best][1])
    if per_text is not None:  # a member none of whose sentences was picked still states its problem: its first one
        for i, ((t, _), sentence) in enumerate(sentences):
            if per[t] < per_text and used + len(sentence) + (1 if chosen else 0) <= max_chars and not any(
                    _near(grams[i], grams[j], sentence == sentences[j][1]) for j in chosen):
                chosen.append(i)
                per[t] += 1
                used += len(sentence) + (1 if len(chosen) > 1 else 0)
    if not chosen:  # no sentence has a key term, or none fits: the first that fits, else the first clipped
        fitting = [s for _, s in sentences if len(s) <= max_chars]
        return fitting[0] if fitting else _clip(sentences[0][1], max_chars)
    return "。".join(sentences[i][1] for i in sorted(chosen, key=lambda i: sentences[i][0]))


def near_duplicate(a: str, b: str, threshold: float = NEAR_DUPLICATE) -> bool:
    """Whether two sentences say one thing: the share of the shorter one's character bigrams found in the
    other is at least ``threshold`` ("…偏差超过15%" and "…偏差达15%以上")."""
    return _near(_bigrams(a), _bigrams(b), a == b, threshold)


def _near(x: set[str], y: set[str], same: bool, threshold: float = NEAR_DUPLICATE) -> bool:
    """:func:`near_duplicate` of two sentences' bigram sets (``same``: the sentences are equal)."""
    if not x or not y:
        return same
    return len(x & y) / min(len(x), len(y)) >= threshold


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def unique_sentences(texts: Sequence[str], threshold: float = NEAR_DUPLICATE) -> list[tuple[int, str]]:
    """The sentences of ``texts`` in order, each with the index of its text, without filler and without one
    that repeats or nearly repeats an earlier one (for merging several members' fields into one)."""
    out: list[tuple[int, str]] = []
    for t, text in enumerate(texts):
        for sentence in split_sentences(normalize(text or "")):
            if not FILLER.search(sentence.text) and not any(near_duplicate(sentence.text, s, threshold) for _, s in out):
                out.append((t, sentence.text))
    return out


def _clip(sentence: str, max_chars: int) -> str:
    head = sentence[:max_chars]
    cut = max((m.start() for m in _CLAUSE.finditer(head)), default=-1)
    return head[:cut] if cut > 0 else head


def medoid(vectors: np.ndarray, weights: np.ndarray | None = None) -> int:
    """Index of the member with the highest total cosine similarity to the others (rows are
    L2-normalised here): ``Σ_j x_i·x_j = x_i·Σ_j x_j``, so it costs one pass, not n². Ties → the
    lowest index, so the choice does not depend on anything but the vectors. ``weights``: each member's
    weight in the others' totals (e.g. copies of one demand counting once, so that a demand filed twice does
    not make itself the centre)."""
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim != 2 or not len(x):
        raise ValueError("medoid needs a non-empty 2-D array / 需要非空的二维向量数组")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    totals = x @ (x if weights is None else x * np.asarray(weights, dtype=np.float64)[:, None]).sum(axis=0)
    return int(np.flatnonzero(totals >= totals.max() - 1e-9)[0])
