"""Fit the shipped routing model (``models/router``) from public labelled text.

    nice -n 10 python -m models.fit_router --data ../shared/data [--out models/router]

Training rows (train splits only; no dev or test row):
- csldcp/train.jsonl abstracts of the technical disciplines, labelled through
  ``corpora/taxonomy/disciplines.yaml`` (offices with their shares, level-2 domains), and each one's first
  sentence as a title-like row (weight 0.5, same cross-validation fold as its abstract);
- the taxonomy's own level-2 and level-3 nodes (name + description + parents' names), each labelled with
  the office ``offices.yaml`` gives it and its level-2 ancestor (weight 3);
- csl_categories/train.jsonl titles of the four technical categories (weight 0.2, ``--category-weight``):
  农学 and 医学 name one office, 工学 and 理学 a mix (their disciplines' office shares, in the mapping
  file), so a short text is read for its words, not its length. With 农学/医学 alone every short text meant
  医药处 or 农村处; with all four the out-of-fold share sent to a human at 0.95 automatic accuracy fell from
  0.278 to 0.244 (weights 0 / 0.2; see the card).
Features are the router's own TF-IDF (words + characters), not the static encoder's vectors: the encoder
was fine-tuned on csldcp/train and csl_categories/train, so a model stacked on its vectors over the same
texts would learn to trust a view that memorised them.
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from api.io.taxonomy_files import DEFAULT_DISCIPLINES, DEFAULT_OFFICES, DEFAULT_TAXONOMY, read_disciplines, \
    read_offices, read_taxonomy
from matching.disciplines import DisciplineMap
from matching.office_model import TextRouter
from matching.routing import Offices
from matching.taxonomy import Taxonomy
from models import ROUTER
from nlp.tokenize import Tokenizer

CATEGORY_WEIGHT = 0.2  # a csl_categories title (农学/医学 one office, 工学/理学 a mix) counts this much
TARGET_AUTO_ACCURACY = 0.95  # what automatic routing must reach on the training folds (sets the human threshold)
LEAD_WEIGHT = 0.5  # an abstract's first sentence as a title-like row
TAXONOMY_WEIGHT = 3.0  # a taxonomy node's description counts as this many abstracts
LEVEL = 2


@dataclass
class TrainingSet:
    """Texts with soft office and domain targets, row weights and where each row came from."""

    texts: list[str]
    offices: np.ndarray
    domains: np.ndarray
    weight: np.ndarray
    source: list[str]
    group: list[int]  # rows made from one text (an abstract and its first sentence) share a group


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def training_set(data: Path, mapping: DisciplineMap, taxonomy: Taxonomy, offices: Offices,
                 taxonomy_weight: float = TAXONOMY_WEIGHT, category_weight: float = CATEGORY_WEIGHT,
                 lead_weight: float = LEAD_WEIGHT) -> TrainingSet:
    """The rows described in the module docstring (what both the shipped model and bench baselines fit on)."""
    codes = [n.code for n in taxonomy.at_level(LEVEL)]
    names = list(mapping.offices)
    texts, off, dom, weight, source, group = [], [], [], [], [], []

    def add(text: str, office: np.ndarray, domains: list[str], w: float, src: str, same: bool = False) -> None:
        d = np.zeros(len(codes))
        for c in domains:
            node = taxonomy.ancestor_at(c, LEVEL) or taxonomy[c]
            d[codes.index(node.code)] += 1.0 / len(domains)
        texts.append(text)
        off.append(office)
        dom.append(d)
        weight.append(w)
        source.append(src)
        group.append(group[-1] if same else len(group))

    for r in _jsonl(data / "csldcp" / "train.jsonl"):
        d = mapping.disciplines.get(r["label"])
        if d is not None and d.technical:
            add(r["content"], mapping.office_shares(r["label"]), list(d.domains), 1.0, "csldcp/train")
            if lead_weight > 0:  # its first sentence too, so short texts of every office are seen
                add(r["content"].split("。")[0][:60], mapping.office_shares(r["label"]), list(d.domains), lead_weight,
                    "csldcp/train first sentences", same=True)
    path = data / "csl_categories" / "train.jsonl"
    if path.exists() and category_weight > 0:
        for r in _jsonl(path):
            if r["category"] in mapping.categories:
                add(r["title"], mapping.office_shares(r["category"]), list(mapping.categories[r["category"]].domains),
                    category_weight, "csl_categories/train")
    for node in taxonomy:
        if node.level < LEVEL:
            continue
        area = offices.area_for([n.code for n in taxonomy.path(node.code)])
        if area is None:
            continue
        office = np.zeros(len(names))
        office[names.index(area.office)] = 1.0
        add(taxonomy.label_text(node.code), office, [node.code], taxonomy_weight, "taxonomy")
    return TrainingSet(texts, np.array(off), np.array(dom), np.array(weight), source, group)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.fit_router", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=ROUTER)
    parser.add_argument("--C", type=float, default=10.0)
    parser.add_argument("--max-features", type=int, default=30_000)
    parser.add_argument("--taxonomy-weight", type=float, default=TAXONOMY_WEIGHT)
    parser.add_argument("--category-weight", type=float, default=CATEGORY_WEIGHT)
    parser.add_argument("--lead-weight", type=float, default=LEAD_WEIGHT)
    parser.add_argument("--target-auto-accuracy", type=float, default=TARGET_AUTO_ACCURACY)
    args = parser.parse_args(argv)
    from api.io.resources import write_router

    taxonomy = read_taxonomy(DEFAULT_TAXONOMY)
    offices = read_offices(DEFAULT_OFFICES, taxonomy)
    mapping = read_disciplines(DEFAULT_DISCIPLINES, offices, taxonomy)
    data = training_set(args.data, mapping, taxonomy, offices, args.taxonomy_weight, args.category_weight,
                        args.lead_weight)
    started = time.perf_counter()
    router = TextRouter(mapping.offices, [n.code for n in taxonomy.at_level(LEVEL)], tokenizer=Tokenizer(),
                        C_office=args.C, C_domain=args.C, max_features=args.max_features,
                        target_auto_accuracy=args.target_auto_accuracy)
    router.fit(data.texts, data.offices, data.domains, data.weight, data.group,
               demand_like=[s == "csldcp/train" for s in data.source])
    seconds = time.perf_counter() - started
    counts = {s: data.source.count(s) for s in dict.fromkeys(data.source)}
    write_router(router, args.out, {"training": {"rows": counts, "seconds": round(seconds, 1),
                                                 "oof_office_accuracy": round(router.oof_accuracy_, 4),
                                                 "oof_abstract_office_accuracy": round(router.oof_demand_accuracy_, 4),
                                                 "command": "python -m models.fit_router --data ../shared/data "
                                                            f"--C {args.C} --max-features {args.max_features} "
                                                            f"--taxonomy-weight {args.taxonomy_weight} "
                                                            f"--category-weight {args.category_weight} "
                                                            f"--lead-weight {args.lead_weight} "
                                                            f"--target-auto-accuracy {args.target_auto_accuracy}",
                                                 "mapping": "corpora/taxonomy/disciplines.yaml",
                                                 "taxonomy": taxonomy.name}})
    size = sum(p.stat().st_size for p in args.out.iterdir()) / 1e6
    print(f"rows {counts}; fit {seconds:.0f}s; out-of-fold office accuracy {router.oof_accuracy_:.3f}; "
          f"temperature {router.temperature_:.2f}; human threshold {router.office_threshold_:.3f} "
          f"(auto accuracy ≥ {router.target_auto_accuracy} out of fold); {size:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
