"""Duplicate detection core: shingles, the shingle index, each signal of the detector, groups, calibration."""
from __future__ import annotations

import numpy as np
import pytest
import yaml

from corpora import DUPLICATES
from matching.calibration import choose_thresholds
from matching.dedup_groups import group_links
from matching.duplicate_evidence import evidence
from matching.duplicates import DuplicateDetector, DuplicateParams, pair_features, probability
from matching.shingle_index import ShingleIndex
from nlp.shingles import content_chars, overlap, sentence_overlaps, shingles
from nlp.text import normalize
from tests.dup_texts import OTHER_BEARING, REWORDED_0, TEXTS

SHIPPED = DuplicateParams.from_dict(yaml.safe_load(DUPLICATES.read_text(encoding="utf-8")))
BOILERPLATE = (  # form sentences every enterprise copies (the detector must learn to ignore them)
    "本企业承诺所填报信息真实、准确、有效",
    "具体技术指标详见附件",
    "本需求为企业自主提出的关键核心技术攻关需求",
    "需求企业将按照揭榜挂帅有关要求提供配套资金和试验条件",
)


@pytest.fixture(scope="module")
def detector(embedder) -> DuplicateDetector:
    texts = [normalize(t) for t in TEXTS]
    return DuplicateDetector(SHIPPED).fit(list(range(1, len(texts) + 1)), texts, embedder.encode(texts))


def _vec(embedder, text: str) -> np.ndarray:
    return embedder.encode([normalize(text)])[0]


# --- shingles -----------------------------------------------------------------------------------
def test_shingle_hashes_are_stable_and_ignore_punctuation() -> None:
    a = shingles("大型轴承，精密磨削！")
    assert a.dtype == np.uint64 and np.array_equal(a, shingles("大型轴承精密磨削"))
    assert a.tolist() == shingles("大型轴承精密磨削").tolist()  # no per-process salt
    assert shingles("").size == 0 and shingles("轴承").size == 1  # short texts still compare


def test_containment_survives_reordering_and_boilerplate() -> None:
    sents = normalize(TEXTS[1]).split("。")[:3]
    reordered = "。".join([sents[2], BOILERPLATE[0], sents[0], sents[1]])
    o = overlap(shingles(TEXTS[1]), shingles(reordered))
    assert o.containment > 0.95
    assert overlap(shingles(TEXTS[1]), shingles(TEXTS[2])).containment < 0.1


def test_sentence_overlaps_give_offsets_in_both_texts() -> None:
    a, b = normalize(TEXTS[0]), normalize(REWORDED_0)
    matches = sentence_overlaps(a, b)
    assert len(matches) >= 2
    for m in matches:
        assert a[m.a_start:m.a_end] == m.text
        assert content_chars(b[m.b_start:m.b_end])  # a real sentence of b
    exact = [m for m in matches if m.score == 1.0]
    assert any(a[m.a_start:m.a_end] == b[m.b_start:m.b_end] for m in exact)


# --- shingle index ------------------------------------------------------------------------------
def test_shingle_index_learns_boilerplate_and_finds_near_copies() -> None:
    padded = [normalize(t + BOILERPLATE[0] + "。" + BOILERPLATE[1]) for t in TEXTS] * 3
    sets = [shingles(t) for t in padded]
    index = ShingleIndex(min_common=5).fit(sets)
    boiler = shingles(BOILERPLATE[0])
    assert index.strip_common(boiler).size == 0  # in every document: common, ignored
    pos, est = index.query(shingles(REWORDED_0))
    assert pos.size and pos[0] % len(TEXTS) == 0 and est[0] > 0.5
    # a text sharing only the boilerplate finds nothing
    assert index.query(shingles("全新的内容无关。" + BOILERPLATE[0]))[0].size == 0
    index.remove(np.flatnonzero(np.arange(len(sets)) % len(TEXTS) == 0))
    assert all(p % len(TEXTS) != 0 for p in index.query(shingles(REWORDED_0))[0].tolist())
    new = index.add([shingles(normalize(TEXTS[0]))])
    assert index.query(shingles(REWORDED_0))[0][0] == new[0]  # found while still in the append buffer


# --- detector -----------------------------------------------------------------------------------
def test_resubmission_is_a_duplicate_and_same_topic_is_not(detector, embedder) -> None:
    found = detector.check(normalize(REWORDED_0), _vec(embedder, REWORDED_0))
    assert found and found[0].id == 1 and found[0].verdict == "duplicate", found
    other = detector.check(normalize(OTHER_BEARING), _vec(embedder, OTHER_BEARING), min_verdict="near_duplicate")
    assert other == []
    assert detector.check(normalize(REWORDED_0), _vec(embedder, REWORDED_0), exclude=[1])[:1] != found[:1]


