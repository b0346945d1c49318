"""Backup and restore of the whole database, consistent while the service keeps writing.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot, WAL
included — a plain file copy during writes loses what is still in the ``-wal`` file. PostgreSQL:
``pg_dump --format=custom`` (one consistent snapshot) and ``pg_restore`` into an empty database.
A restore goes into an EMPTY database only (never over a live one) and then upgrades the schema to head,
so a backup made by an older release restores into a newer one.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from api.errors import Conflict, InvalidInput
from api.store.engine import make_engine, migrate

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


def _pg_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: on the PATH, or the newest of Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise InvalidInput(f"找不到 {name}：请安装 PostgreSQL 客户端（postgresql-client）。",
                           f"{name} not found: install the PostgreSQL client tools (postgresql-client).",
                           code="tool_missing")
    return str(candidates[-1])


@contextmanager
def _pg_target(url: str) -> Iterator[list[str]]:
    """pg_dump / pg_restore arguments naming the database of ``url``; a password goes through a private
    libpq passfile for the duration of the call (never on the command line, where ps would show it)."""
    parsed = make_url(url)
    conninfo = {"host": parsed.host or "127.0.0.1", "port": str(parsed.port or 5432),
                "user": parsed.username or "postgres", "dbname": parsed.database or "postgres"}
    with tempfile.TemporaryDirectory(prefix="jiebang-pg-") as folder:
        if parsed.password:
            passfile = Path(folder) / "pgpass"
            fields = [conninfo[k].replace("\\", "\\\\").replace(":", "\\:") for k in ("host", "port", "dbname", "user")]
            passfile.write_text(":".join([*fields, parsed.password.replace("\\", "\\\\").replace(":", "\\:")]) + "\n")
            passfile.chmod(0o600)
            conninfo["passfile"] = str(passfile)
        quoted = {k: v.replace("\\", "\\\\").replace("'", "\\'") for k, v in conninfo.items()}
        yield ["--dbname", " ".join(f"{k}='{v}'" for k, v in quoted.items())]


def backup(url: str, target: Path) -> Path:
    """Write a consistent backup of the database at ``url`` to ``target`` (overwritten)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
    elif backend == "postgresql":
        with _pg_target(url) as target_args:
            subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial),
                            *target_args], check=True, capture_output=True)
    else:
        raise InvalidInput(f"不支持备份该数据库：{backend}", f"backup of a {backend} database is not supported")
    os.replace(partial, target)  # a backup file is whole or absent
    return target


def _is_empty(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return not [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
    finally:
        engine.dispose()


def restore(source: Path, url: str) -> None:
    """Restore the backup ``source`` into the EMPTY database at ``url``, then upgrade it to head."""
    source = Path(source)
    head = source.read_bytes()[:16] if source.is_file() else b""
    if not head:
        raise FileNotFoundError(str(source))
    backend = make_url(url).get_backend_name()
    expected = SQLITE_MAGIC if backend == "sqlite" else PG_MAGIC
    if not head.startswith(expected):
        raise InvalidInput("该文件不是本数据库类型的 jiebang 备份。",
                           f"The file is not a backup of a {backend} database (made by `jiebang backup`).",
                           {"file": source.name}, code="backup_invalid")
    if backend == "sqlite" and _sqlite_path(url).exists() and not _is_empty(url):
        raise Conflict("目标数据库已有数据：只能恢复到空的数据目录（请换一个 --home）。",
                       "The target database is not empty: restore into an empty home (use another --home).",
                       code="restore_target_not_empty")
    if backend == "postgresql" and not _is_empty(url):
        raise Conflict("目标数据库已有数据：只能恢复到空数据库。",
                       "The target database is not empty: restore into an empty database.",
                       code="restore_target_not_empty")
    if backend == "sqlite":
        path = _sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dest = sqlite3.connect(path)
        try:
            src.backup(dest)
        finally:
            dest.close()
            src.close()
    else:
        with _pg_target(url) as target_args:
            subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", *target_args, str(source)],
                           check=True, capture_output=True)
    engine = make_engine(url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
