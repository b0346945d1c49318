"""Task ``console``, dataset ``render-5k``: how long the console's two busiest pages take with 5,000 demands.

5,000 demands (the texts and invented enterprises of ``condense-5k``; the last 200 are resubmissions of
earlier ones, so the duplicate queue is not empty) are stored in a fresh SQLite home, and a batch
de-duplication run is stored. Then the real app (``TestClient``, the composition root's services, the
duplicate index built at start as ``jiebang serve`` does) is logged in as staff and each page is
requested 5 times: metrics ``demand_list_seconds`` (the 需求 list, first page of 50 with facets) and
``dedup_queue_seconds`` (the 查重 queue: latest run, the focused pair side by side with its evidence),
the median of the 5. Target: at most 1 s each on 2 cores.
"""
from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Context, Row
from bench.condense_speed import N, _texts, make_rows

REPEATS = 5
RESUBMITTED = 200


def _timed(client, path: str, must: str) -> float:
    """Median seconds of ``REPEATS`` requests of ``path``, whose page must contain ``must``."""
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        r = client.get(path)
        times.append(time.perf_counter() - started)
        if r.status_code != 200 or must not in r.text:
            raise RuntimeError(f"{path}: {r.status_code}, {must!r} not on the page: {r.text[:300]}")
    return statistics.median(times)


def run(ctx: Context) -> list[Row]:
    from fastapi.testclient import TestClient

    from api.compose import build_services, load_settings
    from api.http.app import create_app
    from api.services.access import create_token
    from api.services.imports import import_demands

    rows = make_rows(_texts(ctx))
    for n in range(RESUBMITTED):  # resubmissions: the same text under another number
        rows[N - RESUBMITTED + n] = {**rows[n], "需求编号": f"R-{n:05d}"}
    with tempfile.TemporaryDirectory(prefix="jiebang-console-") as tmp:
        home = Path(tmp)
        data = home / "round.jsonl"
        data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        started = time.perf_counter()
        services = build_services(load_settings(home=home))
        with services.session() as session:
            report = import_demands(session, services.campaign, data, actor="bench", steps=())
            if report.new != N:
                raise RuntimeError(f"render-5k: {report.new} of {N} demands stored ({report.rejected[:3]})")
            groups = services.dedup_runs.run(session, actor="bench")["groups"]
            token = create_token(session, role="staff", subject="bench")[1]
        print(f"[render-5k] stored {report.new} demands and a de-dup run ({len(groups)} groups) in "
              f"{time.perf_counter() - started:.1f}s", file=sys.stderr)
        with TestClient(create_app(services=services)) as client:
            form = client.get("/console/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            client.post("/console/login", data={"token": token, "csrf": csrf})
            listing = _timed(client, "/console/demands", f"符合条件 {N} 条")
            queue = _timed(client, "/console/dedup", 'id="queue-focus"')
            filtered = _timed(client, "/console/demands?region=大连市&batch=第二批&sort=-submitted&page=2", "第 2 /")
        services.close()
    print(f"[render-5k] demand list {listing:.3f}s (filtered {filtered:.3f}s), dedup queue {queue:.3f}s",
          file=sys.stderr)
    return [Row("console", "render-5k", "jiebang", "demand_list_seconds", listing),
            Row("console", "render-5k", "jiebang", "demand_list_filtered_seconds", filtered),
            Row("console", "render-5k", "jiebang", "dedup_queue_seconds", queue)]
