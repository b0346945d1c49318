"""People's accounts (用户账号): a user name and a password for the console, next to the access tokens that
programs keep using. Passwords are hashed with Argon2id (argon2-cffi, the reference implementation's
binding: salts, parameters in the hash, constant-time checks), never stored or logged; after
``MAX_FAILURES`` wrong passwords in a row an account is locked for ``LOCK_MINUTES``. An admin creates
accounts, resets passwords (which also unlocks) and disables them; every such change and every lockout is
audited, never with the password.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import Forbidden, InvalidInput, NotFound
from api.services.access import ROLES, Principal
from api.services.audit import append_audit
from api.services.recommendations import CHINA
from api.store import tables as db
from matching.vocabulary import REGION_VALUES

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_LENGTH = 10
_HASHER = PasswordHasher()  # stateless: Argon2id with the library's recommended parameters


class AccountLocked(Forbidden):
    """Too many wrong passwords: the account is locked until a time (or an admin's reset)."""

    code = "account_locked"


def _check_password(password: str) -> None:
    if len(password) < MIN_LENGTH or password.isdigit() or password.isalpha():
        raise InvalidInput(f"密码至少 {MIN_LENGTH} 位，且不能全是数字或全是字母。",
                           f"A password needs {MIN_LENGTH} characters or more, not only digits or only letters.",
                           code="weak_password")


def create_account(session: Session, *, username: str, display_name: str, role: str, password: str,
                   region: str | None = None, actor: str) -> db.UserAccount:
    """A new account (user names are unique, lower-case); a bureau's account needs its region."""
    username = username.strip().lower()
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise InvalidInput("用户名只能由字母、数字、点、横线和下划线组成。",
                           "A user name has letters, digits, dots, dashes and underscores only.", {"username": username})
    if role not in ROLES:
        raise InvalidInput(f"未知角色：{role}", f"unknown role: {role}", {"roles": list(ROLES)})
    if role == "bureau" and region not in REGION_VALUES:
        raise InvalidInput("初审单位账号需要选择所属地区。", "A bureau account needs its region.", {"region": region})
    if session.scalar(select(db.UserAccount).where(db.UserAccount.username == username)) is not None:
        raise InvalidInput(f"用户名 {username} 已被使用。", f"The user name {username} is taken.", {"username": username},
                           code="username_taken")
    _check_password(password)
    row = db.UserAccount(username=username, display_name=(display_name or username).strip()[:100], role=role,
                         region=region if role == "bureau" else None, password_hash=_HASHER.hash(password),
                         failed_logins=0)
    session.add(row)
    session.flush()
    append_audit(session, actor, "create", "user", row.id, None,
                 {"username": username, "display_name": row.display_name, "role": role, "region": row.region})
    session.commit()
    return row


def reset_password(session: Session, username: str, password: str, *, actor: str) -> db.UserAccount:
    """Set a new password (an admin's reset): unlocks the account and ends its open console sessions."""
    row = _account(session, username)
    _check_password(password)
    row.password_hash = _HASHER.hash(password)
    row.password_changed_at = datetime.now(timezone.utc)
    row.failed_logins, row.locked_until = 0, None
    append_audit(session, actor, "password_reset", "user", row.id, None, {"username": row.username})
    session.commit()
    return row


def set_disabled(session: Session, username: str, disabled: bool, *, actor: str) -> db.UserAccount:
    """Disable (or enable again) an account; a disabled account cannot sign in and its sessions end."""
    row = _account(session, username)
    row.disabled_at = datetime.now(timezone.utc) if disabled else None
    append_audit(session, actor, "revoke" if disabled else "restore", "user", row.id, None,
                 {"username": row.username, "disabled": disabled})
    session.commit()
    return row


def sign_in(session: Session, username: str, password: str) -> db.UserAccount | None:
    """The account when ``password`` is right; None when the name or password is wrong (the caller cannot tell
    which); :class:`AccountLocked` while locked. Each failure counts, the ``MAX_FAILURES``-th locks (audited)."""
    row = session.scalar(select(db.UserAccount).where(db.UserAccount.username == username.strip().lower()))
    if row is None:
        _HASHER.hash(password or "-")  # about the same time as a real check: names cannot be probed by timing
        return None
    now = datetime.now(timezone.utc)
    locked = db.as_utc(row.locked_until)
    if locked is not None and locked > now:
        raise AccountLocked(f"密码连续输错 {MAX_FAILURES} 次，账号已锁定，请北京时间 {locked.astimezone(CHINA):%H:%M} 后再试或请管理员重置密码。",
                            f"Too many wrong passwords: the account is locked until {locked:%H:%M} UTC, or ask an admin.")
    if row.disabled_at is not None:
        return None
    try:
        _HASHER.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        row.failed_logins = (row.failed_logins or 0) + 1
        if row.failed_logins >= MAX_FAILURES:
            row.locked_until, row.failed_logins = now + timedelta(minutes=LOCK_MINUTES), 0
            append_audit(session, f"login:{row.username}", "locked", "user", row.id, None,
                         {"until": row.locked_until.isoformat()})
        session.commit()
        return None
    if _HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = _HASHER.hash(password)
    row.failed_logins, row.locked_until = 0, None
    session.commit()
    return row


def principal_of(row: db.UserAccount) -> Principal:
    """Who an account acts as: its display name (in the audit log), role and region."""
    return Principal(row.display_name, row.role, row.region)


def list_accounts(session: Session) -> list[db.UserAccount]:
    return list(session.scalars(select(db.UserAccount).order_by(db.UserAccount.username)))


def _account(session: Session, username: str) -> db.UserAccount:
    row = session.scalar(select(db.UserAccount).where(db.UserAccount.username == username.strip().lower()))
    if row is None:
        raise NotFound(f"没有用户 {username}。", f"No user {username}.", {"username": username})
    return row
