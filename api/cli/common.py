"""What every ``jiebang`` command shares: exit codes, bilingual output, and the :class:`Context` that
holds the services of the composition root for one command."""
from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
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


# --------------------------------------------------------------------------- option types
# A bad option value is a usage error (exit 2) with a bilingual reason, never a crash later on.

def _bounded(parse: Callable[[str], float], low: float, high: float, zh: str, en: str) -> Callable[[str], Any]:
    """An option type: ``parse`` the text, and accept it only within ``low``–``high``."""

    def convert(text: str) -> Any:
        try:
            value = parse(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{zh} / {en}: {text}")
        return value

    return convert


positive_int = _bounded(int, 1, math.inf, "应为正整数", "expected a whole number ≥ 1")  # counts
non_negative_int = _bounded(int, 0, math.inf, "应为非负整数", "expected a whole number ≥ 0")  # seeds, ids
share = _bounded(float, 0.0, 1.0, "应为 0 到 1 之间的比例", "expected a share from 0 to 1")
port = _bounded(int, 1, 65535, "端口应为 1–65535 的整数", "expected a port, a whole number 1–65535")


def category_count(text: str) -> tuple[str, int]:
    """``类别=人数`` (e.g. ``财务=1``): an expert category and how many of them a panel needs at least."""
    category, sep, count = text.partition("=")
    if not category.strip() or (sep and not count.strip().isdigit()):
        raise argparse.ArgumentTypeError(f"应写成 类别=人数，如 财务=1 / expected CATEGORY=COUNT, e.g. 财务=1: {text}")
    return category.strip(), int(count) if sep else 1
