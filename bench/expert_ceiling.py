"""What a project's text can and cannot tell about who reviewed it: the diagnosis behind issue 5's target.

    python -m bench.expert_ceiling --data ../shared/data [--split dev] [--json FILE]

Same split as the ``experts`` benchmark (reviews/<split>.jsonl, 80/20, seed 0). Prints:

* **panels** — the share of held-out projects whose exact panel (set of profiled reviewers) also
  reviewed a training project, and for those, how often that panel ranks first / in the top 3 / top 10
  of the distinct training panels by the affinity's history vote (Σ over the panel's items of the
  query-expanded cosine cubed);
* **record order** — how tightly a repeated panel's projects sit together in the file's order (the
  median of (last − first position) / file length over panels of five or more projects): small means
  panels are review sessions (a discipline in one call), so several panels of one discipline compete and
  the text cannot tell which session a new project belongs to. Diagnosis only: the matcher never sees
  positions or ids;
* **discipline groups** — the Louvain communities of the co-review graph the affinity builds: accuracy
  of its text classifier on the held-out projects (true group: that of most of their profiled
  reviewers), and Recall@10 of the hand-weighted affinity (no re-ranker) with the predicted group beside
  the same affinity told the true group — what a discipline code (申报学科) in the record would be worth.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from api.compose import load_settings
from bench.common import read_jsonl
from bench.expert_bench import held_out_queries, pool_from, ranking_metrics, split_projects
from matching.experts import ExpertAffinity


def diagnose(projects: list[dict]) -> dict[str, float]:
    train, test = split_projects(projects, seed=0)
    profiles, items = pool_from(train)
    experts = [p.expert_id for p in profiles]
    queries, relevant = held_out_queries(test, experts)
    model = ExpertAffinity(rerank=None).fit(profiles, items)
    sims = model._sims(queries)
    parts = model._parts(sims)
    out: dict[str, float] = {"queries": len(queries), "experts": len(experts)}

    # panels: distinct sets of profiled reviewers of the training items
    keys = [tuple(sorted(model.incidence_[i].indices.tolist())) for i in range(model.incidence_.shape[0])]
    panels = {k: n for n, k in enumerate(dict.fromkeys(keys))}
    item_panel = sp.csr_matrix((np.ones(len(keys)), (np.arange(len(keys)), [panels[k] for k in keys])),
                               shape=(len(keys), len(panels)))
    panel_score = np.asarray(item_panel.T.dot((sims["item"] ** model.power).T)).T
    ranks = []
    for row, rel in zip(panel_score, relevant):
        p = panels.get(tuple(sorted(rel)))
        if p is not None:
            ranks.append(int((row > row[p]).sum()))
    ranks = np.array(ranks)
    out["panel_seen_share"] = len(ranks) / len(queries)
    for k in (1, 3, 10):
        out[f"panel_top{k}"] = float(np.mean(ranks < k)) if len(ranks) else 0.0

    # record order: spread of a repeated panel's projects over the file
    pos: dict[frozenset, list[int]] = {}
    for n, p in enumerate(projects):
        pos.setdefault(frozenset(r["expert"] for r in p["reviewers"]), []).append(n)
    spreads = [(max(v) - min(v)) / len(projects) for v in pos.values() if len(v) >= 5]
    out["panel_spread_median"] = float(np.median(spreads)) if spreads else float("nan")

    # discipline groups: classifier accuracy, and the affinity with the true group (oracle)
    communities = model.communities_
    if communities is None or communities.model_ is None:
        return out
    labels = communities.labels_

    def group(rel: set[int]) -> int:
        g = [labels[j] for j in rel if labels[j] >= 0]
        return int(np.bincount(g).argmax()) if g else -1

    true = np.array([group(rel) for rel in relevant])
    known = true >= 0
    clf = communities.model_
    pred = clf.classes_[clf.predict_proba(communities._features(model.vectorizer_.transform(queries),
                                                                None)).argmax(axis=1)]
    out["groups"] = communities.n_communities_
    out["group_accuracy"] = float(np.mean(pred[known] == true[known]))
    out["recall_at_10_predicted_group"] = ranking_metrics(model._combine(parts), relevant)["recall_at_10"]
    oracle = np.full((len(queries), communities.n_communities_ + 1), 0.01, np.float32)
    oracle[np.flatnonzero(known), true[known]] = 1.0
    oracle[:, -1] = 1.0 / communities.n_communities_
    told = dict(parts, community=oracle[:, labels])
    out["recall_at_10_true_group"] = ranking_metrics(model._combine(told), relevant)["recall_at_10"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.expert_ceiling", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=load_settings().data_dir)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--json", type=Path, help="write the figures as one JSON object")
    args = parser.parse_args(argv)
    path = args.data / "reviews" / f"{args.split}.jsonl"
    if not path.exists():
        parser.error(f"{path} not found / 找不到评审记录文件")
    figures = diagnose(read_jsonl(path))
    print(f"{'figure':32s}  value   (reviews/{args.split}.jsonl, 80/20 split, seed 0)")
    for k, v in figures.items():
        print(f"{k:32s}  {v:.4f}" if isinstance(v, float) else f"{k:32s}  {v}")
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, **figures}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
