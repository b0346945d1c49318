"""Task ``dup``: duplicate detection — semantic pairs, generated near-duplicates, intake latency, batch speed.

    python -m bench.quality --data ../shared/data --split dev --tasks dup
    python -m bench.dup_bench calibrate --data ../shared/data   # rewrite corpora/duplicates.yaml

Every system is calibrated on TRAIN-side data only: resubmissions generated (:mod:`bench.neardup_gen`)
from ``csldcp/train`` abstracts, plus the ``afqmc``/``atec``/``stsb`` train pairs. ``jiebang`` (the
headline) is the detector calibrated in this run with the embedder the service ships
(``$JIEBANG_EMBED_MODEL``, default ``models/jiebang-static-zh``); ``jiebang-shipped`` is the detector with
the shipped ``corpora/duplicates.yaml``, and the ``calibration`` rows say whether the shipped weights and
thresholds equal this run's refit (within :data:`COEF_TOLERANCE` / :data:`THRESHOLD_TOLERANCE`) and
whether they were fitted with this embedder. ``lexical-only`` / ``dense-only`` refit the same model on
the shingle / embedding features alone; ``tfidf-char`` is the cosine of TF-IDF over character
1–3-grams with its best-F1 threshold on the same train pairs.
"""
from __future__ import annotations

import argparse
import functools
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from api.compose import load_settings
from api.config import DEFAULT_DUPLICATES
from bench.common import Context, Row, TaskSkipped, read_jsonl
from bench.neardup_gen import POSITIVE_KINDS, make_pairs, resubmit
from matching.calibration import average_precision, best_f1, calibrate, prf
from matching.dedup_groups import group_links
from matching.duplicates import FEATURES, DuplicateDetector, DuplicateParams
from nlp.text import normalize

PARAMS_FILE = DEFAULT_DUPLICATES
SEMANTIC_SETS = ("lcqmc", "bq", "pawsx")
TRAIN_PAIR_SETS = {"afqmc": 6000, "atec": 6000, "stsb": None}
LEXICAL = ("containment", "jaccard", "containment_short", "short")
DENSE = ("dense", "dense_short", "short")
COEF_TOLERANCE = 0.01  # largest |shipped − refit| of a logistic weight or the intercept that still "matches"
THRESHOLD_TOLERANCE = 0.005  # the same for the near_duplicate and related probability thresholds


@functools.lru_cache(maxsize=1)
def _embedder():
    from nlp.embed import Embedder

    try:
        return Embedder(load_settings().embed_model)
    except Exception as exc:  # model not shipped yet in this checkout
        raise TaskSkipped(f"embedding model unavailable: {exc}") from exc


def _encode(texts: list[str]) -> np.ndarray:
    return _embedder().encode(texts, kind="passage", show_progress=False)


class PairSet:
    """Labelled pairs with their detector features (common shingles learned on the set's own texts)."""

    def __init__(self, a: list[str], b: list[str], labels: list[int], kinds: list[str], source: str):
        self.a, self.b = [normalize(t) for t in a], [normalize(t) for t in b]
        self.labels = np.asarray(labels, dtype=int)
        self.kinds = np.asarray(kinds)
        self.sources = np.asarray([source] * len(a))
        uniq = sorted(set(self.a) | set(self.b))
        where = {t: i for i, t in enumerate(uniq)}
        vecs = _encode(uniq)
        self.detector = DuplicateDetector().fit(list(range(len(uniq))), uniq, vecs)
        ia = np.array([where[t] for t in self.a])
        ib = np.array([where[t] for t in self.b])
        dense = np.sum(vecs[ia] * vecs[ib], axis=1)
        self.features = self.detector.pair_feature_rows(self.a, self.b, dense)

    @property
    def long(self) -> bool:
        return self.sources[0] == "generated"


