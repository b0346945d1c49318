"""Benchmarks of issue 5: expert ranking on the review record, and panel assignment at scale.

``experts``: reviews/<split>.jsonl projects split 80/20 (seed 0); profiles and history from the 80%;
every held-out project ranks all profiled experts; Recall@10/@50 and MRR over its profiled reviewers,
beside random, popularity and a TF-IDF character profile baseline (research field + reviewed titles and
keywords). Two splits side by side: ``reviews`` (projects drawn at random; the record is organised in
review sessions, so most held-out projects' exact panel also reviewed training projects) and
``reviews-grouped`` (grouped by exact panel, :mod:`matching.folds`: one of five panel-disjoint folds is
held out, the same 20 % share, and no held-out panel reviewed a training project). ``panel_seen_share``:
the share of held-out projects whose exact panel reviewed a training project.

``assign``: a seeded synthetic pool (2,000 demands from the record's texts, 5,000 experts with
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
from matching.folds import grouped_folds, panel_key


def split_projects(projects: list[dict], seed: int = 0, train_share: float = 0.8) -> tuple[list[dict], list[dict]]:
    """Seeded 80/20 split of projects."""
    perm = np.random.default_rng(seed).permutation(len(projects))
    n = int(round(train_share * len(projects)))
    return [projects[i] for i in perm[:n]], [projects[i] for i in perm[n:]]


def project_panel(p: dict) -> tuple[str, ...]:
    """A review-record project's exact panel: its sorted set of reviewers."""
    return panel_key(r["expert"] for r in p["reviewers"])


def split_projects_grouped(projects: list[dict], seed: int = 0, n_splits: int = 5) -> tuple[list[dict], list[dict]]:
    """Seeded split that keeps each exact panel on one side: the first of ``n_splits`` panel-disjoint
    folds (balanced by project count) is held out, i.e. a 1/``n_splits`` share as in the 80/20 split."""
    folds = grouped_folds([project_panel(p) for p in projects], n_splits, seed)
    if not folds:
        raise ValueError("a grouped split needs at least two distinct panels / 至少需要两个不同的专家组")
    train, test = folds[0]
    return [projects[i] for i in train], [projects[i] for i in test]


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


def held_out_queries(test: list[dict], experts: list[str]) -> tuple[list[str], list[set[int]]]:
    """Query texts of held-out projects and, for each, the column indices of its profiled reviewers
    (projects none of whose reviewers is profiled are left out)."""
    index = {e: j for j, e in enumerate(experts)}
    queries, relevant = [], []
    for p in test:
        rel = {index[r["expert"]] for r in p["reviewers"] if r["expert"] in index}
        if rel:
            queries.append(project_text(p))
            relevant.append(rel)
    return queries, relevant


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
    splits = {"reviews": split_projects(projects, seed=0), "reviews-grouped": split_projects_grouped(projects, seed=0)}
    return [row for dataset, (train, test) in splits.items() for row in expert_rows(dataset, train, test, ctx.seed)]


def expert_rows(dataset: str, train: list[dict], test: list[dict], seed: int = 0) -> list[Row]:
    """The ``experts`` rows of one split: every system ranks the profiled experts for each held-out project."""
    profiles, items = pool_from(train)
    experts = [p.expert_id for p in profiles]
    queries, relevant = held_out_queries(test, experts)
    model = ExpertAffinity().fit(profiles, items)
    counts = model.review_counts_
    rng = np.random.default_rng(seed)
    systems = {
        "jiebang": model.score(queries),
        "tfidf-char": tfidf_char_scores(train, queries, experts),
        "popularity": np.tile(counts + 1e-6 * rng.random(len(experts)), (len(queries), 1)),
        "random": rng.random((len(queries), len(experts))),
    }
    rows = []
    for name, scores in systems.items():
        for metric, value in ranking_metrics(scores, relevant).items():
            rows.append(Row("experts", dataset, name, metric, value))
    rows += floor_rows(dataset, model, queries, relevant, systems["jiebang"])
    seen = {project_panel(p) for p in train}
    rows.append(Row("experts", dataset, "jiebang", "n_queries", float(len(queries))))
    rows.append(Row("experts", dataset, "jiebang", "n_experts", float(len(experts))))
    rows.append(Row("experts", dataset, "jiebang", "panel_seen_share",
                    float(np.mean([project_panel(p) in seen for p in test])) if test else 0.0))
    return rows


