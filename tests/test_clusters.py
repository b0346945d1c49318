"""RoundClusterer: planted groups found without a k, the 未归类 bucket, order independence, stable ids
across batches and refits, staff pins and locks, sub-clusters; real Chinese texts through the shipped model."""
from __future__ import annotations

import numpy as np
import pytest

from bench.cluster_bench import scores
from matching.cluster_features import cluster_features
from matching.clusters import PriorCluster, RoundClusterer
from matching.coherence import COHERENCE_NOTE_ZH
from nlp.embed import Embedder
from nlp.lexical import LexicalVectorizer
from nlp.tokenize import Tokenizer

DIM = 32


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _around(rng: np.random.Generator, centre: np.ndarray, n: int, noise: float = 0.5) -> np.ndarray:
    """``n`` unit vectors scattered around ``centre`` (pairwise cosine ≈ 1 / (1 + noise²))."""
    return _unit(centre + noise * rng.standard_normal((n, DIM)) / np.sqrt(DIM))


def _planted(seed: int = 0, groups: int = 4, per: int = 10) -> tuple[np.ndarray, list[str], list[int], np.ndarray]:
    """``groups`` planted groups of ``per`` points, then one far outlier; keys g<group>-<i>, outlier 'z-out'."""
    rng = np.random.default_rng(seed)
    centres = np.linalg.qr(rng.standard_normal((DIM, groups + 1)))[0].T  # orthonormal: well-separated topics
    x = np.vstack([_around(rng, centres[g], per) for g in range(groups)] + [centres[groups:]])
    keys = [f"g{g}-{i:02d}" for g in range(groups) for i in range(per)] + ["z-out"]
    gold = [g for g in range(groups) for _ in range(per)] + [-1]
    return x.astype(np.float32), keys, gold, centres


def _partition(keys: list[str], labels: list[str | None]) -> set[frozenset[str]]:
    out: dict[str | None, set[str]] = {}
    for k, lab in zip(keys, labels):
        out.setdefault(lab, set()).add(k)
    return {frozenset(v) for lab, v in out.items() if lab is not None}


def _gold_partition(keys: list[str], gold: list[int]) -> set[frozenset[str]]:
    return _partition(keys, [str(g) if g >= 0 else None for g in gold])


def _label_of(model: RoundClusterer, keys: list[str]) -> dict[str, str | None]:
    return dict(zip(keys, model.labels_))


def test_auto_k_finds_planted_groups_and_leaves_a_far_outlier_unclustered() -> None:
    x, keys, gold, _ = _planted()
    model = RoundClusterer().fit(x, keys)
    assert _partition(keys, model.labels_) == _gold_partition(keys, gold)
    assert _label_of(model, keys)["z-out"] is None  # 未归类, not forced into a group
    assert [c.cluster_id for c in model.clusters_] == ["C0001", "C0002", "C0003", "C0004"]
    for c in model.clusters_:
        assert c.cohesion >= model.min_similarity_ and c.new
        sims = [float(x[keys.index(k)] @ c.centroid) for k in c.members]
        assert sims == sorted(sims, reverse=True)  # most representative first


def test_same_clusters_whatever_the_input_order() -> None:
    x, keys, _, _ = _planted(seed=3)
    first = RoundClusterer(seed=7).fit(x, keys)
    perm = np.random.default_rng(1).permutation(len(keys))
    again = RoundClusterer(seed=7).fit(x[perm], [keys[i] for i in perm])
    assert _label_of(first, keys) == _label_of(again, [keys[i] for i in perm])
    assert [(c.cluster_id, c.members) for c in first.clusters_] == [(c.cluster_id, c.members) for c in again.clusters_]


