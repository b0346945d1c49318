"""Ids of a file taken in as a whole (:mod:`api.services.bulk_intake`): planned before the lock far past every
stored id (so a planned id is never mistaken for one stored meanwhile), moved down just before the lock to follow
what is stored then (the file's demands are numbered on from the others', with no gap), so that under the lock
they stand unless something was stored meanwhile (then they are moved to follow it) — and claimed (PostgreSQL:
its sequence moves past them)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from api.services.duplicate_findings import RULE_DUPLICATE, RULE_RELATED, intake_findings_for
from api.store import tables as db
from api.store.locks import intake_lock


def stands(top: int, ids: Iterable[int]) -> bool:
    """Under the lock: planned ``ids`` follow ``top`` (the largest taken) directly, so they are kept as they are."""
    first = min(ids, default=None)
    return first is None or first == top + 1


def move_ids(f: db.FindingRow, first: int, shift: int, firm_first: int, firm_shift: int) -> None:
    """A finding naming planned ids (≥ ``first``, ≥ ``firm_first``) rewritten with the final ones."""
    values = f.values or {}
    if f.rule_id in (RULE_DUPLICATE, RULE_RELATED) and shift:
        briefs = [{**c, "id": c["id"] - shift if c["id"] >= first else c["id"]} for c in values.get("candidates", [])]
        fresh = intake_findings_for(briefs, strong=f.rule_id == RULE_DUPLICATE)[0]
        f.message_zh, f.message_en, f.values = fresh["message_zh"], fresh["message_en"], fresh["values"]
    elif values.get("enterprises") and firm_shift:
        f.values = {**values, "enterprises": [i - firm_shift if firm_first and i >= firm_first else i
                                              for i in values["enterprises"]]}


def taken(session: Session, table: str) -> int:
    """The largest id of ``table`` stored or handed out (PostgreSQL: its sequence's too)."""
    top = session.scalar(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")) or 0  # noqa: S608 - a table name of ours
    if session.get_bind().dialect.name == "postgresql":
        sequence = session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table})
        top = max(top, session.scalar(text(  # a fresh sequence (not called yet) hands out last_value next
            f"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {sequence}")) or 0)
    return int(top)


def reserve(session: Session, plan: Any) -> None:
    """PostgreSQL: ``plan``'s ids settled and claimed (the sequences moved past them) in a short transaction of their
    own under the campaign lock, so they are final — what others store meanwhile is numbered after them and nothing
    worked out before the lock (findings naming file rows, flags, rows sent ahead) is redone under it. (Under 16
    clients something was always stored between settling the ids and the lock; moving them rewrote every finding
    and flag naming a file row there.) A file that is not stored leaves its ids unused, as a rolled-back insert
    leaves a gap in a sequence. SQLite (one writer at a time, no sequence): settled only."""
    if session.get_bind().dialect.name != "postgresql":
        plan.settle_ids(session)
        return
    session.commit()  # (reads only so far)
    with session.begin():
        intake_lock(session, plan.campaign.id)
        plan.settle_ids(session)
        claim(session, "enterprises", list(plan.firm_ids.values()))
        claim(session, "demands", plan.ids)
    plan.reserved = True


def planned(session: Session, table: str, n: int, margin: int) -> list[int]:
    start = taken(session, table) + margin + 1
    return list(range(start, start + n))


def claim(session: Session, table: str, ids: Sequence[int]) -> bool:
    """Under the campaign lock (every writer of demands and enterprises holds it): take the planned ``ids`` if no
    id at or past the first was taken meanwhile; PostgreSQL's sequence moves past them, so nothing takes them
    later."""
    if not ids:
        return True
    if taken(session, table) >= ids[0]:
        return False
    if session.get_bind().dialect.name == "postgresql":
        sequence = session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table})
        session.execute(text("SELECT setval(:s, :v)"), {"s": sequence, "v": int(ids[-1])})
    return True
