"""``jiebang`` command line: import, export, check, demo, serve — a thin layer over api.service.

Exit codes (also in ``jiebang --help``): 0 done; 1 done, but rows were rejected or rule errors
were found; 2 wrong command usage; 3 the input file is missing, unreadable or of the wrong kind;
4 the service could not run (database, configuration).
"""
from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from api import service
from api.config import CORPORA_DIR, Settings
from api.errors import JiebangError
from api.logging import setup_logging

log = logging.getLogger("jiebang")

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INPUT, EXIT_FAILURE = 0, 1, 2, 3, 4
SAMPLES_DIR = CORPORA_DIR / "samples"
DEMO_HOME = Path("var") / "demo"
DEMO_REPORT = "jiebang-demo.xlsx"
PEOPLE_FILES = (("experts", "experts.jsonl"), ("expert_reviews", "expert_reviews.jsonl"),
                ("solvers", "solvers.jsonl"))

EPILOG = """退出码 / exit codes:
  0  完成 / done
  1  完成，但有被拒绝的行或不符合规则的需求 / done, but rows were rejected or rule errors found
  2  命令用法有误 / wrong command usage
  3  输入文件不存在、无法读取或格式不对 / input file missing, unreadable or wrong kind
  4  服务无法运行（数据库、配置）/ the service could not run (database, configuration)

配置 / configuration: JIEBANG_HOME, JIEBANG_DATABASE_URL, JIEBANG_CAMPAIGN, JIEBANG_ADMIN_TOKEN, JIEBANG_LOG_LEVEL
"""


def say(zh: str, en: str = "") -> None:
    """Print a bilingual line for the clerk (Chinese first, English beside it)."""
    print(f"{zh}  {en}".rstrip() if en else zh, flush=True)


def fail(zh: str, en: str) -> None:
    print(f"错误：{zh}\nError: {en}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- plumbing

class Context:
    """Settings, database and campaign for one command (opened on demand, closed at the end).

    ``steps`` (intake steps) and ``sheets`` (demo report) are the CLI's hook points, the same
    lists the HTTP app uses; later capabilities extend them in :meth:`open`.
    """

    def __init__(self, settings: Settings):
        from api.duplicates import DUPLICATES_SHEET, intake_step_for
        from api.experts import panels_sheet_builder
        from api.report import DEFAULT_SHEETS

        self.settings = settings
        self.steps: tuple[service.IntakeStep, ...] = (*service.DEFAULT_INTAKE_STEPS, intake_step_for(settings))
        self.sheets = (*DEFAULT_SHEETS, panels_sheet_builder(), DUPLICATES_SHEET)
        self._engine = None
        self._sessions = None

    def open(self):  # noqa: ANN201 - returns (session, campaign)
        from api.storage import open_database

        if self._sessions is None:
            self._engine, self._sessions = open_database(self.settings.db_url)
        session = self._sessions()
        campaign = service.load_campaign(session, self.settings.campaign_file)
        return session, campaign

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def build_settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "home", None):
        settings = settings.with_home(Path(args.home))
    if getattr(args, "database_url", None):
        settings = replace(settings, database_url=args.database_url)
    if getattr(args, "campaign", None):
        settings = replace(settings, campaign_file=Path(args.campaign))
    return settings


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise FileNotFoundError(str(path))


# --------------------------------------------------------------------------- commands

