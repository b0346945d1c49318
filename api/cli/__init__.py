"""``jiebang`` command line: one sub-command group per capability over the composition root's services.

Exit codes (also in ``jiebang --help``): 0 done; 1 done, but rows were rejected or rule errors
were found; 2 wrong command usage; 3 the input file is missing, unreadable or of the wrong kind;
4 the service could not run (database, configuration).
"""
from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

from api.cli import access, accounts, backup, bangdan, condense, domains, duplicates, experts, intake, recommend
from api.cli.common import EXIT_FAILURE, EXIT_INPUT, EXIT_USAGE, Context, fail
from api.compose import load_settings
from api.config import Settings
from api.errors import InvalidFile, JiebangError
from api.logging import setup_logging

log = logging.getLogger("jiebang")

EPILOG = """退出码 / exit codes:
  0  完成 / done
  1  完成，但有被拒绝的行或不符合规则的需求 / done, but rows were rejected or rule errors found
  2  命令用法有误或请求被拒绝（编号不存在、冲突）/ wrong usage or a refused request (unknown id, conflict)
  3  输入文件不存在、无法读取或格式不对 / input file missing, unreadable or wrong kind
  4  服务无法运行（数据库、配置）/ the service could not run (database, configuration)

配置 / configuration: JIEBANG_HOME, JIEBANG_DATABASE_URL, JIEBANG_CAMPAIGN, JIEBANG_ADMIN_TOKEN, JIEBANG_LOG_LEVEL
"""


def build_settings(args: argparse.Namespace) -> Settings:
    """The environment's settings with the command line's ``--home`` / ``--database-url`` / ``--campaign``."""
    return load_settings(home=Path(args.home) if getattr(args, "home", None) else None,
                         database_url=getattr(args, "database_url", None) or None,
                         campaign_file=Path(args.campaign) if getattr(args, "campaign", None) else None)


def build_parser() -> argparse.ArgumentParser:
    """The ``jiebang`` parser with every capability's sub-commands."""
    parser = argparse.ArgumentParser(
        prog="jiebang", description="揭榜挂帅需求征集与匹配 / Jiebang demand intake and matching",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", help="数据目录（默认 $JIEBANG_HOME 或 var/）/ service home folder")
    parser.add_argument("--database-url", help="数据库地址（默认 home 下的 SQLite）/ SQLAlchemy URL")
    parser.add_argument("--campaign", help="征集活动规则文件 / campaign rules file (YAML)")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度条 / no progress bars")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (intake, experts, duplicates, condense, bangdan, domains, recommend, access, accounts, backup):
        group.add_parsers(sub)
    return parser


def exit_code(exc: JiebangError) -> int:
    """3 for a file that cannot be read (missing, damaged, wrong kind), 4 when the service cannot run,
    2 for every other refused request (an unknown id, a conflict, a value the command does not take)."""
    if isinstance(exc, InvalidFile):
        return EXIT_INPUT
    return EXIT_FAILURE if exc.status_code >= 500 else EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jiebang`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        args.home = args.demo_home or args.home or str(intake.DEMO_HOME)
        args.database_url = None
    try:
        settings = build_settings(args)
    except JiebangError as exc:  # e.g. a JIEBANG_ADMIN_TOKEN too short to be a secret
        fail(exc.message_zh, exc.message_en)
        return exit_code(exc)
    if args.command == "demo":
        settings = settings.override(database_url="")
    setup_logging("WARNING" if args.command != "serve" else settings.log_level)
    ctx = Context(settings)
    try:
        return args.func(ctx, args)
    except FileNotFoundError as exc:
        fail(f"找不到文件：{exc}", f"file not found: {exc}")
        return EXIT_INPUT
    except JiebangError as exc:
        fail(exc.message_zh, exc.message_en)
        return exit_code(exc)
    except KeyboardInterrupt:
        fail("已中断。", "interrupted.")
        return EXIT_FAILURE
    except Exception as exc:  # the clerk gets a sentence, the log gets the trace
        log.debug("command failed", exc_info=True)
        fail(f"无法完成操作（{type(exc).__name__}）。请检查数据目录和数据库配置，或联系管理员。",
             f"could not complete the command ({type(exc).__name__}). Check the home folder and "
             "database settings, or contact the administrator.")
        return EXIT_FAILURE
    finally:
        ctx.close()
