"""``jiebang bangdan``: the 榜单 draft (发榜清单草稿) from the command line (same calls as HTTP).

    jiebang bangdan --mark C0003 | --mark-demand 17          # 拟发榜: a draft entry from the members' fields
    jiebang bangdan --list [--office 高新处] | --show 3        # entries; one entry with its versions
    jiebang bangdan --edit 3 FIELD VALUE [--version 2]        # FIELD: name units content indicators requirements
                                                            #        deliverables investment deadline
    jiebang bangdan --withdraw 3
    jiebang bangdan --docx 榜单.docx [--office 高新处] | --excel 榜单.xlsx [--office 高新处]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from api.cli.common import EXIT_OK, EXIT_USAGE, Context, fail, positive_int, say
from nlp.bangdan import EDITABLE, FIELDS, field_text


def cmd_bangdan(ctx: Context, args: argparse.Namespace) -> int:
    session, _campaign = ctx.open()
    bd = ctx.services.bangdan
    with session:
        if args.mark:
            _print(bd.mark_cluster(session, args.mark, args.actor))
        elif args.mark_demand:
            _print(bd.mark_demand(session, args.mark_demand, args.actor))
        elif args.show:
            entry = bd.entry(session, args.show)
            _print(entry, full=True)
            for v in entry["versions"]:
                say(f"    v{v['version']} {v['at']} {v['actor']}：{'、'.join(v['changed'])}")
        elif args.edit:
            entry_id, field, value = args.edit
            if not entry_id.isdigit() or field not in EDITABLE:
                fail(f"用法：--edit 条目编号 字段 新值（字段：{' '.join(sorted(EDITABLE))}）",
                     "usage: --edit ENTRY FIELD VALUE")
                return EXIT_USAGE
            parsed: Any = value
            if field in ("indicators", "investment") and value.strip().startswith(("[", "{")):
                parsed = json.loads(value)
            _print(bd.edit(session, int(entry_id), {field: parsed}, args.actor, expected_version=args.version), full=True)
        elif args.withdraw:
            entry = bd.withdraw(session, args.withdraw, args.actor)
            say(f"条目 {entry['id']} 已撤回（v{entry['version']}）。", f"Entry {entry['id']} withdrawn.")
        elif args.docx or args.excel:
            path = Path(args.docx or args.excel)
            path.parent.mkdir(parents=True, exist_ok=True)
            data = bd.docx(session, args.office) if args.docx else bd.excel(session, args.office)
            path.write_bytes(data)
            n = len(bd.entries(session, args.office))
            say(f"榜单草稿已写入 {path}（{n} 条）。", f"榜单 draft written to {path} ({n} entries).")
        else:
            rows = bd.entries(session, args.office)
            if not rows:
                say("还没有拟发榜的条目：用 --mark 类编号 或 --mark-demand 需求编号。",
                    "No entries yet: mark a cluster (--mark) or a demand (--mark-demand).")
            for entry in rows:
                _print(entry)
    return EXIT_OK


def _print(entry: dict[str, Any], full: bool = False) -> None:
    c = entry["content"]
    origin = entry["cluster"] or f"需求 {entry['demand_id']}"
    say(f"  [{entry['id']}] {c.get('name')}（{origin}，{entry['office'] or '-'}，v{entry['version']}）"
        f"：{len(c.get('units') or [])} 家单位，{len(c.get('indicators') or [])} 项指标，{field_text(c, 'investment')} 万元")
    if full:
        for field, label in FIELDS[1:]:
            say(f"    {label}：{field_text(c, field)}")


def add_parsers(sub: Any) -> None:
    """Register ``jiebang bangdan`` on the CLI's sub-command parser."""
    p = sub.add_parser("bangdan", help="榜单草稿：拟发榜、编辑（留版本）、导出 Word/Excel / the 榜单 draft")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--mark", metavar="KEY", help="类拟发榜 / mark a cluster")
    what.add_argument("--mark-demand", type=positive_int, metavar="DEMAND", help="单条需求拟发榜 / mark one demand")
    what.add_argument("--list", action="store_true", help="列出条目（默认）/ list the entries")
    what.add_argument("--show", type=positive_int, metavar="ENTRY", help="查看条目及版本 / one entry and its versions")
    what.add_argument("--edit", nargs=3, metavar=("ENTRY", "FIELD", "VALUE"), help="修改字段 / change a field")
    what.add_argument("--withdraw", type=positive_int, metavar="ENTRY", help="撤回拟发榜 / withdraw an entry")
    what.add_argument("--docx", metavar="FILE", help="导出 Word / write the Word document")
    what.add_argument("--excel", metavar="FILE", help="导出 Excel / write the workbook")
    p.add_argument("--office", help="归口处室（如 高新处）/ one office")
    p.add_argument("--version", type=positive_int, help="编辑时看到的版本号 / the version you edited")
    p.add_argument("--actor", default="cli", help="操作人（写入版本与审计日志）/ who, for versions and the audit log")
    p.set_defaults(func=cmd_bangdan)
