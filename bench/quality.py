"""Quality and speed benchmark runner.

    python -m bench.quality --data ../shared/data --split dev [--tasks sts cluster] [--json out.json]

Each task is a function ``run(ctx) -> list[Row]`` registered in :data:`TASKS` by import path,
so a task whose optional dependencies are missing does not stop the others. A task whose
files are absent is skipped with the reason printed.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

from api.compose import load_settings
from bench.common import Context, Row, TaskSkipped, format_table

# task name -> "module:function"; later issues add their tasks here.
TASKS: dict[str, str] = {
    "tokenize": "bench.tokenize_bench:run",
    "sts": "bench.embedding_bench:run_sts",
    "cluster": "bench.cluster_bench:run",
    "classify": "bench.classify_bench:run",
    "routing": "bench.routing_bench:run",  # dataset csl-round: office-first routing through the service (#19)
    "speed": "bench.embedding_bench:run_speed",
    "dup": "bench.dup_bench:run",
    "experts": "bench.expert_bench:run_experts",
    "assign": "bench.expert_bench:run_assign",
    "keywords": "bench.condense_bench:run_keywords",
    "title": "bench.condense_bench:run_title",
    "condense-speed": "bench.condense_speed:run",  # rows: task speed, dataset condense-5k
    "condense-speed-50k": "bench.condense_speed:run_50k",  # rows: task speed, dataset condense-50k
    "console": "bench.console_bench:run",
    "round": "bench.round_bench:run",  # dataset csl-round: a staff-shaped round condensed by the service
    "scan": "bench.scan_bench:run",  # 推荐清单 QR codes through degraded scans (#22)
    "import-speed": "bench.import_speed:run",  # rows: task speed, dataset import-50k (#21)
}


def run_tasks(ctx: Context, names: list[str]) -> tuple[list[Row], dict[str, str]]:
    """Run the named tasks; return their rows and ``{task: reason}`` for the skipped ones."""
    rows: list[Row] = []
    skipped: dict[str, str] = {}
    for name in names:
        module_name, func_name = TASKS[name].split(":")
        started = time.perf_counter()
        try:
            func = getattr(importlib.import_module(module_name), func_name)
            task_rows = func(ctx)
        except TaskSkipped as exc:
            skipped[name] = str(exc)
            print(f"[skip] {name}: {exc}", file=sys.stderr)
            continue
        rows.extend(task_rows)
        print(f"[done] {name}: {len(task_rows)} rows in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return rows, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=load_settings().data_dir,
                        help="data root with <task>/<split>.jsonl (default: $JIEBANG_DATA or ../shared/data)")
    parser.add_argument("--split", default="dev", help="split name: dev or test")
    parser.add_argument("--tasks", nargs="*", default=list(TASKS), choices=list(TASKS), metavar="TASK",
                        help=f"tasks to run (default all: {', '.join(TASKS)})")
    parser.add_argument("--json", type=Path, help="write the rows as JSON to this file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", type=Path, default=Path("var/bench-cache"))
    parser.add_argument("--no-reference", action="store_true", help="skip the reference transformer")
    parser.add_argument("--systems", nargs="*", metavar="SYSTEM",
                        help="only these systems where a task compares several (classify; default all)")
    args = parser.parse_args(argv)

    ctx = Context(data=args.data, split=args.split, seed=args.seed, cache_dir=args.cache_dir,
                  reference=not args.no_reference, options={"systems": args.systems} if args.systems else {})
    rows, skipped = run_tasks(ctx, args.tasks)
    print(format_table(rows) if rows else "no rows")
    for name, reason in skipped.items():
        print(f"skipped {name}: {reason}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"split": args.split, "rows": [r.to_json() for r in rows],
                                         "skipped": skipped}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
