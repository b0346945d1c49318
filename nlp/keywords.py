"""Keywords and keyphrases of a demand or of a cluster: class-based TF-IDF over jieba tokens,
phrases built from adjacent tokens, ranked with the embedding and picked with diversity (MMR).

Why this shape:
- *c-TF-IDF* (as in BERTopic): a class is one demand (per-demand keywords) or all the demands of a
  cluster (cluster keywords), so one weighting serves both: a term's weight grows with its
  frequency in the class and with ``log(1 + A / f)``, ``f`` its frequency in the fitted corpus (the
  round), ``A`` the mean class size. A background IDF from a large corpus (jieba's ``idf.txt``,
  passed in by the caller) keeps a small round from calling every rare word a keyword.
- *Phrases*: author and staff keywords are mostly multi-word (性信息素结合蛋白, 精度保持性): candidates
  are runs of 1–``max_phrase_tokens`` adjacent content tokens that no function word or punctuation
  breaks; generic heads (技术, 方法, 系统 …, :data:`PHRASE_PARTS`) may sit inside a phrase
  ("加工技术") but never stand alone.
- *Ranking*: the ``pool`` best candidates by c-TF-IDF are scored by two gradient-boosted tree
  ensembles of the same signals — tf, c-TF-IDF, background IDF, first sentence (the title), position,
  token and character length, nesting in longer candidates, cosine to the text's embedding, whether
  the term starts / ends a run of content tokens, and the part of speech of its tokens in jieba's
  dictionary (verb or adjective first, noun last, tokens the dictionary lacks — often technical
  terms its HMM made up) — fitted once on all of csl/dev (``python -m bench.condense_bench fit``).
  Settings were chosen by 2-fold cross-validation (``python -m bench.condense_bench cv``): logistic
  models of the first signals held F1@5 0.60 partial / 0.24 exact on rows they never saw; the trees
  with the added signals hold 0.620 / 0.232 (jieba TF-IDF: 0.571 / 0.142). The trees ship as a model
  artifact (``models/keyword-ranker/ranker.json``, :class:`~nlp.keyword_ranker.KeywordRanker`) and run as numpy steps over all
  candidates at once.
- *MMR*: the ranking alone keeps near-duplicates ("基因", "基因表达", "表达"); maximal marginal
  relevance discounts a term by its character overlap with the ones already picked (and by
  ``nest_penalty`` when it nests in one; 1.0 measured best, so off by default). Weighting the
  "overlaps an author keyword" ranker 5:1 over the "is one" ranker (``partial_share``) covers more
  distinct author keywords per five slots; a learned second stage that scored a term given the ones
  already picked did no better than this MMR in cross-validation.
- *No fragments, no filler*: a phrase is a run of whole tokens that neither ends on a modifier (an adjective,
  a distinguishing word, a preposition, a measure word: "露天矿高陡", "燃气管网泄漏智能") nor starts on a
  function token or a left-over suffix (器, 性, 率); a model number or Latin/digit prefix ("3D", "T700", "5G") stays attached
  to what follows it, and a span never starts right after one ("打印多孔钛合金" without its "3D"). *Generic*
  words (检测, 生产, 智能, 精度 …) are learned from document frequency — in a background corpus
  (:class:`DocumentFrequency`, ``models/doc-freq``) or across the round — and never stand alone as a
  keyword (nor does a phrase made only of them: "控制技术"); a cluster's keywords are terms shared by at
  least two members when it has any.
- *Never boilerplate*: form words (需求, 本企业, 急需, 攻关 …), the tokenizer's stopwords, numbers,
  units, punctuation and one-character terms are never returned; the caller passes the boilerplate
  (the core reads no file; the shipped list is ``corpora/keyword_stopwords.txt``).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from nlp.keyword_ranker import FEATURES, KeywordRanker
from nlp.text import normalize
from nlp.tokenize import Tokenizer

Encode = Callable[[list[str]], np.ndarray]

_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBERISH = re.compile(r"^[0-9.%％+\-×xX~～/]+$")
_QUANTITY = re.compile(r"^[0-9.]*([a-zμ°℃%]+)[0-9]?$")  # 667m2, 30kg, cm2, 1arcmin: quantities, not topics
UNITS: frozenset[str] = frozenset("""
m cm mm um μm nm km m2 m3 cm2 cm3 mm2 g kg mg μg ug t l ml μl ul mol mmol pa kpa mpa gpa w kw mw gw kwh v kv mv
a ma ka hz khz mhz ghz db dbm rpm r min s ms μs ns h d arcmin arcsec ppm ppb k ℃ °c wt vol
""".split())
_ALNUM_PREFIX = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z])[0-9A-Za-z.\-+]{2,8}$")  # 3D, 5G, T700, C919: a model number
# Parts of speech (jieba's tags) a phrase never ends on (a modifier waiting for its head) or starts with
_NO_END_TAGS = frozenset({"a", "ad", "an", "b", "p", "c", "u", "q", "m", "f", "r", "uj", "ul", "ud", "uz"})
_NO_START_TAGS = frozenset({"p", "c", "u", "uj", "ul", "ud", "uz", "q", "f", "r"})
# one-character suffixes jieba sometimes leaves on their own ("变压 器"): a term never starts with one
_SUFFIX_CHARS = frozenset("器机性化率度法剂仪品型式物类件者量值")
GENERIC_BACKGROUND_SHARE = 0.03  # in ≥ 3% of background documents: generic (研究, 分析, 技术, 设计)
GENERIC_ROUND_SHARE = 0.10  # in ≥ 10% of the round's texts (rounds of ≥ GENERIC_ROUND_MIN): generic (智能, 工业)
GENERIC_ROUND_MIN = 20
MODIFIER_MIN, MODIFIER_END_SHARE = 3, 0.1  # a token seen ≥ 3 times ending a run ≤ 10% of them is a modifier
SHARED_TERMS_MIN = 3  # a cluster "has shared terms" when this many specific terms are in ≥ 2 members
GENERIC_MIXED = (0.001, 0.07)  # common in both the background and the round (寿命, 精度, 精密)
_SENTENCE_END = frozenset("。！？!?；;\n")
ENCODE_BLOCK = 256  # texts per encoder call: ~10k short terms, a few MB of vectors
# Generic nouns that may sit inside or end a keyphrase ("有限元分析", "加工技术", "项目管理") though
# they are boilerplate on their own.
PHRASE_PARTS: frozenset[str] = frozenset("""
技术 方法 系统 装置 设备 工艺 材料 模型 平台 体系 机制 分析 设计 特性 性能 效果 因素 数据 信息 理论 研究
问题 优化 建设 市场 能力 指标 工作 方式 创新 产业 开发 企业 项目 产品 水平 领域 行业 管理 控制 检测 评价
结构 过程 算法 网络 功能 质量 安全 监测 应用 试验 测试 实验 模拟 仿真 识别 诊断 预测 治疗 表达
""".split())




@dataclass(frozen=True)
class DocumentFrequency:
    """Background document frequencies: ``counts[token]`` of ``documents`` documents (``models/doc-freq``,
    read by the shell)."""

    documents: int
    counts: Mapping[str, int]

    def share(self, token: str) -> float:
        return self.counts.get(token.lower(), 0) / self.documents if self.documents else 0.0


@dataclass(frozen=True)
class Keyword:
    """A keyword or keyphrase with its relevance in [0, 1] (the rankers' probabilities, before MMR)."""

    term: str
    score: float


@dataclass(slots=True)
class Candidate:
    """What a text says about one candidate term (for ranking; not part of the results)."""

    parts: tuple[str, ...]
    tf: float = 0.0
    lead: bool = False  # occurs in the first sentence (a demand's or a paper's title)
    first: float = 1.0  # relative position of the first occurrence
    left: float = 0.0  # occurrences that start a run of content tokens (nothing joined before them)
    right: float = 0.0  # occurrences that end one


class KeywordExtractor:
    """Keywords per text (:meth:`keywords`) and per group of texts (:meth:`class_keywords`).

    ``tokenizer``: the service's :class:`~nlp.tokenize.Tokenizer` (jieba + domain dictionary); its
    stopwords and ``stopwords`` (the form boilerplate, ``corpora/keyword_stopwords.txt`` as the shell
    reads it) are never returned.
    ``encoder``: ``texts -> L2-normalised rows`` (e.g. ``Embedder.encode``) for the cosine signal.
    ``background_idf``: ``{token: idf}`` from a large corpus (jieba's ``idf.txt``); optional.
    ``ranker``: the shipped :class:`KeywordRanker` (``models/keyword-ranker``); ``tags``: ``{word: part of
    speech}`` of jieba's dictionary and the domain dictionary (a word in neither is often a new term);
    both read by the shell (:mod:`api.io.resources`), never here.
    ``doc_freq``: background document frequencies (generic words); optional.
    ``diversity``: how much a term's character overlap with an already picked one costs (MMR);
    ``nest_penalty``: factor on a term inside / around a picked one; ``partial_share``: weight of the
    "overlaps a keyword" ranker against the "is a keyword" one; ``pool``: candidates ranked per text.
    Defaults (diversity, nest_penalty, partial_share, pool) were chosen by 2-fold cross-validation on csl/dev.
    """

    def __init__(self, tokenizer: Tokenizer, encoder: Encode | None = None,
                 stopwords: Iterable[str] = frozenset(), top_n: int = 5, diversity: float = 0.3,
                 nest_penalty: float = 1.0, partial_share: float = 5.0, max_phrase_tokens: int = 3,
                 min_chars: int = 2, max_chars: int = 10, pool: int = 40,
                 background_idf: Mapping[str, float] | None = None, ranker: "KeywordRanker | None" = None,
                 tags: Mapping[str, str] | None = None, doc_freq: DocumentFrequency | None = None):
        self.tokenizer = tokenizer
        self.doc_freq = doc_freq
        self.ranker = ranker
        self.tags = tags
        self.encoder = encoder
        self.stopwords = frozenset(stopwords)
        self.top_n = top_n
        self.diversity = diversity
        self.nest_penalty = nest_penalty
        self.partial_share = partial_share
        self.max_phrase_tokens = max_phrase_tokens
        self.min_chars = min_chars
        self.max_chars = max_chars
        self.pool = pool
        self.background_idf = background_idf

    def _ranker(self) -> "KeywordRanker":
        if self.ranker is None:
            raise ValueError("关键词提取需要排序模型（models/keyword-ranker）/ KeywordExtractor needs its ranker "
                             "(models/keyword-ranker, read by api.io.resources.keyword_ranker)")
        return self.ranker

    # ------------------------------------------------------------------ candidates
    def tokens(self, text: str) -> list[str]:
        """The jieba tokens the ``*_tokens`` methods expect (callers that tokenise once reuse them);
        a text :meth:`fit` saw is not cut again."""
        known = getattr(self, "fitted_tokens_", {}).get(text)
        return known if known is not None else self._tokens(text)

    def _tokens(self, text: str) -> list[str]:
        """jieba tokens of ``text``, line by line.

        Line breaks stay as ``"\n"`` tokens: a form's fields are lines, and a phrase never spans two
        fields; the first line (a demand's name) is the title the ranker favours."""
        out: list[str] = []
        for line in normalize(text).split("\n"):
            out.extend(self.tokenizer.cut(line, normalized=True))
            out.append("\n")
        return out[:-1]

    def candidates(self, tokens: Sequence[str]) -> dict[str, Candidate]:
        """Candidate terms of one token sequence: single content tokens and phrases of adjacent ones."""
        blocked = self.tokenizer.stopwords | self.stopwords
        out: dict[str, Candidate] = {}
        n = max(len(tokens), 1)
        lead = True
        run: list[str] = []
        run_start = 0

        def flush() -> None:
            # inside a run every blocked token is a PHRASE_PART: a span only needs one unblocked token
            lows = [p.lower() for p in run]
            free = [p not in blocked for p in lows]
            prefix = [bool(_ALNUM_PREFIX.match(p)) for p in run]
            for i in range(len(run)):
                if i and prefix[i - 1]:
                    continue  # "打印…" right after "3D": only the span with its model number is a term
                term = ""
                for j in range(i, min(i + self.max_phrase_tokens + prefix[i], len(run))):
                    term += run[j]
                    if not any(free[i:j + 1]) or not self._allowed(term, blocked) or not self._whole(run, i, j):
                        continue
                    cand = out.get(term)
                    if cand is None:
                        cand = out[term] = Candidate(parts=tuple(lows[i:j + 1]), first=(run_start + i) / n)
                    cand.tf += 1
                    cand.lead = cand.lead or lead
                    cand.left += i == 0
                    cand.right += j == len(run) - 1

        for k, tok in enumerate(tokens):
            low = tok.lower()
            if not _CONTENT.search(tok) or _NUMBERISH.match(tok) or (low in blocked and low not in PHRASE_PARTS):
                flush()
                run = []
                if lead and any(c in _SENTENCE_END for c in tok):
                    lead = False
                continue
            if not run:
                run_start = k
            run.append(tok)
        flush()
        return out

    def _whole(self, run: Sequence[str], i: int, j: int) -> bool:
        """Whether tokens ``run[i..j]`` make a whole phrase, not a fragment: a phrase of several tokens
        neither ends on a modifier or function word nor starts on a function word; no term starts on a left-over suffix (器, 性)."""
        if i == j:
            return run[i] not in _SUFFIX_CHARS
        tags = self.tags or {}
        last, first = tags.get(run[j], ""), tags.get(run[i], "")
        if last in _NO_END_TAGS or first in _NO_START_TAGS:
            return False
        return run[i] not in _SUFFIX_CHARS

    def generic(self, term: str, parts: Sequence[str] | None = None) -> bool:
        """A word too common to name a topic: a single token common in the background corpus or across the
        round (:data:`GENERIC_BACKGROUND_SHARE`, :data:`GENERIC_ROUND_SHARE`, :data:`GENERIC_MIXED`); a phrase
        only of such words and generic heads ("控制技术"). (A rule "an adjective alone is generic" cost 0.003
        F1@5 on csl/dev: authors do use 非线性, 多功能 as keywords; document frequency decides.)"""
        parts = [p.lower() for p in (parts or (term,))]
        if len(parts) > 1:
            return all(p in PHRASE_PARTS or self.generic(p) for p in parts)
        token = parts[0]
        bg = self.doc_freq.share(token) if self.doc_freq is not None else 0.0
        n = getattr(self, "n_classes_", 0)
        docs = getattr(self, "doc_frequencies_", {}).get(token, 0)
        here = docs / n if n >= GENERIC_ROUND_MIN and docs >= 3 else 0.0
        return (bg >= GENERIC_BACKGROUND_SHARE or here >= GENERIC_ROUND_SHARE
                or (bg >= GENERIC_MIXED[0] and here >= GENERIC_MIXED[1]))

    def _allowed(self, term: str, blocked: frozenset[str]) -> bool:
        if not (self.min_chars <= len(term) <= self.max_chars) or term.lower() in blocked:
            return False
        quantity = _QUANTITY.match(term.lower())
        if quantity and quantity.group(1) in UNITS:
            return False
        return bool(_CJK.search(term)) or len(term) >= 3  # "OH", "kg" are not keywords; "CAE", "LiDAR" are

    # ------------------------------------------------------------------ fit
    def fit(self, texts: Iterable[str], y: object = None) -> "KeywordExtractor":
        """Corpus frequencies of every candidate term over ``texts`` (e.g. the round). The tokens of
        these texts are kept (``fitted_tokens_``) so that :meth:`keywords_many` and
        :meth:`class_keywords` on the same texts do not run jieba again."""
        texts = list(texts)
        tokens = [self._tokens(t) for t in texts]
        self.fit_tokens(tokens)
        self.fitted_tokens_ = dict(zip(texts, tokens))
        return self

    def fit_tokens(self, token_lists: Iterable[Sequence[str]]) -> "KeywordExtractor":
        """:meth:`fit` on texts already tokenised with :meth:`tokens`."""
        self.fitted_tokens_ = {}
        return self._fit_candidates([self.candidates(tokens) for tokens in token_lists])

    def _fit_candidates(self, per_text: Sequence[Mapping[str, Candidate]]) -> "KeywordExtractor":
        freq: Counter[str] = Counter()
        docs: Counter[str] = Counter()
        ends: Counter[str] = Counter()
        for cands in per_text:
            freq.update({t: c.tf for t, c in cands.items()})
            docs.update(t.lower() for t, c in cands.items() if len(c.parts) == 1)
            ends.update({t.lower(): c.right for t, c in cands.items() if len(c.parts) == 1})
        # tokens seen MODIFIER_MIN times or more that (almost) never end a run of content tokens: modifiers
        # waiting for their head (高速, 实时, 低铂 …); a phrase never ends on one
        self.modifiers_ = frozenset(t for t in docs if freq[t] >= MODIFIER_MIN and ends[t] <= MODIFIER_END_SHARE * freq[t])
        self.frequencies_ = freq
        self.doc_frequencies_ = docs
        self.n_classes_ = len(per_text)
        self.avg_class_size_ = sum(freq.values()) / max(len(per_text), 1)
        bg = self.background_idf
        self.background_default_ = float(np.median(np.fromiter(bg.values(), float))) if bg else 0.0
        return self

    # ------------------------------------------------------------------ ranking
    def shortlist(self, cands: Mapping[str, Candidate]) -> dict[str, Candidate]:
        """The ``pool`` best candidates by c-TF-IDF (title terms doubled), which the ranker then
        scores: the encoder sees a few dozen terms per text, not hundreds."""
        if not hasattr(self, "frequencies_"):
            raise RuntimeError("KeywordExtractor is not fitted / 关键词提取器尚未训练 (call fit)")
        avg = self.avg_class_size_
        modifiers = getattr(self, "modifiers_", frozenset())
        cands = {t: c for t, c in cands.items() if not self.generic(t, c.parts)
                 and not (len(c.parts) > 1 and c.parts[-1] in modifiers)}
        weight = {t: (1 + math.log(c.tf)) * math.log(1 + avg / max(self.frequencies_.get(t, 0), 1))
                  * (2.0 if c.lead else 1.0) for t, c in cands.items()}
        return {t: cands[t] for t in sorted(cands, key=lambda t: (-weight[t], t))[: self.pool]}

    def features(self, cands: Mapping[str, Candidate], cosine: np.ndarray | None = None
                 ) -> tuple[list[str], np.ndarray]:
        """The ranking signals (:data:`FEATURES`) of each candidate of one text, as ``(terms, X)``;
        ``cosine``: each term's cosine to the text (the ranker's training mean for all when None)."""
        terms = list(cands)
        x = np.zeros((len(terms), len(FEATURES)), dtype=np.float64)
        if cosine is None:
            cosine = np.full(len(terms), self._ranker().cosine_mean)
        bg = self.background_idf or {}
        default = self.background_default_
        avg = self.avg_class_size_
        tags = self.tags or {}
        for i, term in enumerate(terms):
            c = cands[term]
            idf = [bg.get(p, default) for p in c.parts]
            f = max(self.frequencies_.get(term, 0), 1)
            containers = [cands[u].tf for u in terms if len(u) > len(term) and term in u]
            holds = any(len(u) < len(term) and u in term for u in terms)
            k, n = len(c.parts), len(term)
            x[i] = (math.log1p(c.tf), c.tf > 1, np.mean(idf), min(idf), max(idf), math.log(1 + avg / f),
                    math.log(f), c.lead, c.first, k == 1, k == 2, k >= 3, n == 2, n == 3, n == 4, 5 <= n <= 6,
                    n >= 7, (max(containers) / c.tf) if containers else 0.0, bool(containers), holds,
                    c.parts[-1] in PHRASE_PARTS, c.parts[0] in PHRASE_PARTS, cosine[i],
                    c.left / c.tf, c.right / c.tf, *self._tag_features(c.parts, term, tags))
        return terms, x

    @staticmethod
    def _tag_features(parts: Sequence[str], term: str, tags: Mapping[str, str]) -> tuple[float, ...]:
        """last_noun, first_verb, first_adjective, verb_inside, unknown_share, in_dictionary."""
        kinds = [tags.get(p, "") for p in parts]
        last, first = kinds[-1], kinds[0]
        return (last == "" or last[0] == "n" or last == "vn", first[:1] == "v" and first != "vn",
                first[:1] in ("a", "b", "d"), any(k[:1] == "v" and k != "vn" for k in kinds[1:-1]),
                sum(k == "" for k in kinds) / len(kinds), len(parts) > 1 and term.lower() in tags)

    def shortlist_features(self, per_text: Sequence[Mapping[str, Candidate]], texts: Sequence[str]
                           ) -> list[tuple[list[str], np.ndarray]]:
        """:meth:`features` of each text's :meth:`shortlist`, embedding texts and terms in blocks
        of ``ENCODE_BLOCK`` texts (one encoder call per block, each distinct term once)."""
        out: list[tuple[list[str], np.ndarray]] = []
        for start in range(0, len(per_text), ENCODE_BLOCK):
            shorts = [self.shortlist(c) for c in per_text[start:start + ENCODE_BLOCK]]
            block_texts = list(texts[start:start + ENCODE_BLOCK])
            cosines: list[np.ndarray | None] = [None] * len(shorts)
            if self.encoder is not None:
                vocab = list(dict.fromkeys(t for short in shorts for t in short))
                row = {t: i for i, t in enumerate(vocab)}
                vecs = np.asarray(self.encoder(block_texts + vocab), dtype=np.float32)
                docs, words = vecs[: len(block_texts)], vecs[len(block_texts):]
                cosines = [words[[row[t] for t in short]] @ docs[d] if short else np.zeros(0)
                           for d, short in enumerate(shorts)]
            out.extend(self.features(short, cos) for short, cos in zip(shorts, cosines))
        return out

    def relevance(self, x: np.ndarray) -> np.ndarray:
        """Ranker score of feature rows: mean of P(keyword) and ``partial_share`` × P(overlaps a keyword)."""
        ranker = self._ranker()
        exact = ranker.exact.predict(x)
        partial = ranker.partial.predict(x)
        return (exact + self.partial_share * partial) / (1.0 + self.partial_share)

    def _rank_many(self, per_text: Sequence[Mapping[str, Candidate]], texts: Sequence[str]) -> list[list[Keyword]]:
        rows = self.shortlist_features(per_text, texts)
        if not rows:
            return []
        # the trees score all the texts' candidates in one call (a few numpy steps per tree level)
        rel = self.relevance(np.vstack([x for _, x in rows]))
        ends = np.cumsum([len(terms) for terms, _ in rows])
        return [self._mmr(terms, r) if terms else [] for (terms, _), r in zip(rows, np.split(rel, ends[:-1]))]

    def _mmr(self, terms: list[str], rel: np.ndarray) -> list[Keyword]:
        """Greedy maximal marginal relevance: relevance × (1 − diversity × overlap), nested terms × nest_penalty."""
        chars = [set(t) for t in terms]
        chosen: list[int] = []
        left = sorted(range(len(terms)), key=lambda i: (-rel[i], terms[i]))
        while left and len(chosen) < self.top_n:
            best, best_val = left[0], -np.inf
            for i in left:
                val = rel[i]
                if val <= best_val:
                    break  # sorted by relevance and penalties only lower it: no later term can win
                if chosen:
                    overlap = max(len(chars[i] & chars[j]) / max(min(len(chars[i]), len(chars[j])), 1)
                                  for j in chosen)
                    val *= 1.0 - self.diversity * overlap
                    if any(terms[i] in terms[j] or terms[j] in terms[i] for j in chosen):
                        val *= self.nest_penalty
                if val > best_val:
                    best, best_val = i, val
            chosen.append(best)
            left.remove(best)
        return [Keyword(terms[i], round(float(rel[i]), 6)) for i in chosen]

    # ------------------------------------------------------------------ public
    def keywords(self, text: str) -> list[Keyword]:
        """The ``top_n`` keywords of one text, best first."""
        return self.keywords_many([text])[0]

    def keywords_many(self, texts: Sequence[str]) -> list[list[Keyword]]:
        """:meth:`keywords` of each text."""
        return self.keywords_from_tokens([self.tokens(t) for t in texts], texts)

    def keywords_from_tokens(self, token_lists: Sequence[Sequence[str]], texts: Sequence[str]) -> list[list[Keyword]]:
        """:meth:`keywords_many` on texts already tokenised with :meth:`tokens`."""
        return self._rank_many([self.candidates(t) for t in token_lists], texts)

    def fit_keywords(self, texts: Sequence[str]) -> list[list[Keyword]]:
        """:meth:`fit` on ``texts`` then :meth:`keywords` of each, tokenising each text once."""
        tokens = [self._tokens(t) for t in texts]
        per_text = [self.candidates(t) for t in tokens]
        self._fit_candidates(per_text)
        self.fitted_tokens_ = dict(zip(texts, tokens))
        return self._rank_many(per_text, texts)

    def class_keywords(self, groups: Sequence[Sequence[str]]) -> list[list[Keyword]]:
        """Keywords of each group of texts (a cluster, the class of c-TF-IDF): a term counts once
        per member that has it, so what many members share outranks one member's repetitions."""
        return self.class_keywords_from_tokens([[self.tokens(t) for t in members] for members in groups],
                                               ["\n".join(members) for members in groups])

    def class_keywords_from_tokens(self, groups: Sequence[Sequence[Sequence[str]]], texts: Sequence[str]
                                   ) -> list[list[Keyword]]:
        """:meth:`class_keywords` on members tokenised with :meth:`tokens`; ``texts``: each group's
        text for the embedding (e.g. its members joined)."""
        per_group = []
        for members in groups:
            merged: dict[str, Candidate] = {}
            for tokens in members:
                for term, c in self.candidates(tokens).items():
                    m = merged.get(term)
                    if m is None:
                        merged[term] = Candidate(parts=c.parts, tf=1.0, lead=c.lead, first=c.first,
                                                 left=c.left / c.tf, right=c.right / c.tf)
                    else:
                        m.tf += 1.0
                        m.left += c.left / c.tf
                        m.right += c.right / c.tf
                        m.lead = m.lead or c.lead
                        m.first = min(m.first, c.first)
            if len(members) > 1 and sum(c.tf >= 2 and not self.generic(t, c.parts)
                                        for t, c in merged.items()) >= SHARED_TERMS_MIN:
                merged = {t: c for t, c in merged.items() if c.tf >= 2}  # what the members share, when they share any
            per_group.append(merged)
        return self._rank_many(per_group, texts)
