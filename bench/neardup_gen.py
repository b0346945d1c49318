"""Seeded generator of realistic demand resubmissions, for the ``dup`` benchmark and calibration.

From a list of (text, discipline) it makes labelled pairs: positives are the same text edited the
way a resubmitted form is (sentences reordered, form boilerplate inserted, synonyms and numbers
changed, truncated, merged with another paragraph, or several of these); negatives are different
texts of the same discipline (hard), the same but with the same boilerplate added to both
(harder: the form template is shared), and random pairs.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from nlp.text import normalize, split_sentences

MIN_CHARS = 40  # shorter texts (fragments in the source data) are not demands
POSITIVE_KINDS = ("reorder", "boilerplate", "synonyms", "numbers", "truncate", "merge", "mixed")
NEGATIVE_KINDS = ("hard", "hard_boilerplate", "random")

# Sentences of the 揭榜挂帅 form and of platform exports that get pasted into free-text fields.
BOILERPLATE = (
    "本企业承诺所填报信息真实、准确、有效",
    "具体技术指标详见附件",
    "本需求为企业自主提出的关键核心技术攻关需求",
    "需求企业将按照揭榜挂帅有关要求提供配套资金和试验条件",
    "揭榜方应具备相应的研发能力和技术基础",
    "项目成果知识产权归属由双方协商确定",
    "以上内容如有变更以最终签订的合同为准",
    "请揭榜方在规定时限内完成攻关任务并通过验收",
    "需求对推动我省产业转型升级具有重要意义",
    "联系人可通过平台留言进一步沟通技术细节",
    "该需求已经企业技术委员会论证",
    "根据辽宁省揭榜挂帅科技攻关需求征集通知要求填报",
)

SYNONYMS = {
    "研究": "研发", "提高": "提升", "方法": "方式", "利用": "采用", "分析": "剖析", "结果": "成果",
    "显著": "明显", "主要": "重要", "问题": "难题", "进行": "开展", "实现": "达成", "通过": "经由",
    "影响": "作用", "应用": "运用", "具有": "拥有", "发现": "发觉", "表明": "显示", "建立": "构建",
    "技术": "工艺", "系统": "体系", "增加": "增长", "降低": "减少", "重要": "关键", "目前": "当前",
    "本文": "本项目", "提出": "给出", "设计": "规划", "基于": "依托", "采用": "使用", "特点": "特征",
    "优化": "改进", "方案": "办法", "模型": "模式", "性能": "效能", "有效": "有力", "不同": "各类",
    "能够": "可以", "获得": "取得", "解决": "攻克", "检测": "检验", "控制": "管控", "过程": "流程",
}
_SYN_RE = re.compile("|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)))
_NUM_RE = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Pair:
    """A labelled pair: ``label`` 1 for a resubmission of ``a``, 0 for a different demand."""

    a: str
    b: str
    label: int
    kind: str


def _sentences(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)] or [text]


def _join(sents: list[str]) -> str:
    return "。".join(s.rstrip("。") for s in sents) + "。"


def _reorder(rng: random.Random, text: str, others: list[str]) -> str:
    sents = _sentences(text)
    if len(sents) > 1:
        for _ in range(3):
            rng.shuffle(sents)
            if _join(sents) != _join(_sentences(text)):
                break
    return _join(sents)


def _boilerplate(rng: random.Random, text: str, others: list[str]) -> str:
    sents = _sentences(text)
    for b in rng.sample(BOILERPLATE, rng.randint(1, 3)):
        sents.insert(rng.randint(0, len(sents)), b)
    return _join(sents)


def _synonyms(rng: random.Random, text: str, others: list[str]) -> str:
    return _SYN_RE.sub(lambda m: SYNONYMS[m.group(0)] if rng.random() < 0.7 else m.group(0), text)


def _numbers(rng: random.Random, text: str, others: list[str]) -> str:
    def edit(m: re.Match[str]) -> str:
        if rng.random() < 0.6:
            return m.group(0)
        v = float(m.group(0))
        new = v * rng.choice((0.5, 0.8, 1.2, 1.5, 2.0)) + rng.randint(0, 3)
        return str(int(new)) if "." not in m.group(0) else f"{new:.1f}"
    return _NUM_RE.sub(edit, text)


def _truncate(rng: random.Random, text: str, others: list[str]) -> str:
    sents = _sentences(text)
    if len(sents) < 2:
        return text[: max(8, int(len(text) * rng.uniform(0.6, 0.9)))]
    keep = max(1, round(len(sents) * rng.uniform(0.6, 0.9)))
    return _join(sents[:keep])


def _merge(rng: random.Random, text: str, others: list[str]) -> str:
    other = _sentences(rng.choice(others))
    part = other[: max(1, round(len(other) * rng.uniform(0.3, 0.7)))]
    return _join(part + _sentences(text)) if rng.random() < 0.5 else _join(_sentences(text) + part)


_MIXED_ORDER = ("truncate", "synonyms", "numbers", "merge", "boilerplate", "reorder")
_EDITS = {"reorder": _reorder, "boilerplate": _boilerplate, "synonyms": _synonyms,
          "numbers": _numbers, "truncate": _truncate, "merge": _merge}


def resubmit(rng: random.Random, text: str, kind: str, others: list[str]) -> str:
    """``text`` edited as a resubmission of ``kind`` (``mixed``: two or three edits in a row)."""
    if kind == "mixed":  # edits in the order a resubmitter makes them: cut, reword, pad, reorder
        chosen = set(rng.sample(sorted(_EDITS), rng.randint(2, 3)))
        for name in _MIXED_ORDER:
            if name in chosen:
                text = _EDITS[name](rng, text, others)
        return text
    return _EDITS[kind](rng, text, others)


def make_pairs(docs: list[tuple[str, str]], seed: int = 0, n_random: int | None = None) -> list[Pair]:
    """One positive (kinds in turn) and one hard negative per document, plus random negatives.

    ``docs`` are (text, discipline), texts under ``MIN_CHARS`` dropped; ``n_random`` defaults to
    a quarter of the documents.
    Texts are normalised, as the service stores them.
    """
    rng = random.Random(seed)
    docs = [(t, label) for t, label in docs if len(normalize(t)) >= MIN_CHARS]
    texts = [normalize(t) for t, _ in docs]
    by_label: dict[str, list[int]] = {}
    for i, (_, label) in enumerate(docs):
        by_label.setdefault(label, []).append(i)
    pairs: list[Pair] = []
    for i, text in enumerate(texts):
        kind = POSITIVE_KINDS[i % len(POSITIVE_KINDS)]
        others = [texts[rng.randrange(len(texts))] for _ in range(3)]
        pairs.append(Pair(text, normalize(resubmit(rng, text, kind, others)), 1, kind))
        same = [j for j in by_label[docs[i][1]] if j != i and texts[j] != text]
        if same:
            j = rng.choice(same)
            if i % 2:
                pairs.append(Pair(text, texts[j], 0, "hard"))
            else:
                shared = rng.sample(BOILERPLATE, 2)
                a = _join(_sentences(text) + shared)
                b = _join(shared + _sentences(texts[j]))
                pairs.append(Pair(normalize(a), normalize(b), 0, "hard_boilerplate"))
    for _ in range(len(texts) // 4 if n_random is None else n_random):
        i, j = rng.randrange(len(texts)), rng.randrange(len(texts))
        if texts[i] != texts[j]:
            pairs.append(Pair(texts[i], texts[j], 0, "random"))
    return pairs
