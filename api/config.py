"""One configuration object, read from ``JIEBANG_*`` environment variables.

Defaults work on a fresh machine: a SQLite file under ``var/``, the shipped model in
``models/`` and the shipped campaign and corpora in ``corpora/``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPORA_DIR = REPO_ROOT / "corpora"
MODELS_DIR = REPO_ROOT / "models"
DEFAULT_EMBED_MODEL = MODELS_DIR / "jiebang-static-zh"
DEFAULT_CAMPAIGN = CORPORA_DIR / "campaigns" / "liaoning-2023.yaml"
DEFAULT_DUPLICATES = CORPORA_DIR / "duplicates.yaml"
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"


def _path(env: dict[str, str], name: str, default: Path) -> Path:
    value = env.get(name)
    return Path(value).expanduser() if value else default


@dataclass(frozen=True)
class Settings:
    """Service configuration; build it with :meth:`from_env`, never mutate it."""

    home: Path = Path("var")
    database_url: str = ""
    data_dir: Path = DEFAULT_DATA_DIR
    embed_model: Path = DEFAULT_EMBED_MODEL
    campaign_file: Path = DEFAULT_CAMPAIGN
    admin_token: str | None = None
    log_level: str = "INFO"
    extra: dict[str, str] = field(default_factory=dict)
    duplicates_file: Path = DEFAULT_DUPLICATES  # calibrated duplicate model + thresholds

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        """Read settings from ``JIEBANG_*`` variables (``os.environ`` by default)."""
        env = dict(os.environ if env is None else env)
        home = _path(env, "JIEBANG_HOME", Path("var"))
        settings = cls(
            home=home,
            database_url=env.get("JIEBANG_DATABASE_URL", ""),
            data_dir=_path(env, "JIEBANG_DATA", DEFAULT_DATA_DIR),
            embed_model=_path(env, "JIEBANG_EMBED_MODEL", DEFAULT_EMBED_MODEL),
            campaign_file=_path(env, "JIEBANG_CAMPAIGN", DEFAULT_CAMPAIGN),
            admin_token=env.get("JIEBANG_ADMIN_TOKEN") or None,
            log_level=env.get("JIEBANG_LOG_LEVEL", "INFO"),
            duplicates_file=_path(env, "JIEBANG_DUPLICATES", DEFAULT_DUPLICATES),
            extra={k: v for k, v in env.items() if k.startswith("JIEBANG_")},
        )
        return settings

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL: ``JIEBANG_DATABASE_URL`` or a SQLite file under ``home``."""
        return self.database_url or f"sqlite:///{(self.home / 'jiebang.db').as_posix()}"

    @property
    def cache_dir(self) -> Path:
        """Where embeddings and other derived artefacts are cached."""
        return self.home / "cache"

    def with_home(self, home: Path) -> "Settings":
        """A copy rooted at another home directory (tests, demo)."""
        return replace(self, home=home)
