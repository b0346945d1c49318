"""Candidate keyphrases of a token sequence and the generic-word test (what may be a keyword at all).

- *Phrases*: author and staff keywords are mostly multi-word (性信息素结合蛋白, 精度保持性): candidates
  are runs of 1–``max_tokens`` adjacent content tokens that no function word or punctuation breaks;
  generic heads (技术, 方法, 系统 …, :data:`PHRASE_PARTS`) may sit inside a phrase ("加工技术") but never
  stand alone.
- *No fragments*: a phrase is a run of whole tokens that neither ends on a modifier (an adjective, a
  distinguishing word, a preposition, a measure word: "露天矿高陡", "燃气管网泄漏智能"; a two-character
  degree modifier: "车用氢燃料电池低铂" before its 膜电极; a one-character verb: "膜电极成本占") nor starts on a function token or a left-over
  suffix (器, 性, 率), and never runs through a word of time or place ("叶轮时轮廓误差") or a token jieba
  glued across a clause ("过程中易产生" → 中易); a model number or Latin/digit prefix ("3D", "T700", "5G")
  stays attached to what follows it, and a span never starts right after one ("打印多孔钛合金" without its
  "3D").
- *Generic* words (检测, 生产, 智能, 精度 …) are learned from document frequency — in a background corpus
  (:class:`DocumentFrequency`, ``models/doc-freq``) or across the round — and never stand alone as a
  keyword (nor does a phrase made only of them: "控制技术").
- *Never boilerplate*: form words, stopwords, numbers, units, punctuation and one-character terms are
  never candidates (the caller passes the blocked words; the core reads no file).
"""
from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from nlp.indicators import CHINESE_UNITS

_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBERISH = re.compile(r"^[0-9.%％+\-×xX~～/]+$")
_QUANTITY = re.compile(r"^[0-9.]*([a-zμ°℃%]+)[0-9]?$")  # 667m2, 30kg, cm2, 1arcmin: quantities, not topics
# a Chinese quantity: a magnitude (十 百 千 万 亿 兆, after a numeral or not) and measure words only — 万亩, 千吨级,
# 百万吨, 万千瓦 say how much, not what ("阜新 万亩" was a cluster keyword); 千斤顶, 万向节, 百叶 are not quantities
_CJK_QUANTITY = re.compile("^[〇零一二三四五六七八九两几数多余半]*[十百千万亿兆]+[〇零一二三四五六七八九十百千万亿兆]*(?:{})*$".format(
    "|".join(sorted({u for unit in CHINESE_UNITS for u in unit.split("/")}, key=len, reverse=True))))
UNITS: frozenset[str] = frozenset("""
m cm mm um μm nm km m2 m3 cm2 cm3 mm2 g kg mg μg ug t l ml μl ul mol mmol pa kpa mpa gpa w kw mw gw kwh v kv mv
a ma ka hz khz mhz ghz db dbm rpm r min s ms μs ns h d arcmin arcsec ppm ppb k ℃ °c wt vol
""".split())
ALNUM_PREFIX = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z])[0-9A-Za-z.\-+]{2,8}$")  # 3D, 5G, T700, C919: a model number
# Parts of speech (jieba's tags) a phrase never ends on (a modifier waiting for its head) or starts with
_NO_END_TAGS = frozenset({"a", "ad", "an", "b", "p", "c", "u", "q", "m", "f", "r", "uj", "ul", "ud", "uz"})
_NO_START_TAGS = frozenset({"p", "c", "u", "uj", "ul", "ud", "uz", "q", "f", "r"})
# one-character suffixes jieba sometimes leaves on their own ("变压 器"): a term never starts with one
_SUFFIX_CHARS = frozenset("器机性化率度法剂仪品型式物类件者量值")
_SENTENCE_END = frozenset("。！？!?；;\n")
# one-character words of time and place (加工叶轮 时 轮廓误差, 运行 中): a clause boundary, never inside a term;
# nor one that jieba glued to the modal verb after it (过程 中易 产生: "中" + "易产生")
_CLAUSE_WORDS = frozenset("时中后前内上下间里外")
_MODAL_CHARS = frozenset("易可会能应需将均仍较常")
# a phrase never ends on a two-character modifier of degree (车用氢燃料电池 低铂 | 膜电极): its head follows
_DEGREE_PREFIXES = frozenset("低高超耐抗多无非")
GENERIC_BACKGROUND_SHARE = 0.03  # in ≥ 3% of background documents: generic (研究, 分析, 技术, 设计)
GENERIC_ROUND_SHARE = 0.10  # in ≥ 10% of the round's texts (rounds of ≥ GENERIC_ROUND_MIN): generic (智能, 工业)
GENERIC_ROUND_MIN = 20
GENERIC_MIXED = (0.001, 0.07)  # common in both the background and the round (寿命, 精度, 精密)
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


@dataclass(slots=True)
class Candidate:
    """What a text says about one candidate term (for ranking; not part of the results)."""

    parts: tuple[str, ...]
    tf: float = 0.0
    lead: bool = False  # occurs in the first sentence (a demand's or a paper's title)
    first: float = 1.0  # relative position of the first occurrence
    left: float = 0.0  # occurrences that start a run of content tokens (nothing joined before them)
    right: float = 0.0  # occurrences that end one


