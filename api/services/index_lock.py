"""The lock of a process's duplicate index, and a large batch of demands worked out without it (#21).

A 3,000-row file committed by another worker reached every other worker's index at its next sync: reading,
normalising, encoding and shingling those demands took ~6.7 s of one core, all under the index's lock — so
every submission of that worker waited, and one waiting while it held the campaign's intake lock held every
worker (p95 of a submission during a 3,000-row import: ~10 s on PostgreSQL with 4 workers). The worker that
stored the file had the same (~2.5 s, adding its own rows).

Now a sync or an import that has :data:`BACKLOG` demands or more to add marks their ids :attr:`IndexLock.busy`,
lets go of the lock while it reads and works them out (views, vectors, shingles), and adds them under the lock in
chunks of :data:`CHUNK` (the shingle index takes such a batch straight into its sorted arrays: ~1 s less for
3,000). Meanwhile what needs the lock for a moment is not held (a commit settling what it indexed, a rolled-back
candidate taken out), and a sync waits for the batch (:meth:`IndexLock.wait_idle`) with the lock let go: it must
see every committed demand. A submission's first sync, before the campaign lock, is where that wait usually falls
— not under the campaign lock, where every worker would wait with it. Only a thread that holds the lock once lets
go of it: one holding it from further out (a file check taking its copy) does the work where it is, as before.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

BACKLOG = 200  # demands to add from which they are worked out with the lock let go
CHUNK = 500  # demands added per hold of the lock (a 3,000-demand file: 6 holds of ~50 ms)


class IndexLock:
    """A re-entrant lock that knows how deeply this thread holds it, with the ids being indexed outside it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._depth = threading.local()
        self._idle = threading.Condition(self._lock)
        self.busy: set[int] = set()  # ids a thread is working out with the lock let go

    def __enter__(self) -> "IndexLock":
        self._lock.acquire()
        self._depth.n = getattr(self._depth, "n", 0) + 1
        return self

    def __exit__(self, *exc: Any) -> None:
        self._depth.n -= 1
        self._lock.release()

    def held_once(self) -> bool:
        """This thread holds the lock, and not from further out (it may let go of it)."""
        return getattr(self._depth, "n", 0) == 1

    @contextmanager
    def let_go(self) -> Iterator[None]:
        """Release the lock (held once by this thread) for the block; held again after it."""
        assert self.held_once()
        self.__exit__()
        try:
            yield
        finally:
            self.__enter__()

    def pause(self) -> None:
        """Between two chunks: let a waiting thread take the lock for a moment."""
        with self.let_go():
            time.sleep(0)

    @contextmanager
    def working(self, ids: Iterable[int]) -> Iterator[None]:
        """Mark ``ids`` busy for the block (the caller holds the lock); waiters are woken when it ends."""
        ids = set(ids)
        self.busy |= ids
        try:
            yield
        finally:
            self.busy -= ids
            self._idle.notify_all()

    def wait_idle(self) -> None:
        """(Holding the lock, at any depth) wait until no batch is being worked out; the lock is let go meanwhile."""
        self._idle.wait_for(lambda: not self.busy)
