"""What every ``jiebang`` command shares: exit codes, bilingual output, and the :class:`Context` that
holds the services of the composition root for one command."""
from __future__ import annotations

import sys
from typing import Any

from api.compose import Services, build_services
from api.config import Settings

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INPUT, EXIT_FAILURE = 0, 1, 2, 3, 4


def say(zh: str, en: str = "") -> None:
    """Print a bilingual line for the clerk (Chinese first, English beside it)."""
    print(f"{zh}  {en}".rstrip() if en else zh, flush=True)


def fail(zh: str, en: str) -> None:
    """Print an error for the clerk on stderr (Chinese, then English)."""
    print(f"错误：{zh}\nError: {en}", file=sys.stderr, flush=True)


class Context:
    """The settings of one command and the services built from them (on first use, closed at the end)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        """The composition root's services for these settings (opens the database on first use)."""
        if self._services is None:
            self._services = build_services(self.settings)
        return self._services

    def open(self) -> Any:  # (session, campaign)
        """A new session and the campaign in force."""
        return self.services.session(), self.services.campaign

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
