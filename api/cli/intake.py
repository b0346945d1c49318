"""``jiebang import | export | check | demo | serve``: intake, export and the demo, over the services
of the composition root (the same calls as the HTTP API)."""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from api.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Context, fail, port, say
from api.cli.condense import print_unclustered_by_office
from api.cli.domains import print_summary as print_domain_summary
from api.io.labels import rule_zh
from api.io.report import write_report
from api.services import demands as queries
from api.services.audit import append_audit
from api.services.imports import ImportReport, import_demands, import_people
from api.services.intake_check import CheckReport, check_all
from corpora import SAMPLES_DIR

DEMO_HOME = Path("var") / "demo"
DEMO_REPORT = "jiebang-demo.xlsx"
DEMO_MARK = ".jiebang-demo"
DEMO_ADMIN = "演示管理员 demo admin"  # the subject of the admin token the demo prints  # written into a home whose database the demo made (and may remake)
PEOPLE_FILES = (("experts", "experts.jsonl"), ("expert_reviews", "expert_reviews.jsonl"),
                ("solvers", "solvers.jsonl"))


def _require_file(path: Path, *, folder_ok: bool = False) -> None:
    if not (path.is_file() or (folder_ok and path.is_dir())):
        raise FileNotFoundError(str(path))


def print_import_report(report: ImportReport, kind: str = "demands") -> None:
    say(f"文件 {report.file}：共 {report.rows} 行，新增 {report.new}，更新 {report.updated}，"
        f"未变 {report.unchanged}，拒绝 {report.rejected_rows}。",
        f"({kind}: {report.rows} rows, {report.new} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.rejected_rows} rejected)")
    for r in report.results:
        if r.get("changed_fields"):
            say(f"  第 {r['row_number']} 行（需求编号 {r.get('external_id')}）更新：{'、'.join(r['changed_fields'])}",
                f"row {r['row_number']} updated: {', '.join(r['changed_fields'])}")
    for r in report.rejected:
        say(f"  第 {r.get('row_number')} 行 [{r.get('field') or '-'}]：{r.get('reason_zh', '')}",
            f"row {r.get('row_number')} [{r.get('field') or '-'}]: {r.get('reason_en', '')}")
    for n in report.notes:
        say(f"  提示：{n.get('message_zh', '')}", f"note: {n.get('message_en', '')}")
    if report.findings_by_rule:
        say("  规则提示 / rule findings: " + "，".join(f"{rule_zh(k)}（{k}）×{v}" for k, v in report.findings_by_rule.items()))


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file)
    _require_file(path, folder_ok=True)
    session, campaign = ctx.open()
    with session:
        if args.kind == "demands":
            report = import_demands(session, campaign, path, actor=args.actor, steps=ctx.services.intake_steps,
                                    context=ctx.settings.validation_context,
                                    allow_enterprise_change=args.allow_enterprise_change,
                                    replace=args.replace, show_progress=not args.quiet)
        else:
            report = import_people(session, path, args.kind, actor=args.actor, show_progress=not args.quiet,
                                   context=ctx.settings.validation_context)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_import_report(report, args.kind)
    if report.rejected and not args.json:
        say(f"有 {report.rejected_rows} 行未导入，请按上面的原因修改后重新导入（已导入的行不会重复）。",
            "Some rows were not imported; fix them and import the file again (imported rows are not duplicated).")
    if report.skipped_files and not args.json:
        say(f"有 {len(report.skipped_files)} 个文件未导入（原因见上）。",
            f"{len(report.skipped_files)} files were not imported (reasons above).")
    return EXIT_OK if report.complete else EXIT_PROBLEMS


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file)
    session, campaign = ctx.open()
    with session:
        count = queries.export_demands(session, campaign, path, args.format,
                                       include_personal=args.include_personal)
        if args.include_personal:
            append_audit(session, args.actor, "export_personal", "file", None, None,
                         {"file": path.name, "demands": count})
            session.commit()
    say(f"已导出 {count} 条需求到 {path}。", f"Exported {count} demands to {path}.")
    if not args.include_personal:
        say("个人信息已用 *** 代替（需要时加 --include-personal）。",
            "Personal fields are masked (use --include-personal if you need them).")
    return EXIT_OK


