"""Storage: migrations to a single head, SQLite pragmas, idempotent intake, audit log, persistence."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from api.config import Settings
from api.services import audit, intake, intake_check
from api.services.campaign import load_campaign
from api.store import tables as db
from api.store.engine import migrate, open_database
from api.store.migrations import alembic_config, current_revision, head_revision
from api.forms.models import DemandRecord
from tests.demand_rows import CONTACT_MOBILE, CONTACT_NAME, make_row

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def database(settings: Settings):
    engine, sessions = open_database(settings.db_url)
    with sessions() as session:
        campaign = load_campaign(session, settings.campaign_file)
    yield engine, sessions, campaign
    engine.dispose()


def test_migrations_single_head_and_sqlite_pragmas(database) -> None:
    engine, _sessions, _campaign = database
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
    assert current_revision(engine) == head_revision()
    migrate(engine)  # running again at the next start is a no-op
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert {"campaigns", "enterprises", "demands", "findings", "experts", "expert_reviews", "solvers",
            "audit_log", "duplicate_decisions", "assignment_runs", "assignments"} <= tables


def test_intake_is_idempotent_and_updates_in_place(database) -> None:
    _engine, sessions, campaign = database
    row = make_row(1)
    with sessions() as s:
        first = intake.submit_demand(s, campaign, row, actor="t")
        again = intake.submit_demand(s, campaign, row, actor="t")
        changed = intake.submit_demand(s, campaign, {**row, "需求描述": "改写后的需求描述。"}, actor="t")
        assert (first.outcome, again.outcome, changed.outcome) == ("new", "unchanged", "updated")
        assert first.demand.id == again.demand.id == changed.demand.id
        # no 需求编号: the content hash recognises the same record
        anonymous = make_row(2, 需求编号=None)
        assert intake.submit_demand(s, campaign, anonymous, actor="t").outcome == "new"
        assert intake.submit_demand(s, campaign, anonymous, actor="t").outcome == "unchanged"
        assert s.scalar(select(func.count()).select_from(db.Demand)) == 2
        assert s.get(db.Demand, first.demand.id).record["需求描述"] == "改写后的需求描述。"


def test_third_demand_of_an_enterprise_is_kept_and_flagged(database) -> None:
    _engine, sessions, campaign = database
    with sessions() as s:
        results = [intake.submit_demand(s, campaign, make_row(5, 需求编号=f"E-{i}", 需求名称=f"需求{i}"),
                                         actor="t") for i in range(3)]
        assert [r.demand.check_status for r in results] == ["ok", "ok", "error"]
        assert [f.rule_id for f in results[2].findings] == ["max_demands_per_enterprise"]
        assert len({r.demand.enterprise_id for r in results}) == 1
        # re-checking the stored demands gives the same verdict (earlier demands count, later do not)
        report = intake_check.check_all(s, campaign, actor="t")
        assert report.by_status == {"ok": 2, "warning": 0, "error": 1}
        assert report.changed == 0


def test_audit_log_keeps_recoverable_before_images(database) -> None:
    _engine, sessions, campaign = database
    with sessions() as s:
        result = intake.submit_demand(s, campaign, make_row(7), actor="clerk-1")
        intake.submit_demand(s, campaign, make_row(7, 需求名称="改名后的需求", 联系人手机="13700000000"), actor="clerk-2")
        entries = audit.list_audit(s, entity="demand", entity_id=result.demand.id)
    assert [(e.actor, e.action) for e in entries] == [("clerk-2", "update"), ("clerk-1", "create")]
    assert entries[0].before["record"]["需求名称"] != entries[0].after["record"]["需求名称"]
    # the overwritten contact is recoverable from the before-image (the log is admin-only) ...
    assert entries[0].before["record"]["联系人手机"] == CONTACT_MOBILE
    assert entries[0].after["record"]["联系人手机"] == "13700000000"
    # ... and masked wherever it is shown to anyone else
    masked = json.dumps(audit.redacted(entries[0].before["record"]), ensure_ascii=False)
    assert CONTACT_NAME not in masked and CONTACT_MOBILE not in masked


def test_sqlite_file_persists_across_processes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    script = textwrap.dedent("""
        import json, sys
        from api.compose import build_services, load_settings
        from api.services.demands import list_demands
        from api.services.intake import submit_demand
        services = build_services(load_settings({}).with_home(__import__("pathlib").Path(sys.argv[1])))
        with services.session() as s:
            if sys.argv[2] == "write":
                submit_demand(s, services.campaign, json.loads(sys.argv[3]), actor="proc-1")
            total, page = list_demands(s, services.campaign)
            print(json.dumps({"total": total, "ids": [d.external_id for d in page]}))
        services.close()
    """)
    row = json.dumps(make_row(3), ensure_ascii=False)
    run = lambda *a: subprocess.run([sys.executable, "-c", script, str(home), *a], cwd=REPO_ROOT,  # noqa: E731
                                    capture_output=True, text=True, check=True)
    assert json.loads(run("write", row).stdout.splitlines()[-1]) == {"total": 1, "ids": ["T-003"]}
    assert json.loads(run("read").stdout.splitlines()[-1]) == {"total": 1, "ids": ["T-003"]}
    assert (home / "jiebang.db").is_file()


def test_records_validate_from_stored_json(database) -> None:
    _engine, sessions, campaign = database
    with sessions() as s:
        demand = intake.submit_demand(s, campaign, make_row(9), actor="t").demand
        again = DemandRecord.model_validate(s.get(db.Demand, demand.id).record)
    assert intake.content_hash(intake.record_data(again)) == demand.content_hash


@pytest.mark.skipif(not __import__("os").environ.get("JIEBANG_TEST_DATABASE_URL"),
                    reason="set JIEBANG_TEST_DATABASE_URL (e.g. a throw-away PostgreSQL database) to run")
def test_other_database_by_url(settings: Settings) -> None:
    """The same intake on a server database (PostgreSQL): migrations, JSON columns, idempotency."""
    import os
    from dataclasses import replace

    url = os.environ["JIEBANG_TEST_DATABASE_URL"]
    engine, sessions = open_database(url)
    try:
        with sessions() as s:
            campaign = load_campaign(s, replace(settings, database_url=url).campaign_file)
            row = make_row(800 + s.scalar(select(func.count()).select_from(db.Demand)))
            assert intake.submit_demand(s, campaign, row, actor="t").outcome == "new"
            assert intake.submit_demand(s, campaign, row, actor="t").outcome == "unchanged"
    finally:
        engine.dispose()


def test_log_lines_mask_phones_and_emails() -> None:
    import logging

    from api.logging import RedactingFilter

    record = logging.LogRecord("t", logging.INFO, __file__, 1, "contact %s / %s / %s", (
        CONTACT_MOBILE, "024-23456789", "wxm@example.cn"), None)
    assert RedactingFilter().filter(record)
    message = record.getMessage()
    assert CONTACT_MOBILE not in message and "23456789" not in message and "example.cn" not in message
    assert message.startswith("contact ***")


def test_start_up_logs_no_alarming_lines() -> None:
    """faiss's CPU-feature probe ("Could not load library with AVX512 support") is not an error to show."""
    script = "from api.logging import setup_logging; setup_logging('INFO'); import faiss; faiss.IndexFlatIP(4)"
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert "AVX512" not in run.stderr and "Could not load" not in run.stderr and "Error" not in run.stderr


def test_access_log_lines_survive_the_redacting_filter() -> None:
    """uvicorn's access formatter unpacks the record's arguments: the filter masks them in place (it used to
    clear them, and every access-log line raised a logging error)."""
    import logging
    import logging.config

    from api.logging import uvicorn_log_config

    config = uvicorn_log_config("INFO")
    logging.config.dictConfig(config)
    handler = logging.getLogger("uvicorn.access").handlers[0]
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', (
        "127.0.0.1:5000", "GET", f"/demands?tel={CONTACT_MOBILE}", "1.1", 200), None)
    assert all(f.filter(record) for f in handler.filters)
    line = handler.format(record)
    assert '"GET /demands?tel=*** HTTP/1.1" 200' in line and CONTACT_MOBILE not in line
