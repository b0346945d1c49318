"""The shipped text resources: hand-written samples, their answer key, the user dictionary and stopwords.

The samples feed the demo, the rule tests and the duplicate/cluster/expert benchmarks, so these tests
check that they are what ``corpora/samples/README.md`` says: the flat form columns, enough rows, an
answer key that points at real rows and agrees with the rule engine, and duplicates that really are.
"""
from __future__ import annotations

import itertools
import json
import re
from collections import Counter

import pytest

from api.config import DEFAULT_CAMPAIGN
from corpora import SAMPLES_DIR
from api.forms.models import DemandRecord, Expert, ExpertReview, Solver
from api.services.campaign import read_campaign_file
from matching.rules import check_demand
from matching.vocabulary import REGION_VALUES
from nlp.text import normalize
from nlp.tokenize import DEFAULT_STOPWORDS, DEFAULT_USERDICT, Tokenizer, read_wordlist

SAMPLES = SAMPLES_DIR

# The flat import row of the team brief, in form order (platform, enterprise, demand).
DEMAND_COLUMNS = [
    "需求编号", "批次", "初审单位", "提交时间", "状态",
    "企业名称", "统一社会信用代码", "集团名称", "注册时间", "注册地区", "所在园区", "注册资金(万元)", "所属创新链",
    "所属产业链", "企业技术领域", "主营业务", "单位总人数", "研发人员数", "高级工程师数", "硕士人数", "博士人数", "经济性质",
    "科技企业性质", "独立法人", "近三年信用不良记录", "法定代表人姓名", "法定代表人职务", "法定代表人电话", "法定代表人手机",
    "联系人姓名", "联系人职务", "联系人电话", "联系人手机", "联系人传真", "联系人电子邮箱", "上年度产值(万元)",
    "上年度销售收入(万元)", "上年度上缴税收(万元)", "上年度净利润(万元)", "上年度研发费用(万元)", "上年度资产负债率(%)",
    "产学研联盟", "省级以上科技计划项目", "省级以上科技创新平台",
    "需求类别", "需求名称", "发榜需求名称", "技术领域", "技术基础", "技术专家咨询意见", "需求描述", "企业自身研发条件和能力",
    "企业自身已开展工作", "发榜内容描述", "对揭榜方要求", "交付要件", "产权归属与利益分配", "需求对产业推动作用",
    "需求的经济效益", "需求的社会效益", "企业科技人才需求", "揭榜任务完成时限", "揭榜任务投入资金(万元)", "总体需求完成时限",
    "需求研发总投入(万元)",
]
EXPERT_COLUMNS = ["专家编号", "姓名", "工作单位", "职称", "所在地区", "专家类别", "研究领域", "关键词", "代表性成果",
                  "是否可用", "回避单位", "手机", "电子邮箱"]
REVIEW_COLUMNS = ["专家编号", "项目名称", "项目摘要", "关键词", "评审时间"]
SOLVER_COLUMNS = ["单位编号", "单位名称", "单位类型", "所在地区", "研究方向", "能力描述", "科技创新平台", "代表性成果"]
DUPLICATE_KINDS = {"exact", "rebureau", "reworded", "group_copy"}