def test_n_groups_is_the_staff_knob() -> None:
    x, keys, gold, _ = _planted()
    assert len(RoundClusterer(n_groups=2, max_share=1.0, min_cap=0).fit(x, keys).clusters_) == 2
    # the size cap (here its floor, 20 demands) wins over "about N groups": 2 groups of 20 + the outlier split
    assert max(c.size for c in RoundClusterer(n_groups=2).fit(x, keys).clusters_) <= 20
    four = RoundClusterer(n_groups=4).fit(x[:-1], keys[:-1])
    assert _partition(keys[:-1], four.labels_) == _gold_partition(keys[:-1], gold[:-1])
    tight = RoundClusterer(min_similarity=0.99).fit(x, keys)  # nothing is that similar: all unclustered
    assert all(label is None for label in tight.labels_)


def test_update_keeps_ids_joins_near_duplicates_and_opens_a_new_cluster() -> None:
    x, keys, _, centres = _planted()
    first = RoundClusterer().fit(x, keys)
    prior = [PriorCluster(c.cluster_id, c.members) for c in first.clusters_]
    rng = np.random.default_rng(5)
    near = _around(rng, centres[0], 3, noise=0.3)  # near-duplicates of group 0
    other = rng.standard_normal(DIM)
    other = _unit(other - centres.T @ (centres @ other))  # a topic the first batch did not have
    far = _around(rng, other, 5)
    keys2 = keys + ["n-near-0", "n-near-1", "n-near-2"] + [f"n-far-{i}" for i in range(5)]
    x2 = np.vstack([x, near, far])
    second = RoundClusterer().fit(x2, keys2, prior=prior, mode="update")
    old, new = _label_of(first, keys), _label_of(second, keys2)
    assert all(new[k] == old[k] for k in keys if old[k] is not None)  # old members keep their ids
    assert {new[f"n-near-{i}"] for i in range(3)} == {old["g0-00"]}
    far_ids = {new[f"n-far-{i}"] for i in range(5)}
    assert far_ids == {"C0005"}  # next free number
    assert [c.new for c in second.clusters_ if c.cluster_id == "C0005"] == [True]
    third = RoundClusterer().fit(x2, keys2, prior=prior, mode="update", reserved_ids=["C0009"])
    assert {third.labels_[keys2.index(f"n-far-{i}")] for i in range(5)} == {"C0010"}  # a deleted id is not reused


def test_locked_and_pinned_are_honoured_in_both_modes() -> None:
    x, keys, _, centres = _planted()
    first = RoundClusterer().fit(x, keys)
    ids = _label_of(first, keys)
    g0, g1, g2, g3 = ids["g0-00"], ids["g1-00"], ids["g2-00"], ids["g3-00"]
    # staff locked group 0's cluster after adding a demand of group 1 to it, and moved g2-00 to group 3
    locked_members = tuple(sorted([k for k in keys if ids[k] == g0] + ["g1-05"]))
    prior = [PriorCluster(g0, locked_members, locked=True)]
    prior += [PriorCluster(c.cluster_id, tuple(k for k in c.members if k != "g1-05")) for c in first.clusters_
              if c.cluster_id != g0]
    pinned = {"g2-00": g3}
    near = _around(np.random.default_rng(9), centres[0], 3, noise=0.3)
    keys2 = keys + ["n-near-0", "n-near-1", "n-near-2"]
    x2 = np.vstack([x, near])
    for mode in ("update", "refit"):
        model = RoundClusterer().fit(x2, keys2, prior=prior, pinned=pinned, mode=mode)
        got = _label_of(model, keys2)
        assert sorted(k for k, v in got.items() if v == g0) == list(locked_members), mode  # exactly, no joins
        assert got["g2-00"] == g3, mode
        assert all(got[f"n-near-{i}"] != g0 for i in range(3)), mode
        assert {got[k] for k in keys if k.startswith("g1-") and k != "g1-05"} == {g1}, mode
        assert {got[k] for k in keys if k.startswith("g2-") and k != "g2-00"} == {g2}, mode
        assert [c.locked for c in model.clusters_ if c.cluster_id == g0] == [True]