def print_check(report: CheckReport) -> None:
    s = report.by_status
    say(f"已检查 {report.demands} 条需求：通过 {s.get('ok', 0)}，有提醒 {s.get('warning', 0)}，"
        f"不符合要求 {s.get('error', 0)}。",
        f"Checked {report.demands} demands: {s.get('ok', 0)} ok, {s.get('warning', 0)} with warnings, "
        f"{s.get('error', 0)} with errors.")
    for rule, n in report.findings_by_rule.items():
        say(f"  {rule_zh(rule)}（{rule}）: {n}")


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    session, campaign = ctx.open()
    with session:
        report = check_all(session, campaign, actor=args.actor, steps=ctx.services.intake_steps,
                           show_progress=not args.quiet)
        quota = queries.quota_progress(session, campaign)
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
        received = f"（共收到 {q['submitted']}）" if q.get("submitted") not in (None, q["count"]) else ""
        say(f"  {mark} {q['name']}: {q['count']}/{q['minimum']}{received}")


def _counts(title_zh: str, title_en: str, counter: Counter[str]) -> None:
    say(f"{title_zh} / {title_en}:")
    say("  " + "，".join(f"{k or '（空）'} {v}" for k, v in sorted(counter.items(), key=lambda kv: -kv[1])))


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    samples = Path(args.samples)
    demands_file = samples / "demands.jsonl"
    _require_file(demands_file)
    home = ctx.settings.home
    database = home / "jiebang.db"
    if database.exists() and not (home / DEMO_MARK).exists() and not args.force:
        fail(f"数据目录 {home} 中已有不是演示创建的数据库，演示不会删除它。请换一个目录（--home），"
             "或确认可以删除后加 --force。",
             f"{home} holds a database the demo did not create; the demo will not delete it. Use another "
             "--home, or add --force if it may be deleted.")
        return EXIT_USAGE
    foreign = demo_foreign_writes(database) if database.exists() else {}
    if foreign and not args.force:
        listed = "、".join(f"{who}：{n} 项" for who, n in foreign.items())
        fail(f"数据目录 {home} 的演示数据库里有演示之后写入的内容（{listed}），重建会删除它们。请换一个目录（--home），"
             "或确认可以删除后加 --force。",
             f"the demo database in {home} holds what was written after the demo ({sum(foreign.values())} changes "
             "by others); rebuilding would delete it. Use another --home, or add --force if it may be deleted.")
        return EXIT_USAGE
    tokens = demo_tokens(database) if database.exists() else []
    for name in ("jiebang.db", "jiebang.db-wal", "jiebang.db-shm"):
        (home / name).unlink(missing_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    (home / DEMO_MARK).write_text("jiebang demo: this folder's database was made by `jiebang demo`\n", encoding="utf-8")
    say(f"演示：全新的数据目录 {home}", f"Demo: fresh home {home}")
    session, campaign = ctx.open()
    with session:
        steps = ctx.services.intake_steps
        report = import_demands(session, campaign, demands_file, actor="demo", steps=steps,
                                show_progress=not args.quiet)
        print_import_report(report)
        for kind, filename in PEOPLE_FILES:
            if (samples / filename).is_file():
                print_import_report(import_people(session, samples / filename, kind, actor="demo",
                                                  show_progress=not args.quiet), kind)
        check = check_all(session, campaign, actor="demo", steps=steps, show_progress=not args.quiet)
        demands = queries.all_demands(session, campaign)
        _counts("按批次", "by batch", Counter(d.batch for d in demands))
        _counts("按地区", "by region", Counter(d.region for d in demands))
        _counts("按技术领域", "by area", Counter(d.area for d in demands))
        _counts("按归口处室", "by office", Counter(d.office for d in demands))
        print_check(check)
        quota = queries.quota_progress(session, campaign)
        print_quota(quota)
        condensed = ctx.services.condensation.run(session, actor="demo")
        common = ctx.services.condensation.common_problems(session)
        say(f"梳理凝练：{condensed['clusters']} 个类，未归类 {condensed['unclustered']} 条；共性技术问题（≥3 家企业）"
            f"{len(common)} 个：{'；'.join(c['name'] for c in common[:5])}",
            f"Condensation: {condensed['clusters']} clusters, {condensed['unclustered']} unclustered, "
            f"{len(common)} common problems.")
        print_unclustered_by_office(condensed)
        print_domain_summary(ctx.services.domains.suggest_round(session))
        out = home / DEMO_REPORT
        sheets = write_report(out, session, campaign, ctx.services.report_sheets)
    say(f"报告已写入 {out}（工作表：{'、'.join(sheets)}）。", f"Report written to {out}.")
    _demo_console(ctx, home, tokens)
    return EXIT_OK


#: What the demo may rebuild without asking: its own writes, the campaign row any start writes, and reads,
#: exports and re-checks by anyone (they create nothing). Tokens are carried over to the rebuilt database.
_HARMLESS = ("read%", "export%", "check")


def demo_foreign_writes(database: Path) -> dict[str, int]:
    """Who wrote what into a demo database after the demo made it (actor → number of audited writes)."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            query = ("SELECT actor, count(*) FROM audit_log WHERE actor != 'demo' AND entity NOT IN ('api_token', 'campaign') AND "
                     + " AND ".join("action NOT LIKE :h%d" % i for i in range(len(_HARMLESS))) + " GROUP BY actor")
            return dict(conn.execute(sa.text(query), {f"h{i}": h for i, h in enumerate(_HARMLESS)}).all())
    except sa.exc.SQLAlchemyError:  # not a database of ours: the demo's own mark says it made it
        return {}
    finally:
        engine.dispose()


def demo_tokens(database: Path) -> list[dict[str, Any]]:
    """The access tokens of a demo database (hashes only), to carry over when the demo rebuilds it: a token
    printed by an earlier run, or made with ``jiebang token create``, keeps working."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.text("SELECT * FROM api_tokens ORDER BY id"))]
    except sa.exc.SQLAlchemyError:
        return []
    finally:
        engine.dispose()


def _demo_console(ctx: Context, home: Path, tokens: list[dict[str, Any]]) -> None:
    """Carry the earlier tokens over, and print how to open the console on the demo data with a demo admin
    token (made in the demo database on the first run; later runs keep it valid)."""
    import sqlalchemy as sa

    from api.services.access import create_token

    with ctx.services.session() as session:
        for row in tokens:  # as stored (SQLite text for the times), into the same table of the new database
            columns = [c for c in row if c != "id"]
            session.execute(sa.text(f"INSERT INTO api_tokens ({', '.join(columns)}) VALUES "
                                    f"({', '.join(':' + c for c in columns)})"), {c: row[c] for c in columns})
        session.commit()
        earlier = [t for t in tokens if t.get("subject") == DEMO_ADMIN and not t.get("revoked_at")]
        if earlier:
            say(f"工作台：运行 jiebang --home {home} serve，然后打开 http://127.0.0.1:8000/console/ ，用第一次运行时打印的"
                f"管理员令牌登录（仍然有效，前缀 {earlier[-1]['prefix']}；其他令牌也已保留）。遗失时可运行 "
                f"jiebang --home {home} token create --role admin --subject 管理员",
                f"Console: run `jiebang --home {home} serve` and log in with the demo token printed before (still valid; "
                "every token of the demo database was kept).")
            return
        _, token = create_token(session, role="admin", subject=DEMO_ADMIN, actor="demo")
    say(f"工作台：运行 jiebang --home {home} serve，然后在浏览器打开 http://127.0.0.1:8000/console/ ，"
        f"用此令牌登录（样例数据库的管理员，再次运行演示后仍然有效）：{token}",
        f"Console: run `jiebang --home {home} serve`, open http://127.0.0.1:8000/console/ and log in with the "
        f"demo token shown (an admin of the demo database only; it stays valid when the demo runs again).")


def cmd_serve(ctx: Context, args: argparse.Namespace) -> int:
    import socket

    import uvicorn

    from api.compose import hand_to_workers
    from api.http.app import create_app
    from api.logging import uvicorn_log_config
    from api.store.engine import open_database

    try:  # a port in use is the service not running, said before the model loads
        with socket.create_server((args.host, args.port)):
            pass
    except OSError as exc:
        fail(f"无法在 {args.host}:{args.port} 启动服务（{exc.strerror or exc}）：端口可能已被占用，请换一个 --port。",
             f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc}); the port may be in use, try another --port.")
        return EXIT_FAILURE

    settings = ctx.settings
    # the schema is brought to head once, here, before any worker starts (each worker's own start then finds it
    # at head; the migration lock covers workers started by another supervisor as well)
    engine, _ = open_database(settings.db_url, lock_timeout_s=settings.lock_timeout_s)
    engine.dispose()
    say(f"服务启动：工作台 http://{args.host}:{args.port}/console/ ，接口文档 http://{args.host}:{args.port}/docs "
        f"（数据库 {settings.db_url.split('@')[-1]}，{args.workers} 个工作进程）",
        f"Serving the console and the API with {args.workers} worker process(es); press Ctrl+C to stop.")
    log_config = uvicorn_log_config(settings.log_level)
    if args.workers == 1:
        uvicorn.run(create_app(settings, served=True), host=args.host, port=args.port, log_config=log_config)
        return EXIT_OK
    # each worker process builds its app from the environment, as the composition root reads it
    hand_to_workers(settings)
    uvicorn.run("api.http.app:served_app", factory=True, workers=args.workers, host=args.host, port=args.port,
                log_config=log_config)
    return EXIT_OK


