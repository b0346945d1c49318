"""The title-defect checker (nlp.title_quality) shared by the generator, the benchmark and the tests."""
from __future__ import annotations

from nlp.title_quality import dangling_ending, defect_share, repeated_run, rewrite_share, title_defects


def test_defects_staff_saw_on_the_sample_round_are_caught() -> None:
    assert "repeat" in title_defects("T700级碳纤维制备的生产制备")
    assert repeated_run("高炉富氢喷吹低碳的低碳炼铁工艺技术") == "低碳"
    assert "dangling" in title_defects("露天矿高陡智能的预警影响")
    assert dangling_ending("培育的幼苗影响") == "影响" and dangling_ending("国内外研究现状") == "研究现状"
    assert "template" in title_defects("工业数据采集的网关共性关键技术研究", enterprises=2)
    assert "template" not in title_defects("工业数据采集网关共性关键技术研究", enterprises=3)
    assert "too_long" in title_defects("超" * 31)


def test_real_member_titles_are_clean() -> None:
    for title in ("3D打印多孔钛合金骨科植入物设计与制造技术", "T700级碳纤维用聚丙烯腈原丝干喷湿纺制备技术",
                  "船舶分段涂装VOCs收集与沸石转轮吸附浓缩治理", "1500MPa级第三代汽车钢氢致延迟开裂控制技术"):
        assert title_defects(title) == [], title


def test_shares() -> None:
    assert defect_share([("露天矿边坡监测", 1), ("露天矿的", 1)]) == 0.5
    assert rewrite_share([("短标题", "短标题"), ("短标题二", "改写"), ("长" * 31, "长")]) == 0.5
