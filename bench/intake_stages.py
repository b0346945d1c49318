"""Where one submission's time goes: POST /demands through the real app (FastAPI TestClient, one client) on a store
seeded with ``--seed-rows`` demands, as wall-clock ms per submission for each stage of intake, and how long the
campaign's intake lock is held (from the lock statement to the end of the commit). Stages are timed by wrapping the
intake functions in place, in this process only; a stage's time includes the stages indented under it.

    python -m bench.intake_stages [--seed-rows 10000] [--submissions 60] [--database-url URL] [--json out.json]

Without ``--database-url``: a fresh SQLite home in a temporary folder. With one: it must be an EMPTY throw-away
PostgreSQL database (it is seeded and written to). Seeding imports :func:`bench.import_speed.demand_rows`.
"""
from __future__ import annotations

import argparse
import functools
import importlib
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from bench.import_speed import demand_rows
from corpora.demand_rows import make_row, write_jsonl

#: (module, owner class or None, function, label); indentation in the label shows what runs inside what.
STAGES = (
    ("api.services.intake", None, "parse_record", "validation of the record (service)"),
    ("api.services.intake", None, "prepare_intake", "A before the lock: prepare_intake"),
    ("api.services.duplicates", "DuplicateService", "sync", "  duplicate index sync (both phases)"),
    ("api.services.duplicates", "DuplicateService", "encode", "  encode the text (embedder)"),
    ("api.services.intake", None, "intake_record", "B under the lock: intake_record"),
    ("api.services.intake", None, "stored_match", "  read the stored demand (需求编号 / content)"),
    ("api.services.intake", None, "upsert_enterprise", "  enterprise select + insert/update"),
    ("api.services.intake", None, "earlier_demands_of", "  count the enterprise's demands"),
    ("api.services.intake", None, "run_steps", "  intake steps"),
    ("api.services.duplicates", "DuplicateService", "intake_step", "    duplicate step"),
    ("api.services.duplicates", "DuplicateService", "candidates", "      sync + search + candidate rows"),
)


class Stages:
    """Wall time per label, and the time the intake lock was held, summed over the submissions."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.statements = 0
        self._locked_at: float | None = None

    def wrap(self, module: str, owner: str | None, name: str, label: str) -> None:
        target = importlib.import_module(module)
        target = getattr(target, owner) if owner else target
        original = getattr(target, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started
        setattr(target, name, timed)

    def watch(self, engine: Any) -> None:
        def executed(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            self.statements += 1
            if "pg_advisory_xact_lock" in statement or "UPDATE campaigns SET code = code" in statement:
                self._locked_at = time.perf_counter()
        event.listen(engine, "after_cursor_execute", executed)
        commit = Session.commit

        def timed_commit(session: Session) -> None:
            started = time.perf_counter()
            try:
                commit(session)
            finally:
                now = time.perf_counter()
                self.seconds["C commit (flush + COMMIT)"] += now - started
                if self._locked_at is not None:
                    self.seconds["L lock held (lock statement → end of commit)"] += now - self._locked_at
                    self._locked_at = None
        Session.commit = timed_commit  # type: ignore[method-assign]

    def reset(self) -> None:
        self.seconds.clear()
        self.statements = 0


def measure(seed_rows: int, submissions: int, database_url: str | None = None) -> list[dict[str, Any]]:
    from fastapi.testclient import TestClient

    from api.compose import build_services, load_settings
    from api.http.app import create_app
    from api.services.imports import import_demands

    token = "bench-intake-stages-admin-token-0123456789"
    env = {"JIEBANG_ADMIN_TOKEN": token, "JIEBANG_LOG_LEVEL": "WARNING"}
    if database_url:
        env["JIEBANG_DATABASE_URL"] = database_url
    with tempfile.TemporaryDirectory(prefix="jiebang-stages-") as tmp:
        services = build_services(load_settings(env).with_home(Path(tmp) / "home"))
        try:
            if seed_rows:
                path = write_jsonl(Path(tmp) / "seed.jsonl", demand_rows(seed_rows, seed=7))
                with services.session() as session:
                    import_demands(session, services.campaign, path, actor="bench", steps=services.intake_steps)
            services.warm_up()
            stages = Stages()
            for stage in STAGES:
                stages.wrap(*stage)
            stages.watch(services.engine)
            rows = [make_row(i, 需求编号=f"P-{i}", 需求名称=f"第{i}号剖析需求",
                             需求描述=f"第{i}号课题：面向储能装备的第{i}类关键部件精密加工技术研究，指标{i % 97}项。")
                    for i in range(submissions + 5)]
            headers = {"Authorization": f"Bearer {token}"}
            with TestClient(create_app(services=services)) as client:
                for i, row in enumerate(rows):
                    if i == 5:  # the first few warm the caches
                        stages.reset()
                        started = time.perf_counter()
                    response = client.post("/demands", json=row, headers=headers)
                    assert response.status_code == 200, response.text
                stages.seconds["Z whole request"] = time.perf_counter() - started
        finally:
            services.close()
    order = [label for *_, label in STAGES]  # as they run (what runs inside a stage is indented under it)
    out = [{"stage": k, "ms_per_submission": round(1000 * v / submissions, 2)} for k, v in
           sorted(stages.seconds.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]))]
    out.append({"stage": "statements per submission", "ms_per_submission": round(stages.statements / submissions, 1)})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed-rows", type=int, default=10_000)
    parser.add_argument("--submissions", type=int, default=60)
    parser.add_argument("--database-url", help="an EMPTY throw-away PostgreSQL database (default: SQLite in a temp folder)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    table = measure(args.seed_rows, args.submissions, args.database_url)
    for row in table:
        print(f"{row['stage']:<48}{row['ms_per_submission']:>10}")
    if args.json:
        args.json.write_text(json.dumps(table, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
