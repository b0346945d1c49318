"""Error classes with a stable code and bilingual messages, mapped once to the HTTP error body."""
from __future__ import annotations

from typing import Any


class JiebangError(Exception):
    """Base error: ``{code, message_zh, message_en, details}`` with an HTTP status."""

    status_code = 400
    code = "error"

    def __init__(self, message_zh: str, message_en: str, details: Any = None, *, code: str | None = None):
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        self.details = details
        if code:
            self.code = code

    def to_body(self) -> dict[str, Any]:
        """The JSON error body every endpoint returns."""
        return {"code": self.code, "message_zh": self.message_zh, "message_en": self.message_en,
                "details": self.details}


class InvalidInput(JiebangError):
    status_code = 422
    code = "invalid_input"


class NotFound(JiebangError):
    status_code = 404
    code = "not_found"


class Unauthorized(JiebangError):
    status_code = 401
    code = "unauthorized"


class Forbidden(JiebangError):
    status_code = 403
    code = "forbidden"


class Conflict(JiebangError):
    status_code = 409
    code = "conflict"


class ConfigError(JiebangError):
    """The deployment's configuration (campaign file, model, duplicate model) is missing or invalid:
    the service cannot run (CLI exit code 4)."""

    status_code = 500
    code = "configuration_invalid"


class InvalidFile(InvalidInput):
    """The input file as a whole cannot be read: missing, damaged, of an unsupported or the wrong kind, an
    unclosed quote (CLI exit code 3; every other refused request is a usage error, exit 2)."""

    code = "file_unreadable"
