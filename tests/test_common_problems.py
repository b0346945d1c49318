"""共性技术: distinct enterprises (one enterprise, a group, a credit code, duplicates count once) and the rank."""
from __future__ import annotations

from matching.common import CommonCandidate, distinct_enterprises, rank_common, shared_terms


def test_one_enterprise_group_copies_and_duplicates_count_once() -> None:
    one = [("甲公司", "", "code:A"), ("甲公司", "", "code:A"), ("甲公司", "", "code:A")]
    assert distinct_enterprises(one) == 1
    group = [("甲公司", "group:辽宁某集团", ""), ("乙公司", "group:辽宁某集团", ""), ("丙公司", "", "")]
    assert distinct_enterprises(group) == 2
    same_code = [("甲公司", "", "code:X"), ("甲有限公司", "", "code:X"), ("丙公司", "", "")]
    assert distinct_enterprises(same_code) == 2
    copies = [("甲公司", "", ""), ("乙公司", "", ""), ("丙公司", "", ""), ("丁公司", "", "")]
    assert distinct_enterprises(copies) == 4
    assert distinct_enterprises(copies, [(0, 1), (2, 3)]) == 2  # two texts each filed twice


def test_a_one_enterprise_cluster_is_never_common_and_the_rank_is_by_enterprises_then_coherence() -> None:
    candidates = [CommonCandidate("C1", 1, 0.99, 9000.0), CommonCandidate("C2", 3, 0.95, 100.0),
                  CommonCandidate("C3", 5, 0.90, 100.0), CommonCandidate("C4", 3, 0.97, 50.0),
                  CommonCandidate("C5", 3, 0.97, 80.0), CommonCandidate("C6", 8, 0.50, 1000.0),
                  CommonCandidate("C7", 2, 0.99, 1000.0)]
    ranked = rank_common(candidates, coherence_floor=0.8)
    assert "C1" not in ranked and "C7" not in ranked  # one or two enterprises: not common
    assert "C6" not in ranked  # many enterprises, but below the coherence floor: not one problem
    assert ranked == ["C3", "C5", "C4", "C2"]  # enterprises, then coherence, then investment


def test_common_needs_a_term_half_the_enterprises_share_and_one_topic() -> None:
    """Four enterprises alike on the round's scale but sharing no specific term, or spread over unrelated
    技术领域 (the sample round's wafer hot plate + superalloy ingot + steel + silicon), are no 共性 problem."""
    shared = CommonCandidate("C1", 4, 0.99, 100.0, shared_support=3, agreement=0.75)
    no_term = CommonCandidate("C2", 4, 0.99, 900.0, shared_support=1, agreement=1.0)
    one_pair = CommonCandidate("C3", 6, 0.99, 900.0, shared_support=2, agreement=1.0)  # 2 of 6 enterprises
    mixed = CommonCandidate("C4", 5, 0.99, 900.0, shared_support=3, agreement=0.4)
    unknown = CommonCandidate("C5", 3, None, 10.0)  # edited by staff since the run: not held against it
    vocs = CommonCandidate("C6", 3, 0.99, 10.0, shared_support=3, agreement=0.34)  # all name VOCs, 3 domains
    assert rank_common([shared, no_term, one_pair, mixed, unknown, vocs], coherence_floor=0.8) == ["C1", "C6", "C5"]


def test_shared_terms_count_enterprises_not_demands() -> None:
    terms = [{"VOCs", "催化燃烧"}, {"VOCs", "催化燃烧"}, {"VOCs", "沸石转轮"}, {"VOCs", "储罐"}]
    who = ["甲", "甲", "乙", "丙"]  # 甲 filed twice
    assert shared_terms(terms, who) == [("VOCs", 3)]  # 催化燃烧: one enterprise, not shared
    assert shared_terms(terms, who, specific=lambda t: t != "VOCs") == []
