"""A process's queue before the campaign's intake lock, where a submission catches its duplicate index up (#21).

On PostgreSQL with several workers, every submission waited for the campaign lock (``pg_advisory_xact_lock``) right
after its lock-free phase; under 16 clients that wait was about a second, in which the other workers committed ten
or more demands — and the duplicate check, once the lock was granted, first read, normalised, encoded and indexed
them all, while every worker waited: ~12% of the server's CPU, all of it on the one path that serialises intake.

So the threads of one process that want the campaign lock queue here first, one at a time, until the one ahead
ends its transaction; the thread at the head syncs the index with what was committed meanwhile (``catch_up``)
and only then asks the database for the lock. The database's queue then holds at most one waiter per worker, so
what is left to index under the lock is what the other workers committed in that last wait — a few demands.
The findings do not change: under the lock the index is synced again and the check runs as before.

The wait here is bounded like the database's (``timeout_s``: 503 ``lock_timeout``). Not used on SQLite, where one
process serves and its :class:`api.store.locks.WriteGate` already queues its writers.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction


class LockQueue:
    """One per process (built by the composition root): see the module's docstring."""

    def __init__(self, catch_up: Callable[[Session], Any], timeout_s: float):
        self.catch_up = catch_up
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._key = f"lock_queue_{id(self)}"

    def enter(self, session: Session, campaign: Any = None) -> None:
        """Wait for this process's intake ahead to end, then catch up; held until ``session``'s transaction
        ends. Free when this transaction holds it already or holds a campaign lock (never wait after it)."""
        if session.get_bind().dialect.name != "postgresql" or session.info.get(self._key) is not None:
            return
        held = session.info.get("intake_locks")  # (transaction, campaign ids) of :func:`api.store.locks.intake_lock`
        transaction = session.get_transaction() or session.begin()
        if held is not None and held[0] is transaction and held[1]:
            return
        if not self._lock.acquire(timeout=self.timeout_s):
            from api.store.faults import lock_timeout

            raise lock_timeout()
        session.info[self._key] = transaction
        if not session.info.get(self._key + "_listens"):
            session.info[self._key + "_listens"] = True
            event.listen(session, "after_transaction_end", self._leave)
        self.catch_up(session)

    def _leave(self, session: Session, transaction: SessionTransaction) -> None:
        if session.info.get(self._key) is transaction:
            del session.info[self._key]
            self._lock.release()