def test_a_pin_to_a_new_id_and_predict() -> None:
    x, keys, _, centres = _planted()
    first = RoundClusterer().fit(x, keys)
    ids = _label_of(first, keys)
    split = {f"g1-0{i}": "C0099" for i in range(3)}  # staff split three demands off into a cluster of their own
    prior = [PriorCluster(c.cluster_id, c.members) for c in first.clusters_]
    model = RoundClusterer().fit(x, keys, prior=prior, pinned=split, mode="refit")
    got = _label_of(model, keys)
    assert {got[k] for k in split} == {"C0099"} and got["g1-05"] == ids["g1-05"]
    probe = np.vstack([_around(np.random.default_rng(4), centres[2], 1, noise=0.3), x[-1:]])
    assert model.predict(probe) == [ids["g2-00"], None]


def test_refit_keeps_ids_by_overlap() -> None:
    x, keys, _, _ = _planted()
    first = RoundClusterer().fit(x, keys)
    renamed = {c.cluster_id: f"C{40 + n:04d}" for n, c in enumerate(reversed(first.clusters_))}
    prior = [PriorCluster(renamed[c.cluster_id], c.members) for c in first.clusters_]
    rng = np.random.default_rng(2)
    keys2 = keys + ["n-0", "n-1"]
    x2 = np.vstack([x, _around(rng, x[0], 2, noise=0.2)])
    again = RoundClusterer(seed=4).fit(x2, keys2, prior=prior, mode="refit")
    before, after = _label_of(first, keys), _label_of(again, keys2)
    assert all(after[k] == renamed[before[k]] for k in keys if before[k] is not None)
    assert not any(c.new for c in again.clusters_)


def test_sub_clusters_of_a_large_cluster() -> None:
    rng = np.random.default_rng(11)
    centres = _unit(rng.standard_normal((4, DIM)))
    halves = _unit(centres[0] + 0.6 * _unit(rng.standard_normal((2, DIM))))  # two sub-topics of topic 0
    x = np.vstack([_around(rng, halves[0], 10, 0.2), _around(rng, halves[1], 10, 0.2)]
                  + [_around(rng, centres[g], 10) for g in (1, 2, 3)])
    keys = [f"a{i:02d}" for i in range(20)] + [f"b{i:02d}" for i in range(30)]
    model = RoundClusterer().fit(x, keys)
    top = _label_of(model, keys)
    assert len({top[k] for k in keys[:20]}) == 1
    cid = top["a00"]
    subs = dict(zip(keys, model.sub_labels_))
    assert {subs[k] for k in keys[:10]} != {subs[k] for k in keys[10:20]}
    assert {subs[k] for k in keys[:20]} == {f"{cid}.1", f"{cid}.2"}
    parent = next(c for c in model.clusters_ if c.cluster_id == cid)
    assert parent.children == (f"{cid}.1", f"{cid}.2")
    assert all(s.parent_id == cid for s in model.sub_clusters_ if s.cluster_id.startswith(cid + "."))


def test_a_planted_catch_all_round_yields_no_catch_all() -> None:
    """30 tight topics of 10 and 100 loosely related 'generic' demands (each a mix of a common direction and
    its own noise): the generic ones used to form one cluster of a quarter of the round. No cluster may
    hold more than 5% of it (20 of 400), every cluster shown is coherent, and the topics are found."""
    rng = np.random.default_rng(3)
    dim = 64
    centres = np.linalg.qr(rng.standard_normal((dim, 31)))[0].T
    topics = [_unit(centres[g] + 0.35 * rng.standard_normal((10, dim)) / np.sqrt(dim)) for g in range(30)]
    generic = _unit(centres[30] + 1.1 * rng.standard_normal((100, dim)) / np.sqrt(dim))  # pairwise cos ≈ 0.45
    x = np.vstack(topics + [generic]).astype(np.float32)
    keys = [f"t{g:02d}-{i}" for g in range(30) for i in range(10)] + [f"zz{i:03d}" for i in range(100)]
    model = RoundClusterer().fit(x, keys)
    assert max(c.size for c in model.clusters_) <= 20
    assert all(c.coherence >= model.coherence_floor_ for c in model.clusters_)
    label = _label_of(model, keys)
    found = sum(len({label[f"t{g:02d}-{i}"] for i in range(10)}) == 1 and label[f"t{g:02d}-0"] is not None
                for g in range(30))
    assert found >= 28
    assert 0.0 < model.coherence_floor_ < 1.0 and COHERENCE_NOTE_ZH.startswith("一致性")


