"""A model of the parent labels of texts labelled only with a parent is one more view of the domain classifier (#19):
what those texts teach reaches a new text through it, it is absent when no two parent labels were given, and it
survives the saved form (a state saved before it still loads). Real jieba; lexical views only (no encoder)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matching.domains import DomainClassifier
from matching.parent_view import PARENTS
from matching.taxonomy import Taxonomy

NODES = [{"code": "A", "name": "农业"}, {"code": "A1", "name": "作物育种", "parent": "A"},
         {"code": "A2", "name": "果树栽培", "parent": "A"},
         {"code": "B", "name": "医学"}, {"code": "B1", "name": "心血管病", "parent": "B"},
         {"code": "B2", "name": "肿瘤治疗", "parent": "B"}]
# confirmed at level 2: words of the child, and one common word of the parent (田间 / 患者)
FULL = [("水稻杂交品种选育田间试验", "A1"), ("小麦抗病品种选育田间鉴定", "A1"), ("玉米高产品种选育田间示范", "A1"),
        ("大豆耐旱品种选育田间评价", "A1"), ("苹果园修剪疏花田间作业", "A2"), ("柑橘园修剪嫁接田间作业", "A2"),
        ("葡萄园修剪套袋田间作业", "A2"), ("梨园修剪授粉田间作业", "A2"),
        ("冠心病患者支架介入随访", "B1"), ("高血压患者心衰介入随访", "B1"), ("心肌梗死患者溶栓介入随访", "B1"),
        ("心律失常患者射频消融随访", "B1"), ("肺癌患者靶向化疗疗效", "B2"), ("肝癌患者免疫化疗疗效", "B2"),
        ("胃癌患者术后化疗疗效", "B2"), ("乳腺癌患者新辅助化疗疗效", "B2")]
# filed only under a parent: the parent's common word with words no confirmed text has (土壤 施肥 / 医院 临床)
ONLY_A = ["田间土壤施肥灌溉方案", "田间土壤墒情灌溉施肥监测", "田间土壤有机质施肥调控", "田间节水灌溉土壤改良施肥",
          "田间灌溉水肥耦合施肥", "田间土壤肥力施肥灌溉制度", "田间盐碱土壤灌溉排盐施肥", "田间土壤耕作灌溉"]
ONLY_B = ["患者医院临床护理评估", "患者临床用药医院护理", "患者医院感染临床护理", "患者临床路径医院管理",
          "患者临床检验医院信息", "患者医院急诊临床护理", "患者临床药物医院伦理审查", "患者医院随访临床数据库"]
QUERIES = {"A": ["土壤施肥和灌溉", "灌溉施肥对土壤的影响"], "B": ["医院临床护理", "临床护理和医院管理"]}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.from_records(NODES, name="parent-view")


def _fit(taxonomy: Taxonomy, tokenizer, parent_view: bool) -> DomainClassifier:
    texts, labels = (list(x) for x in zip(*FULL))
    # coarse_weight 0: the parent-only texts do not train the heads as pseudo-labelled examples, so the view is
    # their only way in
    return DomainClassifier(taxonomy, tokenizer=tokenizer, level=2, coarse_weight=0.0, parent_view=parent_view,
                            min_df=1).fit(texts + ONLY_A + ONLY_B, labels + ["A"] * len(ONLY_A) + ["B"] * len(ONLY_B))


def _parent_share(clf: DomainClassifier, texts: list[str], parent: str) -> np.ndarray:
    p = clf.predict_proba(texts)
    return p[:, [i for i, c in enumerate(clf.codes_) if c.startswith(parent)]].sum(axis=1)


def test_parent_only_texts_reach_a_new_text_through_the_parent_view(taxonomy, tokenizer) -> None:
    clf = _fit(taxonomy, tokenizer, True)
    without = _fit(taxonomy, tokenizer, False)
    assert without.parent_view_ is None and PARENTS not in without.heads_
    assert clf.parent_view_ is not None and clf.parent_view_.classes_ == ["A", "B"]
    assert clf.weights_[PARENTS] > 0  # learned out of fold, like the other views' weights
    for parent, texts in QUERIES.items():
        assert all(s.top.code.startswith(parent) for s in clf.suggest(texts))
        share = _parent_share(clf, texts, parent)  # measured A 0.93 / B 0.56–0.61; without the view 0.79 / 0.22–0.25
        assert (share > 0.5).all() and (share > _parent_share(without, texts, parent) + 0.1).all()
    assert not all(s.top.code.startswith("B") for s in without.suggest(QUERIES["B"]))
    # one parent label only (or none): nothing to tell apart, no view — the classifier is as before
    texts, labels = (list(x) for x in zip(*FULL))
    one = DomainClassifier(taxonomy, tokenizer=tokenizer, level=2, min_df=1).fit(texts + ONLY_A, labels + ["A"] * 8)
    assert one.parent_view_ is None and set(one.heads_) == {"chars", "words", "words_nb"}


def test_the_parent_view_is_saved_with_the_classifier(taxonomy, tokenizer, tmp_path: Path) -> None:
    from api.io.resources import read_domain_classifier, write_domain_classifier

    clf = _fit(taxonomy, tokenizer, True)
    write_domain_classifier(clf, tmp_path / "domains")
    loaded = read_domain_classifier(tmp_path / "domains", tokenizer=tokenizer)
    assert loaded.parent_view_.classes_ == ["A", "B"] and loaded.weights_ == clf.weights_
    assert np.allclose(loaded.predict_proba(QUERIES["A"]), clf.predict_proba(QUERIES["A"]))
    # a state saved before the view (no parent arrays, no such parameter) loads as a classifier without it
    old = _fit(taxonomy, tokenizer, False)
    meta, arrays = old.to_state()
    del meta["params"]["parent_view"]
    assert not any(k.startswith("parent_") for k in arrays)
    loaded = DomainClassifier.from_state(meta, arrays, old.vectorizer_, tokenizer=tokenizer)
    assert loaded.parent_view_ is None
    assert np.allclose(loaded.predict_proba(QUERIES["B"]), old.predict_proba(QUERIES["B"]))
