"""Shared fixtures: a throw-away service home, and the shared data folder (skip when absent)."""
from __future__ import annotations

from pathlib import Path

import pytest

from api.config import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings rooted in a fresh temporary home (own SQLite file, own caches)."""
    return Settings.from_env({}).with_home(tmp_path / "home")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (or ``$JIEBANG_DATA``); tests that need it skip when it is absent."""
    path = Settings.from_env().data_dir
    if not (path / "README.md").exists():
        pytest.skip(f"shared data not found at {path} (set JIEBANG_DATA); needed for this test")
    return path
