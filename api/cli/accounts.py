"""``jiebang accounts add|reset|list|disable|enable``: people's console accounts, managed by the operator on
the server as an admin does on the console's 用户账号 page (the same service, audited as ``cli`` unless
``--actor`` names someone). A password is read from standard input with ``--password-stdin`` (never from
the command line, where it would stay in the shell history), or generated and shown once.
"""
from __future__ import annotations

import argparse
import json
import secrets
import sys
from typing import Any

from api.cli.common import EXIT_OK, Context, say
from api.services import accounts
from api.services.access import ROLE_ZH, ROLES
from matching.vocabulary import REGION_VALUES


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The password to set and whether it was generated (then it is printed once)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    return f"{secrets.token_urlsafe(9)}-{secrets.randbelow(90) + 10}", True  # 15 characters, letters and digits


def _show_once(password: str) -> None:
    say("初始密码只显示这一次，请当面交给本人，并请其登录后自行修改：",
        "The password is shown this once; hand it over in person:")
    print(password, flush=True)


def cmd_accounts(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.services.session() as session:
        if args.action == "add":
            password, generated = _password(args)
            row = accounts.create_account(session, username=args.username, display_name=args.name or args.username,
                                          role=args.role, region=args.region, password=password, actor=args.actor)
            say(f"已创建账号 {row.username}（{row.display_name}，{ROLE_ZH[row.role]}"
                f"{'，' + row.region if row.region else ''}）。", f"Account {row.username} created ({row.role}).")
            if generated:
                _show_once(password)
            return EXIT_OK
        if args.action == "reset":
            password, generated = _password(args)
            row = accounts.reset_password(session, args.username, password, actor=args.actor)
            say(f"已重置 {row.username} 的密码，账号已解锁，其已登录的会话随即失效。",
                f"Password of {row.username} reset; the account is unlocked and its sessions end.")
            if generated:
                _show_once(password)
            return EXIT_OK
        if args.action in ("disable", "enable"):
            row = accounts.set_disabled(session, args.username, args.action == "disable", actor=args.actor)
            say(f"已{'停用' if row.disabled_at else '重新启用'}账号 {row.username}。",
                f"Account {row.username} {'disabled' if row.disabled_at else 'enabled'}.")
            return EXIT_OK
        rows = [_listed(r) for r in accounts.list_accounts(session)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not rows:
        say("还没有用户账号。", "No accounts yet.")
    for r in rows:
        state = "已停用 disabled" if r["disabled"] else "已锁定 locked" if r["locked_until"] else "有效 active"
        say(f"  {r['username']:<16} {ROLE_ZH[r['role']]:<4} {r['region'] or '':<6} {r['display_name']}  {state}")
    return EXIT_OK


def _listed(row: Any) -> dict[str, Any]:
    """An account as listed: never its password hash."""
    return {"username": row.username, "display_name": row.display_name, "role": row.role, "region": row.region,
            "disabled": row.disabled_at is not None,
            "locked_until": row.locked_until.isoformat() if row.locked_until else None}


def add_parsers(sub: Any) -> None:
    """Register ``accounts``."""
    p = sub.add_parser("accounts", help="用户账号：新建、重置密码、列出、停用 / people's accounts")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("add", help="新建账号 / create an account")
    a.add_argument("username", help="用户名（字母、数字、点、横线、下划线）/ user name")
    a.add_argument("--name", help="显示的名字，如 规划处王芳（写入审计日志）/ display name")
    a.add_argument("--role", required=True, choices=list(ROLES), help="角色 / role")
    a.add_argument("--region", choices=list(REGION_VALUES), metavar="REGION",
                   help="初审单位所属地区，如 沈阳市 / a bureau's region")
    r = acts.add_parser("reset", help="重置密码（同时解锁）/ reset a password (also unlocks)")
    r.add_argument("username")
    for q in (a, r):
        q.add_argument("--password-stdin", action="store_true",
                       help="从标准输入读取密码；不给则生成一个并只显示一次 / read the password from stdin "
                            "(otherwise one is generated and shown once)")
    d = acts.add_parser("disable", help="停用账号 / disable an account")
    d.add_argument("username")
    e = acts.add_parser("enable", help="重新启用账号 / enable an account again")
    e.add_argument("username")
    lst = acts.add_parser("list", help="列出账号（不含密码）/ list accounts (no passwords)")
    lst.add_argument("--json", action="store_true")
    for q in (a, r, d, e, lst):
        q.add_argument("--actor", default="cli", help="操作人（写入审计日志）/ who, for the audit log")
    p.set_defaults(func=cmd_accounts)
