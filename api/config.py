"""One configuration object, read from ``JIEBANG_*`` environment variables by the composition root.

Defaults work on a fresh machine: a SQLite file under ``var/``, the shipped model (package
``models``) and the shipped campaign and duplicate model (package ``corpora``) — found through
the installed packages, so a wheel works outside the checkout. Only :mod:`api.compose` calls
:meth:`Settings.from_env`; everything else receives a :class:`Settings`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpora import CAMPAIGNS_DIR, DUPLICATES, STOPWORDS, USERDICT
from models import DEFAULT_EMBED_MODEL

DEFAULT_CAMPAIGN = CAMPAIGNS_DIR / "liaoning-2023.yaml"
DEFAULT_DUPLICATES = DUPLICATES
#: ``../shared/data`` beside a checkout (benchmarks and data-backed tests); ``JIEBANG_DATA`` elsewhere.
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"


def _path(env: dict[str, str], name: str, default: Path) -> Path:
    value = env.get(name)
    return Path(value).expanduser() if value else default


@dataclass(frozen=True)
class Settings:
    """Service configuration; built by :func:`api.compose.load_settings`, never mutated."""

    home: Path = Path("var")
    database_url: str = ""
    data_dir: Path = DEFAULT_DATA_DIR
    embed_model: Path = DEFAULT_EMBED_MODEL
    campaign_file: Path = DEFAULT_CAMPAIGN
    admin_token: str | None = None
    log_level: str = "INFO"
    extra: dict[str, str] = field(default_factory=dict)
    duplicates_file: Path = DEFAULT_DUPLICATES  # calibrated duplicate model + thresholds
    userdict: Path = USERDICT  # jieba domain dictionary
    stopwords: Path = STOPWORDS
    faiss_threads: int = 1  # set once at start; one query is faster single-threaded on a busy machine

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        """Read settings from ``JIEBANG_*`` variables (``os.environ`` by default)."""
        env = dict(os.environ if env is None else env)
        return cls(
            home=_path(env, "JIEBANG_HOME", Path("var")),
            database_url=env.get("JIEBANG_DATABASE_URL", ""),
            data_dir=_path(env, "JIEBANG_DATA", DEFAULT_DATA_DIR),
            embed_model=_path(env, "JIEBANG_EMBED_MODEL", DEFAULT_EMBED_MODEL),
            campaign_file=_path(env, "JIEBANG_CAMPAIGN", DEFAULT_CAMPAIGN),
            admin_token=env.get("JIEBANG_ADMIN_TOKEN") or None,
            log_level=env.get("JIEBANG_LOG_LEVEL", "INFO"),
            duplicates_file=_path(env, "JIEBANG_DUPLICATES", DEFAULT_DUPLICATES),
            faiss_threads=int(env.get("JIEBANG_FAISS_THREADS", "1") or 1),
            extra={k: v for k, v in env.items() if k.startswith("JIEBANG_")},
        )

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL: ``JIEBANG_DATABASE_URL`` or a SQLite file under ``home``."""
        return self.database_url or f"sqlite:///{(self.home / 'jiebang.db').as_posix()}"

    def with_home(self, home: Path) -> "Settings":
        """A copy rooted at another home directory (tests, demo)."""
        return replace(self, home=home)

    def override(self, **changes: object) -> "Settings":
        """A copy with some fields replaced (command-line options over the environment)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
