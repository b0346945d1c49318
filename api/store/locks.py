"""Database locks that serialise writers the same way on every worker: intake per campaign, and schema
migrations once per database.

Why an advisory lock taken FIRST (and not ``SELECT … FOR UPDATE`` on the campaign row after the inserts):
inserting a demand takes a ``FOR KEY SHARE`` lock on its campaign row (the foreign key); two intakes that
both hold it and then both ask for ``FOR UPDATE`` on that row wait for each other — PostgreSQL's
"deadlock detected … in relation campaigns" under three or more concurrent clients. One lock, taken
before the transaction reads or writes anything, gives every intake transaction the same lock order, so
there is nothing to deadlock on; it is a transaction-level advisory lock (``pg_advisory_xact_lock``),
which conflicts with nothing but itself (an import's or a report's foreign-key locks do not block it)
and is released by the commit or rollback. Its wait is bounded by the connection's ``lock_timeout``
(:func:`api.store.engine.make_engine`), which becomes a 503 with Retry-After (:mod:`api.store.faults`).

SQLite has one writer at a time: the same "lock first" is the first statement of the transaction being
a write (Python's sqlite3 opens the transaction there and takes the write lock at once), so the reads
that follow see every committed intake; the wait is bounded by ``busy_timeout``. Within one process the
writers first queue on a :class:`WriteGate`, so they are not left to SQLite's busy handler.

A unique index on the content hash (demands without 需求编号) stays as the database's own guard.
"""
from __future__ import annotations

import fcntl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

INTAKE_LOCK_CLASS = 0x4A42  # "JB": first key of pg_advisory_xact_lock(int, int); the second is the campaign id
MIGRATION_LOCK_KEY = 0x4A42_0021  # pg_advisory_lock(bigint) held while migrations run
_TAKEN_AT = "intake_lock_taken_at"  # session.info: (transaction, perf_counter) of its first intake lock


def intake_lock(session: Session, campaign_id: int) -> None:
    """Serialise intake (and re-checks) of ``campaign_id`` until this transaction ends; call it before
    the transaction reads or writes anything else. Taking it again in the same transaction is free."""
    if holds_intake_lock(session, campaign_id):
        return  # held by this transaction already: no second round trip
    held = session.info.get("intake_locks")
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:cls, :key)"), {"cls": INTAKE_LOCK_CLASS,
                                                                           "key": int(campaign_id)})
    elif dialect == "sqlite":
        gate = session.info.get(WriteGate.KEY)
        if gate is not None:
            gate.enter(session)
        session.execute(text("UPDATE campaigns SET code = code WHERE id = :id"), {"id": int(campaign_id)})
    _hold(session, campaign_id)


def _hold(session: Session, campaign_id: int) -> None:
    """Note that this transaction holds ``campaign_id``'s intake lock (taking it again is then free), and when it
    got it (:func:`intake_lock_taken_at`)."""
    transaction, held = session.get_transaction(), session.info.get("intake_locks")
    if held is None or held[0] is not transaction:
        held = (transaction, set())
        session.info["intake_locks"] = held
        session.info[_TAKEN_AT] = (transaction, time.perf_counter())
    held[1].add(campaign_id)


def intake_lock_taken_at(session: Session) -> float | None:
    """``time.perf_counter()`` when the session's current transaction took its first intake lock (None: it holds none)."""
    taken = session.info.get(_TAKEN_AT)
    return taken[1] if taken is not None and taken[0] is session.get_transaction() else None


def holds_intake_lock(session: Session, campaign_id: int) -> bool:
    """Whether the session's current transaction holds ``campaign_id``'s intake lock (:func:`intake_lock`)."""
    transaction = session.get_transaction()
    held = session.info.get("intake_locks")
    return transaction is not None and held is not None and held[0] is transaction and campaign_id in held[1]


def intake_lock_when_free(session: Session, campaign_id: int, *, within_s: float = 2.0, every_s: float = 0.01) -> None:
    """:func:`intake_lock` taken at a moment nobody holds it, for a long locked step (a file's import). PostgreSQL
    queues the waiters of an advisory lock: while a file's import waited its turn behind a few submissions (~1 s
    under load), every submission arriving meanwhile queued behind it, for that wait and then its whole step. Tried
    every ``every_s`` (one round trip, no queueing) for ``within_s``; then queued like any writer, so a campaign
    whose lock is never free still takes the file. SQLite: :func:`intake_lock` (its writers queue in-process)."""
    if session.get_bind().dialect.name != "postgresql":
        intake_lock(session, campaign_id)
        return
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if session.scalar(text("SELECT pg_try_advisory_xact_lock(:cls, :key)"),
                          {"cls": INTAKE_LOCK_CLASS, "key": int(campaign_id)}):
            _hold(session, campaign_id)
            return
        time.sleep(every_s)
    intake_lock(session, campaign_id)


class WriteGate:
    """The writers of one process wait for SQLite's write lock here, one after another, from their first
    write (intake: from :func:`intake_lock`) until their transaction ends. Why: a writer SQLite turns away
    sleeps in its busy handler (1, 2, 5 … then 100 ms between tries) and loses again to whoever asks at the
    right moment — under 12 clients one worker's write p95 was 3.8 s, though each write holds the lock for a
    few tens of ms, and once only intake queued here, the audit row of a list read waited 4 s; threads blocked
    on one lock are woken as it is released. The wait is bounded by the lock timeout (503 ``lock_timeout``)."""

    KEY = "write_gate"

    def __init__(self, timeout_s: float):
        self.timeout_s = timeout_s
        self._lock = threading.Lock()

    def enter(self, session: Session) -> None:
        """Hold the gate until ``session``'s transaction ends (free when it holds it already)."""
        if session.info.get("write_gate_held") is not None:
            return
        transaction = session.get_transaction() or session.begin()
        if not self._lock.acquire(timeout=self.timeout_s):
            from api.store.faults import lock_timeout

            raise lock_timeout()
        session.info["write_gate_held"] = transaction

    def leave(self, session: Session, transaction: SessionTransaction) -> None:
        if session.info.get("write_gate_held") is transaction:
            del session.info["write_gate_held"]
            self._lock.release()


def install_write_gate(factory: sessionmaker[Any], timeout_s: float) -> WriteGate:
    """Give every session of ``factory`` one shared :class:`WriteGate`, entered at its first write (a flush
    with changes, or an INSERT / UPDATE / DELETE statement) and let go when the transaction ends."""
    gate = WriteGate(timeout_s)
    factory.kw.setdefault("info", {})[WriteGate.KEY] = gate
    event.listen(factory, "before_flush", lambda session, *_: gate.enter(session))
    event.listen(factory, "do_orm_execute",
                 lambda state: gate.enter(state.session) if state.is_insert or state.is_update or state.is_delete else None)
    event.listen(factory, "after_transaction_end", gate.leave)
    return gate


@contextmanager
def migration_lock(engine: Engine) -> Iterator[Connection | None]:
    """Hold a database-wide lock while the schema is upgraded, so that of N workers starting together one
    migrates and the others wait, then find the schema at head (PostgreSQL: a session advisory lock on a
    connection of its own; SQLite: an exclusive ``flock`` on a file beside the database)."""
    dialect = engine.dialect.name
    if dialect == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()
            try:
                yield connection
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
                connection.commit()
        return
    database = engine.url.database if dialect == "sqlite" else None
    if not database or database == ":memory:":
        yield None
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate.lock")
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield None
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
