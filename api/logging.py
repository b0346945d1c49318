"""Logging set-up for the CLI and the server; a filter masks phones and e-mails in every record.

Code never logs records or personal fields — only ids, counts and rule ids — and the filter
is a second line of defence for what slips into an exception message.
"""
from __future__ import annotations

import logging
import re

_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def scrub_text(text: str) -> str:
    """Mask phone numbers and e-mail addresses inside free text (log lines, error details)."""
    return _EMAIL.sub("***", _PHONE.sub("***", text))


class RedactingFilter(logging.Filter):
    """Rewrites the rendered message with phone numbers and e-mail addresses masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad %-format: leave it to the handler to report
            return True
        scrubbed = scrub_text(message)
        if scrubbed != message or record.args:
            record.msg, record.args = scrubbed, None
        return True


def setup_logging(level: str = "INFO") -> None:
    """Configure the root logger once (stderr, redacting filter); safe to call repeatedly."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in root.handlers:
        if getattr(handler, "_jiebang", False):
            return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(RedactingFilter())
    handler._jiebang = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # faiss logs each CPU-feature probe it tries ("Could not load library with AVX512 support …") at INFO:
    # normal on most machines, alarming in a clerk's terminal
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.access", "uvicorn.error"):
        for h in logging.getLogger(name).handlers:
            h.addFilter(RedactingFilter())
