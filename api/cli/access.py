"""``jiebang token create|list|revoke`` and ``jiebang audit``: access tokens and the audit log, run by the
operator on the server (the CLI acts as ``cli`` in the audit log unless ``--actor`` names someone)."""
from __future__ import annotations

import argparse
import json
from typing import Any

from api.cli.common import EXIT_OK, Context, say
from api.services.access import ROLE_ZH, ROLES, create_token, list_tokens, revoke_token
from api.services.audit import append_audit, list_audit, redacted


def cmd_token(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.services.session() as session:
        if args.action == "create":
            row, token = create_token(session, role=args.role, subject=args.subject, region=args.region,
                                      actor=args.actor)
            say(f"已创建令牌（{ROLE_ZH[row.role]}{'，' + row.region if row.region else ''}，持有人 {row.subject}）。"
                "令牌只显示这一次，请妥善保存：", f"Token created for {row.subject} ({row.role}); shown this once:")
            print(token, flush=True)
            return EXIT_OK
        if args.action == "revoke":
            row = revoke_token(session, args.key, actor=args.actor)
            say(f"已吊销令牌 {row.prefix}（{row.subject}）。", f"Token {row.prefix} revoked.")
            return EXIT_OK
        rows = [{"id": r.id, "prefix": r.prefix, "subject": r.subject, "role": r.role, "region": r.region,
                 "created_at": r.created_at.isoformat(), "revoked": r.revoked_at is not None}
                for r in list_tokens(session)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    for r in rows if not args.json else []:
        state = "已吊销 revoked" if r["revoked"] else "有效 active"
        say(f"  {r['id']:>3}  {r['prefix']}  {ROLE_ZH[r['role']]:<4} {r['region'] or '':<6} {r['subject']}  {state}")
    return EXIT_OK


def cmd_audit(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.services.session() as session:
        entries = list_audit(session, entity=args.entity, entity_id=args.id, limit=args.limit)
        if args.include_personal:
            append_audit(session, args.actor, "read_personal", "audit_log", None, None,
                         {"entries": [e.id for e in entries]})
            session.commit()
    rows = [{"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action, "entity": e.entity,
             "entity_id": e.entity_id, "before": _shown(e.before, args.include_personal),
             "after": _shown(e.after, args.include_personal), "note": e.note} for e in entries]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return EXIT_OK
    for r in rows:
        say(f"#{r['id']} {r['at'][:19]} {r['actor']} {r['action']} {r['entity']} {r['entity_id'] or ''}")
        for name, old, new in changes(r["before"], r["after"]):
            say(f"    {name}：{_short(old)} → {_short(new)}")
    return EXIT_OK


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """What an audit entry changed, value by value (a stored record field by field): ``(name, before, after)``."""
    before, after = before or {}, after or {}
    out: list[tuple[str, Any, Any]] = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if key == "record" and isinstance(old, dict) and isinstance(new, dict):
            out += [(field, old.get(field), new.get(field)) for field in dict.fromkeys([*old, *new])
                    if old.get(field) != new.get(field)]
        elif old != new and not (isinstance(old, list) and isinstance(new, list) and sorted(map(str, old)) == sorted(map(str, new))):
            out.append((key, old, new))  # (a list in another order is not a change)
    return out


def _short(value: Any, limit: int = 60) -> str:
    text = "（空）" if value is None else json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + "…"


def _shown(image: dict[str, Any] | None, include_personal: bool) -> dict[str, Any] | None:
    """An audit image as printed: records inside it masked unless ``--include-personal``."""
    if image is None or include_personal:
        return image
    return {k: redacted(v) if k == "record" and isinstance(v, dict) else v for k, v in image.items()}


def add_parsers(sub: Any) -> None:
    """Register ``token`` and ``audit``."""
    p = sub.add_parser("token", help="访问令牌：创建、列出、吊销 / access tokens: create, list, revoke")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = acts.add_parser("create", help="创建令牌（只显示一次）/ create a token (shown once)")
    c.add_argument("--role", required=True, choices=list(ROLES), help="角色 / role")
    c.add_argument("--subject", required=True, help="持有人（写入审计日志）/ who holds it (for the audit log)")
    c.add_argument("--region", help="初审单位所属地区，如 沈阳市 / a bureau's region")
    r = acts.add_parser("revoke", help="吊销令牌 / revoke a token")
    r.add_argument("key", help="令牌编号或前缀 / token id or prefix")
    lst = acts.add_parser("list", help="列出令牌（不含密钥）/ list tokens (no secrets)")
    lst.add_argument("--json", action="store_true")
    for q in (c, r, lst):
        q.add_argument("--actor", default="cli", help="操作人（写入审计日志）/ who, for the audit log")
    p.set_defaults(func=cmd_token)

    a = sub.add_parser("audit", help="查看审计日志 / show the audit log")
    a.add_argument("--entity", help="对象类型，如 demand / expert / api_token")
    a.add_argument("--id", type=int, help="对象编号 / entity id")
    a.add_argument("--limit", type=int, default=50)
    a.add_argument("--include-personal", action="store_true",
                   help="显示修改前后的完整内容（本次查看也记入审计）/ show whole before/after images (audited)")
    a.add_argument("--json", action="store_true")
    a.add_argument("--actor", default="cli", help="操作人（写入审计日志）/ who, for the audit log")
    a.set_defaults(func=cmd_audit)
