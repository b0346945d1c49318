"""Storage faults as errors that explain themselves: a database error or an ``OSError`` becomes one of a few
:class:`~api.errors.JiebangError` classes with a stable code, a Chinese and English sentence, an HTTP
status and (for what passes by itself) a Retry-After — never the SQL, its parameters or a stack.

=====================  ======  =================================================================
code                   status  when
=====================  ======  =================================================================
``lock_timeout``       503     another writer held the lock longer than the bounded wait
``write_conflict``     503     PostgreSQL chose this transaction as a deadlock / serialisation victim
``database_unavailable`` 503   the database cannot be reached, is shutting down or refuses connections
``storage_read_only``  503     the database or the disk is read-only
``storage_full``       507     the disk (or the database's quota) is full
=====================  ======  =================================================================
"""
from __future__ import annotations

import errno

from sqlalchemy.exc import DBAPIError

from api.errors import InvalidInput, JiebangError


class StorageFault(JiebangError):
    """A storage fault that passes by itself or needs an administrator; nothing of the request was saved."""

    status_code = 503
    code = "storage_fault"
    retry_after: int | None = None

    def __init__(self, message_zh: str, message_en: str, *, code: str, status: int = 503,
                 retry_after: int | None = None):
        super().__init__(message_zh, message_en, None, code=code)
        self.status_code = status
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        """HTTP headers of the answer (Retry-After when the fault passes by itself)."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


def lock_timeout(retry_after: int = 2) -> StorageFault:
    return StorageFault("系统正忙（其他写入占用了数据库锁），本次未保存，请稍后重试。",
                        "The service is busy (another write held the database lock); nothing was saved, retry shortly.",
                        code="lock_timeout", retry_after=retry_after)


def write_conflict() -> StorageFault:
    return StorageFault("与同时进行的另一写入冲突，本次未保存，请重试。",
                        "This write collided with a concurrent one; nothing was saved, please retry.",
                        code="write_conflict", retry_after=1)


def database_unavailable() -> StorageFault:
    return StorageFault("数据库暂时无法连接，本次未保存；请稍后重试，如持续出现请联系管理员。",
                        "The database cannot be reached; nothing was saved. Retry later, or contact the administrator "
                        "if it persists.", code="database_unavailable", retry_after=10)


def read_only() -> StorageFault:
    return StorageFault("数据库或磁盘当前只读，无法保存；请联系管理员。",
                        "The database or its disk is read-only; nothing was saved. Contact the administrator.",
                        code="storage_read_only", retry_after=60)


def storage_full() -> StorageFault:
    return StorageFault("磁盘空间已满，本次未保存；请联系管理员清理空间。",
                        "The disk is full; nothing was saved. Contact the administrator to free space.",
                        code="storage_full", status=507)


# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_PG_STATES = {"55P03": lock_timeout, "40P01": write_conflict, "40001": write_conflict, "53100": storage_full,
              "53200": database_unavailable, "53300": database_unavailable, "25006": read_only,
              "57P01": database_unavailable, "57P02": database_unavailable, "57P03": database_unavailable,
              "57014": lock_timeout}  # 57014: statement_timeout
_SQLITE_TEXT = (("database is locked", lock_timeout), ("database table is locked", lock_timeout),
                ("disk is full", storage_full), ("readonly database", read_only), ("read-only", read_only),
                ("unable to open database", database_unavailable), ("disk i/o error", database_unavailable))
_OS_ERRNO = {errno.ENOSPC: storage_full, errno.EDQUOT: storage_full, errno.EROFS: read_only}


def classify(exc: BaseException) -> StorageFault | None:
    """The storage fault ``exc`` is (following its causes), or None when it is not one."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StorageFault):
            return current
        fault = _one(current)
        if fault is not None:
            return fault
        current = current.__cause__ or current.__context__
    return None


def _one(exc: BaseException) -> StorageFault | None:
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        message = str(orig).lower()
        if state:
            maker = _PG_STATES.get(state) or (database_unavailable if state.startswith("08") else None)
            if maker:
                return maker()
        if exc.connection_invalidated or (type(orig).__name__ == "OperationalError" and "connect" in message):
            return database_unavailable()
        for needle, maker in _SQLITE_TEXT:
            if needle in message:
                return maker()
        return None
    if isinstance(exc, OSError) and exc.errno in _OS_ERRNO:
        return _OS_ERRNO[exc.errno]()
    return None


def out_of_range() -> InvalidInput:
    return InvalidInput("数值超出范围（如编号过大），请检查后重新提交。",
                        "A number is out of range (e.g. an id too large); check it and resubmit.", None,
                        code="value_out_of_range")


def bad_value(exc: BaseException) -> InvalidInput | None:
    """A value the database cannot hold (an id ≥ 2³¹ on PostgreSQL, ≥ 2⁶³ on SQLite) as a 422, not a 500."""
    if isinstance(exc, OverflowError):
        return out_of_range()
    if isinstance(exc, DBAPIError):
        state = getattr(exc.orig, "sqlstate", None)
        if state in ("22003", "22008"):  # numeric / datetime field overflow
            return out_of_range()
        if isinstance(exc.orig, OverflowError) or "too large" in str(exc.orig).lower():
            return out_of_range()
    return None
