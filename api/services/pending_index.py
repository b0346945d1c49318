"""Demands a process's duplicate index holds before their transaction commits, and the change counter the
index expects of storage (:meth:`api.services.duplicates.DuplicateService.sync`).

Intake indexes the demand it takes in as soon as the row is flushed, under the campaign lock, so the next check
in the process sees it at once. Until that transaction commits, another thread's sync (the lock-free phase of
the next submission) reads a change counter that does not count it yet; taken for a delete, that sent every
such sync reading all (id, hash, version) rows of the campaign — 54% of a loaded SQLite worker's CPU under 12
clients (#21). So each such demand is held here with the version storage had before (None: a new demand) until
its session commits or rolls back, and a sync also compares the counter with these counted as before.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Counter = tuple[int, int, int]  # (count, sum of row_version, largest id) of a campaign's demands


class Versions(dict):
    """id → row_version of the demands an index holds, with their sum and the largest id kept as it changes: a sync
    compares them with storage's counter two or three times per submission, and summing 10,000 versions each time
    was ~2.5% of a loaded server's CPU (#21). Assignment, ``del``, ``pop`` and ``update`` keep them."""

    def __init__(self) -> None:
        super().__init__()
        self.total, self._top = 0, 0  # _top: None when the largest id was popped (found again when asked)

    def __setitem__(self, key: int, value: int) -> None:
        self.total += value - super().get(key, 0)
        super().__setitem__(key, value)
        if self._top is not None:
            self._top = max(self._top, key)

    def __delitem__(self, key: int) -> None:
        self.pop(key)

    def update(self, *args: Any, **kwargs: Any) -> None:  # dict.update would bypass __setitem__
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def pop(self, key: int, *default: Any) -> Any:
        if key in self:
            self.total -= super().__getitem__(key)
            if key == self._top:
                self._top = None
        return super().pop(key, *default)

    @property
    def top(self) -> int:
        if self._top is None:
            self._top = max(self, default=0)
        return self._top


def expected_counter(have: Mapping[int, int], written: Sequence[Sequence[Any]]) -> Counter:
    """The change counter storage should show: the versions indexed (``have``: id → row_version) updated by
    the rows ``written`` since — (id, hash, version, updated_at) each."""
    total, top = (have.total, have.top) if isinstance(have, Versions) else (sum(have.values()), max(have, default=0))
    return (len(have) + sum(1 for i, *_ in written if i not in have),
            total + sum((v or 1) - have.get(i, 0) for i, _, v, _ in written),
            max(top, max((i for i, *_ in written), default=0)))


class PendingWrites:
    """Ids indexed by a transaction not yet ended: id → (its session, the row_version stored before, or None)."""

    def __init__(self) -> None:
        self.held: dict[int, tuple[Any, int | None]] = {}

    def hold(self, session: Any, demand_id: int, before: int | None) -> None:
        self.held.setdefault(demand_id, (session, before))

    def as_committed(self, have: Mapping[int, int]) -> Mapping[int, int]:
        """``have`` with every held id at its stored version (a new one left out)."""
        if not self.held:
            return have
        out = dict(have)
        for i, (_, before) in self.held.items():
            if before is None:
                out.pop(i, None)
            else:
                out[i] = before
        return out

    def settle(self, session: Any) -> list[int]:
        """Forget the ids ``session`` held (its transaction ended) and return them."""
        mine = [i for i, (owner, _) in self.held.items() if owner is session]
        for i in mine:
            del self.held[i]
        return mine
