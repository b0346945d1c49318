"""Background jobs (#21): how far an interrupted job got survives the process on SQLite, where the work's own
transaction holds the only write lock, so the job row cannot be updated while it runs."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from api.compose import build_services, load_settings
from tests.stores import services  # noqa: F401 - the claim test runs on PostgreSQL
from api.store import tables as db

_KILLED = r"""
import os, signal, sys, time
from pathlib import Path
from sqlalchemy import text
from api.compose import build_services, load_settings

services = build_services(load_settings({}).with_home(Path(sys.argv[1])))

def work(session, progress):
    session.execute(text("UPDATE campaigns SET code = code"))  # the write lock, held as an import holds it
    progress("import", 1200, 2290)  # the job row cannot take this on SQLite
    Path(sys.argv[1], "reported").touch()
    time.sleep(60)

with services.session() as s:
    services.jobs.submit(s, "import", {}, "t", work)
for _ in range(600):
    if Path(sys.argv[1], "reported").exists():
        os.kill(os.getpid(), signal.SIGKILL)  # kill -9 in the middle of the import
    time.sleep(0.05)
"""


def test_a_killed_job_on_sqlite_keeps_how_far_it_got(tmp_path) -> None:
    settings = load_settings({}).with_home(tmp_path / "home")  # SQLite whatever the test server
    home = settings.home
    home.mkdir(parents=True, exist_ok=True)
    child = subprocess.run([sys.executable, "-c", _KILLED, str(home)], timeout=120, capture_output=True,
                           cwd=Path(__file__).resolve().parents[1])
    assert child.returncode == -9, child.stderr.decode()[-2000:]
    services = build_services(settings)  # the next start
    try:
        with services.session() as s:
            services.jobs.recover(s)
            job = services.jobs.get(s, s.query(db.Job).one().id)
    finally:
        services.close()
    assert job["status"] == "failed" and job["error"]["code"] == "job_interrupted"
    assert (job["stage"], job["done"], job["total"]) == ("import", 1200, 2290)
    assert job["error"]["details"] == {"stage": "import", "done": 1200, "total": 2290}
    assert not list((home / "jobs").glob("*.json"))  # read once, then removed


def test_on_postgresql_any_worker_claims_a_queued_job_and_none_twice(services, tmp_path) -> None:
    """Two service instances over one PostgreSQL database (two workers): import jobs queued by a worker that
    could not run them (stopped, or gone before its pool started them) are claimed by the others' watchdog
    beat — each job by exactly one worker (FOR UPDATE SKIP LOCKED) — and run to the end."""
    import threading
    from dataclasses import replace

    import pytest

    from api.services.jobs import RUN_KEY
    from tests.demand_rows import make_row, write_jsonl

    if services.engine.dialect.name != "postgresql":
        pytest.skip("jobs are claimed from the database on PostgreSQL; SQLite keeps the in-process pool")
    other = build_services(replace(services.settings))
    other.__dict__["embedder"] = services.embedder
    try:
        ids = []
        with services.session() as s:
            for k in range(3):
                path = write_jsonl(tmp_path / f"f{k}.jsonl", [make_row(50 + 10 * k + i, 需求编号=f"J{k}-{i}") for i in range(3)])
                spec = {"path": str(path), "kind": "demands", "actor": "t", "source": path.name}
                job = db.Job(kind="import", status="queued", stage="queued", actor="t",
                             params={"file": path.name, RUN_KEY: {"spec": spec, "cleanup": []}})
                s.add(job)
                s.commit()
                ids.append(job.id)
        beats = [threading.Thread(target=w.jobs.beat) for w in (services, other) for _ in range(2)]
        for t in beats:
            t.start()
        for t in beats:
            t.join()
        for _ in range(1200):  # the claims run in the workers' pools: wait for the rows, bounded (2 minutes)
            with services.session() as s:
                if s.query(db.Job).filter(db.Job.id.in_(ids), db.Job.status.in_(("queued", "running"))).count() == 0:
                    break
            time.sleep(0.1)
        with services.session() as s:
            jobs = [services.jobs.get(s, i) for i in ids]
            rows = [s.get(db.Job, i) for i in ids]
            stored = sorted(d.external_id for d in s.query(db.Demand))
            runs = s.query(db.AuditEntry).filter(db.AuditEntry.action == "import").count()
    finally:
        other.close()
    assert [j["status"] for j in jobs] == ["done"] * 3, [j["error"] for j in jobs]
    assert all(r.attempts == 1 and r.owner for r in rows)
    assert stored == sorted(f"J{k}-{i}" for k in range(3) for i in range(3)) and runs == 3  # each file imported once
    assert all(RUN_KEY not in j["params"] for j in jobs)  # the server path is never shown
