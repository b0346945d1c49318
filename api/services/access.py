"""Who may do what: roles, hashed access tokens and the :class:`Principal` a request acts as.

Roles (DESIGN §1): ``bureau`` — a city bureau (初审单位), submits and reads the demands of its own
region; ``staff`` — department staff, reads everything (personal data masked) and runs the round's
work (imports, de-duplication, decisions, solver institutions); ``expert_admin`` — manages the
expert pool and panels and sees expert identities; ``admin`` — everything, including personal data,
the audit log and changing the enterprise of a stored demand. Tokens look like ``jb_<prefix>_<secret>``;
only a SHA-256 of the whole token is stored, found by its prefix and compared in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import InvalidInput, NotFound
from api.services.audit import append_audit
from api.store import tables as db
from matching.vocabulary import REGION_VALUES

ROLES = ("bureau", "staff", "expert_admin", "admin")
ROLE_ZH = {"bureau": "初审单位", "staff": "业务处室", "expert_admin": "专家管理", "admin": "管理员"}
#: What each role may do, by action (the routers and the CLI ask :meth:`Principal.may`).
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "submit": frozenset({"bureau", "staff", "admin"}),
    "run_round": frozenset({"staff", "admin"}),  # de-duplication, condensation, domain labels, solver imports
    "read_round": frozenset({"staff", "expert_admin", "admin"}),  # the whole round's clusters and reports
    "manage_experts": frozenset({"expert_admin", "admin"}),  # expert pool, reviews, panels
    "see_expert_identities": frozenset({"expert_admin", "admin"}),
    "see_personal": frozenset({"admin"}),  # enterprise contacts and legal representatives
    "read_audit": frozenset({"admin"}),
    "review": frozenset({"bureau", "admin"}),  # 初审 decisions (a bureau: its own region)
    "read_reviews": frozenset({"bureau", "staff", "admin"}),
    "recommend": frozenset({"bureau", "admin"}),  # compose and export the 推荐清单 (a bureau: its own region)
    "verify_list": frozenset({"bureau", "staff", "admin"}),  # upload a stamped scan and check its QR code
    "change_enterprise": frozenset({"admin"}),
}


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: the token's subject (written to the audit log), role and region."""

    subject: str
    role: str | None  # None: anonymous (only where the deployment opened masked reads)
    region: str | None = None

    def may(self, action: str) -> bool:
        return self.role is not None and self.role in PERMISSIONS[action]

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return f"api:{self.subject}"

    def sees_region(self, region: str | None) -> bool:
        """A bureau sees its own region's demands only; every other role sees all."""
        return self.role != "bureau" or (region is not None and region == self.region)


ANONYMOUS = Principal("anonymous", None)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, *, role: str, subject: str, region: str | None = None,
                 actor: str = "cli") -> tuple[db.ApiToken, str]:
    """A new token for ``subject``; returns the row and the token text, shown this once and never stored."""
    if role not in ROLES:
        raise InvalidInput(f"未知角色：{role}（可选：{'、'.join(ROLES)}）", f"unknown role: {role} (use {', '.join(ROLES)})")
    if role == "bureau" and region not in REGION_VALUES:
        raise InvalidInput("初审单位令牌需要指定所属地区（--region，如 沈阳市）。",
                           "A bureau token needs its region (--region, e.g. 沈阳市).", {"region": region})
    if role != "bureau":
        region = None
    if not subject.strip():
        raise InvalidInput("请填写令牌持有人（--subject）。", "Name who holds the token (--subject).")
    prefix = secrets.token_hex(4)
    token = f"jb_{prefix}_{secrets.token_urlsafe(24)}"
    row = db.ApiToken(prefix=prefix, secret_hash=_digest(token), subject=subject.strip()[:100], role=role,
                      region=region)
    session.add(row)
    session.flush()
    append_audit(session, actor, "create", "api_token", row.id, None,
                 {"subject": row.subject, "role": role, "region": region, "prefix": prefix})
    session.commit()
    return row, token


def list_tokens(session: Session) -> list[db.ApiToken]:
    """Every token (revoked ones too), oldest first; secrets are not stored, so none is shown."""
    return list(session.scalars(select(db.ApiToken).order_by(db.ApiToken.id)))


def revoke_token(session: Session, key: str, *, actor: str = "cli") -> db.ApiToken:
    """Revoke a token by its id or prefix; a revoked token no longer authenticates."""
    query = select(db.ApiToken).where(db.ApiToken.prefix == key)
    row = session.scalar(query) or (session.get(db.ApiToken, int(key)) if key.isdigit() else None)
    if row is None:
        raise NotFound(f"令牌 {key} 不存在。", f"No token {key}.")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(timezone.utc)
        append_audit(session, actor, "revoke", "api_token", row.id, None, {"prefix": row.prefix})
        session.commit()
    return row


def authenticate(session: Session, token: str, *, bootstrap_admin: str | None = None) -> Principal | None:
    """The principal of ``token`` (``None`` when it is unknown or revoked).

    ``bootstrap_admin``: the ``JIEBANG_ADMIN_TOKEN`` of the deployment, an admin before any token exists."""
    if bootstrap_admin and hmac.compare_digest(token.encode(), bootstrap_admin.encode()):
        return Principal("admin", "admin")
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "jb":
        return None
    row = session.scalar(select(db.ApiToken).where(db.ApiToken.prefix == parts[1]))
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_hash, _digest(token)):
        return None
    return Principal(row.subject, row.role, row.region)
