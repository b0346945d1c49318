"""Tasks ``keywords`` and ``title``: what condensation (梳理凝练) writes, against what authors wrote.

Dataset ``csl`` (``csl/<split>.jsonl``: title, abstract, author keywords), every row scored.

``keywords`` — input ``title + "。" + abstract``, five keywords per paper against its author
keywords ``G``. Per paper, with predictions ``P`` (at most 5):
- precision = |{p ∈ P : some g ∈ G matches p}| / |P|, recall = |{g ∈ G : some p ∈ P matches g}| / |G|,
  F1 their harmonic mean (0 when both are 0); each metric is the mean over papers (macro);
- partial match (``precision_at_5``, ``recall_at_5``, ``f1_at_5``): ``p in g or g in p`` (substring
  either way); exact match (``f1_at_5_exact``): ``p == g``.
Systems: ``jiebang`` (:class:`nlp.keywords.KeywordExtractor` fitted on the split's texts, with
jieba's ``idf.txt`` as background IDF and the shipped embedding), ``jieba-tfidf``
(``jieba.analyse.extract_tags(topK=5)``), ``jieba-textrank`` (``jieba.analyse.textrank(topK=5)``).

``title`` — input the abstract only (with the title it would be copying); ``rouge_l`` = mean
character-level ROUGE-L F1 of the proposed title against the real one. Systems: ``jiebang``
(:func:`nlp.condense.propose_title` with the ``jiebang`` keywords of the abstract),
``first-sentence`` (the abstract's first sentence by :func:`nlp.text.split_sentences`, which also
ends sentences at ASCII full stops and semicolons, as CSL abstracts write them; splitting at 。！？
alone takes most of an abstract and scores 0.166 on dev), ``top-keywords`` (the top 4 jieba TF-IDF
keywords concatenated).

The keyword rankers (``models/keyword-ranker/ranker.json``) are fitted with :func:`fit_ranker` on csl/dev
(``python -m bench.condense_bench fit``); their settings were chosen by :func:`cross_validate`
(``python -m bench.condense_bench cv``: 2-fold by row parity, every row scored by trees that never saw
it), the figure to expect on an unseen split.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bench.common import Context, Row, read_jsonl

DATASET = "csl"
TOP_N = 5


# ----------------------------------------------------------------------------- metrics
def match_scores(predicted: Sequence[str], gold: Sequence[str], exact: bool = False) -> tuple[float, float, float]:
    """Precision, recall, F1 of one paper's keywords (see the module docstring for the counting)."""
    def hit(a: str, b: str) -> bool:
        return a == b if exact else (a in b or b in a)

    p = sum(any(hit(x, g) for g in gold) for x in predicted) / len(predicted) if predicted else 0.0
    r = sum(any(hit(x, g) for x in predicted) for g in gold) / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def keyword_metrics(predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> dict[str, float]:
    """Macro means over papers: ``precision_at_5``, ``recall_at_5``, ``f1_at_5``, ``f1_at_5_exact``."""
    partial = np.array([match_scores(p, g) for p, g in zip(predicted, gold)]).reshape(-1, 3)
    exact = np.array([match_scores(p, g, exact=True)[2] for p, g in zip(predicted, gold)])
    return {"precision_at_5": float(partial[:, 0].mean()), "recall_at_5": float(partial[:, 1].mean()),
            "f1_at_5": float(partial[:, 2].mean()), "f1_at_5_exact": float(exact.mean())}


def rouge_l(candidate: str, reference: str) -> float:
    """Character-level ROUGE-L F1 (longest common subsequence)."""
    a, b = candidate, reference
    if not a or not b:
        return 0.0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    lcs = prev[-1]
    if not lcs:
        return 0.0
    p, r = lcs / len(a), lcs / len(b)
    return 2 * p * r / (p + r)


# ----------------------------------------------------------------------------- systems
def extractor(fit_texts: Sequence[str] | None = None):
    """The service's keyword extractor as the benchmark runs it: the shipped embedding model and keyword ranker,
    jieba's IDF, the dictionary's tags and the shipped stopwords, read as the composition root reads them."""
    from api.compose import load_settings
    from api.io.resources import doc_frequency, jieba_idf, keyword_ranker, word_tags
    from nlp.embed import Embedder
    from nlp.keywords import KeywordExtractor
    from nlp.tokenize import Tokenizer, read_wordlist

    settings = load_settings()
    emb = Embedder(settings.embed_model)
    ke = KeywordExtractor(Tokenizer(settings.userdict, settings.stopwords),
                          encoder=lambda t: emb.encode(t, kind="passage", show_progress=False),
                          stopwords=read_wordlist(settings.keyword_stopwords), background_idf=jieba_idf(),
                          ranker=keyword_ranker(), tags=word_tags(settings.userdict),
                          doc_freq=doc_frequency())
    return ke.fit(fit_texts) if fit_texts is not None else ke


def _jieba_systems() -> dict[str, Callable[[str], list[str]]]:
    import logging

    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    return {"jieba-tfidf": lambda t: jieba.analyse.extract_tags(t, topK=TOP_N),
            "jieba-textrank": lambda t: jieba.analyse.textrank(t, topK=TOP_N)}


def _papers(ctx: Context) -> list[dict]:
    return read_jsonl(ctx.split_file(DATASET))


def _keyword_input(row: dict) -> str:
    return f"{row['title']}。{row['abstract']}"


# ----------------------------------------------------------------------------- tasks
def run_keywords(ctx: Context) -> list[Row]:
    papers = _papers(ctx)
    texts = [_keyword_input(r) for r in papers]
    gold = [r["keywords"] for r in papers]
    predicted = {"jiebang": [[k.term for k in words] for words in extractor().fit_keywords(texts)]}
    for name, f in _jieba_systems().items():
        predicted[name] = [f(t) for t in texts]
    return [Row("keywords", DATASET, name, metric, value)
            for name, preds in predicted.items() for metric, value in keyword_metrics(preds, gold).items()]


def run_title(ctx: Context) -> list[Row]:
    from nlp.condense import propose_title
    from nlp.text import normalize, split_sentences

    papers = _papers(ctx)
    abstracts = [normalize(r["abstract"]) for r in papers]
    truth = [normalize(r["title"]) for r in papers]
    words = extractor().fit_keywords(abstracts)
    tfidf = _jieba_systems()["jieba-tfidf"]
    proposed = {
        "jiebang": [propose_title(a, [k.term for k in w]) for a, w in zip(abstracts, words)],
        "first-sentence": [next((s.text for s in split_sentences(a)), "") for a in abstracts],
        "top-keywords": ["".join(tfidf(a)[:4]) for a in abstracts],
    }
    return [Row("title", DATASET, name, "rouge_l", float(np.mean([rouge_l(p, t) for p, t in zip(titles, truth)])))
            for name, titles in proposed.items()]


# ----------------------------------------------------------------------------- ranker fitting
def _ranker_rows(ke, texts: Sequence[str], gold: Sequence[Sequence[str]]):
    """Each text's shortlisted candidates as ``(terms, X, exact labels, partial labels)``."""
    out = []
    rows = ke.shortlist_features([ke.candidates(ke.tokens(t)) for t in texts], texts)
    for (terms, x), g in zip(rows, gold):
        out.append((terms, x, np.array([t in g for t in terms], dtype=int),
                    np.array([any(t in k or k in t for k in g) for t in terms], dtype=int)))
    return out


RANKER_TREES_PARAMS = {"max_iter": 100, "learning_rate": 0.1, "max_leaf_nodes": 8, "min_samples_leaf": 40}


def _fit_trees(rows, keep: Sequence[int]) -> dict[str, object]:
    """The two rankers fitted on ``rows[keep]`` (:func:`_ranker_rows`), packed as ``ranker.json`` stores them."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from nlp.keyword_ranker import FEATURES, TreeEnsemble, pack_trees

    x = np.vstack([rows[i][1] for i in keep])
    out: dict[str, object] = {}
    for name, column in (("exact", 2), ("partial", 3)):
        y = np.concatenate([rows[i][column] for i in keep])
        model = HistGradientBoostingClassifier(**RANKER_TREES_PARAMS, random_state=0).fit(x, y)
        trees = []
        for (predictor,) in model._predictors:
            n = predictor.nodes
            trees.append(np.column_stack([np.where(n["is_leaf"], -1, n["feature_idx"]), n["num_threshold"],
                                          n["left"], n["right"], n["value"]]))
        out[name] = (round(float(model._baseline_prediction.ravel()[0]), 6), pack_trees(trees))
        unpacked = TreeEnsemble(*out[name]).predict(x)  # the packed trees predict what sklearn does
        assert np.abs(unpacked - model.predict_proba(x)[:, 1]).max() < 1e-6
    out["cosine_mean"] = round(float(x[:, FEATURES.index("cosine_to_text")].mean()), 5)
    return out


def _dev_rows(data: str, split: str):
    rows = read_jsonl(Path(data) / DATASET / f"{split}.jsonl")
    texts = [_keyword_input(r) for r in rows]
    ke = extractor(texts)  # corpus frequencies of all the split's texts, as the service fits its round
    return ke, texts, [r["keywords"] for r in rows], _ranker_rows(ke, texts, [r["keywords"] for r in rows])


def fit_ranker(data: str = "../shared/data", split: str = "dev") -> dict[str, object]:
    """Fit the two tree-ensemble rankers on all rows of csl/<split> and return them packed
    (:func:`nlp.keywords.pack_trees`) with the cosine feature's mean (:func:`write_ranker` writes them to
    ``models/keyword-ranker/ranker.json``). Their settings (tree
    size, features, ``partial_share``, ``diversity``) were chosen by :func:`cross_validate`, which
    never scores a row the trees saw; the dev table of the shipped trees is in-sample."""
    rows = _dev_rows(data, split)[3]
    return _fit_trees(rows, range(len(rows)))


def write_ranker(fitted: dict[str, object], path: Path | None = None) -> Path:
    """Write :func:`fit_ranker`'s result as ``models/keyword-ranker/ranker.json`` (what
    :class:`nlp.keyword_ranker.KeywordRanker` reads; the card beside it says how it was made)."""
    import json

    from models import KEYWORD_RANKER
    from nlp.keyword_ranker import FEATURES

    path = Path(path or KEYWORD_RANKER)
    data = {"features": list(FEATURES), "cosine_mean": fitted["cosine_mean"], "exact": list(fitted["exact"]),
            "partial": list(fitted["partial"]), "estimator": "sklearn.ensemble.HistGradientBoostingClassifier",
            "params": RANKER_TREES_PARAMS}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def cross_validate(data: str = "../shared/data", split: str = "dev", folds: int = 2) -> dict[str, dict[str, float]]:
    """Keyword metrics of ``jiebang`` with rankers fitted on the other folds (rows ``i % folds``), each
    row scored by trees that never saw it; per fold and their mean, beside the jieba systems on the
    same rows. This is the figure to choose settings by, and what to expect on an unseen split."""
    from nlp.keyword_ranker import TreeEnsemble

    ke, texts, gold, rows = _dev_rows(data, split)
    predicted: list[list[str]] = [[] for _ in rows]
    out: dict[str, dict[str, float]] = {}
    for fold in range(folds):
        fitted = _fit_trees(rows, [i for i in range(len(rows)) if i % folds != fold])
        exact, partial = TreeEnsemble(*fitted["exact"]), TreeEnsemble(*fitted["partial"])
        test = [i for i in range(len(rows)) if i % folds == fold]
        for i in test:
            terms, x = rows[i][0], rows[i][1]
            if terms:
                rel = (exact.predict(x) + ke.partial_share * partial.predict(x)) / (1 + ke.partial_share)
                predicted[i] = [k.term for k in ke._mmr(terms, rel)]
        out[f"jiebang fold {fold}"] = keyword_metrics([predicted[i] for i in test], [gold[i] for i in test])
    out["jiebang"] = {k: float(np.mean([out[f"jiebang fold {f}"][k] for f in range(folds)])) for k in out["jiebang fold 0"]}
    for name, f in _jieba_systems().items():
        out[name] = keyword_metrics([f(t) for t in texts], gold)
    return out


if __name__ == "__main__":  # python -m bench.condense_bench fit|cv
    import json

    command = sys.argv[1] if len(sys.argv) > 1 else "cv"
    print(write_ranker(fit_ranker()) if command == "fit" else json.dumps(cross_validate(), indent=1))