def _workers(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 64:
        raise argparse.ArgumentTypeError("1–64")
    return number


def add_parsers(sub: Any) -> None:
    """Register ``import``, ``export``, ``check``, ``demo`` and ``serve``."""
    p = sub.add_parser("import", help="导入文件（xlsx/csv/jsonl 汇总表，xlsx/docx 征集表，或其文件夹/zip）/ import a file")
    p.add_argument("file", help="要导入的文件、文件夹或 .zip / the file, folder or .zip")
    p.add_argument("--kind", choices=["demands", "experts", "expert_reviews", "solvers"], default="demands",
                   help="文件内容（默认 demands 需求）/ what the file holds")
    p.add_argument("--actor", default="cli", help="操作人（写入审计日志）/ who, for the audit log")
    p.add_argument("--json", action="store_true", help="以 JSON 输出报告 / print the report as JSON")
    p.add_argument("--allow-enterprise-change", action="store_true",
                   help="允许把已存储需求改为另一家企业（管理员更正）/ let rows move a stored demand to another enterprise")
    p.add_argument("--replace", action="store_true",
                   help="同一需求编号的行整条替换已存储的需求（默认只更新文件中有的列）/ a row replaces a stored "
                        "demand whole (default: only the file's columns change)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="导出全部需求 / export all demands")
    p.add_argument("file", help="输出文件 / output file")
    p.add_argument("--format", choices=["xlsx", "csv", "jsonl"], help="格式（默认按扩展名）/ format")
    p.add_argument("--include-personal", action="store_true",
                   help="包含个人信息（记入审计）/ include personal fields (audited)")
    p.add_argument("--actor", default="cli", help="操作人（写入审计日志）/ who, for the audit log")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("check", help="对已存储的需求重新检查规则 / re-run the rules on stored demands")
    p.add_argument("--actor", default="cli", help="操作人 / who, for the audit log")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 / print JSON")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("demo", help="演示：导入样例、检查规则、输出汇总和 Excel 报告 / run the demo")
    p.add_argument("--home", dest="demo_home", help=f"演示数据目录（默认 {DEMO_HOME}）/ demo home")
    p.add_argument("--samples", default=str(SAMPLES_DIR), help="样例数据目录 / sample folder")
    p.add_argument("--force", action="store_true",
                   help="数据目录中已有非演示数据库时仍删除并重建 / delete a database the demo did not create")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="启动 HTTP 服务 / run the HTTP API (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=port, default=8000)
    p.add_argument("--workers", type=_workers, default=1,
                   help="工作进程数（默认 1；PostgreSQL 上可多个）/ worker processes (several need PostgreSQL to help)")
    p.set_defaults(func=cmd_serve)

