"""Organisation-name normalisation: spellings of one enterprise meet, different ones stay apart."""
from __future__ import annotations

import pytest

from nlp.names import group_root, normalize_org_name, org_key, same_group


@pytest.mark.parametrize("spelling", [
    "沈阳新松机器人自动化股份有限公司",
    "新松机器人自动化有限公司",
    "（辽宁）新松机器人自动化有限责任公司",
    "辽宁省沈阳市 新松机器人自动化集团有限公司",
    "沈阳市浑南区新松机器人自动化有限公司",
])
def test_spellings_of_one_enterprise_share_a_name(spelling: str) -> None:
    assert normalize_org_name(spelling) == "新松机器人自动化"


def test_full_width_brackets_place_and_group_markers_are_removed() -> None:
    assert normalize_org_name("华为技术(大连)有限公司") == normalize_org_name("华为技术有限公司") == "华为技术"
    assert normalize_org_name("ＡＢＣ科技（集团）有限公司") == "abc科技"
    # Non-place bracket text is kept (a branch is its own organisation).
    assert normalize_org_name("中国石油天然气股份有限公司（辽阳石化分公司）") != normalize_org_name("中国石油天然气股份有限公司")


def test_short_or_institutional_names_keep_their_city() -> None:
    assert normalize_org_name("沈阳机床集团有限公司") == "沈阳机床"
    assert normalize_org_name("沈阳机床集团有限公司") != normalize_org_name("大连机床集团有限责任公司")
    assert normalize_org_name("大连理工大学") != normalize_org_name("沈阳理工大学")
    assert normalize_org_name("") == "" and normalize_org_name(None) == ""


def test_org_key_prefers_credit_code() -> None:
    assert org_key("沈阳某公司", " 91210100mA0xxxxx1 ") == "credit:91210100MA0XXXXX1"
    assert org_key("沈阳新松机器人自动化股份有限公司") == org_key("新松机器人自动化有限公司")
    assert org_key("A公司", None).startswith("name:")


def test_same_group() -> None:
    assert group_root("鞍钢集团矿业有限公司") == "鞍钢"
    assert same_group("鞍钢集团矿业有限公司", "鞍钢股份有限公司")
    assert same_group("甲公司", "乙公司", group_a="华晨集团", group_b="华晨集团有限公司")
    assert not same_group("沈阳机床集团有限公司", "大连机床集团有限责任公司")
    assert not same_group("", "鞍钢股份有限公司")
