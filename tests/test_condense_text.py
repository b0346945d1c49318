"""Titles, summaries and medoids (nlp.condense): pure functions on strings and arrays."""
from __future__ import annotations

import numpy as np
import pytest

from nlp.condense import MAX_TITLE_CHARS, medoid, propose_title, summarize, title_suffix
from nlp.text import normalize, split_sentences

ABSTRACT = ("针对五轴联动数控系统在叶轮加工中轮廓误差大的问题,研究了高速高精运动控制方法。"
            "建立了轮廓误差估计模型,提出了基于前瞻插补的速度规划算法。"
            "在五轴联动加工中心上完成叶轮加工试验,轮廓误差降低40%。")
KEYWORDS = ["轮廓误差", "五轴联动", "速度规划", "前瞻插补", "叶轮加工"]
TITLE_ENDINGS = ("研究", "研制", "研发", "开发", "设计", "制备", "测定", "分析", "探讨", "影响", "关键技术研发",
                 "共性关键技术研究", "共性关键技术研发")


def test_title_is_short_and_in_title_style() -> None:
    title = propose_title(ABSTRACT, KEYWORDS)
    assert 0 < len(title) <= MAX_TITLE_CHARS
    assert title.endswith(TITLE_ENDINGS)
    assert "五轴联动" in title and "轮廓误差" in title
    assert title.index("五轴联动") < title.index("轮廓误差")  # in the order the text states them
    assert "。" not in title and "," not in title


def test_title_uses_based_on_when_the_text_builds_on_something() -> None:
    text = "本文提出了基于深度学习的焊缝缺陷识别方法,设计了缺陷检测系统。"
    title = propose_title(text, ["焊缝缺陷", "缺陷检测系统"])
    assert title.startswith("基于深度学习的") and title.endswith("设计") and len(title) <= MAX_TITLE_CHARS


def test_title_never_exceeds_the_limit_even_with_long_keywords() -> None:
    long_words = ["超大型高温合金单晶叶片铸件内部缺陷", "智能化在线检测与评价系统集成", "工业现场多协议设备数据采集"]
    for n in (1, 2, 3):
        title = propose_title(ABSTRACT + "".join(long_words), long_words[:n])
        assert 0 < len(title) <= MAX_TITLE_CHARS
    assert len(propose_title(ABSTRACT, long_words, max_chars=12)) <= 12


def test_a_demand_keeps_its_own_name_when_it_is_already_a_title() -> None:
    text = "高温合金单晶叶片铸件内部缺陷智能检测技术\n单晶叶片铸件内部缺陷依赖人工判读。"
    assert propose_title(text, ["单晶叶片", "缺陷"]) == "高温合金单晶叶片铸件内部缺陷智能检测技术"


def test_cluster_title_names_shared_work() -> None:
    title = propose_title(ABSTRACT, KEYWORDS, cluster=True)
    assert len(title) <= MAX_TITLE_CHARS and "共性" in title


def test_title_without_keywords_is_the_first_clause() -> None:
    assert propose_title(ABSTRACT, []) == "针对五轴联动数控系统在叶轮加工中轮廓误差大的问题"
    assert propose_title("", []) == ""


def test_suffix_follows_the_research_verb() -> None:
    assert title_suffix("研制了一种新型传感器") == "研制"
    assert title_suffix("分析了区域经济差异") == "分析"
    assert title_suffix("我们关注城市交通") == "研究"


def test_summary_is_short_and_made_of_source_sentences() -> None:
    members = [ABSTRACT, "叶轮加工轮廓误差影响整机性能。本企业急需解决。", ABSTRACT]
    summary = summarize(members, KEYWORDS, max_chars=200)
    assert 0 < len(summary) <= 200
    sources = {s.text for m in members for s in split_sentences(normalize(m))}
    parts = summary.split("。")
    assert all(p in sources for p in parts)
    assert len(parts) == len(set(parts))  # a repeated member adds nothing
    assert "本企业急需解决" not in parts  # no key term: not picked


def test_summary_respects_a_small_budget_and_source_order() -> None:
    summary = summarize(ABSTRACT, KEYWORDS, max_chars=60)
    assert 0 < len(summary) <= 60
    parts = summary.split("。")
    positions = [ABSTRACT.index(p) for p in parts]
    assert positions == sorted(positions)
    clipped = summarize("一" * 50 + "," + "二" * 300, ["一"], max_chars=100)
    assert 0 < len(clipped) <= 100
    assert summarize([], KEYWORDS) == ""


def test_summary_is_deterministic() -> None:
    assert summarize([ABSTRACT, ABSTRACT[::-1]], KEYWORDS) == summarize([ABSTRACT, ABSTRACT[::-1]], KEYWORDS)


def test_medoid_is_the_most_central_row() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 8))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    brute = int(np.argmin([(1 - x @ x[i]).sum() for i in range(len(x))]))
    assert medoid(x) == brute
    assert medoid(x * 3.0) == brute  # scale does not matter: cosine
    assert medoid(np.array([[1.0, 0.0], [1.0, 0.0]])) == 0  # ties: the lowest index
    assert medoid(np.array([[0.0, 1.0]])) == 0
    with pytest.raises(ValueError):
        medoid(np.zeros((0, 3)))
