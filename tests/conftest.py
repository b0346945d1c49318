"""Shared fixtures: a throw-away service home, the shared data folder (skip when absent), and one real
jieba tokenizer and embedder for the session (built once, as the composition root does)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from api.compose import load_settings
from api.config import Settings
from api.http.app import create_app
from nlp.embed import Embedder
from nlp.tokenize import Tokenizer
from tests.stores import PG_ENV, fresh_postgres
from tests.tokens import ADMIN_TOKEN


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings rooted in a fresh temporary home (own SQLite file), ignoring ``JIEBANG_*`` variables — or,
    when ``JIEBANG_TEST_DATABASE_URL`` names a PostgreSQL server, a fresh database of its own there
    (CI's second pass runs the storage, API, jobs and console suites so)."""
    base = load_settings({}).with_home(tmp_path / "home")
    if not os.environ.get(PG_ENV):
        yield base
        return
    with fresh_postgres() as url:
        yield replace(base, database_url=url)


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    """``settings`` with the admin token ``tests.tokens.ADMIN_TOKEN`` (header ``tests.tokens.ADMIN``)."""
    return replace(settings, admin_token=ADMIN_TOKEN)


@pytest.fixture
def client(app_settings: Settings):
    """The real app through its HTTP client, no credentials by default (a module may override it)."""
    from fastapi.testclient import TestClient

    with TestClient(create_app(app_settings)) as c:
        yield c


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

