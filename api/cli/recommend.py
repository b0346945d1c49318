"""``jiebang recommend`` (初审 and 推荐清单) and ``jiebang verify`` (a stamped scan) from the command line.

    jiebang recommend review 17 初审通过 | 退回修改 --reason … | 不予推荐 --reason …
    jiebang recommend queue [--region 沈阳市] [--batch 第一批]
    jiebang recommend compose --batch 第一批 [--region 沈阳市] [--demands 17 18]
    jiebang recommend remove QD1234567890 18
    jiebang recommend show QD1234567890
    jiebang recommend export QD1234567890 推荐清单.pdf
    jiebang recommend status                      # bureaus × batches
    jiebang verify 扫描件.pdf|.jpg|.png

``--token`` acts as that token's holder (a bureau: its own region only); without it the command is the
operator of this machine (an admin, audited as ``cli``).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from api.cli.common import EXIT_INPUT, EXIT_OK, EXIT_PROBLEMS, Context, say
from api.errors import Unauthorized
from api.services import reviews
from api.services.access import Principal, authenticate
from api.services.recommendations import ROW_FIELDS

class CliPrincipal(Principal):
    """A principal acting from the command line: the audit log names it ``cli:<subject>`` (``cli`` alone for
    the machine's operator)."""

    @property
    def actor(self) -> str:
        return "cli" if self.subject == "cli" else f"cli:{self.subject}"


def acting(ctx: Context, args: argparse.Namespace) -> Principal:
    """Who the command acts as: the ``--token``'s holder, or the machine's operator (an admin)."""
    if not args.token:
        return CliPrincipal(args.actor, "admin")
    with ctx.services.session() as session:
        who = authenticate(session, args.token, bootstrap_admin=ctx.settings.admin_token)
    if who is None:
        raise Unauthorized("--token 无效或已吊销。", "--token is invalid or revoked.", code="invalid_token")
    return CliPrincipal(who.subject, who.role, who.region)


def cmd_recommend(ctx: Context, args: argparse.Namespace) -> int:
    who = acting(ctx, args)
    rec = ctx.services.recommendations
    with ctx.services.session() as session:
        if args.action == "review":
            row = reviews.decide(session, ctx.services.campaign, who, args.demand, args.decision, args.reason)
            say(f"已记录：需求 {row.demand_id} {reviews.DECISION_ZH[row.decision]}。",
                f"Recorded: demand {row.demand_id} {reviews.DECISION_EN[row.decision]}.")
        elif args.action == "queue":
            for item in reviews.queue(session, ctx.services.campaign, who, region=args.region, batch=args.batch):
                d = item["demand"]
                flag = "（已重新提交）" if item["resubmitted"] else ""
                say(f"#{d.id}\t{d.external_id or ''}\t{d.region}\t{d.batch or ''}\t{item['decision_zh']}{flag}\t{d.title}")
        elif args.action == "compose":
            lst = rec.compose(session, who, args.batch, args.demands, region=args.region)
            _print_list(rec.view(session, who, lst.id))
        elif args.action == "remove":
            rec.remove(session, who, args.list, args.demands)
            _print_list(rec.view(session, who, args.list))
        elif args.action == "show":
            _print_list(rec.view(session, who, args.list))
        elif args.action == "export":
            out = rec.export(session, who, args.list)
            path = Path(args.out)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(out.pdf)
            say(f"推荐清单已导出到 {path}（第 {out.export_no} 次导出）。打印、加盖公章后扫描上传核验。",
                f"List exported to {path} (export {out.export_no}). Print, stamp, scan and upload it for verification.")
        elif args.action == "status":
            _print_status(rec.status_table(session, who))
    return EXIT_OK


def _print_list(view: dict[str, Any]) -> None:
    q = view["quota"]
    late = "，逾期" if view["late"] else ""
    say(f"推荐清单 {view['code']}：{view['region']} {view['batch']}（截止 {view['deadline']}{late}），"
        f"{view['count']} 项，{view['status_zh']}；全年已推荐 {q['recommended']} / 最低 {q['minimum']}",
        f"list {view['code']}: {view['count']} demands, {view['status']}")
    for p in q["parks"]:
        say(f"  {p['name']}：{p['recommended']} / 最低 {p['minimum']}")
    for r in view["rows"]:
        late = ["逾期"] if r["late"] else []
        say("  " + "\t".join(str(v) for v in (r["序号"], *(r[f] for f in ROW_FIELDS), *late)))


def _print_status(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        cells = "\t".join(f"{c['batch']}：{c['status_zh']} {c['count']} 项" + (f"（逾期 {c['late']}）" if c["late"] else "")
                          for c in r["batches"])
        say(f"{r['region']}\t{cells}\t合计 {r['quota']['recommended']} / {r['quota']['minimum']}")


def cmd_verify(ctx: Context, args: argparse.Namespace) -> int:
    who = acting(ctx, args)
    path = Path(args.scan)
    with ctx.services.session() as session:
        result = ctx.services.scan_verifier.verify(session, who, path.read_bytes(), path.name)
    code = EXIT_OK if result["ok"] else EXIT_INPUT if result["outcome"] == "unreadable_file" else EXIT_PROBLEMS
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return code
    say(result["message_zh"], result["message_en"])
    if result["list"]:
        lst = result["list"]
        say(f"清单 {lst['code']}：{lst['region']} {lst['batch']}", f"list {lst['code']}")
    for c in result["changes"]:
        fields = "；".join(f"{f['field']}：{f['before']} → {f['after']}" for f in c["fields"])
        by = "、".join(c["by"]) or "（审计日志中无记录）"
        say(f"  {c['kind_zh']} #{c['demand_id']} {c['需求编号']} {c['需求名称']} {fields}  操作人：{by}",
            f"{c['kind']} by {', '.join(c['by'])}")
    return code


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--token", help="以该令牌持有人身份操作（初审单位：仅本地区）/ act as this token's holder")
    p.add_argument("--actor", default="cli", help="操作人（写入审计日志）/ who, for the audit log")


def add_parsers(sub: Any) -> None:
    """Register ``jiebang recommend`` and ``jiebang verify``."""
    p = sub.add_parser("recommend", help="初审结论与推荐清单（编制、导出带二维码的 PDF）/ first review and recommendation lists")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("review", help="作出初审结论 / record a decision")
    a.add_argument("demand", type=int, help="需求系统编号 / demand id")
    a.add_argument("decision", choices=list(reviews.DECISION_BY_TEXT), help="初审通过 / 退回修改 / 不予推荐")
    a.add_argument("--reason", help="理由（退回修改、不予推荐时必填）/ reason (required for return and reject)")
    a = actions.add_parser("queue", help="初审队列 / the review queue")
    a.add_argument("--region"), a.add_argument("--batch")
    a = actions.add_parser("compose", help="编制推荐清单 / put demands on a list")
    a.add_argument("--batch", required=True, help="批次 / batch")
    a.add_argument("--region", help="推荐地区（令牌为初审单位时默认本地区）/ region")
    a.add_argument("--demands", type=int, nargs="+", help="需求系统编号（默认：全部初审通过且未列入清单的）/ demand ids")
    a = actions.add_parser("remove", help="移出清单 / take demands off a list")
    a.add_argument("list", help="清单编号或清单号 / list id or code")
    a.add_argument("demands", type=int, nargs="+")
    a = actions.add_parser("show", help="查看清单 / show a list")
    a.add_argument("list")
    a = actions.add_parser("export", help="导出带二维码签名的 PDF / export the signed PDF")
    a.add_argument("list"), a.add_argument("out", help="输出 PDF 路径 / output .pdf")
    actions.add_parser("status", help="各地区 × 各批次 / bureaus × batches")
    for action in actions.choices.values():
        _common(action)
    p.set_defaults(func=cmd_recommend)
    v = sub.add_parser("verify", help="核验盖章推荐清单扫描件的二维码 / verify a stamped list's scan")
    v.add_argument("scan", help="扫描件（PDF、JPEG、PNG）/ the scan")
    v.add_argument("--json", action="store_true", help="以 JSON 输出 / print JSON")
    _common(v)
    v.set_defaults(func=cmd_verify)
