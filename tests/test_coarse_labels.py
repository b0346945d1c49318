"""Texts labelled only with a parent label train a finer classifier (#19): the mask of allowed children, the
pseudo-labels that never leave the parent, the classifier learning from such texts, and its saved form keeping
them. Real jieba tokenizer and the shipped embedding model (session fixtures); the shipped 2016 high-tech domains."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from api.io.taxonomy_files import DEFAULT_TAXONOMY, DEFAULT_TAXONOMY_DIR, read_taxonomy
from matching.coarse_labels import coarse_targets, pseudo_labels
from matching.domains import DomainClassifier
from tests.test_domains import DEMANDS

# demands staff filed only under 70 资源与环境 (level 1): soil remediation, which no level-3 example covers
COARSE = [
    "农田土壤重金属镉污染钝化修复技术研究，降低稻米镉含量",
    "重金属污染场地土壤淋洗修复工艺与淋洗剂回收",
    "铅锌冶炼废渣堆场周边土壤重金属污染植物修复",
    "土壤重金属砷污染固化稳定化修复材料研制",
    "矿区重金属污染土壤微生物修复菌剂筛选与应用",
    "石油烃污染土壤热脱附修复装备开发",
]
QUERY = "重金属污染土壤的淋洗与钝化修复技术"


@pytest.fixture(scope="module")
def taxonomy():
    return read_taxonomy(DEFAULT_TAXONOMY)


def test_a_parent_label_allows_exactly_its_children(taxonomy) -> None:
    codes = [n.code for n in taxonomy.at_level(3)]
    rows, allowed = coarse_targets(taxonomy, codes, 3, ["80", None, "80401", "804", "不存在", "70"])
    assert rows.tolist() == [0, 3, 5]  # level-3 codes, blanks and unknown codes are not coarse
    assert {codes[j] for j in np.flatnonzero(allowed[0])} == {c for c in codes if c.startswith("80")}
    assert {codes[j] for j in np.flatnonzero(allowed[1])} == {c for c in codes if c.startswith("804")}
    scores = np.tile(np.arange(len(codes), dtype=float), (3, 1))  # the last code scores highest everywhere
    labels = pseudo_labels(scores, allowed)
    assert all(allowed[i, j] for i, j in enumerate(labels))  # never outside the parent
    assert pseudo_labels(scores[:1], np.zeros((1, len(codes)), bool)).tolist() == [-1]
    # CSL: every discipline of the CSLDCP benchmark sits under one of the 13 categories
    csl = read_taxonomy(DEFAULT_TAXONOMY_DIR / "csl_disciplines.yaml")
    assert len(csl.at_level(1)) == 13 and len(csl.at_level(2)) == 67 and all(n.level == 2 for n in csl.at_level(2))


def _fit(taxonomy, encode, tokenizer, weight: float) -> DomainClassifier:
    texts, labels = zip(*DEMANDS)  # prior_strength 0: the heads alone (one example a label leaves them a third)
    return DomainClassifier(taxonomy, encoder=encode, tokenizer=tokenizer, level=3, coarse_weight=weight,
                            prior_strength=0.0).fit(list(texts) + COARSE, list(labels) + ["70"] * len(COARSE))


def _under(clf: DomainClassifier, text: str, parent: str) -> float:
    p = clf.predict_proba([text])[0]
    return float(sum(p[i] for i, c in enumerate(clf.codes_) if c.startswith(parent)))


def test_demands_filed_under_a_parent_teach_its_children(taxonomy, embedder, tokenizer, tmp_path: Path) -> None:
    from api.io.resources import read_domain_classifier, write_domain_classifier

    encode = lambda texts: embedder.encode(texts, kind="passage", show_progress=False)  # noqa: E731
    left_out = _fit(taxonomy, encode, tokenizer, 0.0)
    clf = _fit(taxonomy, encode, tokenizer, 0.3)
    assert len(clf.coarse_allowed_) == len(COARSE) and len(clf.train_texts_) == len(DEMANDS)  # not examples
    assert clf.suggest([QUERY])[0].top.code.startswith("70")
    assert _under(clf, QUERY, "70") > _under(left_out, QUERY, "70") + 0.15  # measured 0.19 → 0.45
    assert clf.suggest(["寒地粳稻新品种选育与栽培"])[0].top.code == "20701"  # the other labels read as before
    # saved and read back, a correction refits the heads on the coarse texts too: the same as the original
    write_domain_classifier(clf, tmp_path / "domains")
    loaded = read_domain_classifier(tmp_path / "domains", encoder=encode, tokenizer=tokenizer)
    for model in (clf, loaded):
        model.learn(["数控机床主轴热误差补偿技术"], ["80401"])
    assert np.allclose(loaded.predict_proba([QUERY]), clf.predict_proba([QUERY]), atol=1e-4)  # float32 heads