def test_a_round_without_tight_topics_is_cut_into_topics_of_about_five() -> None:
    """Loose structure (every point a little closer to its own field than to others, nothing tight): the
    threshold alone leaves big mixed groups; the topic-size rule cuts the round into at least n/5 groups,
    while a tight planted topic of 12 stays whole."""
    rng = np.random.default_rng(5)
    dim = 48
    centres = np.linalg.qr(rng.standard_normal((dim, 9)))[0].T
    loose = np.vstack([_unit(centres[g] + 1.6 * rng.standard_normal((25, dim)) / np.sqrt(dim)) for g in range(8)])
    tight = _unit(centres[8] + 0.2 * rng.standard_normal((12, dim)) / np.sqrt(dim))
    x = np.vstack([loose, tight]).astype(np.float32)
    keys = [f"l{i:03d}" for i in range(200)] + [f"t{i:02d}" for i in range(12)]
    model = RoundClusterer().fit(x, keys)
    sizes = [c.size for c in model.clusters_]
    assert len(sizes) >= 0.8 * len(keys) / 5 and np.mean(sizes) <= 8
    label = _label_of(model, keys)
    assert len({label[f"t{i:02d}"] for i in range(12)}) == 1 and label["t00"] is not None
    assert len(RoundClusterer(topic_size=None).fit(x, keys).clusters_) < len(sizes)


def test_a_member_naming_nothing_the_others_name_leaves_its_cluster() -> None:
    """Evidence floor: a demand as close as the rest (one broad field) that shares no specific term with
    any other member goes to 未归类; a term in most of the round's demands is no evidence."""
    x, keys, gold, _ = _planted(seed=1)
    terms = [{"边坡", "雷达", "通用词"} if g == 0 else {f"t{g}", "通用词"} for g in gold]
    terms[keys.index("g0-03")] = {"铸锭", "通用词"}  # same field by cosine, names nothing the others name
    label = _label_of(RoundClusterer().fit(x, keys, terms=terms), keys)
    assert label["g0-03"] is None
    assert len({label[f"g0-{i:02d}"] for i in range(10) if i != 3}) == 1 and label["g0-00"] is not None
    assert len({label[f"g1-{i:02d}"] for i in range(10)}) == 1 and label["g1-00"] is not None
    only_generic = [{"通用词"} for _ in keys]
    assert all(lab is None for lab in RoundClusterer().fit(x, keys, terms=only_generic).labels_)


def test_the_topic_view_weighs_as_said() -> None:
    """cluster_features with topic probabilities: cosine = (1-t)·text cosine + t·overlap of the distributions."""
    rng = np.random.default_rng(0)
    dense = _unit(np.hstack([rng.standard_normal((20, 3)), np.zeros((20, 5))])).astype(np.float32)  # rank 3
    topics = rng.dirichlet(np.ones(4), size=20)  # with the dense rows, rank 7: the SVD keeps every direction
    x = cluster_features(dense, topics=topics, topic_weight=0.3)
    want = 0.7 * dense @ dense.T + 0.3 * np.sqrt(topics) @ np.sqrt(topics).T
    assert np.allclose(x @ x.T, want / np.sqrt(np.outer(np.diag(want), np.diag(want))), atol=1e-4)


def test_zero_rows_and_bad_input() -> None:
    x, keys, _, _ = _planted()
    x[0] = 0.0  # a text with no known token
    assert RoundClusterer().fit(x, keys).labels_[0] is None
    with pytest.raises(ValueError):
        RoundClusterer().fit(x, keys[:-1] + keys[:1])
    with pytest.raises(ValueError):
        RoundClusterer().fit(x, keys, mode="again")


