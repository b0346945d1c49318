"""Expert conflicts (each rule, and the sample answer key) and history-based affinity with evidence."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from matching.conflicts import ConflictRules, DemandParty, ExpertParty, build_conflicts
from matching.experts import ExpertAffinity, ExpertProfile, ReviewItem
from nlp.text import split_list

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


def _rules(demand, expert, rules=ConflictRules()):
    m = build_conflicts([demand], [expert], rules)
    return m.rules_for(0, 0)


def test_each_conflict_rule_fires_alone():
    d = DemandParty("D1", "沈阳航宇精密铸造有限公司", region="沈阳市")
    assert _rules(d, ExpertParty("E", "东北大学", "沈阳市")) == []
    assert _rules(d, ExpertParty("E", "东北大学", available=False)) == ["unavailable"]
    # same organisation, spelled differently
    assert _rules(d, ExpertParty("E", "航宇精密铸造股份有限公司")) == ["same_org"]
    # group membership (declared 集团名称 on the demand side)
    g = DemandParty("D2", "大连华晟精机有限公司", group="辽宁华晟装备集团有限公司")
    assert _rules(g, ExpertParty("E", "辽宁华晟装备集团有限公司")) == ["same_group"]
    assert _rules(g, ExpertParty("E", "大连理工大学")) == []
    # the enterprise, or its group, on the expert's avoid-list
    assert _rules(d, ExpertParty("E", "东北大学", avoid_orgs=("沈阳航宇精密铸造有限公司",))) == ["expert_avoids"]
    assert _rules(g, ExpertParty("E", "东北大学", avoid_orgs=("华晟装备集团",))) == ["expert_avoids"]
    # the expert's organisation on the enterprise's avoid-list
    a = DemandParty("D3", "沈阳智行机器人有限公司", avoid_orgs=("中国科学院沈阳自动化研究所",))
    assert _rules(a, ExpertParty("E", "中国科学院沈阳自动化研究所")) == ["enterprise_avoids"]
    # same region only when the campaign requires out-of-region experts
    e = ExpertParty("E", "东北大学", "沈阳")
    assert _rules(d, e) == []
    assert _rules(d, e, ConflictRules(out_of_region=True)) == ["same_region"]
    assert _rules(d, ExpertParty("E", "清华大学", "北京市"), ConflictRules(out_of_region=True)) == []
    # explicit pair exclusion
    assert _rules(d, ExpertParty("E", "东北大学"), ConflictRules(excluded_pairs=frozenset({("D1", "E")}))) == [
        "pair_excluded"]


def test_exclusions_report_rule_and_bilingual_reason():
    d = DemandParty("D1", "沈阳航宇精密铸造有限公司")
    m = build_conflicts([d], [ExpertParty("E1", "沈阳航宇精密铸造有限公司", available=False),
                              ExpertParty("E2", "东北大学")])
    ex = m.exclusions()
    assert [(x.expert_id, x.rule) for x in ex] == [("E1", "unavailable"), ("E1", "same_org")]
    assert all(x.message_zh and x.message_en for x in ex)
    assert m.blocked.tolist() == [[True, False]]


def _terms(value) -> tuple[str, ...]:
    return tuple(split_list(value))


def _read(name):
    return [json.loads(line) for line in (SAMPLES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_sample_answer_key_conflicts_are_found():
    answers = json.loads((SAMPLES / "answers.json").read_text(encoding="utf-8"))
    demands = [DemandParty(r["需求编号"], r["企业名称"], r.get("集团名称") or None, r.get("注册地区")) for r in _read("demands.jsonl")]
    experts = [ExpertParty(r["专家编号"], r["工作单位"], r["所在地区"], _terms(r.get("回避单位")),
                           r.get("是否可用") != "否") for r in _read("experts.jsonl")]
    m = build_conflicts(demands, experts)
    found = {(x.expert_id, x.demand_id) for x in m.exclusions() if x.rule != "unavailable"}
    expected = {(c["expert"], d) for c in answers["expert_conflicts"] for d in c["demands"]}
    assert found == expected
    unavailable = {x.expert_id for x in m.exclusions() if x.rule == "unavailable"}
    assert unavailable == set(answers["unavailable_experts"])


def test_affinity_ranks_history_match_first_with_evidence(tokenizer):
    experts = _read("experts.jsonl")
    reviews = _read("expert_reviews.jsonl")
    profiles = [ExpertProfile(r["专家编号"], r["研究领域"], _terms(r["关键词"]), r.get("代表性成果") or "")
                for r in experts]
    items = [ReviewItem((r["专家编号"],), r["项目名称"], r.get("项目摘要") or "", _terms(r.get("关键词")))
             for r in reviews]
    model = ExpertAffinity(tokenizer=tokenizer).fit(profiles, items)
    scores = model.score(["镍基单晶高温合金叶片定向凝固杂晶缺陷控制", "水稻抗病育种与种子加工"])
    assert scores.shape == (2, len(profiles))
    best = model.rank("镍基单晶高温合金叶片定向凝固杂晶缺陷控制", top=3)
    assert best[0].expert_id in {"EXP001", "EXP003", "EXP014"}
    assert best[0].evidence.items and best[0].evidence.shared_terms
    assert best[0].score >= best[1].score >= best[2].score
    assert model.rank("水稻抗病育种与种子加工", top=1)[0].expert_id in {"EXP021", "EXP022", "EXP024", "EXP037"}
    # recording a new review moves that expert up for that topic
    before = model.score(["深海养殖网箱水质监测"])[0]
    j = model.expert_ids_.index("EXP040")
    model.add_reviews([ReviewItem(("EXP040",), "深海养殖网箱水质在线监测系统", "深海养殖网箱水质监测")])
    after = model.score(["深海养殖网箱水质监测"])[0]
    assert after[j] > before[j] and int(np.argmax(after)) == j


def test_affinity_save_load_round_trip(tmp_path, tokenizer):
    profiles = [ExpertProfile("A", "高温合金 铸造"), ExpertProfile("B", "水稻 育种")]
    items = [ReviewItem(("A",), "单晶叶片定向凝固"), ReviewItem(("B",), "水稻抗病基因")]
    model = ExpertAffinity(tokenizer=tokenizer).fit(profiles, items)
    model.save(tmp_path / "aff")
    again = ExpertAffinity.load(tmp_path / "aff", tokenizer=tokenizer)
    q = ["叶片铸造缺陷", "抗病水稻"]
    np.testing.assert_allclose(model.score(q), again.score(q), atol=1e-5)
    with pytest.raises(RuntimeError):
        from nlp.lexical import LexicalVectorizer
        LexicalVectorizer().transform(["x"])
