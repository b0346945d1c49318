"""A progress bar for long work on a terminal (imports, checks), silent elsewhere."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


def progress(items: Sequence[T], enabled: bool, desc: str) -> Iterable[T]:
    """``items``, with a tqdm bar when ``enabled`` and stderr is a terminal."""
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="行/rows", leave=False, disable=None)  # None: only on a terminal
