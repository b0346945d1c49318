"""Task ``routing``, dataset ``csl-round``: office routing of a round of technical demands, through the service.

The technical rows of csl/{split}.jsonl (disciplines ``technical: true`` in corpora/taxonomy/disciplines.yaml)
become demands by the ``round`` benchmark's builder (:func:`bench.csl_round.build_round`: title → 需求名称,
abstract → 需求描述, invented enterprises); the filed 技术领域 is the area of the discipline's office, except
wrong (another area) for 15% and blank for 10% (seeded). The right office of a demand is its discipline's
primary office in the mapping file. The round is
imported into a fresh SQLite home and routed by the real service (``build_services(...).domains``), with no
staff label: day one.

Metrics: ``office_top_acc`` (the model's first office is right, whether or not a human is asked),
``office_auto_acc`` (right among demands routed without a human), ``human_share`` (sent to the coordinating
office), ``ece_office`` (15-bin expected calibration error of the first office's probability).
Systems: ``jiebang`` (the service); ``filed-area`` (the filed area alone: blank goes to a human, confidence 1);
``tfidf-char`` (logistic regression, C=10, on character 1–3-gram TF-IDF of the router's public training rows,
:func:`models.fit_router.training_set`, the same human threshold).
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from bench.classify_bench import ece
from bench.common import Context, Row, TaskSkipped, read_jsonl
from bench.csl_round import build_round, discipline_offices

TASK, DATASET = "routing", "csl-round"


def _metrics(top: list[str], conf: np.ndarray, human: np.ndarray, gold: list[str]) -> dict[str, float]:
    right = np.array([t == g for t, g in zip(top, gold)])
    auto = ~human
    prob = np.stack([conf, 1 - conf], axis=1)  # ece() reads the top-1 column; class 0 = "the first office"
    return {"office_top_acc": float(right.mean()),
            "office_auto_acc": float(right[auto].mean()) if auto.any() else float("nan"),
            "human_share": float(human.mean()),
            "ece_office": ece(prob, np.where(right, 0, 1))}


def run(ctx: Context) -> list[Row]:
    from api.compose import build_services, load_settings
    from api.io.taxonomy_files import DEFAULT_DISCIPLINES, read_disciplines, read_offices, read_taxonomy
    from api.services.imports import import_demands
    from models.fit_router import training_set
    from bench.embedding_bench import _tfidf_char

    path = ctx.split_file("csl")
    settings = load_settings()
    taxonomy = read_taxonomy(settings.taxonomy_dir / f"{settings.domain_taxonomy}.json")
    offices = read_offices(settings.taxonomy_dir / "offices.yaml", taxonomy)
    mapping = read_disciplines(DEFAULT_DISCIPLINES, offices, taxonomy)
    area_of = {a.office: a.area for a in offices.areas}
    demands = build_round(read_jsonl(path), ctx.seed, disciplines=discipline_offices(mapping, offices))
    rows, gold = [d.row for d in demands], [d.office for d in demands]
    if not rows:
        raise TaskSkipped(f"no technical rows in {path}")
    out: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="jiebang-routing-") as tmp:
        home = Path(tmp)
        data = home / "round.jsonl"
        data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        services = build_services(load_settings(home=home))
        threshold = services.domains.office_threshold
        with services.session() as session:
            report = import_demands(session, services.campaign, data, actor="bench", steps=())
            if report.new != len(rows):
                raise RuntimeError(f"csl-round: {report.new} of {len(rows)} demands stored ({report.rejected[:3]})")
            started = time.perf_counter()
            result = services.domains.suggest_round(session)
            seconds = time.perf_counter() - started
            from api.store import tables as db
            by_ext = {session.get(db.Demand, r["demand_id"]).external_id: r for r in result}
        services.close()
    ordered = [by_ext[r["需求编号"]]["routing"] for r in rows]
    top = [r["candidates"][0]["office"] if r["candidates"] else r["office"] for r in ordered]
    conf = np.array([r["candidates"][0]["probability"] if r["candidates"] else 0.0 for r in ordered])
    human = np.array([r["needs_human"] for r in ordered])
    systems = {"jiebang": _metrics(top, conf, human, gold)}
    print(f"  routing/csl-round jiebang: {len(rows)} demands routed in {seconds:.1f}s", file=sys.stderr)

    office_of_area = {a: o for o, a in area_of.items()}
    filed = [office_of_area.get(r["技术领域"], "") for r in rows]
    systems["filed-area"] = _metrics(filed, np.where([bool(f) for f in filed], 1.0, 0.0),
                                     np.array([not f for f in filed]), gold)

    train = training_set(ctx.data, mapping, taxonomy, offices)
    texts = [r["需求名称"] + "。" + r["需求描述"] for r in rows]
    vec = _tfidf_char(train.texts)
    with threadpool_limits(1):
        model = LogisticRegression(C=10.0, max_iter=2000).fit(vec.transform(train.texts), train.offices.argmax(1),
                                                              sample_weight=train.weight)
        p = model.predict_proba(vec.transform(texts))
    best = p.argmax(1)
    tf_top = [mapping.offices[model.classes_[j]] for j in best]
    tf_conf = p.max(1)
    systems["tfidf-char"] = _metrics(tf_top, tf_conf, tf_conf < threshold, gold)
    for name, values in systems.items():
        for metric, value in values.items():
            out.append(Row(TASK, DATASET, name, metric, value))
    out.append(Row(TASK, DATASET, "jiebang", "seconds", seconds))
    return out


__all__ = ["run"]