def test_semantic_signal_alone_raises_the_score(detector, embedder) -> None:
    # the same text with two vectors: the lexical signals are identical, only the dense one differs
    text = normalize(TEXTS[3])
    own = detector.score_ids(text, _vec(embedder, TEXTS[3]), None, [4])[0]
    foreign = detector.score_ids(text, _vec(embedder, TEXTS[6]), None, [4])[0]
    assert own.containment == foreign.containment and own.dense > foreign.dense
    assert own.score > foreign.score
    near = probability(pair_features(np.array([0.0]), np.array([0.0]), np.array([0.95]), np.array([len(text)])),
                       detector.params_)
    far = probability(pair_features(np.array([0.0]), np.array([0.0]), np.array([0.10]), np.array([len(text)])),
                      detector.params_)
    assert near[0] > far[0]


def test_enterprise_signals_boost_but_never_make_a_duplicate_alone(embedder) -> None:
    same_org = {"org": "credit:91210100TEST00001X", "phone": "13912345678"}
    det = DuplicateDetector(SHIPPED).fit(
        [1, 2], [normalize(TEXTS[0]), normalize(TEXTS[5])], embedder.encode([normalize(TEXTS[0]), normalize(TEXTS[5])]),
        [same_org, {"org": "credit:OTHER"}])
    q = normalize(OTHER_BEARING)
    plain = {c.id: c for c in det.check(q, _vec(embedder, OTHER_BEARING), min_verdict="none")}
    boosted = {c.id: c for c in det.check(q, _vec(embedder, OTHER_BEARING), same_org, min_verdict="none")}
    assert boosted[1].score > plain[1].score and set(boosted[1].signals) == {"org", "phone"}
    assert boosted[2].signals == () and boosted[2].score == plain[2].score
    # an unrelated demand of the same enterprise is found through the signal, but stays unrelated
    other = ("研究海水淡化反渗透膜材料的抗污染改性方法。开发聚酰胺复合膜表面接枝工艺，降低生物污染速率。"
             "在沿海电厂开展中试，形成膜组件国产化替代方案。")
    found = {c.id: c for c in det.check(normalize(other), _vec(embedder, other), same_org, min_verdict="none")}
    assert 1 in found and found[1].verdict not in ("duplicate", "near_duplicate")


def test_add_and_remove_keep_the_detector_in_sync(embedder) -> None:
    texts = [normalize(t) for t in TEXTS[:4]]
    det = DuplicateDetector(SHIPPED).fit([10, 11, 12, 13], texts, embedder.encode(texts))
    det.add([20], [normalize(TEXTS[4])], embedder.encode([normalize(TEXTS[4])]))
    q = normalize(TEXTS[4])
    assert det.check(q, _vec(embedder, q))[0].id == 20
    det.remove([20])
    assert 20 not in {c.id for c in det.check(q, _vec(embedder, q), min_verdict="none")}
    assert len(det) == 4


def test_a_check_repeated_with_its_memo_after_adds_equals_a_fresh_check(embedder) -> None:
    """Intake scores before its lock and again under it with a memo of the pairs scored: the second check
    must give exactly what a check from scratch gives — demands added in between found, scores unchanged,
    and a re-learn of the common shingles (the corpus doubled) drops the memo."""
    texts = [normalize(t) for t in TEXTS]
    det = DuplicateDetector(SHIPPED, relearn_min=2 * len(texts))
    det.fit(list(range(len(texts))), texts, embedder.encode(texts))
    q = normalize(REWORDED_0)
    vector, memo = _vec(embedder, q), {}

    def same(memo_or_none: dict | None) -> list[tuple]:  # a dot product's last float bits vary with the batch
        return [(c.id, c.verdict, round(c.score, 5), c.containment) for c in
                det.check(q, vector, min_verdict="none", scored=memo_or_none)]

    assert same(memo) == same(None) and memo
    det.add([100], [normalize(TEXTS[0])], embedder.encode([normalize(TEXTS[0])]))  # a copy stored meanwhile
    assert same(memo) == same(None) and 100 in {row[0] for row in same(memo)}
    index = det.index_
    more = [normalize(f"第{i}项：" + TEXTS[i % len(TEXTS)][::-1]) for i in range(len(texts))]
    det.add(list(range(200, 200 + len(more))), more, embedder.encode(more))
    assert det.index_ is not index  # re-learned
    assert same(memo) == same(None) and memo["index"] is det.index_


def test_a_detector_started_empty_learns_the_boilerplate_as_demands_arrive(embedder) -> None:
    det = DuplicateDetector(SHIPPED, relearn_min=20, index_params={"min_common": 5}).fit(
        [], [], np.zeros((0, embedder.dim), np.float32))
    form = "。".join(BOILERPLATE[:4])
    texts = [normalize(TEXTS[i % len(TEXTS)] + form) if i < len(TEXTS) else normalize(f"第{i}项：{form}")
             for i in range(24)]
    for i, t in enumerate(texts):
        det.add([i], [t], embedder.encode([t]))
    assert det.index_.strip_common(shingles(BOILERPLATE[1])).size == 0  # learned as common
    q = normalize(TEXTS[3] + form)
    assert det.check(q, _vec(embedder, q))[0].id == 3