def _jsonl(name: str) -> list[dict]:
    lines = (SAMPLES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def demands() -> list[dict]:
    return _jsonl("demands.jsonl")


@pytest.fixture(scope="module")
def by_id(demands: list[dict]) -> dict[str, dict]:
    return {row["需求编号"]: row for row in demands}


@pytest.fixture(scope="module")
def experts() -> list[dict]:
    return _jsonl("experts.jsonl")


@pytest.fixture(scope="module")
def answers() -> dict:
    return json.loads((SAMPLES / "answers.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- shape


def test_sample_files_have_exactly_the_contract_columns(demands: list[dict], experts: list[dict]) -> None:
    for name, rows, columns in (("demands", demands, DEMAND_COLUMNS), ("experts", experts, EXPERT_COLUMNS),
                                ("expert_reviews", _jsonl("expert_reviews.jsonl"), REVIEW_COLUMNS),
                                ("solvers", _jsonl("solvers.jsonl"), SOLVER_COLUMNS)):
        for i, row in enumerate(rows, 1):
            assert list(row) == columns, f"{name} row {i}: {set(row) ^ set(columns)}"


def test_demand_sample_covers_regions_batches_and_areas(demands: list[dict], by_id: dict[str, dict]) -> None:
    assert len(by_id) == len(demands)
    assert all(re.fullmatch(r"LN2023-\d{4}", i) for i in by_id)
    enterprises = {row["企业名称"] for row in demands}
    assert len(enterprises) >= 40
    assert REGION_VALUES <= {row["注册地区"] for row in demands}
    assert Counter(row["批次"] for row in demands).keys() == {"第一批", "第二批", "第三批"}
    assert {row["技术领域"] for row in demands} == {"高新技术", "新一代信息技术", "生物医药", "农业", "社会发展"}
    assert all(len(row["统一社会信用代码"]) == 18 for row in demands)
    assert all(row["提交时间"].startswith(("2023-01", "2023-02", "2023-03")) for row in demands)
    assert all(row["联系人电子邮箱"].endswith("@example.com") for row in demands)
    assert all(row["法定代表人手机"].startswith("1380000") for row in demands)
    lengths = [len(row["需求描述"]) for row in demands]
    assert min(lengths) >= 150 and sorted(lengths)[-2] <= 600  # one deliberate over-long text
    assert all(12 <= len(row["需求名称"]) <= 30 for row in demands)


def test_every_row_validates_against_the_schemas(demands: list[dict], experts: list[dict]) -> None:
    records = [DemandRecord.model_validate(row) for row in demands]
    assert all(r.submitted_at and r.category and r.tech_area and r.total_investment for r in records)
    people = [Expert.model_validate(row) for row in experts]
    assert len({p.expert_id for p in people}) == len(people)
    assert sum(not p.in_province for p in people) >= 8
    assert {p.category.value for p in people} == {"技术", "财务", "管理"}
    assert sum(not p.available for p in people) >= 2
    reviews = [ExpertReview.model_validate(row) for row in _jsonl("expert_reviews.jsonl")]
    per_expert = Counter(r.expert_id for r in reviews)
    assert per_expert.keys() == {p.expert_id for p in people}
    assert all(2 <= n <= 6 for n in per_expert.values())
    solvers = [Solver.model_validate(row) for row in _jsonl("solvers.jsonl")]
    assert {s.kind.value for s in solvers} == {"高校", "科研院所", "企业"}
    assert all(100 <= len(s.capabilities) <= 300 for s in solvers)


# --------------------------------------------------------------------------- the answer key


def test_answer_key_points_at_existing_rows(answers: dict, by_id: dict[str, dict], experts: list[dict]) -> None:
    assert len(answers["duplicates"]) >= 6 and len(answers["hard_negatives"]) >= 2
    assert {p["kind"] for p in answers["duplicates"]} == DUPLICATE_KINDS
    for pair in answers["duplicates"] + answers["hard_negatives"]:
        assert pair["a"] in by_id and pair["b"] in by_id and pair["a"] != pair["b"]
    for cluster in answers["clusters"]:
        assert len(cluster["demands"]) >= 2 and set(cluster["demands"]) <= by_id.keys()
    expert_ids = {row["专家编号"] for row in experts}
    for conflict in answers["expert_conflicts"]:
        assert conflict["expert"] in expert_ids and set(conflict["demands"]) <= by_id.keys()
    assert {c["kind"] for c in answers["expert_conflicts"]} == {"same_org", "same_group", "avoid_list"}


def test_violations_are_exactly_what_the_rule_engine_finds(answers: dict, demands: list[dict]) -> None:
    campaign = read_campaign_file(DEFAULT_CAMPAIGN)
    expected = {(v["demand"], v["rule"]) for v in answers["violations"]}
    assert len({rule for _, rule in expected}) >= 6  # each violation breaks a different rule
    assert {rule for _, rule in expected} <= campaign.rules.keys()
    seen: Counter[str] = Counter()
    found = set()
    for row in sorted(demands, key=lambda r: r["提交时间"]):
        record = DemandRecord.model_validate(row)
        for finding in check_demand(record, campaign, existing_demand_count=seen[record.key]):
            found.add((record.external_id, finding.rule_id))
        seen[record.key] += 1
    assert found == expected


def test_duplicate_kinds_carry_their_signals(answers: dict, by_id: dict[str, dict]) -> None:
    for pair in answers["duplicates"]:
        a, b = by_id[pair["a"]], by_id[pair["b"]]
        if pair["kind"] == "exact":
            assert normalize(a["需求描述"]) == normalize(b["需求描述"]) and a["企业名称"] == b["企业名称"]
            assert a["批次"] != b["批次"]
        elif pair["kind"] == "rebureau":
            assert a["企业名称"] == b["企业名称"] and a["初审单位"] != b["初审单位"]
            assert a["需求描述"] != b["需求描述"]
        elif pair["kind"] == "reworded":
            assert a["企业名称"] == b["企业名称"] and a["需求描述"] != b["需求描述"]
        else:  # group_copy
            assert a["企业名称"] != b["企业名称"] and a["统一社会信用代码"] != b["统一社会信用代码"]
            assert a["集团名称"] and a["集团名称"] == b["集团名称"]
            assert (a["联系人手机"], a["联系人电子邮箱"]) == (b["联系人手机"], b["联系人电子邮箱"])


def test_duplicates_are_lexically_closer_than_any_other_pair(answers: dict, by_id: dict[str, dict],
                                                              tokenizer: Tokenizer) -> None:
    """Word-set Jaccard over title + description: every marked duplicate beats every unmarked pair."""
    words = {i: set(tokenizer.words(r["需求名称"] + "。" + r["需求描述"])) for i, r in by_id.items()}

    def jaccard(a: str, b: str) -> float:
        return len(words[a] & words[b]) / len(words[a] | words[b])

    marked = {frozenset((p["a"], p["b"])) for p in answers["duplicates"]}
    weakest_duplicate = min(jaccard(*pair) for pair in marked)
    strongest_other = max(jaccard(a, b) for a, b in itertools.combinations(by_id, 2)
                          if frozenset((a, b)) not in marked)
    assert weakest_duplicate > 0.5 > strongest_other
    for pair in answers["hard_negatives"]:  # same topic: they do share some vocabulary
        assert 0.0 < jaccard(pair["a"], pair["b"]) < weakest_duplicate


# --------------------------------------------------------------------------- dictionary and stopwords


def _userdict_entries() -> list[tuple[str, int, str]]:
    entries = []
    for line in DEFAULT_USERDICT.read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split(" ")
        entries.append((word, int(freq), tag))
    return entries


def test_userdict_is_jieba_format_and_large_enough() -> None:
    entries = _userdict_entries()
    words = [w for w, _, _ in entries]
    assert len(words) == len(set(words))
    assert all(re.fullmatch(r"[a-z]+", tag) and freq > 0 for _, freq, tag in entries)
    assert all(w == normalize(w) for w in words)  # the tokenizer sees normalised text
    assert sum(tag == "nz" for _, _, tag in entries) >= 600


def test_userdict_terms_stay_whole(tokenizer: Tokenizer) -> None:
    for word, _, _ in _userdict_entries():
        assert tokenizer.cut(word) == [word], word
    sentence = "本企业亟需攻关高温合金单晶叶片缺陷检测、精密减速器、数控系统、碳纤维复合材料、氢燃料电池、刻蚀机、原料药和海参育苗等关键技术"
    kept = tokenizer.cut(sentence)
    for term in ("高温合金", "单晶叶片", "精密减速器", "数控系统", "碳纤维复合材料", "氢燃料电池", "刻蚀机", "原料药", "海参育苗"):
        assert term in kept, term
    plain = Tokenizer(userdict=None, stopwords=None).cut(sentence)
    assert "碳纤维复合材料" not in plain and "氢燃料电池" not in plain  # the dictionary is what keeps them


def test_userdict_changes_segmentation_of_the_samples(demands: list[dict], tokenizer: Tokenizer) -> None:
    plain = Tokenizer(userdict=None, stopwords=None)
    changed = sum(plain.cut(r["需求描述"]) != tokenizer.cut(r["需求描述"]) for r in demands)
    assert changed >= 0.9 * len(demands)


def test_stopwords_drop_boilerplate_but_no_technical_term(tokenizer: Tokenizer) -> None:
    boilerplate = "本企业亟需攻关关键技术，我公司急需解决技术难题，开展研发项目，实现突破，提升水平。"
    assert tokenizer.words(boilerplate) == []
    stopwords = read_wordlist(DEFAULT_STOPWORDS)
    technical = {w for w, _, tag in _userdict_entries() if tag == "nz"}
    assert not stopwords & technical
    assert tokenizer.words("我公司亟需突破RV减速器精度保持性关键技术") == ["rv减速器", "精度保持性"]
