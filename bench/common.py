"""Shared pieces of the benchmarks: result rows, the run context, data reading, the table."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


class TaskSkipped(Exception):
    """A task cannot run here (its data files are absent, an optional extra is missing)."""


@dataclass(frozen=True)
class Row:
    """One measured figure: ``{"task", "dataset", "system", "metric", "value"}``."""

    task: str
    dataset: str
    system: str
    metric: str
    value: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Context:
    """What every task gets: the data root, the split, a seed, a cache folder and options."""

    data: Path
    split: str
    seed: int = 0
    cache_dir: Path = Path("var/bench-cache")
    reference: bool = True  # run the optional reference transformer when installed
    options: dict[str, Any] = field(default_factory=dict)

    def path(self, *parts: str) -> Path:
        """``data/<parts...>``, raising :class:`TaskSkipped` when absent."""
        p = self.data.joinpath(*parts)
        if not p.exists():
            raise TaskSkipped(f"{p} not found")
        return p

    def split_file(self, task_dir: str) -> Path:
        """``data/<task_dir>/<split>.jsonl`` or :class:`TaskSkipped`."""
        return self.path(*task_dir.split("/"), f"{self.split}.jsonl")


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Read a UTF-8 JSON-lines file (at most ``limit`` rows)."""
    return list(_iter_jsonl(path, limit))


def _iter_jsonl(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                return
            line = line.strip()
            if line:
                yield json.loads(line)


def seeded_sample(items: list, n: int, seed: int = 0) -> list:
    """At most ``n`` of ``items``, drawn without replacement by ``seed``, in their original order.

    A function of the items, ``n`` and the seed only, so every system and every run scores the same rows."""
    if len(items) <= n:
        return items
    keep = np.sort(np.random.default_rng(seed).choice(len(items), n, replace=False))
    return [items[i] for i in keep]


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB: VmHWM (``ru_maxrss`` would include the parent's peak, which
    survives exec on Linux). The speed tasks' child processes report it."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def format_table(rows: list[Row]) -> str:
    """A plain-text table: one line per (task, dataset, metric), one column per system."""
    systems: list[str] = []
    keys: list[tuple[str, str, str]] = []
    values: dict[tuple[str, str, str, str], float] = {}
    for r in rows:
        if r.system not in systems:
            systems.append(r.system)
        key = (r.task, r.dataset, r.metric)
        if key not in keys:
            keys.append(key)
        values[(*key, r.system)] = r.value
    if "jiebang" in systems:
        systems.remove("jiebang")
        systems.insert(0, "jiebang")
    head = ["task", "dataset", "metric", *systems]
    body = [[*k, *(_fmt(values.get((*k, s))) for s in systems)] for k in keys]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)) for line in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:.4f}" if abs(v) < 10 else f"{v:.1f}"
