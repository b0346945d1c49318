"""SQL statements per intake: one submission through :func:`api.services.intake.submit_demand`, and per row
of a file through :func:`api.services.imports.import_demands` (counted with a SQLAlchemy event listener on the
engine; the statement kinds are the first words of each statement).

    python -m bench.statements [--submissions 20] [--rows 200] [--database-url URL]
"""
from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import event

from bench.import_speed import demand_rows
from corpora.demand_rows import write_jsonl


def _kind(statement: str) -> str:
    words = re.sub(r"\s+", " ", statement.strip()).split(" ")
    head = " ".join(words[:3]) if words[0].upper() in ("INSERT", "DELETE") else " ".join(words[:1])
    if words[0].upper() == "UPDATE":
        head = " ".join(words[:2])
    if words[0].upper() == "SELECT":
        table = re.search(r"\bFROM (\w+)", statement)
        head = f"SELECT {table.group(1) if table else ''}"
    return head


def measure(submissions: int, rows: int, database_url: str | None = None) -> dict[str, object]:
    from api.compose import build_services, load_settings
    from api.services.imports import import_demands
    from api.services.intake import submit_demand

    data = demand_rows(submissions + rows, seed=1)
    with tempfile.TemporaryDirectory(prefix="jiebang-stmts-") as tmp:
        env = {"JIEBANG_DATABASE_URL": database_url} if database_url else {}  # an empty database
        services = build_services(load_settings(env).with_home(Path(tmp) / "home"))
        counts: Counter[str] = Counter()
        event.listen(services.engine, "before_cursor_execute",
                     lambda conn, cursor, statement, *a: counts.update([_kind(statement)]))
        try:
            for row in data[:3]:  # warm: the duplicate index is built on the first check
                with services.session() as session:
                    submit_demand(session, services.campaign, row, actor="bench", steps=services.intake_steps)
            counts.clear()
            for row in data[3:submissions]:
                with services.session() as session:
                    submit_demand(session, services.campaign, row, actor="bench", steps=services.intake_steps)
            per_submission = {k: round(v / (submissions - 3), 2) for k, v in counts.most_common()}
            total_submission = sum(counts.values()) / (submissions - 3)
            counts.clear()
            path = write_jsonl(Path(tmp) / "file.jsonl", data[submissions:])
            with services.session() as session:
                import_demands(session, services.campaign, path, actor="bench", steps=services.intake_steps)
            per_row = {k: round(v / rows, 3) for k, v in counts.most_common()}
            return {"per_submission": round(total_submission, 2), "submission_kinds": per_submission,
                    "per_import_row": round(sum(counts.values()) / rows, 3), "import_kinds": per_row}
        finally:
            services.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.submissions, args.rows, args.database_url), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
