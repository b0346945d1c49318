"""Benchmarks of issue 5: expert ranking on the review record, and panel assignment at scale.

``experts``: reviews/<split>.jsonl projects split 80/20 (seed 0); profiles and history from the 80%;
every held-out project ranks all profiled experts; Recall@10/@50 and MRR over its profiled reviewers,
beside random, popularity and a TF-IDF character profile baseline (research field + reviewed titles and
keywords). ``assign``: a seeded synthetic pool (2,000 demands from the record's texts, 5,000 experts with
organisations, regions and avoid-lists), panel 5, max load 8: time, total affinity, conflict-free share,
max load — for the optimal solver and the greedy baseline.
"""
from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bench.common import Context, Row, read_jsonl
from matching.experts import ExpertAffinity, ExpertProfile, ReviewItem


def split_projects(projects: list[dict], seed: int = 0, train_share: float = 0.8) -> tuple[list[dict], list[dict]]:
    """Seeded 80/20 split of projects."""
    perm = np.random.default_rng(seed).permutation(len(projects))
    n = int(round(train_share * len(projects)))
    return [projects[i] for i in perm[:n]], [projects[i] for i in perm[n:]]


def project_text(p: dict) -> str:
    return " ".join([p.get("title", ""), " ".join(p.get("keywords", [])), p.get("abstract", "")])


def pool_from(projects: list[dict]) -> tuple[list[ExpertProfile], list[ReviewItem]]:
    """Profiles (research-field text) and history items from a list of review-record projects."""
    fields: dict[str, str] = {}
    for p in projects:
        for r in p["reviewers"]:
            if r.get("field") or r["expert"] not in fields:
                fields[r["expert"]] = r.get("field", "") or fields.get(r["expert"], "")
    profiles = [ExpertProfile(e, fields=fields[e]) for e in sorted(fields)]
    items = [ReviewItem(tuple(r["expert"] for r in p["reviewers"]), p["title"], p.get("abstract", ""),
                        tuple(p.get("keywords", []))) for p in projects]
    return profiles, items


def tfidf_char_scores(train: list[dict], queries: list[str], experts: list[str]) -> np.ndarray:
    """Baseline: one TF-IDF char 1–3 profile per expert = research field + reviewed titles and keywords."""
    fields: dict[str, str] = {}
    docs: dict[str, list[str]] = defaultdict(list)
    for p in train:
        for r in p["reviewers"]:
            if r.get("field"):
                fields[r["expert"]] = r["field"]
            docs[r["expert"]].append(p["title"] + " " + " ".join(p.get("keywords", [])))
    prof = [fields.get(e, "") + " " + " ".join(docs[e]) for e in experts]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    vec.fit(prof + [project_text(p) for p in train])
    return (vec.transform(queries) @ vec.transform(prof).T).toarray()


def ranking_metrics(scores: np.ndarray, relevant: list[set[int]]) -> dict[str, float]:
    """Recall@10, Recall@50 and MRR of score rows against sets of relevant columns."""
    r10, r50, rr = [], [], []
    for row, rel in zip(scores, relevant):
        order = np.argsort(-row, kind="stable")
        ranks = np.flatnonzero(np.isin(order, list(rel)))
        r10.append(np.sum(ranks < 10) / len(rel))
        r50.append(np.sum(ranks < 50) / len(rel))
        rr.append(1.0 / (ranks[0] + 1))
    return {"recall_at_10": float(np.mean(r10)), "recall_at_50": float(np.mean(r50)), "mrr": float(np.mean(rr))}


def run_experts(ctx: Context) -> list[Row]:
    projects = read_jsonl(ctx.split_file("reviews"))
    train, test = split_projects(projects, seed=0)
    profiles, items = pool_from(train)
    experts = [p.expert_id for p in profiles]
    index = {e: j for j, e in enumerate(experts)}
    queries, relevant = [], []
    for p in test:
        rel = {index[r["expert"]] for r in p["reviewers"] if r["expert"] in index}
        if rel:
            queries.append(project_text(p))
            relevant.append(rel)
    model = ExpertAffinity().fit(profiles, items)
    counts = model.review_counts_
    rng = np.random.default_rng(ctx.seed)
    systems = {
        "jiebang": model.score(queries),
        "tfidf-char": tfidf_char_scores(train, queries, experts),
        "popularity": np.tile(counts + 1e-6 * rng.random(len(experts)), (len(queries), 1)),
        "random": rng.random((len(queries), len(experts))),
    }
    rows = []
    for name, scores in systems.items():
        for metric, value in ranking_metrics(scores, relevant).items():
            rows.append(Row("experts", "reviews", name, metric, value))
    rows.append(Row("experts", "reviews", "jiebang", "n_queries", float(len(queries))))
    rows.append(Row("experts", "reviews", "jiebang", "n_experts", float(len(experts))))
    return rows
