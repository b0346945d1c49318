"""The CLI as a user runs it, quietly, in a given home; and a CSV file as Python's csv module writes it."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from api.cli import main


def jiebang(home: Path, *args: str) -> int:
    """``jiebang --home HOME -q ARGS…``: its exit code."""
    return main(["--home", str(home), "-q", *args])


def csv_bytes(rows: list[list[str]]) -> bytes:
    """``rows`` written by :func:`csv.writer` (RFC 4180 quoting), UTF-8."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")
