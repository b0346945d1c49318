"""The duplicate check of a whole file of new demands (#21), in two phases like intake's.

Without the campaign lock: the file's texts are encoded in one batch, the detector is synced once, and every row
is checked against the stored demands and the rows before it (:class:`matching.duplicate_batch.InOrderCheck`:
the same candidates as one-by-one intake). Under the lock (:meth:`FileCheck.catch_up`): only what other writers
stored, changed or removed meanwhile is looked at — each such demand is searched against the file's rows and
put in the candidate lists of the rows it pairs with (a file committed after it lists it, as one-by-one intake
would), and candidates that changed or went are dropped — so a short final step sees every pair.
"""
from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services.check_process import MIN_ROWS, CheckProcess
from api.services.index_lock import BACKLOG
from api.services.views import DemandView, view_of_demand
from api.store import tables as db
from matching.duplicate_batch import InOrderCheck
from matching.duplicates import Candidate

TEMP_BASE = 1 << 60  # a file row's id until it is stored: after every stored id, in file order
KEEP = 10  # candidates kept per row until the final cut (intake keeps 5, after dropping gone ones)


def by_score(c: Candidate) -> tuple[float, int]:
    """The order :meth:`matching.duplicates.DuplicateDetector.check` lists candidates in."""
    return (-c.score, c.id)


class FileCheck:
    """Candidates of each row of a file (see the module docstring); ids ≥ :data:`TEMP_BASE` are file rows.

    A file of ``process_rows`` rows or more is checked in a child process (:mod:`api.services.check_process`: the
    row-by-row scoring would otherwise hold this process's interpreter lock for seconds while requests wait); None:
    always here. :meth:`close` ends the child once the file is stored or given up."""

    def __init__(self, service: Any, session: Session, views: Sequence[DemandView], *,
                 process_rows: int | None = MIN_ROWS):
        self.service = service
        self.views = list(views)
        self.temp_ids = [TEMP_BASE + i for i in range(len(self.views))]
        self.vectors = service.encode(self.views)
        separate = process_rows is not None and len(self.views) >= process_rows
        with service._lock:  # what the copy is taken from must not move while it is taken (or pickled)
            detector = service.sync(session)
            self.seen: dict[int, int] = dict(service._row_versions)  # stored demands as checked: id -> version
            checker = InOrderCheck(detector, self.temp_ids, [v.duplicate_text.text for v in self.views],
                                   self.vectors, [v.signals for v in self.views])
            shipped = pickle.dumps(checker, protocol=pickle.HIGHEST_PROTOCOL) if separate else None
        self.checker: InOrderCheck | CheckProcess = checker if shipped is None else CheckProcess(shipped)
        try:
            self.found: list[list[Candidate]] = self.checker.run(top=KEEP, min_verdict="related")  # no lock needed
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """End the child process checking the file, if any (a file kept in memory needs none afterwards)."""
        if isinstance(self.checker, CheckProcess):
            self.checker.close()

    def catch_up(self, session: Session) -> set[int]:
        """Under the intake lock: fold in the demands other writers stored or changed since the check (and drop
        the removed ones); returns the rows whose candidates changed."""
        stored = dict(session.execute(select(db.Demand.id, db.Demand.row_version).where(
            db.Demand.campaign_id == self.service.campaign_id)).all())
        moved = sorted(i for i, v in stored.items() if self.seen.get(i) != (v or 1))
        stale = set(moved) | (set(self.seen) - set(stored))
        if not stale:
            return set()
        touched = {i for i, row in enumerate(self.found) if any(c.id in stale for c in row)}
        self.found = [[c for c in row if c.id not in stale] for row in self.found]
        rows = [d for start in range(0, len(moved), 500)
                for d in self.service.rows(session, db.Demand.id.in_(moved[start:start + 500]))]
        views = [view_of_demand(d) for d in rows]
        for demand, view, vector in zip(rows, views, self.service.encode(views)):
            for c in self.checker.against_batch(view.duplicate_text.text, vector, view.signals, top=KEEP):
                touched.add(c.id - TEMP_BASE)
                row = self.found[c.id - TEMP_BASE]
                row.append(replace(c, id=demand.id))  # scores are symmetric: the row's score against the demand
                row.sort(key=by_score)
                del row[KEEP:]
        self.seen = {i: v or 1 for i, v in stored.items()}
        return touched

    def candidates(self, i: int, real_id: Any) -> list[Candidate]:
        """Row ``i``'s candidates as intake stores them (the best 5), with the file rows' stored ids."""
        return [replace(c, id=real_id(c.id)) for c in self.found[i][:5]]

    def share(self, digests: Sequence[str]) -> None:
        """Before the lock: the file's views, vectors and shingles handed to the other workers (``digests``: the rows'
        content hashes), so that once it commits they index it without working it out again (:mod:`.index_share`)."""
        shared = getattr(self.service, "shared", None)
        if shared is not None and len(self.views) >= BACKLOG:
            shared.publish(self.service.campaign_id, digests, self.views, self.vectors, self.service._detector)

    def index(self, demands: Sequence[db.Demand]) -> None:
        """Once the file is committed: its demands into this process's detector with the vectors computed here."""
        known = {d.id: (d, v, vec) for d, v, vec in zip(demands, self.views, np.asarray(self.vectors))}
        with self.service._lock:  # a large file: worked out and added without holding every check (:mod:`.index_lock`)
            self.service._absorb([d.id for d in demands], lambda: list(demands),
                                 [replace(v, id=d.id) for d, v in zip(demands, self.views)], known=known)