TOPICS = {
    "battery": ["锂离子电池正极材料高镍三元体系研发", "动力锂电池电芯热失控预警与安全技术",
                "固态锂电池电解质材料制备工艺", "锂电池负极硅碳复合材料产业化", "储能锂电池管理系统BMS关键技术"],
    "rice": ["水稻高产抗病新品种选育", "盐碱地水稻耐盐品种培育与栽培技术", "水稻病虫害绿色防控技术研究",
             "优质粳稻品种分子标记辅助育种", "水稻机械化插秧与田间管理技术"],
    "imaging": ["基于深度学习的肺部CT影像辅助诊断系统", "医学影像人工智能肿瘤早期筛查",
                "乳腺超声图像智能识别与分析", "心脏磁共振影像自动分割算法", "医学影像云平台与远程诊断技术"],
}


def test_real_demand_titles_group_by_topic(embedder: Embedder, tokenizer: Tokenizer) -> None:
    texts = [t for group in TOPICS.values() for t in group]
    keys = [f"d{i:02d}" for i in range(len(texts))]
    topic = {k: i // 5 for i, k in enumerate(keys)}
    dense = embedder.encode(texts)
    model = RoundClusterer().fit(cluster_features(dense), keys)
    assert _partition(keys, model.labels_) == {frozenset(keys[i:i + 5]) for i in range(0, len(texts), 5)}
    # dense + lexical (the service's features; IDF fitted on these 15 titles only): every cluster is one
    # topic, each topic is one cluster, and a borderline title may be left 未归类 but never misplaced
    hybrid = RoundClusterer().fit(cluster_features(dense, LexicalVectorizer(tokenizer=tokenizer).fit_transform(texts)),
                                  keys)
    clusters = _partition(keys, hybrid.labels_)
    assert len(clusters) == 3 and all(len({topic[k] for k in c}) == 1 and len(c) >= 4 for c in clusters)


def test_benchmark_counts_unclustered_as_one_noise_cluster() -> None:
    v, ari, share = scores(["a", "a", "b", "b"], ["C1", "C1", None, None])
    assert (v, ari, share) == (1.0, 1.0, 0.5)
    assert scores(["a", "a", "b", "b"], [0, 0, -1, -1]) == (1.0, 1.0, 0.5)


def test_an_update_splits_a_grown_cluster_but_never_a_locked_one() -> None:
    """A prior cluster that an update would leave over the cap (here its floor, 20) is split along its own
    tree, the biggest part keeping the id; a cluster staff locked keeps all its members whatever its size."""
    x, keys, _, _ = _planted(groups=4, per=25)
    g = lambda n: tuple(k for k in keys if k.startswith(f"g{n}-"))  # noqa: E731
    prior = [PriorCluster("C0001", g(0) + g(1)), PriorCluster("C0002", g(2) + g(3), locked=True)]
    model = RoundClusterer().fit(x, keys, prior=prior, mode="update")
    sizes = {c.cluster_id: c.size for c in model.clusters_}
    assert sizes["C0002"] == 50  # locked: exempt from the cap
    assert all(size <= 20 for cid, size in sizes.items() if cid != "C0002")
    assert "C0001" in sizes and len(sizes) >= 4


def test_blockwise_svd_finds_the_leading_singular_values() -> None:
    """The clusterer's reduction (column blocks, no columns × k array) recovers the exact leading spectrum."""
    import scipy.sparse as sp

    from matching.cluster_features import column_blocks, leading_components
    x = sp.random(200, 1500, density=0.03, random_state=1, format="csr", dtype=np.float32)
    dense = np.random.default_rng(2).standard_normal((200, 20)).astype(np.float32)
    blocks = column_blocks([(dense, 0.5), (x, 0.5)], block=400)
    got = np.linalg.norm(leading_components(blocks, 4, n_iter=20), axis=0)
    exact = np.linalg.svd(np.hstack([dense, x.toarray()]) * np.sqrt(0.5), compute_uv=False)[:4]
    assert np.allclose(got, exact, rtol=1e-3)
