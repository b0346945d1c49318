"""Shared fixtures: a throw-away service home, the shared data folder (skip when absent), and one real
jieba tokenizer and embedder for the session (built once, as the composition root does)."""
from __future__ import annotations

from pathlib import Path

import pytest

from api.compose import load_settings
from api.config import Settings
from nlp.embed import Embedder
from nlp.tokenize import Tokenizer


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings rooted in a fresh temporary home (own SQLite file), ignoring ``JIEBANG_*`` variables."""
    return load_settings({}).with_home(tmp_path / "home")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (or ``$JIEBANG_DATA``); tests that need it skip when it is absent."""
    path = load_settings().data_dir
    if not (path / "README.md").exists():
        pytest.skip(f"shared data not found at {path} (set JIEBANG_DATA); needed for this test")
    return path


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    """jieba with the shipped domain dictionary and stopwords."""
    return Tokenizer()


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The shipped embedding model (``JIEBANG_EMBED_MODEL`` when set)."""
    return Embedder(load_settings().embed_model)

