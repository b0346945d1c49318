"""Form schemas: Chinese aliases, lenient clerk input, clear errors, personal-data marking, export rows."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from api.forms.models import DemandRecord, Enterprise, Expert, ExpertReview, Solver
from api.forms.parsers import parse_bool, parse_date, parse_datetime, parse_list, parse_number
from api.forms.personal import EXPERT_PERSONAL_FIELDS, PERSONAL_FIELDS, REDACTED, headers, redact, to_row
from matching.vocabulary import (Batch, DemandCategory, EconomicNature, Region, SolverType, TechArea, TechBasis,
                                 TechEnterpriseType)

ROW = {
    "需求编号": 1001.0, "批次": "第1批", "初审单位": "沈阳市科技局", "提交时间": "2023/3/1 9:30",
    "企业名称": "沈阳示例智能装备有限公司", "统一社会信用代码": "91210100 MA0000001X", "注册地区": "沈阳",
    "所在园区": "浑南科技城", "注册资金(万元)": "5,000", "科技企业性质": "高新技术企业、瞪羚；专精特新小巨人",
    "独立法人": "是", "近三年信用不良记录": "否", "单位总人数": "320人", "经济性质": "民营",
    "上年度销售收入(万元)": "1.2亿", "上年度研发费用(万元)": "650万元", "上年度净利润(万元)": "-35",
    "联系人姓名": "王某", "联系人手机": "13800000000",
    "需求类别": "重大", "需求名称": "  高精度 减速器 ", "技术领域": "高新技术", "技术基础": "50%",
    "需求描述": "长" * 1500, "需求研发总投入(万元)": 1500,
    "陌生列": "ignored",
}


def test_chinese_headers_and_lenient_values() -> None:
    r = DemandRecord.model_validate(ROW)
    assert r.external_id == "1001" and r.batch is Batch.FIRST
    assert r.submitted_at == datetime(2023, 3, 1, 9, 30)
    assert r.region == Region.SHENYANG.value and r.park == "浑南科技城"
    assert r.credit_code == "91210100MA0000001X"
    assert r.registered_capital == 5000 and r.staff_total == 320
    assert r.sales_revenue == 12000 and r.rd_expense == 650 and r.net_profit == -35
    assert r.economic_nature is EconomicNature.PRIVATE
    assert r.tech_enterprise_types == [TechEnterpriseType.HIGH_TECH, TechEnterpriseType.GAZELLE,
                                       TechEnterpriseType.LITTLE_GIANT]
    assert r.is_high_tech and r.independent_legal_person is True and r.bad_credit_record is False
    assert r.category is DemandCategory.MAJOR and r.tech_area is TechArea.HIGH_TECH
    assert r.tech_basis is TechBasis.P50 and r.title == "高精度 减速器"
    assert len(r.description) == 1500  # over-long text is kept; length is a rule, not a schema error


def test_english_names_work_too_and_parts_round_trip() -> None:
    r = DemandRecord(name="甲公司", title="乙需求", category="重点需求", total_investment="600")
    assert r.category is DemandCategory.KEY and r.total_investment == 600
    full = DemandRecord.model_validate(ROW)
    assert isinstance(full.enterprise(), Enterprise) and full.enterprise().name == full.name
    assert full.demand().title == full.title and full.platform().batch is Batch.FIRST
    assert DemandRecord.from_parts(full.enterprise(), full.demand(), full.platform()) == full


def test_bad_values_give_bilingual_reasons_per_field() -> None:
    with pytest.raises(ValidationError) as info:
        DemandRecord.model_validate({"企业名称": "甲", "需求名称": "乙", "上年度销售收入(万元)": "很多",
                                     "经济性质": "国营", "提交时间": "明天", "独立法人": "也许"})
    errors = {e["loc"][0]: e for e in info.value.errors()}
    assert set(errors) == {"上年度销售收入(万元)", "经济性质", "提交时间", "独立法人"}
    assert "国有控股" in errors["经济性质"]["ctx"]["zh"] and "allowed" in errors["经济性质"]["ctx"]["en"]
    assert errors["提交时间"]["ctx"]["en"].startswith("not a date")


def test_required_fields() -> None:
    with pytest.raises(ValidationError) as info:
        DemandRecord.model_validate({"企业名称": "甲"})
    assert [e["loc"][0] for e in info.value.errors()] == ["需求名称"]


@pytest.mark.parametrize("raw,expected", [
    ("1,200", 1200), ("1200万元", 1200), ("约300万", 300), ("1.5亿元", 15000), ("45%", 45), ("", None),
    ("无", None), (None, None), (float("nan"), None), (12, 12), ("１２０", 120),
])
def test_parse_number(raw, expected) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["2023-03-01", "2023/3/1", "2023.3.1", "2023年3月1日", "20230301", 44986,
                                 datetime(2023, 3, 1, 12, 0), date(2023, 3, 1)])
def test_parse_date(raw) -> None:
    assert parse_date(raw) == date(2023, 3, 1)


def test_parse_datetime_keeps_time_and_bool_list() -> None:
    assert parse_datetime("2023-03-26 23:59:59") == datetime(2023, 3, 26, 23, 59, 59)
    assert parse_bool("是") is True and parse_bool("否") is False and parse_bool("") is None
    assert parse_bool(1) is True and parse_bool("No") is False
    assert parse_list("甲、乙,丙，丁;戊；甲") == ["甲", "乙", "丙", "丁", "戊"]
    assert parse_list("无") == [] and parse_list(None) == []


def test_personal_fields_and_redaction() -> None:
    assert {"contact_name", "contact_mobile", "legal_rep_name", "contact_email"} <= PERSONAL_FIELDS
    assert "name" not in PERSONAL_FIELDS  # the enterprise name is public
    assert EXPERT_PERSONAL_FIELDS == {"name", "mobile", "email"}
    assert redact({"联系人姓名": "王某", "企业名称": "甲", "contact_mobile": "138"}) == {
        "联系人姓名": REDACTED, "企业名称": "甲", "contact_mobile": REDACTED}
    row = to_row(DemandRecord.model_validate(ROW), redact_personal=True)
    assert row["联系人姓名"] == REDACTED and row["企业名称"] == "沈阳示例智能装备有限公司"


def test_to_row_uses_headers_and_clerk_values() -> None:
    row = to_row(DemandRecord.model_validate(ROW))
    assert list(row) == headers(DemandRecord)
    assert row["批次"] == "第一批" and row["独立法人"] == "是" and row["提交时间"] == "2023-03-01 09:30:00"
    assert row["科技企业性质"] == '高新技术企业、雏鹰瞪羚独角兽、国家级专精特新"小巨人"'
    again = DemandRecord.model_validate(row)  # an exported row imports back unchanged
    assert again == DemandRecord.model_validate(ROW)


def test_expert_review_solver() -> None:
    e = Expert.model_validate({"专家编号": "E001", "姓名": "李某", "所在地区": "北京市", "专家类别": "技术专家",
                               "关键词": "工业机器人、运动控制", "是否可用": "", "回避单位": "甲公司、乙大学"})
    assert e.keywords == ["工业机器人", "运动控制"] and e.available is True and not e.in_province
    assert e.avoid_orgs == ["甲公司", "乙大学"]
    assert Expert.model_validate({"专家编号": "E2", "所在地区": "大连"}).in_province
    rv = ExpertReview.model_validate({"专家编号": "E001", "项目名称": "某项目", "评审时间": "2022/6/1"})
    assert rv.reviewed_on == date(2022, 6, 1)
    s = Solver.model_validate({"单位编号": "S1", "单位名称": "大连理工大学", "单位类型": "大学"})
    assert s.kind is SolverType.UNIVERSITY


def test_openapi_schema_has_chinese_descriptions() -> None:
    schema = DemandRecord.model_json_schema(by_alias=True)
    props = schema["properties"]
    assert "企业名称" in props and "需求类别" in props
    assert all(p.get("description") for p in props.values())


@pytest.mark.parametrize("raw,expected", [
    ("沈阳", "沈阳市"), ("辽宁省大连市", "大连市"), ("沈阳市浑南区", "沈阳市"), ("大连金普新区", "大连市"),
    ("沈抚新区", "沈抚示范区"), ("北京市", "北京市"), ("北京市朝阳区", "北京市朝阳区"), ("朝阳区", "朝阳区"),
    ("", None),
])
def test_region_canonicalisation(raw, expected) -> None:
    assert DemandRecord(name="甲", title="乙", region=raw).region == expected


def test_enum_aliases_win_over_blank_words() -> None:
    assert DemandRecord(name="甲", title="乙", tech_basis="无").tech_basis is TechBasis.NONE
    assert DemandRecord(name="甲", title="乙", tech_basis="").tech_basis is None
    assert DemandRecord(name="甲", title="乙", tech_enterprise_types="无").tech_enterprise_types == []
    assert DemandRecord(name="甲", title="乙", research_alliance="无").research_alliance == "无"
    assert Expert(expert_id="E", available="否").available is False
