"""``jiebang experts rank|assign|export``: the CLI face of :mod:`api.services.experts` and
:mod:`api.services.panels` (same service calls as HTTP).

Expert identities print only with ``--token`` equal to the configured JIEBANG_ADMIN_TOKEN;
otherwise experts appear as pseudonyms. ``export`` writes identities, so it always needs the token.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from api.cli.common import (EXIT_OK, EXIT_USAGE, Context, category_count, non_negative_int, positive_int, say,
                             share)
from api.errors import Forbidden, Unauthorized
from api.services.access import Principal, authenticate
from api.services.audit import append_audit
from api.services.panels import AssignmentInfeasible
from matching.assign import ASSIGNERS, PanelRules


def _viewer(ctx: Context, args: argparse.Namespace) -> Principal | None:
    """Who ``--token`` belongs to when its role may see expert identities (None without a token);
    an unknown or revoked token is an error, not a silent fallback to pseudonyms."""
    if not args.token:
        return None
    with ctx.services.session() as session:
        who = authenticate(session, args.token, bootstrap_admin=ctx.settings.admin_token)
    if who is None:
        raise Unauthorized("--token 无效或已吊销。", "--token is invalid or revoked.", code="invalid_token")
    return who if who.may("see_expert_identities") else None


def _mix(values: list[tuple[str, int]] | None) -> dict[str, int]:
    return dict(values or [])


def cmd_experts(ctx: Context, args: argparse.Namespace) -> int:
    viewer = _viewer(ctx, args)
    admin = viewer is not None
    session, campaign = ctx.open()
    experts, panels = ctx.services.experts, ctx.services.panels
    with session:
        if args.action == "rank":
            out = experts.rank_experts(session, args.demand_id, top=args.top, admin=admin,
                                        out_of_region=args.out_of_region)
            if viewer is not None:
                _audit_identities(session, viewer, "rank_experts", "demand", args.demand_id)
            if args.json:
                print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
                return EXIT_OK
            say(f"需求 {args.demand_id} 的推荐专家（相关度下限 {out['floor']['value']}）：",
                f"experts for demand {args.demand_id} (relevance floor {out['floor']['value']}):")
            for e in out["experts"]:
                who = _who(e, admin)
                items = "；".join(i["title"] for i in e["evidence"]["items"][:2])
                say(f"  {e['rank']:>3}. {who}  匹配度 {e['score']:.3f}  相关度 {e['relevance']:.3f}  "
                    f"共同术语：{'、'.join(e['evidence']['shared_terms'][:5])}  相近评审：{items}")
            if out["no_suitable_expert"]:
                say(out["message_zh"], out["message_en"])
                for x in out["excluded_relevant"]:
                    say(f"  相关但须回避：{_who(x, admin)}  相关度 {x['relevance']:.3f}  {x['message_zh']}",
                        f"relevant but excluded: {x['message_en']}")
                for x in out["best_below_floor"]:
                    say(f"  最接近的候选（低于下限）：{_who(x, admin)}  相关度 {x['relevance']:.3f}  匹配度 {x['score']:.3f}",
                        "closest candidate below the floor")
            say(f"回避排除 {len(out['excluded'])} 项（规则：{'、'.join(sorted({x['rule'] for x in out['excluded']}))}）",
                f"{len(out['excluded'])} exclusions by conflict rules")
            return EXIT_OK
        if args.action == "assign":
            rules = PanelRules(panel_size=args.panel_size, max_load=args.max_load,
                               min_out_of_province_share=args.min_out_share, category_mix=_mix(args.mix))
            try:
                out = panels.assign(session, campaign, batch=args.batch, rules=rules, solver=args.solver,
                                      seed=args.seed, out_of_region=args.out_of_region, actor=args.actor,
                                      force=args.force or None, forbid=args.forbid or None)
            except AssignmentInfeasible as exc:
                say(f"无法分配：{exc.message_zh}", f"cannot assign: {exc.message_en}")
                for d in exc.details or []:
                    say(f"  - {d.get('message_zh', '')}", d.get("message_en", ""))
                return EXIT_USAGE
            if args.json:
                print(json.dumps(out, ensure_ascii=False, indent=2))
            else:
                say(f"分配完成：记录 {out['run_id']}，{out['demands']} 个需求，方法 {out['solver']}，种子 {out['seed']}，"
                    f"总匹配度 {out['total_affinity']}，最大负载 {out['max_load']}，用时 {out['seconds']} 秒；"
                    f"指定 {out['forced']} 对，禁止 {out['forbidden']} 对。",
                    f"run {out['run_id']} stored")
                if out["shortfall"]:
                    empty = sum(1 for x in out["shortfall"] if x["have"] == 0)
                    say(f"{len(out['shortfall'])} 个需求的专家组人数不足（合适专家不足、须回避或已满负荷），其中 {empty} 个未组专家组"
                        "（不以无关专家凑数；原因见 jiebang experts rank 需求编号）：",
                        f"{len(out['shortfall'])} panels short (too few suitable experts, conflicts or full loads), "
                        f"{empty} without a panel:")
                for x in out["shortfall"]:
                    say(f"  需求 {x['demand_id']}：{x['message_zh']}", x["message_en"])
                for x in out["quota_shortfall"]:
                    say(f"  需求 {x['demand_id']}：省外专家中达到相关度下限的仅 {x['have']} 人，省外名额按 {x['have']} 人计（原需 {x['need']} 人）",
                        f"demand {x['demand_id']}: only {x['have']} suitable out-of-province experts ({x['need']} asked)")
            return EXIT_OK
        # export
        if not admin:
            raise Forbidden("导出专家组含专家身份，需要 --token 管理员令牌。",
                            "Exporting panels reveals expert identities; pass the admin --token.")
        run_id = args.run_id or panels.latest_run_id(session)
        if run_id is None:
            say("还没有分配记录，请先运行 jiebang experts assign。", "No assignment run yet; run `jiebang experts assign`.")
            return EXIT_USAGE
        path = Path(args.file)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(panels.export_excel(session, run_id))
        _audit_identities(session, viewer, "export_panels", "assignment_run", run_id)
        say(f"已导出分配记录 {run_id} 到 {path}（每个处室一个工作表）。", f"Exported run {run_id} to {path}.")
        return EXIT_OK


def _who(e: dict[str, Any], admin: bool) -> str:
    """An expert as the caller may see them: 编号 姓名 单位 for identity roles, else the pseudonym."""
    return f"{e.get('expert_id')} {e.get('name')} {e.get('organization')}" if admin else e["expert"]


def _audit_identities(session: Any, viewer: Principal, action: str, entity: str, entity_id: int) -> None:
    """Write who was shown expert identities, with the token's subject."""
    append_audit(session, viewer.actor.replace("api:", "cli:", 1), action, entity, entity_id, None,
                 {"identities": True})
    session.commit()


