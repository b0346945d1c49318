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
    """Masks phone numbers and e-mail addresses in the message and in each of its arguments. The arguments
    stay arguments (uvicorn's access formatter unpacks them: clearing them broke every access-log line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = scrub_text(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(scrub_text(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: scrub_text(v) if isinstance(v, str) else v for k, v in record.args.items()}
        try:
            message = record.getMessage()
        except Exception:  # a bad %-format: leave it to the handler to report
            return True
        if scrub_text(message) != message:  # a number split across arguments, or one inside another type
            record.msg, record.args = scrub_text(message), None
        return True


def uvicorn_log_config(level: str = "INFO") -> dict:
    """uvicorn's logging configuration with the redacting filter on its handlers (each worker process
    configures its logging from this; filters added to handlers before uvicorn starts would be replaced)."""
    from copy import deepcopy

    from uvicorn.config import LOGGING_CONFIG

    config = deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact"] = {"()": RedactingFilter}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("redact")
    for logger in config["loggers"].values():
        if "level" in logger:
            logger["level"] = level.upper()
    return config


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
