"""Fit the shipped routing model (``models/router``) from public labelled text.

    nice -n 10 python -m models.fit_router --data ../shared/data [--out models/router]

Training rows (train splits only; no dev or test row):
- csldcp/train.jsonl abstracts of the technical disciplines, labelled through
  ``corpora/taxonomy/disciplines.yaml`` (offices with their shares, level-2 domains), and each one's first
  sentence as a title-like row (weight 0.5, same cross-validation fold as its abstract);
- the taxonomy's own level-2 and level-3 nodes (name + description + parents' names), each labelled with
  the office ``offices.yaml`` gives it and its level-2 ancestor (weight 3);
- csl_categories/train.jsonl titles of the four technical categories (weight 0.2, ``--category-weight``),
  so a short text is read for its words, not its length. A title is labelled only with its category; its
  targets are half the category's (农学/医学 one office, 工学/理学 the office mix of their disciplines, in
  the mapping file) and half those of the discipline a first model — logistic regression on the labelled
  abstracts' TF-IDF — scores highest among the category's disciplines (``corpora/taxonomy/csl_disciplines.yaml``,
  :func:`matching.coarse_labels.pseudo_labels`; ``--pseudo-share``): the office share and the level-2 domains
  of that discipline. Not kept (#19): out of fold (human share at 0.95 automatic accuracy, 100 simulated
  filed-area draws pooled) it helped on three fold splits (-0.013 to -0.019) and hurt on three (+0.013 to
  +0.018) against the category's targets alone: no real gain.
Features are the router's own TF-IDF (words + characters), not the static encoder's vectors: the encoder
was fine-tuned on csldcp/train and csl_categories/train, so a model stacked on its vectors over the same
texts would learn to trust a view that memorised them.
"""
from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from api.io.taxonomy_files import DEFAULT_DISCIPLINES, DEFAULT_OFFICES, DEFAULT_TAXONOMY, read_disciplines, \
    read_offices, read_taxonomy
from matching.coarse_labels import coarse_targets, pseudo_labels
from matching.disciplines import DisciplineMap
from matching.office_model import TextRouter
from matching.routing import Offices
from matching.taxonomy import Taxonomy
from models import ROUTER
from nlp.lexical import LexicalVectorizer
from nlp.tokenize import Tokenizer

CATEGORY_WEIGHT = 0.2  # a csl_categories title (农学/医学 one office, 工学/理学 a mix) counts this much
TARGET_AUTO_ACCURACY = 0.95  # what automatic routing must reach on the training folds (sets the human threshold)
PSEUDO_SHARE = 0.5  # a category title's targets: this much its pseudo-labelled discipline's, the rest its category's
CATEGORY_TAXONOMY = DEFAULT_TAXONOMY.parent / "csl_disciplines.yaml"  # the 13 categories over the 67 disciplines
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


def title_disciplines(abstracts: Sequence[str], labels: Sequence[str], titles: Sequence[str],
                      categories: Sequence[str], parents: Taxonomy, tokenizer: Tokenizer | None = None) -> list[str]:
    """Each title's discipline: the one a first model fitted on the discipline-labelled ``abstracts`` scores highest
    among the disciplines ``parents`` (``csl_disciplines.yaml``) puts under the title's category."""
    vectorizer = LexicalVectorizer(min_df=2, max_features=30_000, tokenizer=tokenizer)
    x = vectorizer.fit_transform(list(abstracts) + list(titles))
    with threadpool_limits(1):
        model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000).fit(x[:len(abstracts)], labels)
        scores = model.decision_function(x[len(abstracts):])
    rows, allowed = coarse_targets(parents, list(model.classes_), 2, [f"门类·{c}" for c in categories])
    if len(rows) != len(titles):
        raise ValueError("有学科门类在学科表中没有学科 / a category has no labelled discipline under it")
    return [str(model.classes_[j]) for j in pseudo_labels(scores[rows], allowed)]


def training_set(data: Path, mapping: DisciplineMap, taxonomy: Taxonomy, offices: Offices,
                 taxonomy_weight: float = TAXONOMY_WEIGHT, category_weight: float = CATEGORY_WEIGHT,
                 lead_weight: float = LEAD_WEIGHT, pseudo_share: float = PSEUDO_SHARE,
                 tokenizer: Tokenizer | None = None) -> TrainingSet:
    """The rows described in the module docstring (what both the shipped model and bench baselines fit on)."""
    codes = [n.code for n in taxonomy.at_level(LEVEL)]
    names = list(mapping.offices)
    texts, off, dom, weight, source, group = [], [], [], [], [], []

    def domain_vector(domains: Sequence[str]) -> np.ndarray:
        d = np.zeros(len(codes))
        for c in domains:
            node = taxonomy.ancestor_at(c, LEVEL) or taxonomy[c]
            d[codes.index(node.code)] += 1.0 / len(domains)
        return d

    def add(text: str, office: np.ndarray, domains: Sequence[str] | np.ndarray, w: float, src: str,
            same: bool = False) -> None:
        d = domains if isinstance(domains, np.ndarray) else domain_vector(domains)
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
        titles = [r for r in _jsonl(path) if r["category"] in mapping.categories]
        cats = [r["category"] for r in titles]
        guess = cats
        if pseudo_share > 0:
            abstracts = [i for i, s in enumerate(source) if s == "csldcp/train"]
            labels = [r["label"] for r in _jsonl(data / "csldcp" / "train.jsonl")
                      if r["label"] in mapping.disciplines and mapping.disciplines[r["label"]].technical]
            guess = title_disciplines([texts[i] for i in abstracts], labels, [r["title"] for r in titles], cats,
                                      read_taxonomy(CATEGORY_TAXONOMY), tokenizer)
        for r, cat, disc in zip(titles, cats, guess):
            own = mapping.categories[cat]
            d = domain_vector(own.domains) if own.domains else np.zeros(len(codes))
            if pseudo_share > 0:
                d = (1 - pseudo_share) * d + (pseudo_share if own.domains else 1.0) * domain_vector(
                    mapping.disciplines[disc].domains)
            add(r["title"], (1 - pseudo_share) * mapping.office_shares(cat)
                + pseudo_share * mapping.office_shares(disc), d, category_weight, "csl_categories/train")
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
    parser.add_argument("--pseudo-share", type=float, default=PSEUDO_SHARE)
    parser.add_argument("--target-auto-accuracy", type=float, default=TARGET_AUTO_ACCURACY)
    args = parser.parse_args(argv)
    from api.io.resources import write_router

    taxonomy = read_taxonomy(DEFAULT_TAXONOMY)
    offices = read_offices(DEFAULT_OFFICES, taxonomy)
    mapping = read_disciplines(DEFAULT_DISCIPLINES, offices, taxonomy)
    data = training_set(args.data, mapping, taxonomy, offices, args.taxonomy_weight, args.category_weight,
                        args.lead_weight, args.pseudo_share, Tokenizer())
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
                                                            f"--pseudo-share {args.pseudo_share} "
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
