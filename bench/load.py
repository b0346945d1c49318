"""Bounded loopback load against a running ``jiebang serve`` (it stops by itself: ``--seconds`` and
``--max-requests``): concurrent clients submit demands (intake checks on), update them with their version
(If-Match), and list; a share of the submissions are planted duplicates (the text of an earlier one under
another enterprise), the others have descriptions of their own (:func:`bench.import_speed.own_description`).
Then it verifies, through the API, that every acknowledged write is stored exactly once, that every planted
duplicate was flagged and how many of the others were (``others_flagged``: false alarms), and prints a table
(throughput, p50/p95/p99 per operation, statuses) — ``--json FILE`` writes it too. ``--import-rows N`` also uploads an N-row demand file
as an import job when the load starts (:func:`bench.import_speed.demand_rows`) and reports how long the job
ran, how far it got, and the submissions' latency while it ran (``submit_during_import``). The load generator
shares the machine's cores with the server, so the report says what each side spent: ``--cpu-pid PID`` (the
server's master process, the database's postmaster; repeatable) adds the CPU seconds of each process tree over
the run and per acknowledged submission, beside the generator's own (``cpu``).

    jiebang --database-url postgresql+psycopg://… serve --workers 4 --port 8765 &
    python -m bench.load --url http://127.0.0.1:8765 --token ADMIN_TOKEN --clients 16 --seconds 30 \
        --cpu-pid SERVER_PID --cpu-pid POSTMASTER_PID

Only 127.0.0.1 / localhost URLs are accepted.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import numpy as np

from bench.import_speed import demand_rows, own_description
from corpora.demand_rows import make_row

DOCUMENTED = {200, 409, 503}  # 409 stale version / conflict, 503 busy with Retry-After


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and every living descendant (with their reaped children), from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    ticks: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state ppid ...
        children[int(fields[1])].append(int(entry))
        ticks[int(entry)] = sum(float(x) for x in fields[11:15])  # utime stime cutime cstime
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += ticks.get(p, 0.0)
        todo.extend(children.get(p, []))
    return total / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Load:
    def __init__(self, url: str, token: str, clients: int, seconds: float, max_requests: int, seed: int,
                 duplicate_share: float):
        self.url, self.clients, self.seconds, self.max_requests = url, clients, seconds, max_requests
        self.headers = {"Authorization": f"Bearer {token}"}
        self.rng = random.Random(seed)
        self.duplicate_share = duplicate_share
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: Counter[tuple[str, int]] = Counter()
        self.acked: dict[str, int] = {}  # external id -> demand id
        self.planted: dict[str, str] = {}  # external id of a planted duplicate -> of its original
        self.texts: list[tuple[str, str]] = []  # (external id, description) of acknowledged originals
        self.sent = 0
        self.base = int(time.time()) % 100_000 * 10_000
        self.job: dict[str, Any] = {}  # the import job run beside the load: id, start, end (perf_counter)
        self.submitted_at: list[tuple[float, float]] = []  # (start, latency) of each submission

    def _record(self, op: str, started: float, status: int) -> None:
        with self.lock:
            self.latency[op].append(time.perf_counter() - started)
            self.status[(op, status)] += 1

    def _next(self) -> int | None:
        with self.lock:
            if self.sent >= self.max_requests:
                return None
            self.sent += 1
            return self.base + self.sent

    def client(self, deadline: float) -> None:
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=60) as http:
            while time.monotonic() < deadline:
                n = self._next()
                if n is None:
                    return
                roll = self.rng.random()
                if roll < 0.6:
                    self.submit(http, n)
                elif roll < 0.8:
                    self.update(http)
                else:
                    started = time.perf_counter()
                    r = http.get("/demands", params={"limit": 20, "offset": self.rng.randrange(0, 200)})
                    self._record("list", started, r.status_code)

    def submit(self, http: httpx.Client, n: int) -> None:
        original = None
        with self.lock:
            if self.texts and self.rng.random() < self.duplicate_share:
                original = self.rng.choice(self.texts)
            text = original[1] if original else own_description(self.rng)
        row = make_row(n % 10_000_000, 需求编号=f"L-{n}", 需求描述=text, 需求名称=f"第{n}号{text[2:12]}需求")
        started = time.perf_counter()
        r = http.post("/demands", json=row)
        self._record("submit", started, r.status_code)
        with self.lock:
            self.submitted_at.append((started, time.perf_counter() - started))
        if r.status_code == 200:
            body = r.json()
            with self.lock:
                self.acked[f"L-{n}"] = body["demand"]["id"]
                if original:
                    self.planted[f"L-{n}"] = original[0]
                else:
                    self.texts.append((f"L-{n}", text))

    def update(self, http: httpx.Client) -> None:
        with self.lock:
            if not self.acked:
                return
            external_id, demand_id = self.rng.choice(sorted(self.acked.items()))
        started = time.perf_counter()
        got = http.get(f"/demands/{demand_id}")
        if got.status_code != 200:
            self._record("update", started, got.status_code)
            return
        n = int(external_id.split("-")[1])
        row = make_row(n % 10_000_000, 需求编号=external_id, 需求描述=got.json()["record"]["需求描述"],
                       需求名称=f"第{n}号负载测试需求（第{self.rng.randrange(1000)}次修改）")
        r = http.post("/demands", json=row, headers={"If-Match": got.headers.get("ETag", "")})
        self._record("update", started, r.status_code)

    def import_job(self, rows: int, deadline: float) -> None:
        """Upload ``rows`` generated demands as an import job and follow it until it ends (or the deadline)."""
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in demand_rows(rows, seed=self.base))
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=300) as http:
            self.job["start"] = time.perf_counter()
            r = http.post("/jobs/import", files={"file": (f"load-{self.base}.jsonl", data.encode("utf-8"))})
            if r.status_code != 202:
                self.job["error"] = r.status_code
                return
            self.job["id"] = r.json()["job_id"]
            while time.monotonic() < deadline:
                job = http.get(f"/jobs/{self.job['id']}").json()
                self.job.update(status=job["status"], done=job.get("done"), total=job.get("total"))
                if job["status"] not in ("queued", "running"):
                    self.job["end"] = time.perf_counter()
                    return
                time.sleep(1.0)

    def run(self, import_rows: int = 0, cpu_pids: tuple[int, ...] = ()) -> dict[str, Any]:
        deadline = time.monotonic() + self.seconds
        cpu_before = [own_cpu_seconds()] + [tree_cpu_seconds(p) for p in cpu_pids]
        started = time.perf_counter()
        threads = [threading.Thread(target=self.client, args=(deadline,)) for _ in range(self.clients)]
        if import_rows:
            threads.append(threading.Thread(target=self.import_job, args=(import_rows, deadline + 600)))
        for t in threads:
            t.start()
        for t in threads[:self.clients]:
            t.join()
        elapsed = time.perf_counter() - started
        cpu = [after - before for after, before in zip([own_cpu_seconds()] + [tree_cpu_seconds(p) for p in cpu_pids],
                                                        cpu_before)]
        report = {"elapsed_s": round(elapsed, 2), "clients": self.clients, "operations": self.table(elapsed),
                  "cpu": self.cpu_figures(cpu, cpu_pids, elapsed),
                  "statuses": {f"{op} {code}": k for (op, code), k in sorted(self.status.items())},
                  "undocumented_statuses": sum(k for (_, code), k in self.status.items() if code not in DOCUMENTED)}
        if import_rows:
            report["import_job"] = self.job_figures()
            for t in threads[self.clients:]:
                t.join()
            report["import_job"]["after_load"] = {k: v for k, v in self.job.items() if k in ("status", "done", "total")}
            if "end" in self.job:
                report["import_job"]["seconds"] = round(self.job["end"] - self.job["start"], 1)
        return {**report, **self.verify()}

    def cpu_figures(self, cpu: list[float], pids: tuple[int, ...], elapsed: float) -> dict[str, Any]:
        """CPU seconds over the run of the generator and of each watched process tree, in all and per acknowledged
        submission (every operation's work counted: the per-submission figure is an upper bound), and the cores
        they kept busy on average."""
        ok = max(1, sum(k for (op, code), k in self.status.items() if op == "submit" and code == 200))
        names = ["load_generator"] + [f"pid_{p}" for p in pids]
        return {name: {"cpu_s": round(s, 2), "cores": round(s / elapsed, 2), "ms_per_submission": round(1000 * s / ok, 1)}
                for name, s in zip(names, cpu)}

    def job_figures(self) -> dict[str, Any]:
        """The import job as the load ended, and the submissions' latency while it was running."""
        start, end = self.job.get("start", 0.0), self.job.get("end", float("inf"))
        during = np.array([lat for at, lat in self.submitted_at if start <= at <= end]) * 1000
        out = {k: v for k, v in self.job.items() if k in ("id", "status", "done", "total", "error")}
        if len(during):
            out["submit_during_import"] = {"count": int(len(during)), "p50_ms": round(float(np.percentile(during, 50)), 1),
                                           "p95_ms": round(float(np.percentile(during, 95)), 1),
                                           "max_ms": round(float(during.max()), 1), "over_1s": int((during > 1000).sum())}
            out["timeline"] = self.timeline(start, end)
        return out

    def timeline(self, start: float, end: float, step: float = 2.0) -> list[dict[str, Any]]:
        """The submissions started while the import ran, per ``step`` seconds from its start (when they started;
        ``wall``: that moment's clock time, to read beside the server's log): how many, their p50 and slowest."""
        buckets: dict[int, list[float]] = defaultdict(list)
        for at, lat in self.submitted_at:
            if start <= at <= end:
                buckets[int((at - start) // step)].append(lat * 1000)
        wall = time.time() - time.perf_counter()
        return [{"at_s": k * step, "wall": time.strftime("%H:%M:%S", time.localtime(wall + start + k * step)),
                 "count": len(v), "p50_ms": round(float(np.percentile(v, 50)), 1), "max_ms": round(max(v), 1)}
                for k, v in sorted(buckets.items())]

    def table(self, elapsed: float) -> list[dict[str, Any]]:
        out = []
        for op, values in sorted(self.latency.items()):
            ms = np.array(values) * 1000
            ok = sum(k for (o, code), k in self.status.items() if o == op and code == 200)
            out.append({"operation": op, "count": len(values), "ok_per_s": round(ok / elapsed, 1),
                        "p50_ms": round(float(np.percentile(ms, 50)), 1), "p95_ms": round(float(np.percentile(ms, 95)), 1),
                        "p99_ms": round(float(np.percentile(ms, 99)), 1)})
        return out

    def verify(self) -> dict[str, Any]:
        """Every acknowledged submission stored exactly once (by its 需求编号) and every planted duplicate flagged."""
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=120) as http:
            stored: Counter[str] = Counter()
            flagged: set[str] = set()
            offset = 0
            while True:
                page = http.get("/demands", params={"limit": 500, "offset": offset}).json()
                for d in page["items"]:
                    if d["external_id"]:
                        stored[d["external_id"]] += 1
                        if any(f["rule_id"] == "duplicate" for f in d["findings"]):
                            flagged.add(d["external_id"])
                offset += 500
                if offset >= page["total"]:
                    break
        originals = set(self.planted.values())
        others = [k for k in self.acked if k not in self.planted and k not in originals]
        mine = {k: v for k, v in stored.items() if k.startswith("L-") and int(k[2:]) > self.base}
        return {"acknowledged": len(self.acked), "lost": sum(1 for k in self.acked if stored.get(k, 0) == 0),
                "stored_twice": sum(1 for k in self.acked if stored.get(k, 0) > 1),
                "unacknowledged_stored": sum(1 for k in mine if k not in self.acked),
                "planted_duplicates": len(self.planted),
                "planted_flagged": sum(1 for k in self.planted if k in flagged),
                # flagged though neither a planted copy nor the original of one: a false alarm staff would read
                "others": len(others), "others_flagged": sum(1 for k in others if k in flagged)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--duplicate-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--import-rows", type=int, default=0, help="also run an import job of this many rows")
    parser.add_argument("--cpu-pid", type=int, action="append", default=[],
                        help="also report the CPU time of this process tree (server master, postmaster); repeatable")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost"):
        parser.error("load is sent to 127.0.0.1 / localhost only")
    report = Load(args.url, args.token, args.clients, min(args.seconds, 600), args.max_requests, args.seed,
                  args.duplicate_share).run(min(args.import_rows, 50_000), tuple(args.cpu_pid))
    print(f"{'operation':<10}{'count':>8}{'ok/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for row in report["operations"]:
        print(f"{row['operation']:<10}{row['count']:>8}{row['ok_per_s']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}"
              f"{row['p99_ms']:>9}")
    print(json.dumps({k: v for k, v in report.items() if k != "operations"}, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