def test_links_find_every_duplicate_pair(embedder) -> None:
    texts = [normalize(t) for t in TEXTS] + [normalize(REWORDED_0), normalize(TEXTS[2] + BOILERPLATE[3])]
    det = DuplicateDetector(SHIPPED).fit(list(range(len(texts))), texts, embedder.encode(texts))
    pairs = {(a, b) for a, b, _ in det.links()}
    assert pairs == {(0, 8), (2, 9)}


# --- groups, evidence, calibration --------------------------------------------------------------
def test_groups_respect_decisions_and_pick_the_first_submission() -> None:
    links = [(1, 2, 0.9, "duplicate"), (2, 3, 0.8, "near_duplicate"), (5, 6, 0.7, "near_duplicate")]
    groups = group_links(links, rank={1: 30.0, 2: 10.0, 3: 20.0})
    assert [g.ids for g in groups] == [(1, 2, 3), (5, 6)] and groups[0].canonical == 2
    cut = group_links(links, dismissed=[(3, 2)], confirmed=[(6, 7)])
    assert [g.ids for g in cut] == [(1, 2), (5, 6, 7)]


def test_evidence_hides_signal_names_without_the_token() -> None:
    a, b = normalize(TEXTS[0]), normalize(REWORDED_0)
    public = evidence(a, b, words_a=["轴承", "磨削", "风电"], words_b=["磨削", "轴承"], signals=["phone"])
    assert public["signals"] == [{"zh": "企业信息相符", "en": "enterprise signal matched"}]
    assert "phone" not in str(public) and "电话" not in str(public)
    admin = evidence(a, b, signals=["phone"], reveal_signals=True)
    assert admin["signals"][0]["en"] == "same contact phone"
    assert public["shared_terms"] == ["轴承", "磨削"] and public["sentences"]


def test_thresholds_keep_hard_negatives_below() -> None:
    rng = np.random.default_rng(0)
    pos, neg = rng.uniform(0.6, 1.0, 200), rng.uniform(0.0, 0.7, 400)
    prob = np.concatenate([pos, neg])
    labels = np.concatenate([np.ones(200), np.zeros(400)]).astype(bool)
    near, related, report = choose_thresholds(prob, labels, ~labels, hard_pass=0.99)
    assert np.mean(neg < near) >= 0.99 and related < near
    assert report["hard_negative_pass"] >= 0.99


def test_params_round_trip_and_shipped_file_loads() -> None:
    p = DuplicateParams(near_duplicate=0.7)
    assert DuplicateParams.from_dict(p.to_dict()).near_duplicate == 0.7
    shipped = SHIPPED
    assert 0 < shipped.related < shipped.near_duplicate < 1


def test_no_strong_verdict_without_evidence(embedder) -> None:
    """A dense look-alike with no shared phrase and no enterprise signal is at most related; a signal, or a
    shared phrase, is evidence; a text too short to compare is a duplicate only when it is the same text."""
    eager = DuplicateParams(coef=(6.0, 4.0, 20.0, 0.0, 0.0, 0.0), intercept=-10.0)  # dense alone would decide
    a, b = normalize(TEXTS[0]), normalize(TEXTS[5])  # unrelated: no shared 4-character phrase
    same = embedder.encode([a])[0]
    det = DuplicateDetector(eager).fit([1], [a], same[None, :], [{"org": "credit:X"}])
    [bare] = det.score_ids(b, same, None, [1])
    assert bare.containment == 0 and bare.score > eager.near_duplicate and bare.verdict == "related"
    [signed] = det.score_ids(b, same, {"org": "credit:X"}, [1])
    assert signed.verdict == "near_duplicate"
    short = DuplicateDetector(eager).fit([1, 2], ["轴承磨削技术", "叶片铸造工艺"], np.stack([same, same]))
    assert [c.verdict for c in short.score_ids("叶片铸造工艺研究", same, None, [1])] == ["related"]
    assert [c.verdict for c in short.score_ids("叶片铸造工艺", same, None, [2])] == ["duplicate"]


def test_groups_are_stars_not_chains_and_dismissals_split_them() -> None:
    chain = [(1, 2, 0.9, "near_duplicate"), (2, 3, 0.9, "near_duplicate"), (3, 4, 0.9, "near_duplicate"),
             (4, 5, 0.9, "near_duplicate")]
    groups = group_links(chain)
    assert [g.ids for g in groups] == [(1, 2, 3), (4, 5)]
    for g in groups:  # every member duplicates the proposed canonical demand
        assert {x for a, b, _, _ in g.links for x in (a, b) if g.canonical in (a, b)} == set(g.ids)
    split = group_links([(1, 2, 0.9, "duplicate"), (1, 3, 0.9, "duplicate")], dismissed=[(2, 3)])
    assert [g.ids for g in split] == [(1, 2)]
