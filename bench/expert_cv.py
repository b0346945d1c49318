"""How the expert-affinity defaults were chosen: 5-fold cross-validation inside the TRAINING part.

    python -m bench.expert_cv --data ../shared/data [--split dev] [--seed 1] [--outer grouped]
                              [--only re-ranker ...]

The ``experts`` benchmark splits projects 80/20 (seed 0; ``--outer``: its random split, the default, or
its split grouped by exact panel); this script never looks at the 20 %: it cuts the 80 % into 5 folds
grouped by exact panel (:mod:`matching.folds`: the record's review sessions repeat panels, and a choice
made on folds that share panels rewards recognising a session), profiles experts from 4, ranks for the
5th, and prints Recall@10/@50 and MRR for each variant of :class:`matching.experts.ExpertAffinity`
(one concatenated profile vs per-item history votes, the vote's sharpness, the extra parts, query
expansion, votes divided by panel size, the co-review community classifier, the learned re-ranker — on
lexical cosines alone and with the shipped embedder).
"""
from __future__ import annotations

import argparse
import functools
from pathlib import Path

import numpy as np

from api.compose import load_settings
from bench.common import read_jsonl
from bench.expert_bench import (held_out_queries, pool_from, project_panel, ranking_metrics, split_projects,
                                split_projects_grouped)
from matching.experts import ExpertAffinity
from matching.folds import grouped_folds

_OLD = dict(expand_weight=1.0, panel_norm=0.0, community_weight=0.0, rerank=None)
VARIANTS: dict[str, dict] = {
    "profile only (one text per expert)": dict(_OLD, history_weight=0, profile_weight=1, field_weight=0,
                                               prior_weight=0, expand_k=0),
    "history vote, power 1 (sum)": dict(_OLD, power=1, profile_weight=0, field_weight=0, prior_weight=0, expand_k=0),
    "history vote, power 3": dict(_OLD, power=3, profile_weight=0, field_weight=0, prior_weight=0, expand_k=0),
    "history vote, power 8 (≈ max)": dict(_OLD, power=8, profile_weight=0, field_weight=0, prior_weight=0,
                                          expand_k=0),
    "power 3 + profile + field + prior": dict(_OLD, power=3, expand_k=0),
    "… + query expansion (previous default)": dict(_OLD),
    "… + expansion ×2, votes / panel size": dict(community_weight=0.0, rerank=None),
    "… + community classifier (previous default)": dict(rerank=None),
    "… + learned re-ranker, logistic (default)": dict(),
    "… + re-ranker, top 100 candidates": dict(rerank_top=100),
    "… + re-ranker, gradient-boosted trees": dict(rerank="hgb"),
    "community, with the embedder": dict(encoder="embedder", rerank=None),
    "community ^0.5, with the embedder": dict(encoder="embedder", community_weight=0.5, rerank=None),
    "re-ranker, with the embedder": dict(encoder="embedder"),
}


@functools.lru_cache(maxsize=1)
def _embedder():
    from nlp.embed import Embedder

    return Embedder(load_settings().embed_model)


def cross_validate(projects: list[dict], params: dict, folds: int = 5, seed: int = 1) -> dict[str, float]:
    """Mean Recall@10/@50 and MRR of one variant over ``folds`` folds grouped by exact panel."""
    if params.get("encoder") == "embedder":
        params = dict(params, encoder=_embedder().encode)
    out = []
    for train_rows, test_rows in grouped_folds([project_panel(p) for p in projects], folds, seed):
        train = [projects[i] for i in train_rows]
        test = [projects[i] for i in test_rows]
        profiles, items = pool_from(train)
        queries, relevant = held_out_queries(test, [p.expert_id for p in profiles])
        scores = ExpertAffinity(**params).fit(profiles, items).score(queries)
        out.append(ranking_metrics(scores, relevant))
    return {k: float(np.mean([o[k] for o in out])) for k in out[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.expert_cv", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=load_settings().data_dir)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--seed", type=int, default=1, help="fold seed (another seed: a check on fold noise)")
    parser.add_argument("--only", nargs="*", help="variants whose name contains one of these strings")
    parser.add_argument("--outer", choices=("random", "grouped"), default="random",
                        help="the experts benchmark split whose training part is cross-validated")
    args = parser.parse_args(argv)
    split = split_projects_grouped if args.outer == "grouped" else split_projects
    train, _ = split(read_jsonl(args.data / "reviews" / f"{args.split}.jsonl"), seed=0)
    print(f"{'variant':44s}  R@10    R@50    MRR   (5-fold CV grouped by panel on the {len(train)} training "
          f"projects of the {args.outer} split)")
    for name, params in VARIANTS.items():
        if args.only and not any(o in name for o in args.only):
            continue
        m = cross_validate(train, params, seed=args.seed)
        print(f"{name:44s}  {m['recall_at_10']:.4f}  {m['recall_at_50']:.4f}  {m['mrr']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