def print_import_report(report: service.ImportReport, kind: str = "demands") -> None:
    say(f"文件 {report.file}：共 {report.rows} 行，新增 {report.new}，更新 {report.updated}，"
        f"未变 {report.unchanged}，拒绝 {report.rejected_rows}。",
        f"({kind}: {report.rows} rows, {report.new} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.rejected_rows} rejected)")
    for r in report.rejected:
        say(f"  第 {r.get('row_number')} 行 [{r.get('field') or '-'}]：{r.get('reason_zh', '')}",
            f"row {r.get('row_number')} [{r.get('field') or '-'}]: {r.get('reason_en', '')}")
    for n in report.notes:
        say(f"  提示：{n.get('message_zh', '')}", f"note: {n.get('message_en', '')}")
    if report.findings_by_rule:
        say("  规则提示 / rule findings: " + "，".join(f"{k} ×{v}" for k, v in report.findings_by_rule.items()))


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file)
    _require_file(path)
    session, campaign = ctx.open()
    with session:
        if args.kind == "demands":
            report = service.import_demands(session, campaign, path, actor=args.actor, steps=ctx.steps,
                                            progress=not args.quiet)
        else:
            report = service.import_people(session, path, args.kind, actor=args.actor, progress=not args.quiet)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_import_report(report, args.kind)
    if report.rejected and not args.json:
        say(f"有 {report.rejected_rows} 行未导入，请按上面的原因修改后重新导入（已导入的行不会重复）。",
            "Some rows were not imported; fix them and import the file again (imported rows are not duplicated).")
    return EXIT_PROBLEMS if report.rejected else EXIT_OK


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file)
    session, campaign = ctx.open()
    with session:
        count = service.export_demands(session, campaign, path, args.format,
                                       include_personal=args.include_personal)
    say(f"已导出 {count} 条需求到 {path}。", f"Exported {count} demands to {path}.")
    if not args.include_personal:
        say("个人信息已用 *** 代替（需要时加 --include-personal）。",
            "Personal fields are masked (use --include-personal if you need them).")
    return EXIT_OK


def print_check(report: service.CheckReport) -> None:
    s = report.by_status
    say(f"已检查 {report.demands} 条需求：通过 {s.get('ok', 0)}，有提醒 {s.get('warning', 0)}，"
        f"不符合要求 {s.get('error', 0)}。",
        f"Checked {report.demands} demands: {s.get('ok', 0)} ok, {s.get('warning', 0)} with warnings, "
        f"{s.get('error', 0)} with errors.")
    for rule, n in report.findings_by_rule.items():
        say(f"  {rule}: {n}")


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    session, campaign = ctx.open()
    with session:
        report = service.check_all(session, campaign, actor=args.actor, steps=ctx.steps, progress=not args.quiet)
        quota = service.quota_progress(session, campaign)
    if args.json:
        print(json.dumps({"check": report.to_dict(), "quota": quota}, ensure_ascii=False, indent=2))
    else:
        print_check(report)
        print_quota(quota, only_unmet=True)
    return EXIT_PROBLEMS if report.by_status.get("error") else EXIT_OK


def print_quota(quota: list[dict[str, Any]], *, only_unmet: bool = False) -> None:
    shown = [q for q in quota if not (only_unmet and q.get("met"))]
    say("配额进度 / quota progress" + ("（未完成 / not yet met）" if only_unmet else "") + ":")
    for q in shown:
        mark = "✓" if q.get("met") else "…"
        say(f"  {mark} {q['name']}: {q['count']}/{q['minimum']}")


def _counts(title_zh: str, title_en: str, counter: Counter[str]) -> None:
    say(f"{title_zh} / {title_en}:")
    say("  " + "，".join(f"{k or '（空）'} {v}" for k, v in sorted(counter.items(), key=lambda kv: -kv[1])))


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    from api.report import write_report

    samples = Path(args.samples)
    demands_file = samples / "demands.jsonl"
    _require_file(demands_file)
    home = ctx.settings.home
    for name in ("jiebang.db", "jiebang.db-wal", "jiebang.db-shm"):
        (home / name).unlink(missing_ok=True)
    shutil.rmtree(home / "cache", ignore_errors=True)
    say(f"演示：全新的数据目录 {home}", f"Demo: fresh home {home}")
    session, campaign = ctx.open()
    with session:
        report = service.import_demands(session, campaign, demands_file, actor="demo", steps=ctx.steps,
                                        progress=not args.quiet)
        print_import_report(report)
        for kind, filename in PEOPLE_FILES:
            if (samples / filename).is_file():
                print_import_report(service.import_people(session, samples / filename, kind, actor="demo",
                                                          progress=not args.quiet), kind)
        check = service.check_all(session, campaign, actor="demo", steps=ctx.steps, progress=not args.quiet)
        demands = service.all_demands(session, campaign)
        _counts("按批次", "by batch", Counter(d.batch for d in demands))
        _counts("按地区", "by region", Counter(d.region for d in demands))
        _counts("按技术领域", "by area", Counter(d.area for d in demands))
        _counts("按归口处室", "by office", Counter(d.office for d in demands))
        print_check(check)
        quota = service.quota_progress(session, campaign)
        print_quota(quota)
        out = home / DEMO_REPORT
        sheets = write_report(out, session, campaign, ctx.sheets)
    say(f"报告已写入 {out}（工作表：{'、'.join(sheets)}）。", f"Report written to {out}.")
    return EXIT_OK


