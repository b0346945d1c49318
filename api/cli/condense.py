"""``jiebang condense``: condensation (梳理凝练) of a round from the command line (same calls as HTTP).

    jiebang condense [--batch 第一批 ...] [--groups N | --similarity 0.6] [--refit] [--seed 0]
                     [--export 凝练.xlsx] [--json 凝练.json]
    jiebang condense --list | --show C0003 | --common
    jiebang condense --rename C0003 名称 | --lock C0003 | --unlock C0003 | --move 17 C0003 | --move 17 none
                     | --merge C0004 C0003 (C0004 into C0003) | --split C0003 17 18 ...

A run keeps staff edits (moves, merges, splits, locks, names) and cluster keys from earlier runs.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from api.cli.common import EXIT_OK, EXIT_USAGE, Context, fail, non_negative_int, positive_int, say, share
from api.services.condense import UNCLUSTERED_ZH

STAGE_ZH = {"embed": "向量化 embedding", "cluster": "聚类 clustering", "keywords": "关键词 keywords",
            "clusters": "类画像 profiles"}


class _Bar:
    """A tqdm bar per stage of the run, on a terminal only."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar: Any = None
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=STAGE_ZH.get(stage, stage), leave=False, disable=None)
        if self.bar is not None:
            self.bar.n = done
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def cmd_condense(ctx: Context, args: argparse.Namespace) -> int:
    session, _campaign = ctx.open()
    cond = ctx.services.condensation
    report = ctx.services.round_report
    with session:
        if _edit(ctx, session, args):
            return EXIT_OK
        if args.list or args.common:
            rows = cond.common_problems(session) if args.common else cond.clusters(session)
            if not rows:
                say("还没有凝练结果或没有符合条件的类：请先运行 jiebang condense。",
                    "No clusters (yet): run `jiebang condense` first.")
            for c in rows:
                _print_cluster(c)
            return EXIT_OK
        if args.show:
            row, members = cond.cluster(session, args.show)
            say(f"{row.key} {row.name or row.title}（{len(members)} 条）", f"{row.key}: {len(members)} demands")
            say(f"  关键词：{'、'.join(row.keywords or [])}")
            say(f"  摘要：{row.summary}")
            for m, d in members:
                say(f"  #{d.id} {d.enterprise.name}：{d.title}  → {m.title}")
            return EXIT_OK
        bar = _Bar(not args.quiet)
        try:
            result = cond.run(session, batches=args.batch, n_groups=args.groups, min_similarity=args.similarity,
                              refit=args.refit, seed=args.seed, actor=args.actor, progress=bar)
        finally:
            bar.close()
        say(f"凝练完成（{'重新聚类' if result['mode'] == 'refit' else '增量更新'}）：{result['demands']} 条需求，"
            f"{result['clusters']} 个类，{UNCLUSTERED_ZH} {result['unclustered']} 条。",
            f"Condensed ({result['mode']}): {result['demands']} demands, {result['clusters']} clusters, "
            f"{result['unclustered']} unclustered.")
        common = cond.common_problems(session)
        say(f"共性技术问题（≥3 家不同企业，一致性不低于 {result.get('common_floor', 0):.2f}）：{len(common)} 个。",
            f"Common problems (3+ distinct enterprises, coherence ≥ {result.get('common_floor', 0):.2f}): {len(common)}.")
        print_unclustered_by_office(result)
        for c in common[:10]:
            _print_cluster(c)
        if args.export:
            path = Path(args.export)
            path.parent.mkdir(parents=True, exist_ok=True)
            sheets = report.excel(session, path)
            say(f"凝练报告已写入 {path}（工作表：{'、'.join(sheets)}）。", f"Report written to {path}.")
        if args.json:
            path = Path(args.json)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report.json(session), ensure_ascii=False, indent=1, default=str),
                            encoding="utf-8")
            say(f"JSON 已写入 {path}。", f"JSON written to {path}.")
    return EXIT_OK


