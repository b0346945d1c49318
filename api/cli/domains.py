"""``jiebang domains``: technology-domain suggestions and office routing from the command line.

    jiebang domains [--batch 第一批] [--limit 3] [--threshold 0.5] [--level 2] [--export 领域.xlsx] [--json]
    jiebang domains --confirm 17 5010 [--note 备注]      # confirm or correct demand 17's domain (a taxonomy code)
    jiebang domains --taxonomy                          # list the taxonomy's top two levels

Suggestions never change a demand; a staff decision routes it to the office that owns the domain.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from api.cli.common import EXIT_OK, EXIT_USAGE, Context, fail, positive_int, say, share
from api.io.writers import write_excel
from api.services.domains import EXPORT_COLUMNS, SHEET_NAME


def cmd_domains(ctx: Context, args: argparse.Namespace) -> int:
    session, _campaign = ctx.open()
    labels = ctx.services.domains
    with session:
        if args.taxonomy:
            for node in labels.taxonomy:
                if node.level <= 2:
                    say(f"{'  ' * (node.level - 1)}{node.code} {node.name}")
            return EXIT_OK
        if args.confirm:
            demand, code = args.confirm
            if not demand.isdigit():
                fail(f"需求系统编号应为整数：{demand}", f"demand id must be a number: {demand}")
                return EXIT_USAGE
            out = labels.decide(session, int(demand), code, args.actor, note=args.note)
            kind = "确认" if out["decision"] == "confirm" else "更正"
            say(f"已{kind}：需求 {demand} 的技术领域为 {out['code']} {out['name']}，归口 {out['office']}。",
                f"Recorded ({out['decision']}): demand {demand} → {out['code']}, office {out['office']}.")
            return EXIT_OK
        rows = labels.suggest_round(session, batch=args.batch, limit=args.limit, threshold=args.threshold,
                                    level=args.level)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            print_summary(rows)
        if args.export:
            path = Path(args.export)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_excel({SHEET_NAME: [dict.fromkeys(EXPORT_COLUMNS) | r for r in labels.export_rows(session, rows)]},
                        path)
            say(f"领域建议已导出到 {path}。", f"Domain suggestions exported to {path}.")
    return EXIT_OK


def print_summary(rows: list[dict[str, Any]]) -> None:
    """Counts per suggested office, how many need a human, and the least confident few."""
    human = [r for r in rows if r["routing"]["needs_human"]]
    say(f"技术领域建议：{len(rows)} 条需求，{len(human)} 条需人工判断（低置信度或跨领域，交统筹处室）。",
        f"Domain suggestions: {len(rows)} demands, {len(human)} need a human.")
    for office, n in Counter(r["routing"]["office"] for r in rows).most_common():
        say(f"  {office}: {n}")
    for r in human[:5]:
        top = r["suggestion"]["labels"][0] if r["suggestion"]["labels"] else None
        if top:
            say(f"  #{r['demand_id']} {top['code']} {top['name']} {top['probability']:.2f}：{r['routing']['reason']}")


def add_parsers(sub: Any) -> None:
    """Register ``jiebang domains`` on the CLI's sub-command parser."""
    p = sub.add_parser("domains", help="技术领域建议、确认与更正、归口处室 / domain labels and office routing")
    p.add_argument("--batch", help="只看某一批次 / only this batch")
    p.add_argument("--limit", type=positive_int, default=3, help="每条需求建议几个领域 / labels per demand")
    p.add_argument("--threshold", type=share, help="低于此概率则不作判断（交人工）/ abstain below this probability")
    p.add_argument("--level", type=positive_int, help="建议的层级（默认 2）/ taxonomy level (default 2)")
    p.add_argument("--export", help="导出 Excel（前三个领域及概率、处室、是否需人工）/ write an .xlsx")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 / print JSON")
    p.add_argument("--confirm", nargs=2, metavar=("DEMAND", "CODE"), type=str,
                   help="确认或更正某需求的领域（分类代码）/ confirm or correct a demand's domain")
    p.add_argument("--note", help="备注 / note")
    p.add_argument("--taxonomy", action="store_true", help="列出分类体系前两层 / list the taxonomy")
    p.add_argument("--actor", default="cli", help="操作人（写入审计日志）/ who, for the audit log")
    p.set_defaults(func=cmd_domains)