def cmd_serve(ctx: Context, args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    say(f"服务启动：http://{args.host}:{args.port}/docs （数据库 {ctx.settings.db_url.split('@')[-1]}）",
        "Serving the API; press Ctrl+C to stop.")
    uvicorn.run(create_app(ctx.settings), host=args.host, port=args.port, log_level="info")
    return EXIT_OK


# --------------------------------------------------------------------------- parser

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiebang", description="揭榜挂帅需求征集与匹配 / Jiebang demand intake and matching",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", help="数据目录（默认 $JIEBANG_HOME 或 var/）/ service home folder")
    parser.add_argument("--database-url", help="数据库地址（默认 home 下的 SQLite）/ SQLAlchemy URL")
    parser.add_argument("--campaign", help="征集活动规则文件 / campaign rules file (YAML)")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度条 / no progress bars")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("import", help="导入文件（xlsx/csv/jsonl）/ import a file")
    p.add_argument("file", help="要导入的文件 / the file")
    p.add_argument("--kind", choices=["demands", "experts", "expert_reviews", "solvers"], default="demands",
                   help="文件内容（默认 demands 需求）/ what the file holds")
    p.add_argument("--actor", default="cli", help="操作人（写入审计日志）/ who, for the audit log")
    p.add_argument("--json", action="store_true", help="以 JSON 输出报告 / print the report as JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="导出全部需求 / export all demands")
    p.add_argument("file", help="输出文件 / output file")
    p.add_argument("--format", choices=["xlsx", "csv", "jsonl"], help="格式（默认按扩展名）/ format")
    p.add_argument("--include-personal", action="store_true", help="包含个人信息 / include personal fields")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("check", help="对已存储的需求重新检查规则 / re-run the rules on stored demands")
    p.add_argument("--actor", default="cli", help="操作人 / who, for the audit log")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 / print JSON")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("demo", help="演示：导入样例、检查规则、输出汇总和 Excel 报告 / run the demo")
    p.add_argument("--home", dest="demo_home", help=f"演示数据目录（默认 {DEMO_HOME}）/ demo home")
    p.add_argument("--samples", default=str(SAMPLES_DIR), help="样例数据目录 / sample folder")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="启动 HTTP 服务 / run the HTTP API (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    from api.cli_experts import add_parser as add_experts_parser
    add_experts_parser(sub)
    from api.cli_dedup import add_parser as add_dedup_parser
    add_dedup_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jiebang`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        args.home = args.demo_home or args.home or str(DEMO_HOME)
        args.database_url = None
    settings = build_settings(args)
    if args.command == "demo":
        settings = replace(settings, database_url="")
    setup_logging("WARNING" if args.command != "serve" else settings.log_level)
    ctx = Context(settings)
    try:
        return args.func(ctx, args)
    except FileNotFoundError as exc:
        fail(f"找不到文件：{exc}", f"file not found: {exc}")
        return EXIT_INPUT
    except JiebangError as exc:
        fail(exc.message_zh, exc.message_en)
        return EXIT_INPUT if exc.status_code < 500 else EXIT_FAILURE
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


if __name__ == "__main__":
    sys.exit(main())
