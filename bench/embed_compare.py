"""Compare candidate embedding-model directories quickly, side by side (the model card's "same harness").

    python -m bench.embed_compare models/jiebang-static-zh var/cand-v80 [--data ../shared/data] [--json F]

For training runs, not acceptance (``bench.quality`` is the benchmark): dense figures of each model
and the hybrid with the lexical signal, on the dev split — STS Spearman on a seeded 2,000-pair sample
of each set, LCQMC average precision of the dense cosine (all pairs), KMeans V-measure (3 seeds,
n_init 3) on csl abstracts and csl_categories titles, CSLDCP accuracy of logistic regression (C=10)
trained on csldcp/train. Prints one row per model.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, v_measure_score

from api.compose import load_settings
from bench.common import read_jsonl, seeded_sample
from nlp.embed import Embedder
from nlp.lexical import LexicalVectorizer, hybrid_features

STS_SETS = ("lcqmc", "bq", "pawsx", "stsb")


def _v_measure(x: np.ndarray, labels: list[str], seeds: int = 3) -> float:
    k = len(set(labels))
    return float(np.mean([v_measure_score(labels, KMeans(k, n_init=3, random_state=s).fit_predict(x))
                          for s in range(seeds)]))


def evaluate(model_dir: str, data: Path) -> dict[str, float]:
    """Dense and hybrid figures of one model directory on the dev split."""
    emb = Embedder(model_dir)
    enc = lambda texts: emb.encode(texts, show_progress=False)  # noqa: E731
    out: dict[str, float] = {}
    for name in STS_SETS:
        rows = seeded_sample(read_jsonl(data / "pairs" / name / "dev.jsonl"), 2000)
        a, b = [r["text1"] for r in rows], [r["text2"] for r in rows]
        y = [float(r["label"]) for r in rows]
        dense = np.einsum("ij,ij->i", enc(a), enc(b))
        lex = LexicalVectorizer().fit(a + b)
        lexical = np.asarray(lex.transform(a).multiply(lex.transform(b)).sum(axis=1)).ravel()
        out[f"sts_{name}"] = float(spearmanr(dense, y).correlation)
        out[f"sts_{name}_hybrid"] = float(spearmanr(0.5 * dense + 0.5 * lexical, y).correlation)
    out["sts_avg"] = float(np.mean([out[f"sts_{n}"] for n in STS_SETS]))
    out["sts_avg_hybrid"] = float(np.mean([out[f"sts_{n}_hybrid"] for n in STS_SETS]))
    rows = read_jsonl(data / "pairs" / "lcqmc" / "dev.jsonl")
    cos = np.einsum("ij,ij->i", enc([r["text1"] for r in rows]), enc([r["text2"] for r in rows]))
    out["lcqmc_ap"] = float(average_precision_score([int(r["label"]) for r in rows], cos))
    csl = read_jsonl(data / "csl" / "dev.jsonl")
    out["csl_v"] = _v_measure(enc([r["title"] + " " + r["abstract"] for r in csl]), [r["discipline"] for r in csl])
    cat = read_jsonl(data / "csl_categories" / "dev.jsonl")
    out["csl_titles_v"] = _v_measure(enc([r["title"] for r in cat]), [r["category"] for r in cat])
    train, dev = read_jsonl(data / "csldcp" / "train.jsonl"), read_jsonl(data / "csldcp" / "dev.jsonl")
    xt, xd = [r["content"] for r in train], [r["content"] for r in dev]
    yt, yd = [r["label"] for r in train], np.array([r["label"] for r in dev])
    dt, dd = enc(xt), enc(xd)
    out["csldcp"] = float((LogisticRegression(C=10, max_iter=3000).fit(dt, yt).predict(dd) == yd).mean())
    h = hybrid_features(np.vstack([dt, dd]), LexicalVectorizer().fit(xt).transform(xt + xd))
    out["csldcp_hybrid"] = float((LogisticRegression(C=10, max_iter=3000).fit(h[:len(xt)], yt)
                                  .predict(h[len(xt):]) == yd).mean())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.embed_compare", description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="+", help="model directories")
    parser.add_argument("--data", type=Path, default=None, help="default: $JIEBANG_DATA or ../shared/data")
    parser.add_argument("--json", type=Path, default=None, help="write {model: {metric: value}} here")
    args = parser.parse_args(argv)
    data = args.data or load_settings().data_dir
    results = {m: evaluate(m, data) for m in args.models}
    metrics = list(next(iter(results.values())))
    width = max(len(m) for m in args.models)
    print(" ".join(["model".ljust(width)] + [k.rjust(max(len(k), 6)) for k in metrics]))
    for m, r in results.items():
        print(" ".join([m.ljust(width)] + [f"{r[k]:.4f}".rjust(max(len(k), 6)) for k in metrics]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