def _edit(ctx: Context, session: Any, args: argparse.Namespace) -> bool:
    """Apply a staff edit given on the command line; False when there is none."""
    cond, actor = ctx.services.condensation, args.actor
    if args.rename:
        row = cond.rename(session, args.rename[0], args.rename[1], actor)
        say(f"已命名：{row.key} → {row.name}", f"Renamed {row.key}.")
    elif args.lock or args.unlock:
        row = cond.lock(session, args.lock or args.unlock, bool(args.lock), actor)
        say(f"{row.key} 已{'锁定' if row.locked else '解锁'}。", f"{row.key} {'locked' if row.locked else 'unlocked'}.")
    elif args.move:
        demand, key = args.move
        if not demand.isdigit():
            fail(f"需求系统编号应为整数：{demand}", f"demand id must be a number: {demand}")
            sys.exit(EXIT_USAGE)
        target = None if key.lower() in {"none", "未归类"} else key
        cond.move(session, int(demand), target, actor)
        say(f"需求 {demand} 已移入 {target or UNCLUSTERED_ZH}。", f"Demand {demand} moved to {target or 'unclustered'}.")
    elif args.merge:
        if len(args.merge) < 2:
            fail("合并需要至少两个类编号：前面的并入最后一个。", "merge needs two or more keys: the others go into the last.")
            sys.exit(EXIT_USAGE)
        row = cond.merge(session, args.merge[:-1], args.merge[-1], actor)
        say(f"已合并到 {row.key}。", f"Merged into {row.key}.")
    elif args.split:
        key, ids = args.split[0], args.split[1:]
        if not ids or not all(i.isdigit() for i in ids):
            fail("拆分需要类编号和至少一个需求系统编号。", "split needs a cluster key and demand ids.")
            sys.exit(EXIT_USAGE)
        row = cond.split(session, key, [int(i) for i in ids], actor)
        say(f"已拆出新类 {row.key}（{len(ids)} 条）。", f"Split into new cluster {row.key}.")
    else:
        return False
    return True


def print_unclustered_by_office(result: dict[str, Any]) -> None:
    """Each office's 未归类 demands out of its demands (no office's demands may vanish there unseen)."""
    by_office = "、".join(f"{o} {v['unclustered']}/{v['demands']}" for o, v in result.get("unclustered_by_office", {}).items())
    say(f"各处室{UNCLUSTERED_ZH}：{by_office}", f"Unclustered per office: {by_office}")


def _print_cluster(c: dict[str, Any]) -> None:
    s = c["stats"]
    coherence = f"{c['coherence']:.2f}" if c.get("coherence") is not None else "待重算"
    say(f"  {c['key']} [{c['office'] or '-'}] {c['name']}：{c['size']} 条，{s.get('enterprises', 0)} 家企业"
        f"（不同企业 {s.get('distinct_enterprises', s.get('enterprises', 0))}），一致性 {coherence}，"
        f"计划投入 {s.get('investment', 0):g} 万元；关键词 {'、'.join(c['keywords'][:5])}")


def add_parsers(sub: Any) -> None:
    """Register ``jiebang condense`` on the CLI's sub-command parser."""
    p = sub.add_parser("condense", help="梳理凝练：聚类、关键词、发榜名称、共性问题、报告 / condense a round")
    p.add_argument("--batch", action="append", help="只凝练某批次（可重复）/ only this batch (repeatable)")
    knob = p.add_mutually_exclusive_group()
    knob.add_argument("--groups", type=positive_int, help="大约分成 N 类 / about N groups")
    knob.add_argument("--similarity", type=share, help="同类需求的最低相似度（0–1）/ similar at least s")
    p.add_argument("--refit", action="store_true", help="重新聚类（保留人工调整）/ re-cluster, keeping staff edits")
    p.add_argument("--seed", type=non_negative_int, default=0, help="随机种子 / seed")
    p.add_argument("--export", help="凝练报告 Excel 文件 / write the round report (.xlsx)")
    p.add_argument("--json", help="凝练结果 JSON 文件 / write the report as JSON")
    show = p.add_mutually_exclusive_group()
    show.add_argument("--list", action="store_true", help="列出已有的类 / list the clusters")
    show.add_argument("--common", action="store_true", help="列出共性技术问题 / list the common problems")
    show.add_argument("--show", metavar="KEY", help="查看一个类 / show one cluster")
    show.add_argument("--rename", nargs=2, metavar=("KEY", "NAME"), help="给类命名 / name a cluster")
    show.add_argument("--lock", metavar="KEY", help="锁定类的成员 / lock a cluster's members")
    show.add_argument("--unlock", metavar="KEY", help="解锁 / unlock")
    show.add_argument("--move", nargs=2, metavar=("DEMAND", "KEY"), help="把需求移入某类（none 为未归类）/ move a demand")
    show.add_argument("--merge", nargs="+", metavar="KEY", help="合并：前面的类并入最后一个 / merge into the last key")
    show.add_argument("--split", nargs="+", metavar="ARG", help="拆分：类编号 + 需求系统编号 / KEY DEMAND_ID ...")
    p.add_argument("--actor", default="cli", help="操作人（写入审计日志）/ who, for the audit log")
    p.set_defaults(func=cmd_condense)