def floor_rows(dataset: str, model: ExpertAffinity, queries: list[str], relevant: list[set[int]],
               scores: np.ndarray) -> list[Row]:
    """The relevance floor (:mod:`matching.relevance`) fitted inside the training part (held-out folds
    grouped by panel), judged on the held-out projects: ``floor_coverage`` = share of projects with a true
    reviewer at or above the floor (target ≥ 0.9); ``reviewer_share_above_floor``; ``above_floor_median``:
    experts per project that clear it; ``recall_at_10_floored``: Recall@10 of the list staff see (the
    ranking's top 10 without the experts below the floor)."""
    from matching.relevance import fit_floor

    floor = fit_floor(model)
    prob = floor.relevance(model, queries)
    above = prob >= floor.floor
    coverage = np.mean([above[i, list(rel)].any() for i, rel in enumerate(relevant)])
    share = np.mean([a for i, rel in enumerate(relevant) for a in above[i, list(rel)]])
    floored = np.where(above, scores, -np.inf)
    r10 = np.mean([np.isin(np.argsort(-row, kind="stable")[:10], list(rel)).sum() / len(rel)
                   for row, rel in zip(floored, relevant)])
    return [Row("experts", dataset, "jiebang", "floor", floor.floor),
            Row("experts", dataset, "jiebang", "floor_coverage", float(coverage)),
            Row("experts", dataset, "jiebang", "reviewer_share_above_floor", float(share)),
            Row("experts", dataset, "jiebang", "above_floor_median", float(np.median(above.sum(axis=1)))),
            Row("experts", dataset, "jiebang", "recall_at_10_floored", float(r10))]


def write_floor(data: str = "../shared/data", split: str = "dev", path: str | None = None) -> str:
    """Fit the relevance floor on the whole review record (``reviews/<split>.jsonl``) and write
    ``models/expert-floor/floor.json`` (its card, ``README.md`` beside it, says how and what it measured)."""
    import json
    from pathlib import Path

    from matching.relevance import fit_floor
    from models import EXPERT_FLOOR

    projects = read_jsonl(Path(data) / "reviews" / f"{split}.jsonl")
    profiles, items = pool_from(projects)
    floor = fit_floor(ExpertAffinity(rerank=None).fit(profiles, items))
    out = Path(path or EXPERT_FLOOR)
    out.parent.mkdir(parents=True, exist_ok=True)
    body = {**floor.to_dict(), "estimator": "sklearn.linear_model.LogisticRegression(C=1.0) on standardised features",
            "data": f"reviews/{split}.jsonl ({len(projects)} projects)"}
    out.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    return str(out)


# --------------------------------------------------------------------------- synthetic assignment

_CITIES = ["沈阳市", "大连市", "鞍山市", "抚顺市", "本溪市", "丹东市", "锦州市", "营口市", "阜新市", "辽阳市",
           "盘锦市", "铁岭市", "朝阳市", "葫芦岛市"]
_PROVINCES = ["北京市", "上海市", "吉林省", "黑龙江省", "山东省", "江苏省", "天津市", "浙江省"]


