"""Task ``cluster``: topic clusters of a round against gold classes (issue 13).

Datasets: ``csl`` (csl/{split}.jsonl, text = title + abstract, gold = discipline) and ``csl_categories``
(csl_categories/{split}.jsonl, text = title, gold = category).

Metrics: ``v_measure`` / ``ari`` with the number of clusters given (k = number of gold labels);
``v_measure_auto_k`` / ``ari_auto_k`` / ``unclustered_share`` with the number chosen by the system.
Unclustered points (jiebang's 未归类, BERTopic's topic -1) count as **one extra "noise" cluster** for
V-measure and ARI, so an outlier bucket is neither free nor hidden.

Vectors: the service's clustering representation, :func:`matching.clusters.cluster_features` (the
shipped dense model, ``passage`` kind, with the lexical TF-IDF of the same texts, reduced to 128 dims);
and the dense vectors alone, to show what the lexical half brings. Systems, in the same run and on the
same vectors:
- ``jiebang``: :class:`matching.clusters.RoundClusterer` on the hybrid features — ``n_groups=k`` for the
  k-given metrics, no knob for the automatic ones (threshold learned from the round);
- ``kmeans``: scikit-learn KMeans with the true k on the same features (n_init=10, seed ``ctx.seed``);
- ``bertopic``: BERTopic with its defaults (UMAP 5-d + HDBSCAN, ``min_topic_size`` 10) on the same
  features as precomputed embeddings, with a jieba ``CountVectorizer`` for its topic words; UMAP gets
  ``random_state=ctx.seed`` (BERTopic's other UMAP defaults kept) so the row is reproducible. Skipped
  with the reason printed when the ``bench`` extra is not installed;
- ``jiebang-dense`` / ``kmeans-dense``: the same two on the dense vectors alone (``kmeans-dense`` is
  the old ``cluster`` task's ``jiebang`` row).

The other representation-level rows of the old task (KMeans on ``tfidf-char``, ``jiebang-lexical``) are
dropped: the representation comparison lives in ``bench.embed_compare`` and the model card.
"""
from __future__ import annotations

import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, v_measure_score

from api.compose import load_settings
from bench.common import Context, Row, TaskSkipped, read_jsonl
from matching.cluster_features import cluster_features
from matching.clusters import RoundClusterer
from nlp.embed import Embedder
from nlp.lexical import LexicalVectorizer
from nlp.tokenize import Tokenizer

NOISE = "\0unclustered"  # the one extra cluster unclustered points form for the metrics


def load_sets(ctx: Context) -> dict[str, tuple[list[str], list[str]]]:
    """``{dataset: (texts, gold labels)}`` for the datasets present in this split."""
    sets: dict[str, tuple[list[str], list[str]]] = {}
    try:
        data = read_jsonl(ctx.split_file("csl"))
        sets["csl"] = ([f"{r['title']}。{r['abstract']}" for r in data], [r["discipline"] for r in data])
    except TaskSkipped as exc:
        print(f"[skip] cluster/csl: {exc}", file=sys.stderr)
    try:
        data = read_jsonl(ctx.split_file("csl_categories"))
        sets["csl_categories"] = ([r["title"] for r in data], [r["category"] for r in data])
    except TaskSkipped as exc:
        print(f"[skip] cluster/csl_categories: {exc}", file=sys.stderr)
    if not sets:
        raise TaskSkipped("no csl or csl_categories split found")
    return sets


def scores(gold: list[str], pred: list) -> tuple[float, float, float]:
    """(V-measure, ARI, unclustered share); ``None`` / ``-1`` predictions form one noise cluster."""
    noise = [p is None or p == -1 for p in pred]
    labels = [NOISE if n else str(p) for n, p in zip(noise, pred)]
    return float(v_measure_score(gold, labels)), float(adjusted_rand_score(gold, labels)), float(np.mean(noise))


def _bertopic(texts: list[str], x: np.ndarray, seed: int, tokenizer: Tokenizer) -> list[int]:
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    vectorizer = CountVectorizer(tokenizer=tokenizer.words, lowercase=False, token_pattern=None)
    topics, _ = BERTopic(umap_model=umap_model, vectorizer_model=vectorizer).fit_transform(texts, x)
    return [int(t) for t in topics]


def _kmeans(x: np.ndarray, k: int, seed: int) -> list[int]:
    return [int(v) for v in KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(x)]


def run(ctx: Context) -> list[Row]:
    sets = load_sets(ctx)
    embedder = Embedder(load_settings().embed_model)
    tokenizer = Tokenizer()
    try:
        import bertopic  # noqa: F401
        import umap  # noqa: F401
        have_bertopic = True
    except ImportError as exc:
        have_bertopic = False
        print(f"[skip] cluster/bertopic: {exc} (pip install .[bench])", file=sys.stderr)
    rows: list[Row] = []
    for name, (texts, gold) in sets.items():
        k = len(set(gold))
        keys = [f"d{i:06d}" for i in range(len(texts))]
        dense = embedder.encode(texts, kind="passage", show_progress=False)
        started = time.perf_counter()
        hybrid = cluster_features(dense, LexicalVectorizer(tokenizer=tokenizer).fit_transform(texts), ctx.seed)
        print(f"[cluster] {name}: hybrid features {time.perf_counter() - started:.1f}s", file=sys.stderr)

        def add(system: str, metric: str, value: float) -> None:
            rows.append(Row("cluster", name, system, metric, value))

        for suffix, x in (("", hybrid), ("-dense", dense)):
            started = time.perf_counter()
            given = RoundClusterer(n_groups=k, seed=ctx.seed).fit(x, keys, mode="refit").labels_
            auto = RoundClusterer(seed=ctx.seed).fit(x, keys, mode="refit").labels_
            print(f"[cluster] {name}: jiebang{suffix} {time.perf_counter() - started:.1f}s", file=sys.stderr)
            v, a, _ = scores(gold, given)
            add(f"jiebang{suffix}", "v_measure", v)
            add(f"jiebang{suffix}", "ari", a)
            v, a, u = scores(gold, auto)
            add(f"jiebang{suffix}", "v_measure_auto_k", v)
            add(f"jiebang{suffix}", "ari_auto_k", a)
            add(f"jiebang{suffix}", "unclustered_share", u)
            v, a, _ = scores(gold, _kmeans(x, k, ctx.seed))
            add(f"kmeans{suffix}", "v_measure", v)
            add(f"kmeans{suffix}", "ari", a)

        if have_bertopic:
            started = time.perf_counter()
            v, a, u = scores(gold, _bertopic(texts, hybrid, ctx.seed, tokenizer))
            print(f"[cluster] {name}: bertopic {time.perf_counter() - started:.1f}s", file=sys.stderr)
            add("bertopic", "v_measure_auto_k", v)
            add("bertopic", "ari_auto_k", a)
            add("bertopic", "unclustered_share", u)
    return rows