@dataclass(frozen=True)
class PhraseRules:
    """How candidate terms are cut from a token sequence: ``blocked`` words (stopwords and form boilerplate,
    lower-cased) never stand alone, ``tags`` (``{word: part of speech}``) tell a modifier from a head, a
    term has ``min_chars``–``max_chars`` characters and at most ``max_tokens`` tokens (one more after a
    model number)."""

    blocked: frozenset[str]
    tags: Mapping[str, str] = field(default_factory=dict)
    max_tokens: int = 3
    min_chars: int = 2
    max_chars: int = 10

    def candidates(self, tokens: Sequence[str]) -> dict[str, Candidate]:
        """Candidate terms of one token sequence: single content tokens and phrases of adjacent ones."""
        blocked = self.blocked
        out: dict[str, Candidate] = {}
        n = max(len(tokens), 1)
        lead = True
        run: list[str] = []
        run_start = 0
        for k, tok in enumerate(tokens):
            low = tok.lower()
            if (not _CONTENT.search(tok) or _NUMBERISH.match(tok) or clause_word(tok)
                    or (low in blocked and low not in PHRASE_PARTS)):
                if run:
                    self._spans(run, run_start, n, lead, out)
                    run = []
                if lead and any(c in _SENTENCE_END for c in tok):
                    lead = False
                continue
            if not run:
                run_start = k
            run.append(tok)
        if run:
            self._spans(run, run_start, n, lead, out)
        return out

    def _spans(self, run: list[str], start: int, n: int, lead: bool, out: dict[str, Candidate]) -> None:
        """Add the spans of one run of content tokens (starting at token ``start`` of ``n``) to ``out``. Inside
        a run every blocked token is a :data:`PHRASE_PARTS` word: a span only needs one token not blocked."""
        lows = [sys.intern(p.lower()) for p in run]  # one copy per distinct word in the round's candidate parts
        free = [p not in self.blocked for p in lows]
        prefix = [bool(ALNUM_PREFIX.match(p)) for p in run]
        last = len(run) - 1
        for i in range(len(run)):
            if i and prefix[i - 1]:
                continue  # "打印…" right after "3D": only the span with its model number is a term
            term = ""
            has_free = False
            for j in range(i, min(i + self.max_tokens + prefix[i], len(run))):
                term += run[j]
                has_free = has_free or free[j]
                if not has_free or not self.allowed(term) or not self.whole(run, i, j):
                    continue
                cand = out.get(term)
                if cand is None:
                    cand = out[term] = Candidate(parts=tuple(lows[i:j + 1]), first=(start + i) / n)
                cand.tf += 1
                cand.lead = cand.lead or lead
                cand.left += i == 0
                cand.right += j == last

    def whole(self, run: Sequence[str], i: int, j: int) -> bool:
        """Whether tokens ``run[i..j]`` make a whole phrase, not a fragment: a phrase of several tokens
        neither ends on a modifier or function word nor starts on a function word; no term starts on a
        left-over suffix (器, 性)."""
        if run[i] in _SUFFIX_CHARS:
            return False
        if i == j:
            return True
        last = run[j]
        if len(last) == 2 and last[0] in _DEGREE_PREFIXES:
            return False
        return self.tags.get(last, "") not in _NO_END_TAGS and self.tags.get(run[i], "") not in _NO_START_TAGS

    def allowed(self, term: str) -> bool:
        """A term of the right length, not blocked, not a quantity ("30kg"), and Chinese or ≥ 3 Latin
        characters ("OH", "kg" are not keywords; "CAE", "LiDAR" are)."""
        if not (self.min_chars <= len(term) <= self.max_chars):
            return False
        low = term.lower()
        if low in self.blocked:
            return False
        if _CJK.search(term):
            return not _CJK_QUANTITY.match(term)  # a Latin quantity has no Chinese character
        quantity = _QUANTITY.match(low)
        if quantity and quantity.group(1) in UNITS:
            return False
        return len(term) >= 3


def clause_word(token: str) -> bool:
    """A one-character word of time or place, or one glued to the modal verb after it (中易)."""
    return token in _CLAUSE_WORDS or (len(token) == 2 and token[0] in _CLAUSE_WORDS and token[1] in _MODAL_CHARS)


@dataclass(frozen=True)
class GenericWords:
    """The generic-word test: a word too common to name a topic, by its share of the background documents
    (``background``) or of the round's texts (``round_docs[token]`` of ``round_size``)."""

    background: DocumentFrequency | None = None
    round_docs: Mapping[str, int] = field(default_factory=dict)
    round_size: int = 0

    def __call__(self, term: str, parts: Sequence[str] | None = None) -> bool:
        """A single token common in the background corpus or across the round (:data:`GENERIC_BACKGROUND_SHARE`,
        :data:`GENERIC_ROUND_SHARE`, :data:`GENERIC_MIXED`); a phrase only of such words and generic heads
        ("控制技术"). (A rule "an adjective alone is generic" cost 0.003 F1@5 on csl/dev: authors do use
        非线性, 多功能 as keywords; document frequency decides.)"""
        lows = [p.lower() for p in (parts or (term,))]
        if len(lows) > 1:
            return all(p in PHRASE_PARTS or self.word(p) for p in lows)
        return self.word(lows[0])

    def word(self, token: str) -> bool:
        """One lower-cased token: common itself (:meth:`token`), or a dictionary word made only of generic
        words ("控制技术" = 控制 + 技术, "检测方法")."""
        return self.token(token) or any(all(p in PHRASE_PARTS or self.token(p) for p in (token[:k], token[k:]))
                                        for k in range(2, len(token) - 1))

    def token(self, token: str) -> bool:
        """:meth:`__call__` for one lower-cased token."""
        bg = self.background.share(token) if self.background is not None else 0.0
        n = self.round_size
        docs = self.round_docs.get(token, 0)
        here = docs / n if n >= GENERIC_ROUND_MIN and docs >= 3 else 0.0
        return (bg >= GENERIC_BACKGROUND_SHARE or here >= GENERIC_ROUND_SHARE
                or (bg >= GENERIC_MIXED[0] and here >= GENERIC_MIXED[1]))
