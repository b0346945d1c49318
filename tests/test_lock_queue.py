"""A worker's queue before the campaign's intake lock (:mod:`api.services.lock_queue`, PostgreSQL with several
workers): one waiter per worker at the database, and that waiter's duplicate index caught up with what the
other workers committed before it asks for the lock — not under it, where every worker waits."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from api.compose import build_services
from api.forms.validation import parse_record
from api.services.intake import intake_record, prepare_intake, take_intake_lock
from tests.demand_rows import make_row
from tests.stores import services  # noqa: F401 - each test on SQLite and PostgreSQL

WAITING = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"


def _until(check, seconds: float = 20.0) -> None:
    end = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def test_one_waiter_per_worker_at_the_database_and_it_has_caught_up(services) -> None:
    if services.engine.dialect.name != "postgresql":
        pytest.skip("the queue is for several worker processes: PostgreSQL only (one SQLite worker queues its writers)")
    other = build_services(services.settings)  # a second worker on the same database
    other.__dict__["embedder"] = services.embedder
    steps, campaign = services.intake_steps, services.campaign
    try:
        with services.session() as s:
            services.duplicates.sync(s)
        holder = other.session()  # the other worker holds the campaign lock with a demand not yet committed
        row = parse_record(make_row(40))
        ahead = prepare_intake(holder, other.campaign, row, steps=other.intake_steps)
        take_intake_lock(holder, other.campaign, other.intake_steps, [ahead.item])
        stored = intake_record(holder, other.campaign, row, actor="t", steps=other.intake_steps, prepared=ahead).demand
        first_locked, first_done, second_prepared = threading.Event(), threading.Event(), threading.Event()
        seen: dict[str, bool] = {}

        def first() -> None:  # this worker's first thread: at the database's lock
            with services.session() as s:
                p = prepare_intake(s, campaign, parse_record(make_row(41)), steps=steps)
                take_intake_lock(s, campaign, steps, [p.item])
                first_locked.set()
                first_done.wait(30)
                s.rollback()

        def second() -> None:  # its second thread: in the process's queue, prepared before the other worker commits
            with services.session() as s:
                p = prepare_intake(s, campaign, parse_record(make_row(42)), steps=steps)
                second_prepared.set()
                take_intake_lock(s, campaign, steps, [p.item])
                seen["indexed when the lock was granted"] = stored.id in services.duplicates._versions
                s.rollback()

        with services.session() as watch:
            waiting = lambda: watch.execute(text(WAITING)).scalar()  # noqa: E731 - read anew each time
            threads = [threading.Thread(target=first)]
            threads[0].start()
            _until(lambda: waiting() == 1)
            threads.append(threading.Thread(target=second))
            threads[1].start()
            second_prepared.wait(30)
            time.sleep(0.3)
            assert waiting() == 1  # the second thread waits in its process, not at the database
            holder.commit()
            holder.close()
            first_locked.wait(30)
            assert stored.id not in services.duplicates._versions  # granted without catching up: still to index
            first_done.set()
        for t in threads:
            t.join(30)
        assert seen == {"indexed when the lock was granted": True}
    finally:
        other.close()