def _concat(sets: list[PairSet]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    feats = np.vstack([s.features for s in sets])
    labels = np.concatenate([s.labels for s in sets])
    sources = np.concatenate([s.sources for s in sets])
    long_mask = np.concatenate([np.full(len(s.labels), s.long) for s in sets])
    hard = np.concatenate([np.isin(s.kinds, ("hard", "hard_boilerplate")) for s in sets])
    return feats, labels, sources, long_mask, hard


def _abstracts(rows: list[dict], text_key: str, label_key: str) -> list[tuple[str, str]]:
    return [(r[text_key], str(r[label_key])) for r in rows]


def train_sets(data: Path, seed: int = 0) -> list[PairSet]:
    """Train-side pairs: generated resubmissions of csldcp/train abstracts + paraphrase train pairs."""
    csldcp = data / "csldcp" / "train.jsonl"
    if not csldcp.exists():
        raise TaskSkipped(f"{csldcp} not found")
    gen = make_pairs(_abstracts(read_jsonl(csldcp), "content", "label"), seed=seed + 101)
    sets = [PairSet([p.a for p in gen], [p.b for p in gen], [p.label for p in gen], [p.kind for p in gen],
                    "generated")]
    rng = random.Random(seed)
    for name, limit in TRAIN_PAIR_SETS.items():
        path = data / "pairs" / name / "train.jsonl"
        if not path.exists():
            continue
        rows = read_jsonl(path)
        if name == "stsb":  # 0–5 similarity: keep the clear cases
            rows = [dict(r, label=1 if r["label"] >= 4 else 0) for r in rows if r["label"] >= 4 or r["label"] <= 2]
        if limit and len(rows) > limit:
            rows = rng.sample(rows, limit)
        sets.append(PairSet([r["text1"] for r in rows], [r["text2"] for r in rows],
                            [int(r["label"]) for r in rows], ["pair"] * len(rows), name))
    return sets


def fit_systems(sets: list[PairSet]) -> dict[str, DuplicateParams]:
    """The calibrated model on all features, and the lexical-only and dense-only variants."""
    feats, labels, sources, long_mask, hard = _concat(sets)
    return {name: calibrate(feats, labels, sources, long_mask, hard, use=use)
            for name, use in (("jiebang", FEATURES), ("lexical-only", LEXICAL), ("dense-only", DENSE))}


def shipped_params(path: Path = PARAMS_FILE) -> DuplicateParams:
    """The duplicate model the service ships (``corpora/duplicates.yaml``)."""
    return DuplicateParams.from_dict(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def compare_params(shipped: DuplicateParams, refit: DuplicateParams, embed_model: str) -> dict[str, float]:
    """How far the shipped model is from this run's refit: largest weight / intercept difference,
    threshold differences, ``matches_refit`` (1.0 when all are within the tolerances) and
    ``same_embedder`` (1.0 when the shipped weights were fitted with ``embed_model``)."""
    coef = float(np.max(np.abs(np.r_[shipped.coef, shipped.intercept] - np.r_[refit.coef, refit.intercept])))
    near = abs(shipped.near_duplicate - refit.near_duplicate)
    related = abs(shipped.related - refit.related)
    fitted_with = shipped.metrics.get("fitted_with") or shipped.metrics.get("embed_model")
    return {"max_coef_diff": coef, "near_duplicate_diff": near, "related_diff": related,
            "matches_refit": float(coef <= COEF_TOLERANCE and max(near, related) <= THRESHOLD_TOLERANCE),
            "same_embedder": float(fitted_with == embed_model)}


def refit_and_compare(sets: list[PairSet], path: Path = PARAMS_FILE) -> tuple[dict[str, DuplicateParams], list[Row]]:
    """The systems calibrated in this run plus ``jiebang-shipped``, and the ``calibration`` rows that
    compare the shipped model with this run's ``jiebang`` refit."""
    systems = fit_systems(sets)
    systems["jiebang-shipped"] = shipped_params(path)
    check = compare_params(systems["jiebang-shipped"], systems["jiebang"], _embedder().model_id)
    print(f"[dup] shipped {path.name} vs this run's refit ({_embedder().model_id}): "
          + ", ".join(f"{k}={v:.4g}" for k, v in check.items())
          + f" (tolerances: weights {COEF_TOLERANCE}, thresholds {THRESHOLD_TOLERANCE})", file=sys.stderr)
    return systems, [Row("dup", "calibration", "jiebang-shipped", k, v) for k, v in check.items()]


def _tfidf_scores(a: list[str], b: list[str]) -> np.ndarray:
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit(a + b)
    xa, xb = vec.transform(a), vec.transform(b)
    return np.asarray(xa.multiply(xb).sum(axis=1)).ravel()


def _probability(params: DuplicateParams, feats: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(feats @ np.asarray(params.coef) + params.intercept)))


# --- the task -----------------------------------------------------------------------------------
def run(ctx: Context) -> list[Row]:
    _embedder()
    train = train_sets(ctx.data, ctx.seed)
    systems, rows = refit_and_compare(train)
    tfidf_t = best_f1(*(lambda s: (_tfidf_scores(s.a, s.b), s.labels))(train[0]))[1]
    for name in SEMANTIC_SETS:
        try:
            path = ctx.split_file(f"pairs/{name}")
        except TaskSkipped:
            continue
        r = read_jsonl(path)
        ps = PairSet([x["text1"] for x in r], [x["text2"] for x in r], [int(x["label"]) for x in r],
                     ["pair"] * len(r), name)
        scores = {s: _probability(p, ps.features) for s, p in systems.items()}
        scores["tfidf-char"] = _tfidf_scores(ps.a, ps.b)
        for system, sc in scores.items():
            rows.append(Row("dup", name, system, "ap", average_precision(sc, ps.labels)))
            rows.append(Row("dup", name, system, "best_f1", best_f1(sc, ps.labels)[0]))
    rows += _near_dup(ctx, systems, tfidf_t)
    rows += _speed(ctx, systems["jiebang"])
    return rows


def _near_dup(ctx: Context, systems: dict[str, DuplicateParams], tfidf_t: float) -> list[Row]:
    csl = read_jsonl(ctx.split_file("csl"))
    gen = make_pairs(_abstracts(csl, "abstract", "discipline"), seed=ctx.seed + 7)
    ps = PairSet([p.a for p in gen], [p.b for p in gen], [p.label for p in gen], [p.kind for p in gen], "generated")
    hard = np.isin(ps.kinds, ("hard", "hard_boilerplate"))
    labels = ps.labels.astype(bool)
    preds = {s: _probability(p, ps.features) >= p.near_duplicate for s, p in systems.items()}
    preds["tfidf-char"] = _tfidf_scores(ps.a, ps.b) >= tfidf_t
    rows = []
    for system, pred in preds.items():
        p, r, f1 = prf(pred, labels)
        rows += [Row("dup", "near-dup", system, "precision", p), Row("dup", "near-dup", system, "recall", r),
                 Row("dup", "near-dup", system, "f1", f1),
                 Row("dup", "near-dup", system, "hard_negative_pass", float(np.mean(~pred[hard])))]
    return rows


# --- speed --------------------------------------------------------------------------------------
def _synthetic_corpus(ctx: Context, n: int, seed: int) -> list[str]:
    """``n`` demand-like texts: CSL/CSLDCP abstracts and their generated resubmissions."""
    base = [normalize(r["abstract"]) for r in read_jsonl(ctx.split_file("csl"))]
    for extra in (ctx.data / "csldcp" / "train.jsonl", ctx.data / "csldcp" / "dev.jsonl"):
        if extra.exists():
            base += [normalize(r["content"]) for r in read_jsonl(extra)]
    base = [t for t in base if len(t) >= 40]
    rng = random.Random(seed)
    out = list(base[:n])
    while len(out) < n:
        out.append(normalize(resubmit(rng, rng.choice(base), rng.choice(POSITIVE_KINDS), [rng.choice(base)])))
    return out


def _speed(ctx: Context, params: DuplicateParams) -> list[Row]:
    rows = []
    corpus = _synthetic_corpus(ctx, 100_000, ctx.seed)
    vecs = _encode(corpus)
    queries = _synthetic_corpus(ctx, 100_200, ctx.seed + 1)[-200:]
    for n, name in ((10_000, "intake-10k"), (100_000, "intake-100k")):
        det = DuplicateDetector(params).fit(list(range(n)), corpus[:n], vecs[:n])
        times = []
        for q in queries:
            started = time.perf_counter()
            det.check(q, _embedder().encode([q], kind="passage", show_progress=False)[0])
            times.append((time.perf_counter() - started) * 1000)
        rows += [Row("dup", name, "jiebang", "p50_ms", float(np.percentile(times, 50))),
                 Row("dup", name, "jiebang", "p95_ms", float(np.percentile(times, 95)))]
    batch = _synthetic_corpus(ctx, 5_000, ctx.seed + 2)
    started = time.perf_counter()
    bvecs = _encode(batch)
    det = DuplicateDetector(params).fit(list(range(len(batch))), batch, bvecs)
    group_links([(a, b, c.score, c.verdict) for a, b, c in det.links()])
    rows.append(Row("dup", "batch-5k", "jiebang", "seconds", time.perf_counter() - started))
    return rows


# --- calibration command ------------------------------------------------------------------------
def write_params(data: Path, path: Path = PARAMS_FILE, seed: int = 0, report_split: str = "dev") -> DuplicateParams:
    """Calibrate on train-side data and write ``corpora/duplicates.yaml``.

    The thresholds come from train data only; what they then give on ``report_split`` (generated
    near-duplicates of csl/<split>) is recorded beside them, never fed back."""
    params = fit_systems(train_sets(data, seed))["jiebang"]
    metrics = dict(params.metrics, embed_model=_embedder().model_id, data=(
        "train only: csldcp/train generated resubmissions (bench.neardup_gen, seed %d) + pairs/afqmc, "
        "pairs/atec (6000 each), pairs/stsb train" % (seed + 101)))
    try:
        rows = _near_dup(Context(data=data, split=report_split, seed=seed), {"jiebang": params}, 0.5)
        metrics[report_split] = {r.metric: round(r.value, 4) for r in rows if r.system == "jiebang"}
    except TaskSkipped:
        pass
    params = replace(params, metrics=metrics)
    header = ("# Duplicate model: logistic weights over matching.duplicates.FEATURES and verdict thresholds,\n"
              "# calibrated by `python -m bench.dup_bench calibrate` on TRAIN-side data only.\n"
              "# metrics.train: what the near_duplicate threshold gives on the generated train pairs;\n"
              f"# metrics.{report_split}: what it gives on generated near-duplicates of csl/{report_split} "
              "(recorded, not tuned on);\n# full table: python -m bench.quality --split dev --tasks dup.\n")
    path.write_text(header + yaml.safe_dump(params.to_dict(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dup_bench")
    parser.add_argument("command", choices=["calibrate"])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    params = write_params(args.data or load_settings().data_dir, seed=args.seed)
    print(yaml.safe_dump(params.to_dict(), allow_unicode=True, sort_keys=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
