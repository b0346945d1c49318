"""The stores a storage test runs on: SQLite always, and PostgreSQL too when ``JIEBANG_TEST_DATABASE_URL``
names a server (each test gets a fresh database there, dropped afterwards)."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ENV = "JIEBANG_TEST_DATABASE_URL"
STORES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not os.environ.get(PG_ENV), reason=f"set {PG_ENV} (a throw-away PostgreSQL server) to run on PostgreSQL"))]


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """A new empty database on the server of ``JIEBANG_TEST_DATABASE_URL``; its URL, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(os.environ[PG_ENV])
    name = f"jb_test_{uuid.uuid4().hex[:12]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def store_url(kind: str, sqlite_url: str) -> Iterator[str]:
    """The database URL of ``kind`` (``sqlite``: the given file URL; ``postgresql``: a fresh database)."""
    if kind == "sqlite":
        yield sqlite_url
    else:
        with fresh_postgres() as url:
            yield url


@pytest.fixture(params=STORES)
def services(request, settings, embedder):
    """The composition root's services on each store (the session's embedder, so the model loads once);
    import this fixture into a test module to run its tests on SQLite and PostgreSQL."""
    from dataclasses import replace

    from api.compose import build_services

    sqlite_url = f"sqlite:///{(settings.home / 'jiebang.db').as_posix()}"
    with store_url(request.param, sqlite_url) as url:
        built = build_services(replace(settings, database_url=url, lock_timeout_s=20.0, admin_token="t-admin"))
        built.__dict__["embedder"] = embedder
        try:
            yield built
        finally:
            built.close()