def synthetic_round(texts: list[str], n_demands: int = 2000, n_experts: int = 5000, seed: int = 0):
    """A seeded pool: demands (texts drawn from the record, skewed to hot topics), enterprises with groups, experts with
    organisations (some of them the enterprises), regions, history from the texts, and avoid-lists."""
    from matching.conflicts import DemandParty, ExpertParty

    rng = np.random.default_rng(seed)
    groups = [f"第{g}控股集团有限公司".replace("第", chr(0x4e00 + 300 + g)) for g in range(60)]
    enterprises = [f"{chr(0x4e00 + 1000 + k // 40)}{chr(0x4e00 + 2000 + k % 40)}科技有限公司" for k in range(1200)]
    ent_group = {e: (groups[rng.integers(len(groups))] if rng.random() < 0.3 else None) for e in enterprises}
    institutes = [f"{chr(0x4e00 + 3000 + k)}大学" for k in range(300)] + enterprises[:300]
    # Demand topics are skewed (a few hot fields draw many demands) so that expert loads bind.
    topic_p = 1.0 / np.arange(1, len(texts) + 1) ** 0.8
    topics = rng.permutation(len(texts))[np.searchsorted(np.cumsum(topic_p / topic_p.sum()), rng.random(n_demands))]
    demands, d_texts = [], []
    for i in range(n_demands):
        ent = enterprises[rng.integers(len(enterprises))]
        avoid = tuple(institutes[k] for k in rng.choice(len(institutes), size=rng.integers(0, 3), replace=False))
        demands.append(DemandParty(f"D{i:05d}", ent, ent_group[ent], _CITIES[rng.integers(len(_CITIES))], avoid))
        d_texts.append(texts[min(int(topics[i]), len(texts) - 1)])
    experts, profiles, items = [], [], []
    for j in range(n_experts):
        org = institutes[rng.integers(len(institutes))]
        region = _PROVINCES[rng.integers(len(_PROVINCES))] if rng.random() < 0.3 else _CITIES[rng.integers(len(_CITIES))]
        avoid = tuple(enterprises[k] for k in rng.choice(len(enterprises), size=rng.integers(0, 4), replace=False))
        eid = f"X{j:05d}"
        experts.append(ExpertParty(eid, org, region, avoid, available=rng.random() > 0.02))
        hist = rng.choice(len(texts), size=3, replace=False)
        profiles.append(ExpertProfile(eid, fields=texts[hist[0]][:30]))
        items.extend(ReviewItem((eid,), texts[h][:60], texts[h][60:200]) for h in hist)
    return demands, d_texts, experts, profiles, items


def run_assign(ctx: Context) -> list[Row]:
    from matching.assign import GreedyAssigner, OptimalAssigner, PanelRules, encode
    from matching.conflicts import build_conflicts

    projects = read_jsonl(ctx.split_file("reviews"))
    texts = [project_text(p) for p in projects]
    demands, d_texts, experts, profiles, items = synthetic_round(texts, seed=ctx.seed)
    started = time.perf_counter()
    affinity = ExpertAffinity().fit(profiles, items).score(d_texts)
    affinity_seconds = time.perf_counter() - started
    rows = [Row("assign", "assign-2k-5k", "jiebang", "affinity_seconds", affinity_seconds)]
    for name, solver in (("jiebang", OptimalAssigner()), ("greedy", GreedyAssigner())):
        started = time.perf_counter()
        conflicts = build_conflicts(demands, experts)
        problem = encode(conflicts.demand_ids, conflicts.expert_ids, affinity, conflicts.blocked,
                         PanelRules(panel_size=5, max_load=8))
        result = solver.solve(problem)
        seconds = time.perf_counter() - started
        loads = result.loads(len(experts))
        conflict_free = np.mean([not conflicts.blocked[i, panel].any() and len(panel) == problem.panel_size[i]
                                 for i, panel in enumerate(result.panels)])
        rows += [Row("assign", "assign-2k-5k", name, "seconds", seconds),
                 Row("assign", "assign-2k-5k", name, "total_affinity", result.total_affinity),
                 Row("assign", "assign-2k-5k", name, "conflict_free_share", float(conflict_free)),
                 Row("assign", "assign-2k-5k", name, "max_load", float(loads.max()))]
    return rows


if __name__ == "__main__":  # python -m bench.expert_bench floor [DATA]: refit models/expert-floor/floor.json
    import sys

    if sys.argv[1:2] != ["floor"]:
        raise SystemExit("usage: python -m bench.expert_bench floor [DATA_DIR]")
    print(write_floor(*(sys.argv[2:3] or ["../shared/data"])))
