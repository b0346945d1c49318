"""Titles, summaries and medoids (nlp.condense): pure functions on strings and arrays."""
from __future__ import annotations

import numpy as np
import pytest

from nlp.condense import (MAX_TITLE_CHARS, cluster_title, medoid, propose_title, shorten_title, summarize,
                          title_members_changed, title_suffix)
from nlp.text import normalize, split_sentences
from nlp.title_quality import title_defects
from nlp.tokenize import Tokenizer

ABSTRACT = ("针对五轴联动数控系统在叶轮加工中轮廓误差大的问题,研究了高速高精运动控制方法。"
            "建立了轮廓误差估计模型,提出了基于前瞻插补的速度规划算法。"
            "在五轴联动加工中心上完成叶轮加工试验,轮廓误差降低40%。")
KEYWORDS = ["轮廓误差", "五轴联动", "速度规划", "前瞻插补", "叶轮加工"]
TITLE_ENDINGS = ("研究", "研制", "研发", "开发", "设计", "制备", "测定", "分析", "探讨", "影响研究", "关键技术研发")


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


def test_a_demand_title_of_at_most_30_characters_is_never_rewritten(tokenizer: Tokenizer) -> None:
    import json

    from corpora import SAMPLES_DIR

    rows = [json.loads(line) for line in (SAMPLES_DIR / "demands.jsonl").read_text(encoding="utf-8").splitlines() if line]
    for r in rows:
        title = normalize(r.get("发榜需求名称") or r["需求名称"])
        assert len(title) <= MAX_TITLE_CHARS
        proposed = propose_title(f"{title}\n{r['需求描述']}", ["完全不相干的关键词"], cut=tokenizer.cut)
        assert proposed == title  # kept as it is, whatever the keywords


def test_a_long_title_is_shortened_at_word_boundaries_and_keeps_model_numbers(tokenizer: Tokenizer) -> None:
    long = "面向航空航天领域的3D打印多孔钛合金复杂构件拓扑优化设计与增材制造工艺及其质量在线监测关键技术研究"
    short = shorten_title(long, tokenizer.cut)
    assert len(short) <= MAX_TITLE_CHARS and "3D打印" in short and not title_defects(short), short
    tokens = tokenizer.cut(long)
    assert all(t in tokens for t in tokenizer.cut(short) if t != "关键技术")  # whole tokens of the original
    t700 = shorten_title("T700级高强度碳纤维用聚丙烯腈原丝干喷湿纺纺丝工艺与碳化工艺及装备关键技术研究", tokenizer.cut)
    assert t700.startswith("T700级") and len(t700) <= MAX_TITLE_CHARS and not title_defects(t700), t700


def test_cluster_title_is_what_most_members_share(tokenizer: Tokenizer) -> None:
    vocs = ["炼化企业储罐区VOCs治理技术", "精细化工多组分VOCs废气治理技术", "船舶分段涂装VOCs治理技术"]
    title = cluster_title(vocs, 0, tokenizer.cut)
    assert "VOCs" in title and "治理" in title and not title_defects(title), title
    printing = ["3D打印多孔钛合金骨科植入物设计与制造技术", "3D打印钛合金航空构件制造技术", "3D打印高温合金叶片制造技术"]
    title = cluster_title(printing, 1, tokenizer.cut)
    assert "3D打印" in title and not title_defects(title), title
    fibres = ["T700级碳纤维用聚丙烯腈原丝干喷湿纺制备技术", "T700级碳纤维复合材料热压成型技术"]
    title = cluster_title(fibres, 0, tokenizer.cut)
    assert "T700" in title and not title_defects(title), title


def test_cluster_title_falls_back_to_the_representative_and_never_uses_the_template(tokenizer: Tokenizer) -> None:
    unrelated = ["高活性原料药连续流微反应合成工艺", "茂金属催化剂及聚烯烃弹性体POE制备技术",
                 "T700级碳纤维用聚丙烯腈原丝干喷湿纺制备技术", "耐根穿刺高分子防水卷材配方与连续化生产技术"]
    assert cluster_title(unrelated, 2, tokenizer.cut) == unrelated[2]  # nothing most share: its own title
    one = ["城镇污水处理厂低碳源条件下深度脱氮提标技术", "低碳源城镇污水深度脱氮提标改造技术攻关"]  # one enterprise
    for titles in (unrelated, one, one[:1]):
        for rep in range(len(titles)):
            title = cluster_title(titles, rep, tokenizer.cut)
            assert "共性" not in title and not title_defects(title), title


def test_a_representative_title_with_a_defect_gives_way_to_a_central_member_title(tokenizer: Tokenizer) -> None:
    """A paper-style member title ("…的影响") stays the demand's own name, but never a cluster's title when
    another central member's title can be published as it is."""
    titles = ["热处理对PET双收缩丝结构和性能的影响", "超细羊毛低损伤梳毛加工技术", "织物三维悬垂形态测试指标与三维重建"]
    assert cluster_title(titles, 0, tokenizer.cut, order=[0, 2, 1]) == "织物三维悬垂形态测试指标与三维重建"[:30] \
        or not title_defects(cluster_title(titles, 0, tokenizer.cut, order=[0, 2, 1]))
    assert cluster_title(titles, 0, tokenizer.cut, order=[0, 1, 2]) == "超细羊毛低损伤梳毛加工技术"
    only = ["不同多糖对冻藏过程中草鱼肌原纤维蛋白流变性的影响", "食盐浓度对竹笋腌制品质的影响"]
    assert cluster_title(only, 0, tokenizer.cut, order=[0, 1]) == only[0] + "研究"  # nothing better: closed


def test_a_title_changes_only_when_a_third_of_the_members_changed() -> None:
    assert not title_members_changed([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 7])  # one demand joined
    assert title_members_changed([1, 2, 3], [1, 2, 3, 4, 5])
    assert title_members_changed([], [1, 2])


def test_summary_has_no_near_repeats_no_filler_and_one_sentence_per_problem() -> None:
    a = "离散制造产线数字孪生建模与实时仿真技术。现有三维仿真软件建模周期长,仿真结果与实际节拍偏差超过15%。"
    b = "离散制造产线数字孪生建模与实时仿真关键技术。现有三维仿真软件建模周期长,仿真结果与实际节拍偏差达15%以上。"
    c = ("T700级碳纤维用聚丙烯腈原丝干喷湿纺制备技术。项目实施周期三年,第一年完成聚合与纺丝小试,第二年完成中试验证。"
         "为深入贯彻落实制造强国战略,本企业亟需解决原丝强度问题。")
    summary = summarize([a, b, c], ["数字孪生", "仿真", "碳纤维", "原丝"], max_chars=200, per_text=1)
    parts = summary.split("。")
    assert len(summary) <= 200 and "实施周期" not in summary and "贯彻落实" not in summary
    assert sum("数字孪生建模" in p for p in parts) == 1  # the near-duplicate member adds nothing
    assert any("T700" in p for p in parts)  # every distinct problem has its sentence


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
