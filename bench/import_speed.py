"""Task ``speed``, dataset ``import-50k``: a 50,000-row demand file imported with every intake check (rules,
identifiers, duplicates inside the file and against what is stored) into a fresh SQLite home.

The rows are invented (:mod:`corpora.demand_rows`, texts drawn from phrase lists with a seed), one in twenty a
copy of an earlier row's text under another enterprise and one in fifteen a rewording (the other rows
have descriptions of their own), so the duplicate
check has pairs to find. A *fresh process* builds the services and times :func:`api.services.imports.import_demands`
(model loading excluded, ``load_seconds``); metrics ``seconds``, ``rows_per_s`` and ``peak_rss_mb`` (VmHWM).
Then the first ``--sample`` rows (2,000) are imported as a file into one fresh home and submitted one by one
into another: ``sample_identical`` is 1 when every demand's findings (rule, severity, candidates by 需求编号)
are the same.

    python -m bench.import_speed --rows 5000 [--sample 500] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Context, Row, format_table
from corpora.demand_rows import make_row, write_jsonl

ROWS, SAMPLE = 50_000, 2_000
_FIELDS = ("风电", "光伏", "储能", "氢能", "轨道交通", "海洋工程", "精细化工", "生物制药", "智能农机", "工业软件")
_PARTS = ("主轴承", "齿轮箱", "控制芯片", "传感器", "密封件", "催化剂", "疫苗佐剂", "数控系统", "复合材料", "电解槽")
_WORK = ("精密加工", "在线检测", "寿命评估", "国产化替代", "工艺优化", "可靠性设计", "智能运维", "绿色制造")
_CHARS = ("工艺材料结构系统控制检测装置设备性能精度寿命可靠效率能耗安全智能数字模型算法数据平台集成制造加工焊接"
          "涂层热处理装配测试验证标准规范产品部件模块芯片电路传感器件电池电机驱动通信网络软件界面优化分析评估监测诊断")
_GOALS = ("解决进口依赖问题", "提高良品率至百分之九十九", "降低能耗三成", "满足极端工况要求", "形成自主知识产权")

_CHILD = r"""
import json, sys, time
from pathlib import Path
from api.compose import build_services, load_settings
from api.services.imports import import_demands
from bench.common import peak_rss_mb
t0 = time.perf_counter()
services = build_services(load_settings({}).with_home(Path(sys.argv[1])))
services.embedder.encode(["预热"]), services.tokenizer.cut("预热")
t1 = time.perf_counter()
with services.session() as session:
    report = import_demands(session, services.campaign, Path(sys.argv[2]), actor="bench", steps=services.intake_steps)
t2 = time.perf_counter()
print(json.dumps({"load_seconds": t1 - t0, "seconds": t2 - t1, "peak_rss_mb": peak_rss_mb(), "new": report.new,
                  "rejected": report.rejected_rows, "findings_by_rule": report.findings_by_rule}))
"""

_ONE_BY_ONE = r"""
import json, sys
from pathlib import Path
from api.compose import build_services, load_settings
from api.services.intake import submit_demand
services = build_services(load_settings({}).with_home(Path(sys.argv[1])))
for line in Path(sys.argv[2]).read_text(encoding="utf-8").splitlines():
    with services.session() as session:
        submit_demand(session, services.campaign, json.loads(line), actor="bench", steps=services.intake_steps)
"""


def own_description(rng: random.Random) -> str:
    """A demand description: a topic from the lists, then a description of its own (so unplanted texts rarely
    pair) — the import file's rows and the load generator's submissions alike."""
    f, p, w, g = rng.choice(_FIELDS), rng.choice(_PARTS), rng.choice(_WORK), rng.choice(_GOALS)
    own = "".join(rng.choice(_CHARS) for _ in range(rng.randrange(60, 160)))
    return f"面向{f}装备的{p}{w}关键技术研究：{own}。{g}。"


def demand_rows(n: int, seed: int = 0) -> list[dict]:
    """``n`` import rows with planted copies and rewordings (deterministic for ``seed``)."""
    rng = random.Random(seed)
    rows: list[dict] = []
    for i in range(n):
        if i > 20 and i % 20 == 7:
            text = rows[rng.randrange(i)]["需求描述"]
        elif i > 20 and i % 15 == 4:
            text = rows[rng.randrange(i)]["需求描述"].replace("研究", "攻关与示范应用")
        else:
            text = own_description(rng)
        rows.append(make_row(10_000 + i, 需求编号=f"IMP-{i:05d}", 需求描述=text, 需求名称=f"第{i}号{text[2:12]}需求"))
    return rows


def _child(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _findings(home: Path) -> dict[str, list]:
    from api.compose import build_services, load_settings
    from api.services.finding_rows import findings_by_external_id

    services = build_services(load_settings({}).with_home(home))
    try:
        with services.session() as s:
            return findings_by_external_id(s)
    finally:
        services.close()


def measure(rows: int, sample: int, seed: int = 0) -> list[Row]:
    """Import ``rows`` rows (timed, fresh process), then compare file vs one-by-one findings on ``sample`` rows."""
    data = demand_rows(rows, seed)
    dataset = f"import-{rows // 1000}k" if rows % 1000 == 0 else f"import-{rows}"
    with tempfile.TemporaryDirectory(prefix="jiebang-import-") as tmp:
        tmp_path = Path(tmp)
        got = json.loads(_child(_CHILD, str(tmp_path / "home"), str(write_jsonl(tmp_path / "all.jsonl", data))))
        out = [Row("speed", dataset, "jiebang", k, float(got[k])) for k in ("seconds", "load_seconds", "peak_rss_mb")]
        out.append(Row("speed", dataset, "jiebang", "rows_per_s", rows / got["seconds"]))
        if sample:
            part = write_jsonl(tmp_path / "sample.jsonl", data[:sample])
            _child(_CHILD, str(tmp_path / "file"), str(part))
            _child(_ONE_BY_ONE, str(tmp_path / "single"), str(part))
            identical = _findings(tmp_path / "file") == _findings(tmp_path / "single")
            out.append(Row("speed", dataset, "jiebang", "sample_identical", float(identical)))
            out.append(Row("speed", dataset, "jiebang", "sample_rows", float(sample)))
    return out


def run(ctx: Context) -> list[Row]:
    """The benchmark runner's task: 50,000 rows, a 2,000-row sample compared with one-by-one intake."""
    return measure(ROWS, SAMPLE, ctx.seed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--sample", type=int, default=SAMPLE, help="rows compared with one-by-one intake (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rows = measure(args.rows, min(args.sample, args.rows), args.seed)
    print(format_table(rows))
    if args.json:
        args.json.write_text(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
