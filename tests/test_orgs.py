"""Organisations as people write them: the shipped alias table, abbreviations, former names, and a unit
meeting its institution in both directions of the 回避 rules."""
from __future__ import annotations

import pytest

from api.io.resources import org_directory
from matching.conflicts import DemandParty, ExpertParty, build_conflicts
from nlp.orgs import OrgDirectory, OrgEntry


@pytest.fixture(scope="module")
def orgs() -> OrgDirectory:
    return org_directory()


def _rules(orgs: OrgDirectory, demand: DemandParty, expert: ExpertParty) -> list[str]:
    return build_conflicts([demand], [expert], orgs=orgs).rules_for(0, 0)


def test_table_loads_and_resolves_abbreviations_and_former_names(orgs: OrgDirectory) -> None:
    assert len(orgs.entries) >= 100
    assert orgs.canonical("中国农大") == "中国农业大学"
    assert orgs.canonical("北京航空学院") == orgs.canonical("北航") == "北京航空航天大学"
    assert orgs.canonical("东北工学院") == "东北大学"
    assert orgs.path("中科院金属所") == ("中国科学院", "中国科学院金属研究所")
    assert orgs.canonical("东大") == ""  # ambiguous (东北大学 / 东南大学): left out on purpose


@pytest.mark.parametrize(("a", "b", "related"), [
    ("中国农大", "中国农业大学", True),
    ("北京航空航天大学材料科学与工程学院", "北京航空航天大学", True),
    ("北京航空航天大学", "北航材料学院", True),
    ("中国科学院金属研究所", "中国科学院", True),
    ("某某理工大学化学系", "某某理工大学", True),  # not in the table: split by its words
    ("北航材料学院", "北航计算机学院", False),  # two faculties of one university
    ("东北大学", "东南大学", False),
    ("大连理工大学", "大工业园管理中心", False),
    ("中国科学院金属研究所", "中国科学院沈阳自动化研究所", False),
])
def test_related_units(orgs: OrgDirectory, a: str, b: str, related: bool) -> None:
    assert orgs.related(a, b) is related
    assert orgs.related(b, a) is related


def test_enterprise_avoid_list_by_abbreviation_and_by_unit_both_ways(orgs: OrgDirectory) -> None:
    demand = DemandParty("D", "沈阳某某装备有限公司", avoid_orgs=("中国农大",))
    assert _rules(orgs, demand, ExpertParty("E", "中国农业大学")) == ["enterprise_avoids"]
    assert _rules(orgs, demand, ExpertParty("E", "沈阳农业大学")) == []
    dept = DemandParty("D", "沈阳某某装备有限公司", avoid_orgs=("北京航空航天大学材料科学与工程学院",))
    assert _rules(orgs, dept, ExpertParty("E", "北京航空航天大学")) == ["enterprise_avoids"]
    whole = DemandParty("D", "沈阳某某装备有限公司", avoid_orgs=("北京航空航天大学",))
    assert _rules(orgs, whole, ExpertParty("E", "北京航空航天大学材料科学与工程学院")) == ["enterprise_avoids"]
    assert _rules(orgs, whole, ExpertParty("E", "北航")) == ["enterprise_avoids"]
    sibling = DemandParty("D", "沈阳某某装备有限公司", avoid_orgs=("北航材料学院",))
    assert _rules(orgs, sibling, ExpertParty("E", "北航计算机学院")) == []


def test_expert_avoid_list_and_same_org_see_units(orgs: OrgDirectory) -> None:
    institute = DemandParty("D", "中国科学院金属研究所")
    assert _rules(orgs, institute, ExpertParty("E", "中科院金属所")) == ["same_org"]
    assert _rules(orgs, institute, ExpertParty("E", "东北大学", avoid_orgs=("中国科学院",))) == ["expert_avoids"]
    assert _rules(orgs, institute, ExpertParty("E", "东北大学", avoid_orgs=("中科院沈阳自动化所",))) == []


def test_an_alias_naming_two_institutions_is_refused() -> None:
    with pytest.raises(ValueError):
        OrgDirectory([OrgEntry("东北大学", abbr=("东大",)), OrgEntry("东南大学", abbr=("东大",))])
