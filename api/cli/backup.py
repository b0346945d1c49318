"""``jiebang backup FILE`` / ``jiebang restore FILE``: the whole database, consistent while the service runs
(SQLite online backup API; pg_dump / pg_restore for PostgreSQL), restored into an empty home only."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from api.cli.common import EXIT_OK, Context, say
from api.store.backup import backup, restore


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    target = backup(ctx.settings.db_url, Path(args.file))
    say(f"已备份到 {target}（{target.stat().st_size // 1024} KB）。", f"Backed up to {target}.")
    return EXIT_OK


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    restore(Path(args.file), ctx.settings.db_url)
    say(f"已从 {args.file} 恢复到 {ctx.settings.db_url.split('@')[-1]}。", f"Restored from {args.file}.")
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    """Register ``backup`` and ``restore``."""
    p = sub.add_parser("backup", help="备份整个数据库（服务运行时也一致）/ back up the whole database")
    p.add_argument("file", help="备份文件 / backup file")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="把备份恢复到空的数据目录或空数据库 / restore a backup into an empty home")
    p.add_argument("file", help="备份文件 / backup file")
    p.set_defaults(func=cmd_restore)
