"""Every campaign rule of DESIGN.md §3, passing and failing, plus quota progress and routing."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.config import DEFAULT_CAMPAIGN
from api.errors import ConfigError
from api.forms.models import FIELD_BY_HEADER, DemandRecord
from api.services.campaign import read_campaign_file
from matching.campaign import RULE_IDS, CampaignConfig
from matching.rules import CHECKS, check_demand, has_errors, quota_progress, route, text_length
from matching.vocabulary import TechArea


def load_campaign(path=DEFAULT_CAMPAIGN) -> CampaignConfig:
    return read_campaign_file(path)


@pytest.fixture(scope="module")
def campaign() -> CampaignConfig:
    return load_campaign()


GOOD: dict[str, Any] = {
    "批次": "第二批", "提交时间": "2023-02-10 10:00", "企业名称": "大连示例数控机床有限公司",
    "注册地区": "大连市", "所在园区": "英歌石科学城", "独立法人": "是", "近三年信用不良记录": "否",
    "科技企业性质": "高新技术企业、科技型中小企业", "上年度销售收入(万元)": 6000, "上年度研发费用(万元)": 400,
    "需求类别": "重大需求", "需求名称": "五轴联动数控系统", "技术领域": "高新技术", "需求描述": "研制五轴联动数控系统。",
    "需求研发总投入(万元)": 1500,
}


def record(**changes: Any) -> DemandRecord:
    return DemandRecord.model_validate({**GOOD, **changes})


def ids(findings) -> list[str]:
    return [f.rule_id for f in findings]


def test_a_good_demand_has_no_findings(campaign) -> None:
    assert check_demand(record(), campaign) == []


def test_every_configured_rule_has_a_check() -> None:
    assert set(CHECKS) | {"rd_threshold"} == set(RULE_IDS)


def test_required_fields(campaign) -> None:
    findings = check_demand(record(**{"注册地区": "", "需求描述": None, "独立法人": "  "}), campaign)
    assert ids(findings) == ["required_fields"]
    f = findings[0]
    assert f.severity == "error" and f.fields == ["注册地区", "独立法人", "需求描述"]
    assert "注册地区" in f.message_zh and "Required" in f.message_en


def test_registered_in_province(campaign) -> None:
    assert check_demand(record(**{"注册地区": "沈阳"}), campaign) == []
    assert check_demand(record(**{"注册地区": "沈抚新区"}), campaign) == []
    [f] = check_demand(record(**{"注册地区": "北京市"}), campaign)
    assert f.rule_id == "registered_in_province" and f.values == {"注册地区": "北京市"}
    assert "北京市" in f.message_zh and "outside" in f.message_en


def test_independent_legal_person(campaign) -> None:
    [f] = check_demand(record(**{"独立法人": "否"}), campaign)
    assert f.rule_id == "independent_legal_person" and f.severity == "error"


def test_good_credit(campaign) -> None:
    [f] = check_demand(record(**{"近三年信用不良记录": "是"}), campaign)
    assert f.rule_id == "good_credit" and f.values == {"近三年信用不良记录": "是"}


def test_max_demands_per_enterprise(campaign) -> None:
    assert check_demand(record(), campaign, existing_demand_count=1) == []
    [f] = check_demand(record(), campaign, existing_demand_count=2)
    assert f.rule_id == "max_demands_per_enterprise"
    assert f.values["existing"] == 2 and f.values["maximum"] == 2 and "最多2项" in f.message_zh


@pytest.mark.parametrize("types,category,revenue,rd,investment,expected", [
    # high-tech enterprise, 重大需求: revenue ≥ 5000, R&D ≥ 300
    ("高新技术企业", "重大需求", 5000, 300, 1000, []),
    ("高新技术企业", "重大需求", 4999, 300, 1000, ["revenue_threshold"]),
    ("高新技术企业", "重大需求", 5000, 299, 1000, ["rd_threshold"]),
    # high-tech enterprise, 重点需求: revenue ≥ 2000, R&D ≥ 200
    ("高新技术企业", "重点需求", 2000, 200, 600, []),
    ("高新技术企业", "重点需求", 1999, 199, 600, ["revenue_threshold", "rd_threshold"]),
    # other enterprises: revenue ≥ 1000, R&D ≥ 100, whatever the category
    ("科技型中小企业", "重大需求", 1000, 100, 2000, []),
    ("科技型中小企业", "重点需求", 999, 100, 600, ["revenue_threshold"]),
    ("", "重点需求", 1000, 99, 600, ["rd_threshold"]),
])
def test_revenue_and_rd_thresholds(campaign, types, category, revenue, rd, investment, expected) -> None:
    r = record(**{"科技企业性质": types, "需求类别": category, "上年度销售收入(万元)": revenue,
                  "上年度研发费用(万元)": rd, "需求研发总投入(万元)": investment})
    findings = check_demand(r, campaign)
    assert ids(findings) == expected
    for f in findings:
        assert f.values["minimum"] > min(revenue, rd) - 1 and f.message_zh and f.message_en


def test_threshold_message_names_kind_and_values(campaign) -> None:
    [f] = check_demand(record(**{"上年度销售收入(万元)": "4,800"}), campaign)
    assert f.message_zh == "高新技术企业申报重大需求，上年度销售收入应不低于5000万元，实际4800万元"
    assert f.values["上年度销售收入(万元)"] == 4800 and f.values["high_tech"] is True


@pytest.mark.parametrize("category,investment,ok", [
    ("重大需求", 1000, True), ("重大需求", 999, False), ("重点需求", 400, True), ("重点需求", 1000, True),
    ("重点需求", 399, False), ("重点需求", 1200, False),
])
def test_investment_fits_category(campaign, category, investment, ok) -> None:
    r = record(**{"需求类别": category, "需求研发总投入(万元)": investment, "科技企业性质": "",
                  "上年度销售收入(万元)": 9000, "上年度研发费用(万元)": 900})
    findings = check_demand(r, campaign)
    assert ids(findings) == ([] if ok else ["investment_fits_category"])
    if not ok:
        assert str(investment) in findings[0].message_zh


def test_text_length_limits(campaign) -> None:
    assert text_length(" 甲 乙\n丙 ") == 3
    assert check_demand(record(**{"需求描述": "字" * 1000, "交付要件": "字 " * 500}), campaign) == []
    findings = check_demand(record(**{"需求描述": "字" * 1001, "交付要件": "字" * 501}), campaign)
    assert ids(findings) == ["text_length", "text_length"]
    assert [f.fields for f in findings] == [["需求描述"], ["交付要件"]]
    assert findings[0].severity == "warning" and findings[0].values == {"需求描述": 1001, "limit": 1000}


def test_submission_deadline(campaign) -> None:
    assert check_demand(record(**{"批次": "第三批", "提交时间": "2023-03-26 23:59"}), campaign) == []
    [f] = check_demand(record(**{"批次": "第三批", "提交时间": "2023-03-27"}), campaign)
    assert f.rule_id == "submission_deadline" and f.values["deadline"] == "2023-03-26"
    # The time the demand reached us wins over the row's own 提交时间.
    [f] = check_demand(record(**{"批次": "第三批"}), campaign, submitted_at=datetime(2023, 3, 28, 8))
    assert f.rule_id == "submission_deadline"


def test_batch_deadline(campaign) -> None:
    assert check_demand(record(**{"批次": "第一批", "提交时间": "2023-01-31"}), campaign) == []
    [f] = check_demand(record(**{"批次": "第一批", "提交时间": "2023-02-01"}), campaign)
    assert f.rule_id == "batch_deadline" and f.severity == "warning"
    assert f.values["expected"] == "第二批" and "第二批" in f.message_zh and "第二批" in f.message_en
    assert ids(check_demand(record(**{"批次": "第二批", "提交时间": date(2023, 3, 1)}), campaign)) == [
        "batch_deadline"]


def test_blank_values_do_not_fire_value_rules(campaign) -> None:
    r = DemandRecord.model_validate({"企业名称": "甲", "需求名称": "乙"})
    assert ids(check_demand(r, campaign)) == ["required_fields"]


def test_has_errors_and_disabled_rule(campaign) -> None:
    assert not has_errors(check_demand(record(**{"需求描述": "字" * 2000}), campaign))
    assert has_errors(check_demand(record(**{"独立法人": "否"}), campaign))
    data = campaign.model_dump(mode="json")
    data["rules"]["good_credit"]["enabled"] = False
    relaxed = CampaignConfig.parse(data, FIELD_BY_HEADER)
    assert check_demand(record(**{"近三年信用不良记录": "是"}), relaxed) == []


def test_route(campaign) -> None:
    assert route(TechArea.HIGH_TECH, campaign) == "高新处"
    assert route("新一代信息技术", campaign) == "信息处"
    assert [route(a, campaign) for a in ("生物医药", "农业", "社会发展")] == ["医药处", "农村处", "社发处"]
    assert route(None, campaign) == "规划处" and route("未知领域", campaign) == "规划处"


def test_quota_progress(campaign) -> None:
    status = quota_progress({"沈阳市": 210, "大连市": 150, "朝阳市": 30, "铁岭市": 5},
                            {"浑南科技城": 12, "英歌石科学城": 30}, campaign)
    by_name = {(s.scope, s.name): s for s in status}
    assert len([s for s in status if s.scope == "region"]) == 15
    assert by_name["region", "沈阳市"].met and by_name["region", "沈阳市"].minimum == 200
    assert not by_name["region", "大连市"].met and by_name["region", "大连市"].remaining == 50
    assert by_name["region", "朝阳市"].met and by_name["region", "铁岭市"].remaining == 25
    assert by_name["region", "沈抚示范区"].count == 0 and by_name["region", "沈抚示范区"].minimum == 30
    assert by_name["park", "浑南科技城"].remaining == 18 and "还差18项" in by_name["park", "浑南科技城"].message_zh
    assert by_name["park", "英歌石科学城"].met
    longer = quota_progress({}, {"沈阳市浑南科技城": 20, "浑南科技城": 15, None: 3}, campaign)
    assert {s.name: s.count for s in longer if s.scope == "park"} == {"浑南科技城": 35, "英歌石科学城": 0}


def test_campaign_file_validation(tmp_path: Path, campaign) -> None:
    data = campaign.model_dump(mode="json")
    data["length_limits"]["不存在的字段"] = 10
    del data["rules"]["good_credit"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_campaign(bad)
    assert info.value.code == "campaign_invalid"
    assert "不存在的字段" in str(info.value.details) and "good_credit" in str(info.value.details)
    with pytest.raises(ConfigError):
        load_campaign(tmp_path / "missing.yaml")
    good = tmp_path / "c.json"
    good.write_text(campaign.model_dump_json(), encoding="utf-8")
    assert load_campaign(good) == campaign


def test_shipped_campaign_matches_the_notice(campaign) -> None:
    assert campaign.submission_deadline == date(2023, 3, 26)
    assert [(b.batch.value, b.deadline) for b in campaign.batches] == [
        ("第一批", date(2023, 1, 31)), ("第二批", date(2023, 2, 28)), ("第三批", date(2023, 3, 31))]
    assert campaign.max_demands_per_enterprise == 2
    assert campaign.region_minimum("沈阳市") == campaign.region_minimum("大连市") == 200
    assert campaign.region_minimum("葫芦岛市") == 30


def test_late_after_every_batch_reports_both_deadlines(campaign) -> None:
    findings = check_demand(record(**{"批次": "第三批", "提交时间": "2023-04-02"}), campaign)
    assert ids(findings) == ["submission_deadline", "batch_deadline"]
    assert findings[1].values["expected"] is None and "已过全部批次" in findings[1].message_zh