def pair(text: str) -> dict[str, Any]:
    """``需求系统编号:专家编号`` (e.g. ``4:EXP015``; a pseudonym 专家-… works too) as the panels service takes it."""
    demand, sep, expert = text.partition(":")
    if not sep or not demand.strip().isdigit() or not expert.strip():
        raise argparse.ArgumentTypeError(f"应写成 需求编号:专家编号，如 4:EXP015 / expected DEMAND:EXPERT, e.g. 4:EXP015: {text}")
    return {"demand_id": int(demand), "expert_id": expert.strip()}


def add_parsers(sub: Any) -> None:
    """Register ``experts`` with its three actions on the main parser's subparsers."""
    p = sub.add_parser("experts", help="专家推荐、专家组分配与导出 / rank experts, assign panels, export")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    r = acts.add_parser("rank", help="为一个需求推荐专家 / rank experts for a demand")
    r.add_argument("demand_id", type=positive_int, help="需求系统编号 / demand id")
    r.add_argument("--top", type=positive_int, default=10)
    r.add_argument("--out-of-region", action="store_true", help="要求区域外专家 / out-of-region experts only")
    r.add_argument("--json", action="store_true")
    a = acts.add_parser("assign", help="分配一轮专家组 / assign panels for a round")
    a.add_argument("--batch", help="只分配某一批次 / only this batch")
    a.add_argument("--solver", choices=list(ASSIGNERS), default="optimal")
    a.add_argument("--seed", type=non_negative_int, help="随机抽取种子（不填自动生成并记录）/ draw seed")
    a.add_argument("--panel-size", type=positive_int, default=5)
    a.add_argument("--max-load", type=positive_int, default=8)
    a.add_argument("--min-out-share", type=share, default=0.0, help="省外专家最低占比（0–1）/ min out-of-province share")
    a.add_argument("--mix", nargs="*", type=category_count, metavar="类别=人数", help="专家类别配比，如 财务=1 管理=1")
    a.add_argument("--out-of-region", action="store_true")
    a.add_argument("--force", action="append", type=pair, metavar="需求:专家",
                   help="指定专家进入某需求的专家组（可重复），如 4:EXP015 / force an expert onto a panel")
    a.add_argument("--forbid", action="append", type=pair, metavar="需求:专家",
                   help="禁止某专家评审某需求（可重复）/ forbid a pair")
    a.add_argument("--actor", default="cli")
    a.add_argument("--json", action="store_true")
    e = acts.add_parser("export", help="导出专家组（每个处室一个工作表）/ export panels to Excel")
    e.add_argument("file", help="输出 .xlsx / output file")
    e.add_argument("--run-id", type=positive_int, help="分配记录（默认最新）/ run id (default: latest)")
    for q in (r, a, e):
        q.add_argument("--token", help="专家管理或管理员令牌，显示专家身份（记入审计）/ expert_admin or admin token: "
                                        "show identities (audited)")
    p.set_defaults(func=cmd_experts)
