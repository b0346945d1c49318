"""`jiebang backup` while a writer keeps committing, then `jiebang restore` into an empty home (SQLite: the
online backup API, WAL included; PostgreSQL with JIEBANG_TEST_DATABASE_URL: pg_dump / pg_restore)."""
from __future__ import annotations

import threading
from dataclasses import replace

from sqlalchemy import select

from api.cli import main
from api.compose import build_services
from api.services.intake import submit_demand
from api.store import tables as db
from tests.demand_rows import make_row
from tests.stores import fresh_postgres


def _cli(settings, *args: str) -> int:
    return main(["--home", str(settings.home), "--database-url", settings.db_url, "-q", *args])


def _ids(settings) -> set[str]:
    services = build_services(settings)
    try:
        with services.session() as s:
            return set(s.scalars(select(db.Demand.external_id)))
    finally:
        services.close()


def test_backup_during_writes_restores_everything_committed_before_it(settings, tmp_path) -> None:
    services = build_services(settings)
    committed: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 400:
            n += 1
            with services.session() as s:
                submit_demand(s, services.campaign, make_row(n), actor="writer")
            committed.append(f"T-{n:03d}")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(committed) < 20:
            stop.wait(0.02)
        before = set(committed)
        assert _cli(settings, "backup", str(tmp_path / "jiebang.backup")) == 0
    finally:
        stop.set()
        thread.join()
        services.close()
    after = set(committed)

    empty = replace(settings, home=tmp_path / "restored")
    if settings.database_url:
        with fresh_postgres() as url:
            restored = _restore_and_read(replace(empty, database_url=url), tmp_path)
    else:
        restored = _restore_and_read(empty, tmp_path)
    assert before <= restored <= after  # nothing acknowledged before the backup is missing, nothing invented
    assert _cli(settings, "restore", str(tmp_path / "jiebang.backup")) == 2  # refused: never over a database with data


def _restore_and_read(target, tmp_path) -> set[str]:
    assert _cli(target, "restore", str(tmp_path / "jiebang.backup")) == 0
    return _ids(target)
