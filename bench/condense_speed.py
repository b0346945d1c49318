"""Task ``speed``, datasets ``condense-5k`` and ``condense-50k``: condensing a round through the service.

``condense-50k`` (task ``condense-speed-50k``): the same 5,000 texts repeated ten times with light edits
(a sentence dropped, a short sentence added, the title numbered), as a multi-year or multi-province corpus.

5,000 demands are written to a fresh SQLite store (abstracts of csl/{split} and csldcp train + dev as
需求描述, their titles or first sentences as 需求名称, 500 invented enterprises over the 14 cities and
three batches). The store is *seeded*, not imported (:func:`seed_round`): each row is validated as an
import validates it and stored with the columns and record intake stores, in one transaction, without
intake's per-row rules, audit entries and findings (the import has its own benchmark, ``import-speed``;
at 50,000 rows it would take most of an hour). Seeding is not timed. Then a *fresh process* builds the services and times what staff wait for:
``Condensation.run`` (embedding, clustering, keywords, titles, summaries, cluster profiles) plus the
round report (Excel with its charts). Metrics: ``seconds`` (run + report, model loading excluded and
reported as ``load_seconds``: the embedder, jieba, the routing model and the keyword resources) and ``peak_rss_mb`` (VmHWM of that process).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import Session

from api.compose import build_services, load_settings
from api.services.campaign import CampaignContext
from api.forms.validation import parse_record
from api.services.intake import content_hash, fill_demand, identity_of, upsert_enterprise
from api.services.updates import record_data
from api.store import tables as db
from bench.common import Context, Row, TaskSkipped, read_jsonl

N = 5000
REGIONS = ("沈阳市", "大连市", "鞍山市", "抚顺市", "本溪市", "丹东市", "锦州市", "营口市", "阜新市", "辽阳市",
           "盘锦市", "铁岭市", "朝阳市", "葫芦岛市")
BATCHES = ("第一批", "第二批", "第三批")
AREAS = ("高新技术", "新一代信息技术", "生物医药", "农业", "社会发展")

_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from api.compose import build_services, load_settings
from bench.common import peak_rss_mb as peak_mb

services = build_services(load_settings(home=Path(sys.argv[1])))
services.embedder, services.tokenizer.cut("预热"), services.condensation, services.round_report  # the models
t1 = time.perf_counter()
with services.session() as session:
    result = services.condensation.run(session, actor="bench")
    sheets = services.round_report.excel(session, Path(sys.argv[1]) / "condense.xlsx")
t2 = time.perf_counter()
print(json.dumps({"load_seconds": t1 - t0, "seconds": t2 - t1, "peak_rss_mb": peak_mb(),
                  "clusters": result["clusters"], "unclustered": result["unclustered"], "sheets": len(sheets)}))
"""


def _edited(pairs: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """``pairs`` repeated up to ``n`` with light edits in every copy after the first."""
    out = list(pairs[:n])
    r = 1
    while len(out) < n:
        for k, (title, text) in enumerate(pairs):
            if len(out) >= n:
                break
            sentences = [x for x in text.split("。") if x]
            if len(sentences) > 2:
                del sentences[(k + r) % len(sentences)]
            out.append((f"{title}（{r}）", "。".join(sentences) + f"。本需求第{r}次提出。"))
        r += 1
    return out


def _texts(ctx: Context) -> list[tuple[str, str]]:
    """(title, description) pairs: csl abstracts with their titles, then csldcp contents."""
    pairs = [(r["title"], r["abstract"]) for r in read_jsonl(ctx.split_file("csl"))]
    for name in ("train.jsonl", f"{ctx.split}.jsonl"):
        path = ctx.data / "csldcp" / name
        if path.exists():
            for r in read_jsonl(path):
                text = r["content"]
                pairs.append((text.split("。")[0][:40], text))
    if len(pairs) < N:
        raise TaskSkipped(f"condense-5k needs {N} texts, found {len(pairs)}")
    return pairs[:N]


def make_rows(pairs: list[tuple[str, str]]) -> list[dict]:
    """Flat import rows (Chinese headers) for the texts: invented enterprises, cities, batches, money."""
    rows = []
    for n, (title, text) in enumerate(pairs):
        e = n % max(500, len(pairs) // 10)
        rows.append({"需求编号": f"B-{n:05d}", "批次": BATCHES[n % 3], "初审单位": f"{REGIONS[e % 14]}科学技术局",
                     "提交时间": "2023-01-15", "企业名称": f"辽宁基准{e}号科技有限公司", "注册地区": REGIONS[e % 14],
                     "科技企业性质": "高新技术企业", "独立法人": "是", "近三年信用不良记录": "否",
                     "上年度销售收入(万元)": 8000, "上年度研发费用(万元)": 600, "需求类别": "重点需求",
                     "需求名称": title or text[:30], "技术领域": AREAS[n % 5], "需求描述": text[:1000],
                     "需求研发总投入(万元)": 400 + (n % 7) * 100})
    return rows


def seed_round(session: Session, campaign: CampaignContext, rows: list[dict], source: str = "bench") -> int:
    """Store ``rows`` as demands in bulk (benchmark seeding, not an import): validated into records as an
    import validates them, one enterprise row per enterprise, the demand columns and record exactly as
    intake fills them; no rules, findings or audit. Returns how many demands were stored."""
    records = [parse_record(r) for r in rows]
    enterprises = {}
    for record in records:
        key = identity_of(record)
        if key not in enterprises:
            enterprises[key] = upsert_enterprise(session, campaign, record)[0]
    for record in records:
        data = record_data(record)
        demand = db.Demand(findings=[])
        fill_demand(demand, campaign, record, data, content_hash(data), enterprises[identity_of(record)], source)
        session.add(demand)
    session.commit()
    return len(records)


def run(ctx: Context) -> list[Row]:
    return _run(ctx, "condense-5k", _texts(ctx))


def run_50k(ctx: Context) -> list[Row]:
    return _run(ctx, "condense-50k", _edited(_texts(ctx), 10 * N))


def _run(ctx: Context, dataset: str, pairs: list[tuple[str, str]]) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="jiebang-condense-") as tmp:
        home = Path(tmp)
        started = time.perf_counter()
        services = build_services(load_settings(home=home))
        with services.session() as session:
            stored = seed_round(session, services.campaign, make_rows(pairs))
        services.close()
        print(f"[{dataset}] seeded {stored} demands in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(home)], capture_output=True, text=True,
                              env={**os.environ}, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{dataset} child failed:\n{proc.stderr[-3000:]}")
        m = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"[{dataset}] {m}", file=sys.stderr)
    return [Row("speed", dataset, "jiebang", "seconds", float(m["seconds"])),
            Row("speed", dataset, "jiebang", "load_seconds", float(m["load_seconds"])),
            Row("speed", dataset, "jiebang", "peak_rss_mb", float(m["peak_rss_mb"]))]
