"""The department's signature on a 推荐清单: an Ed25519 key held by the department, and the text of the QR code.

The key is a PEM file (``Settings.signing_key_file``, by default ``<home>/keys/recommend-ed25519.pem``,
mode 0600) made on first use and never committed. The QR code carries nothing personal, only::

    JBL1:<list code>:<export no.>:<row count>:<content digest, 16 hex>:<key id>:<signature, base32>

all in QR alphanumeric characters (upper case, digits, ``:``), so the code stays small and reads well
from a 150 dpi scan. The signature covers ``JBL1|code|export|count|sha256(content)`` where *content* is
the canonical JSON of the rows as exported; the verifier recomputes the digest from what was stored at
export, so a stored copy altered afterwards fails the check too.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from api.errors import ConfigError

PREFIX = "JBL1"


def content_digest(rows: list[dict[str, Any]]) -> str:
    """sha256 (hex) of the canonical JSON of a list's rows."""
    canonical = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class QrPayload:
    """What a list's QR code says (parsed from, or written to, its text)."""

    code: str
    export_no: int
    count: int
    digest16: str
    key_id: str
    signature: bytes

    def text(self) -> str:
        sig = base64.b32encode(self.signature).decode("ascii").rstrip("=")
        return ":".join((PREFIX, self.code, str(self.export_no), str(self.count), self.digest16.upper(),
                         self.key_id.upper(), sig))

    @classmethod
    def parse(cls, text: str) -> "QrPayload | None":
        """The payload of a code this service wrote, or None for any other text (a foreign code)."""
        parts = text.strip().split(":")
        if len(parts) != 7 or parts[0] != PREFIX or not parts[2].isdigit() or not parts[3].isdigit():
            return None
        try:
            sig = base64.b32decode(parts[6] + "=" * (-len(parts[6]) % 8))
        except ValueError:
            return None
        return cls(parts[1], int(parts[2]), int(parts[3]), parts[4].lower(), parts[5].lower(), sig)


def signed_message(code: str, export_no: int, count: int, digest: str) -> bytes:
    """The bytes the signature covers."""
    return f"{PREFIX}|{code}|{export_no}|{count}|{digest}".encode("ascii")


class ListSigner:
    """Signs and checks 推荐清单 with the department's Ed25519 key (read, or made once, at ``key_file``)."""

    def __init__(self, key_file: Path):
        self.key_file = Path(key_file)
        self._key: Ed25519PrivateKey | None = None

    @property
    def key(self) -> Ed25519PrivateKey:
        if self._key is None:
            self._key = self._load_or_create()
        return self._key

    def _load_or_create(self) -> Ed25519PrivateKey:
        path = self.key_file
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    out.write(pem)
            except FileExistsError:  # another worker made it first
                pass
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"无法读取清单签名密钥：{path}", f"cannot read the list-signing key: {path}",
                              {"path": str(path)}, code="signing_key_invalid") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError(f"清单签名密钥不是 Ed25519 密钥：{path}", f"the list-signing key is not Ed25519: {path}",
                              {"path": str(path)}, code="signing_key_invalid")
        return key

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.key.public_key()

    @property
    def key_id(self) -> str:
        """The first 8 hex digits of the public key's sha256: tells "another key" apart from "forged"."""
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return hashlib.sha256(raw).hexdigest()[:8]

    def sign(self, code: str, export_no: int, rows: list[dict[str, Any]]) -> QrPayload:
        """The QR payload of export ``export_no`` of list ``code`` with these rows."""
        digest = content_digest(rows)
        signature = self.key.sign(signed_message(code, export_no, len(rows), digest))
        return QrPayload(code, export_no, len(rows), digest[:16], self.key_id, signature)

    def check(self, payload: QrPayload, rows: list[dict[str, Any]]) -> bool:
        """True when ``payload``'s signature is this key's, over exactly ``rows``."""
        digest = content_digest(rows)
        if payload.key_id != self.key_id or payload.digest16 != digest[:16] or payload.count != len(rows):
            return False
        try:
            self.public_key.verify(payload.signature, signed_message(payload.code, payload.export_no,
                                                                     payload.count, digest))
        except InvalidSignature:
            return False
        return True
