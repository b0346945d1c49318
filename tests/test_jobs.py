"""Background jobs (#21): how far an interrupted job got survives the process on SQLite, where the work's own
transaction holds the only write lock, so the job row cannot be updated while it runs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from api.compose import build_services
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


def test_a_killed_job_on_sqlite_keeps_how_far_it_got(settings) -> None:
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
