"""The keyword ranker (关键词排序模型): two gradient-boosted tree ensembles over the candidate features of
:mod:`nlp.keywords`, as a small model artifact (``models/keyword-ranker/ranker.json``, read by the shell) and
the numpy code that evaluates them. Kept apart from the extractor: the extractor says what a candidate is and
which signals describe it; this module is the learned part and its storage format.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

TREE_BLOCK = 4096  # feature rows per tree-ensemble step: ~3 MB of node indices (~3 MB of split outcomes)
LUT_SPLITS = 8  # trees with at most this many splits are read from a table of their outcomes (one byte)

FEATURES: tuple[str, ...] = (
    "log_tf", "repeated", "bg_idf_mean", "bg_idf_min", "bg_idf_max", "ctfidf_idf", "log_corpus_freq",
    "in_lead", "first_position", "one_token", "two_tokens", "three_plus_tokens", "chars_2", "chars_3",
    "chars_4", "chars_5_6", "chars_7_plus", "container_tf_share", "nested_in_longer", "holds_shorter",
    "ends_with_part", "starts_with_part", "cosine_to_text", "left_edge_share", "right_edge_share",
    "last_noun", "first_verb", "first_adjective", "verb_inside", "unknown_share", "in_dictionary")

# The rankers are a model artifact: two gradient-boosted tree ensembles (scikit-learn's
# HistGradientBoostingClassifier, 100 trees of at most 8 leaves on the raw FEATURES) fitted by
# ``python -m bench.condense_bench fit`` and shipped in ``models/keyword-ranker/ranker.json`` with its card:
# P(term is an author keyword) and P(term contains or is contained in one). The trees lifted the ranking
# above a logistic model of the same signals: they see interactions (a long phrase that is also a title
# term; a single token with a high background IDF) a linear score cannot. Relevance = (first +
# partial_share × second) / (1 + partial_share). The shell reads the file (:class:`KeywordRanker`).


def pack_trees(nodes: Sequence[np.ndarray]) -> str:
    """Pack fitted trees (one array of ``(feature, threshold, left, right, value)`` rows per tree,
    feature −1 at a leaf; children indexed within the tree) into the ASCII string ``ranker.json`` stores."""
    import base64
    import zlib

    sizes = np.array([len(n) for n in nodes], dtype=np.float64)
    flat = np.concatenate([[len(nodes)], sizes, np.concatenate(nodes).ravel()]).astype(np.float64)
    return base64.b64encode(zlib.compress(flat.tobytes(), 9)).decode("ascii")


class TreeEnsemble:
    """Additive log-odds of binary trees (``x[feature] <= threshold`` goes left), evaluated for all rows and
    trees at once: every split of every tree compared in one step, and each tree's leaf read from a table
    indexed by its splits' outcomes (trees of at most :data:`LUT_SPLITS` splits, as shipped: 8 leaves), else
    one tree level per step. Both give the same leaves, summed in the same order."""

    def __init__(self, baseline: float, packed: str):
        import base64
        import zlib

        flat = np.frombuffer(zlib.decompress(base64.b64decode(packed)), dtype=np.float64)
        n = int(flat[0])
        sizes = flat[1:1 + n].astype(np.int64)
        nodes = flat[1 + n:].reshape(-1, 5).astype(np.float64)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        owner = np.repeat(offsets, sizes)
        self.baseline = baseline
        self.roots = offsets
        self.feature = nodes[:, 0].astype(np.int64)
        self.threshold = nodes[:, 1]
        leaf = self.feature < 0
        self.left = np.where(leaf, np.arange(len(nodes)), nodes[:, 2].astype(np.int64) + owner)
        self.right = np.where(leaf, np.arange(len(nodes)), nodes[:, 3].astype(np.int64) + owner)
        self.value = nodes[:, 4]
        self.feature = np.where(leaf, 0, self.feature)
        self.depth = int(sizes.max())  # a bound; the loop stops once every row sits in a leaf
        self.leaf = leaf
        self._tables(offsets, sizes)

    def _tables(self, roots: np.ndarray, sizes: np.ndarray) -> None:
        """Per tree: its splits (feature, threshold; padded with ones always true) and the leaf value each
        combination of their outcomes reaches (bit k set: split k went left)."""
        splits = [np.flatnonzero(~self.leaf[a:a + s]) + a for a, s in zip(roots.tolist(), sizes.tolist())]
        width = max((len(n) for n in splits), default=0)
        self.split_width = width if width <= LUT_SPLITS else 0
        if not self.split_width:
            return
        feature = np.zeros((len(splits), width), dtype=np.int64)
        threshold = np.full((len(splits), width), np.inf)
        table = np.zeros((len(splits), 1 << width))
        for t, nodes in enumerate(splits):
            slot = {int(n): k for k, n in enumerate(nodes)}
            feature[t, :len(nodes)], threshold[t, :len(nodes)] = self.feature[nodes], self.threshold[nodes]
            for bits in range(1 << width):
                n = int(roots[t])
                while not self.leaf[n]:
                    n = int(self.left[n] if bits >> slot[n] & 1 else self.right[n])
                table[t, bits] = self.value[n]
        self.split_feature, self.split_threshold = feature.ravel(), threshold.ravel()
        self.leaf_table = table.ravel()
        self.table_base = (np.arange(len(splits)) << width)[None, :]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """P(positive) of each row of ``x``."""
        if len(x) > TREE_BLOCK:  # bounded memory: rows × trees node indices per block
            return np.concatenate([self.predict(x[i:i + TREE_BLOCK]) for i in range(0, len(x), TREE_BLOCK)])
        if not len(x):
            return np.zeros(0)
        if self.split_width:
            went_left = x[:, self.split_feature] <= self.split_threshold
            bits = np.packbits(went_left.reshape(len(x), len(self.roots), self.split_width), axis=-1,
                               bitorder="little")[..., 0]
            return 1.0 / (1.0 + np.exp(-(self.baseline + self.leaf_table[self.table_base + bits].sum(axis=1))))
        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        rows = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            at_leaf = self.leaf[node]
            if at_leaf.all():
                break
            go_left = x[rows, self.feature[node]] <= self.threshold[node]
            node = np.where(go_left, self.left[node], self.right[node])
        return 1.0 / (1.0 + np.exp(-(self.baseline + self.value[node].sum(axis=1))))


@dataclass(frozen=True)
class KeywordRanker:
    """The two shipped tree ensembles and the cosine feature's training mean (what a ranking without an
    encoder assumes); :meth:`from_dict` reads the parsed ``ranker.json`` and checks its feature list."""

    exact: TreeEnsemble
    partial: TreeEnsemble
    cosine_mean: float

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> "KeywordRanker":
        if list(data.get("features") or []) != list(FEATURES):
            raise ValueError("关键词排序模型的特征与代码不符，请重新训练 / the keyword ranker was fitted on other "
                             "features: refit it (python -m bench.condense_bench fit)")
        exact, partial = data["exact"], data["partial"]
        return cls(TreeEnsemble(float(exact[0]), str(exact[1])), TreeEnsemble(float(partial[0]), str(partial[1])),
                   float(data["cosine_mean"]))  # type: ignore[arg-type]
