"""Engine, sessions and schema upgrades: SQLite file by default (WAL journal, foreign keys on),
PostgreSQL by URL. The composition root opens the database once per process."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from functools import partial

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from api.store.locks import install_write_gate, migration_lock
from api.store.migrations import upgrade_to_head

#: How long a statement waits for another writer's lock before it gives up (503 lock_timeout, Retry-After).
DEFAULT_LOCK_TIMEOUT_S = 10.0


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, busy_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    cursor.close()


def make_engine(url: str, *, echo: bool = False, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> Engine:
    """An engine for ``url``; SQLite gets WAL + foreign keys, and its parent folder is created. Lock waits
    are bounded by ``lock_timeout_s`` (SQLite ``busy_timeout``, PostgreSQL ``lock_timeout``)."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    wait_ms = max(1, int(lock_timeout_s * 1000))
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
        if parsed.get_backend_name() == "postgresql":
            kwargs["connect_args"] = {"options": f"-c lock_timeout={wait_ms}", "connect_timeout": 5}
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", partial(_sqlite_pragmas, busy_ms=wait_ms))
    return engine


def session_factory(engine: Engine, *, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> sessionmaker[Session]:
    """A session factory bound to ``engine`` (objects stay readable after commit); on SQLite its sessions
    share one write gate (:class:`api.store.locks.WriteGate`)."""
    factory = sessionmaker(bind=engine, expire_on_commit=False, future=True)
    if engine.dialect.name == "sqlite":
        install_write_gate(factory, lock_timeout_s)
    return factory


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest Alembic revision (idempotent; runs at every start) under a
    database-wide lock, so that workers starting together migrate once (:func:`api.store.locks.migration_lock`)."""
    with migration_lock(engine):
        upgrade_to_head(engine)


def open_database(url: str, *, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> tuple[Engine, sessionmaker[Session]]:
    """Engine + session factory for ``url``, with the schema upgraded to head."""
    engine = make_engine(url, lock_timeout_s=lock_timeout_s)
    migrate(engine)
    return engine, session_factory(engine, lock_timeout_s=lock_timeout_s)
