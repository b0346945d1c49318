"""Task ``round``, dataset ``csl-round``: is a condensed round something staff could publish? (issue 18)

The round is :func:`bench.csl_round.load_round` (csl/{split}.jsonl: engineering, applied-science,
medicine and agriculture papers as demands of invented enterprises), imported through the real import
(with the composition root's intake steps) into a fresh SQLite store and condensed through the real
service, as staff would. Gold topic: the paper's discipline.

Metrics (``jiebang``: what the service stored; ``kmeans``: KMeans on the same vectors, k = jiebang's
cluster count, n_init=10):
- ``largest_share``: largest cluster / clustered demands;
- ``purity``: demand-weighted share of each cluster's majority discipline (clustered demands);
- ``v_measure``: against discipline, 未归类 demands counting as singletons;
- ``mean_size``: demands per cluster; ``unclustered_share``;
- ``common_precision``: share of the 共性技术 clusters with purity ≥ 0.6 and ≥ 3 distinct enterprises
  (an enterprise group counts once);
- ``title_defects``: share of cluster titles over 30 characters, with a repeated 2+-character run, a
  dangling ending (的, 及, 影响, 研究现状), or "共性关键技术" with fewer than 3 enterprises;
- ``title_rewrites``: share of ≤ 30-character demand titles whose proposed 发榜名称 differs.
Per office, the 未归类 share is printed (no office's demands may vanish into 未归类).
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import v_measure_score

from bench.common import Context, Row, TaskSkipped
from bench.csl_round import load_round, write_round

DATASET = "csl-round"
_REPEAT = re.compile(r"(\w{2,}).*\1")
_DANGLING = ("的", "及", "影响", "研究现状", "和", "与")


def title_defect(title: str, enterprises: int) -> bool:
    """A cluster title staff could not publish as it is (the issue's definition)."""
    t = (title or "").strip()
    return (not t or len(t) > 30 or bool(_REPEAT.search(t)) or t.endswith(_DANGLING)
            or ("共性关键技术" in t and enterprises < 3))


def purity(gold: list[str], labels: list[str]) -> float:
    groups: dict[str, Counter] = {}
    for g, lab in zip(gold, labels):
        groups.setdefault(lab, Counter())[g] += 1
    total = sum(sum(c.values()) for c in groups.values())
    return sum(c.most_common(1)[0][1] for c in groups.values()) / max(total, 1)


def partition_scores(gold: list[str], labels: list[str | None]) -> dict[str, float]:
    """largest_share, purity, v_measure (unclustered as singletons), mean_size, unclustered_share."""
    clustered = [(g, lab) for g, lab in zip(gold, labels) if lab is not None]
    sizes = Counter(lab for _, lab in clustered)
    singles = [lab if lab is not None else f"\0single{i}" for i, lab in enumerate(labels)]
    return {"largest_share": max(sizes.values()) / max(len(clustered), 1) if sizes else 0.0,
            "purity": purity([g for g, _ in clustered], [lab for _, lab in clustered]) if clustered else 0.0,
            "v_measure": float(v_measure_score(gold, singles)),
            "mean_size": len(clustered) / max(len(sizes), 1),
            "unclustered_share": 1 - len(clustered) / max(len(labels), 1)}


def run(ctx: Context) -> list[Row]:
    try:
        demands = load_round(ctx.data, ctx.split, ctx.seed)
    except FileNotFoundError as exc:
        raise TaskSkipped(str(exc)) from exc
    from api.compose import build_services, load_settings
    from api.services.imports import import_demands
    from api.store import tables as db

    gold_of = {d.external_id: d.discipline for d in demands}
    true_area = {d.external_id: d.true_area for d in demands}
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="jiebang-round-") as tmp:
        home = Path(tmp)
        services = build_services(load_settings(home=home))
        try:
            with services.session() as session:
                report = import_demands(session, services.campaign, write_round(demands, home / "round.jsonl"),
                                        actor="bench", steps=services.intake_steps)
                if report.new != len(demands):
                    raise RuntimeError(f"csl-round: {report.new} of {len(demands)} stored ({report.rejected[:3]})")
                started = time.perf_counter()
                services.condensation.run(session, actor="bench", seed=ctx.seed)
                print(f"[round] condensed {len(demands)} demands in {time.perf_counter() - started:.1f}s",
                      file=sys.stderr)
                cond = services.condensation
                items = cond.items(session)
                x = cond.features(items, ctx.seed)
                member = {m.demand_id: m for m in cond._member_rows(session)}
                ext = [it.demand.external_id for it in items]
                gold = [gold_of[e] for e in ext]
                labels = [member[it.demand.id].cluster_key if it.demand.id in member else None for it in items]
                clusters = cond.clusters(session)
                common = cond.common_problems(session)
                group_of = {it.demand.id: (it.demand.enterprise.group_name or it.demand.enterprise.name) for it in items}
                disc_of = {it.demand.id: gold_of[it.demand.external_id] for it in items}
                members_of: dict[str, list[int]] = {}
                for it, lab in zip(items, labels):
                    if lab is not None:
                        members_of.setdefault(lab, []).append(it.demand.id)
                good = 0
                for c in common:
                    ids = members_of.get(c["key"], [])
                    p = purity([disc_of[i] for i in ids], ["c"] * len(ids)) if ids else 0.0
                    good += p >= 0.6 and len({group_of[i] for i in ids}) >= 3
                defects = sum(title_defect(c["title"], c["stats"].get("enterprises", 0)) for c in clusters)
                short = [(it.demand.title, member[it.demand.id].title) for it in items
                         if it.demand.id in member and len(it.demand.title or "") <= 30]
                rewrites = sum(1 for t, p in short if (p or "").strip() != (t or "").strip())
                office_total = Counter(it.demand.office or "未定" for it in items)
                office_un = Counter(it.demand.office or "未定" for it, lab in zip(items, labels) if lab is None)
                area_un = Counter(true_area[e] for e, lab in zip(ext, labels) if lab is None)
                area_total = Counter(true_area.values())
                for o in sorted(office_total):
                    print(f"[round] 未归类 {o}: {office_un[o]}/{office_total[o]}", file=sys.stderr)
                for a in sorted(area_total):
                    print(f"[round] 未归类 (true area) {a}: {area_un[a]}/{area_total[a]}", file=sys.stderr)
                dump = [{"key": c["key"], "title": c["title"], "size": c["size"], "coherence": c.get("coherence"),
                         "enterprises": c["stats"].get("enterprises"),
                         "disciplines": dict(Counter(disc_of[i] for i in members_of.get(c["key"], [])).most_common(3)),
                         "members": [next(it.demand.title for it in items if it.demand.id == i)
                                     for i in members_of.get(c["key"], [])][:8]} for c in clusters]
                ctx.cache_dir.mkdir(parents=True, exist_ok=True)
                (ctx.cache_dir / "csl-round-clusters.json").write_text(
                    json.dumps({"clusters": dump, "common": [c["key"] for c in common]}, ensure_ascii=False, indent=1),
                    encoding="utf-8")
        finally:
            services.close()

    def add(system: str, metric: str, value: float) -> None:
        rows.append(Row("round", DATASET, system, metric, float(value)))

    for metric, value in partition_scores(gold, labels).items():
        add("jiebang", metric, value)
    add("jiebang", "clusters", len(clusters))
    add("jiebang", "common_clusters", len(common))
    add("jiebang", "common_precision", good / len(common) if common else 0.0)
    add("jiebang", "title_defects", defects / max(len(clusters), 1))
    add("jiebang", "title_rewrites", rewrites / max(len(short), 1))
    k = max(len(clusters), 1)
    km = KMeans(n_clusters=k, n_init=10, random_state=ctx.seed).fit_predict(x)
    for metric, value in partition_scores(gold, [str(v) for v in km]).items():
        if metric != "unclustered_share":
            add("kmeans", metric, value)
    return rows
