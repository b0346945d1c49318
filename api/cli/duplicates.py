"""``jiebang dedup``: batch de-duplication of a round from the command line (same calls as HTTP).

    jiebang dedup [--batch 第一批] [--min-verdict near_duplicate] [--export groups.xlsx] [--json]
    jiebang dedup --confirm 12 15 | --dismiss 12 15 [--note 备注]

Prints the duplicate groups (canonical demand first) and optionally writes them to Excel.
Enterprise signals are never printed here; the group list carries ids, titles and scores only.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from api.cli.common import EXIT_OK, Context, positive_int, say
from api.io.writers import write_excel
from api.services.dedup_runs import SHEET_NAME, VERDICT_ZH


def cmd_dedup(ctx: Context, args: argparse.Namespace) -> int:
    session, _campaign = ctx.open()
    runs = ctx.services.dedup_runs
    with session:
        pair = args.confirm or args.dismiss
        if pair:
            decision = "confirm" if args.confirm else "dismiss"
            ctx.services.duplicates.decide(session, pair[0], pair[1], decision, note=args.note, actor=args.actor)
            say(f"已记录：需求 {pair[0]} 与 {pair[1]} {'确认重复' if args.confirm else '不是重复'}。",
                f"Recorded: {pair[0]} / {pair[1]} {decision}.")
            return EXIT_OK
        result = runs.run(session, batch=args.batch, min_verdict=args.min_verdict, actor=args.actor)
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=1))
        else:
            say(f"查重完成：{result['demands']} 条需求，{len(result['groups'])} 组疑似重复。",
                f"De-duplication done: {result['demands']} demands, {len(result['groups'])} groups.")
            for n, row in _grouped(runs.export_rows(session, result)):
                say(f"第 {n} 组 / group {n}:")
                for r in row:
                    keep = "保留 keep" if r["建议保留"] == "是" else VERDICT_ZH.get(r["verdict"], r["verdict"])
                    say(f"  #{r['系统编号']} [{keep}] {r['企业名称']}：{r['需求名称']}")
        if args.export:
            path = Path(args.export)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_excel({SHEET_NAME: runs.export_rows(session, result)}, path)
            say(f"分组已导出到 {path}。", f"Groups exported to {path}.")
    return EXIT_OK


def _grouped(rows: list[dict[str, Any]]) -> list[tuple[int, list[dict[str, Any]]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["组号"], []).append(r)
    return sorted(out.items())


def add_parsers(sub: Any) -> None:
    """Register ``jiebang dedup`` on the CLI's sub-command parser."""
    p = sub.add_parser("dedup", help="批量查重、确认或排除疑似重复 / batch de-duplication and decisions")
    p.add_argument("--batch", help="只查某一批次（默认整轮）/ only this batch (批次)")
    p.add_argument("--min-verdict", choices=["duplicate", "near_duplicate", "related"], default="near_duplicate",
                   help="成组的最低结论 / lowest verdict that links two demands")
    p.add_argument("--export", help="导出分组到 Excel / write the groups to this .xlsx file")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 / print JSON")
    decide = p.add_mutually_exclusive_group()
    decide.add_argument("--confirm", nargs=2, type=positive_int, metavar=("A", "B"), help="确认两条需求重复 / confirm a pair")
    decide.add_argument("--dismiss", nargs=2, type=positive_int, metavar=("A", "B"),
                        help="排除（不是重复，今后不再提示）/ dismiss a pair for good")
    p.add_argument("--note", help="决定的备注 / note for the decision")
    p.add_argument("--actor", default="cli", help="操作人（写入审计日志）/ who, for the audit log")
    p.set_defaults(func=cmd_dedup)
