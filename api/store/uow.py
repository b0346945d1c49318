"""Unit of work: one block of writes committed together, or rolled back together."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.errors import Conflict


def concurrent_write() -> Conflict:
    """The error a unique-key clash between two writers becomes (409: retry)."""
    return Conflict("同一需求或企业正被同时写入，本次未保存，请重试。",
                    "The same demand or enterprise was written concurrently; nothing was saved, please retry.",
                    code="concurrent_write")


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """Commit what the block wrote, or roll it all back; a unique-key clash becomes a 409."""
    try:
        yield session
        session.commit()
    except IntegrityError:
        session.rollback()
        raise concurrent_write() from None
    except Exception:
        session.rollback()
        raise
