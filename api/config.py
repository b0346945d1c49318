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

from corpora import CAMPAIGNS_DIR, DUPLICATES, KEYWORD_STOPWORDS, STOPWORDS, TAXONOMY_DIR, USERDICT
from models import DEFAULT_EMBED_MODEL, ROUTER

DEFAULT_CAMPAIGN = CAMPAIGNS_DIR / "liaoning-2023.yaml"
DEFAULT_DUPLICATES = DUPLICATES
#: ``../shared/data`` beside a checkout (benchmarks and data-backed tests); ``JIEBANG_DATA`` elsewhere.
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"


def _path(env: dict[str, str], name: str, default: Path) -> Path:
    value = env.get(name)
    return Path(value).expanduser() if value else default


#: The shortest ``JIEBANG_ADMIN_TOKEN`` accepted: it is an admin for anyone who guesses it.
MIN_ADMIN_TOKEN_CHARS = 32


def _admin_token(env: dict[str, str]) -> str | None:
    """``JIEBANG_ADMIN_TOKEN``, refused (a configuration error: the service does not start) when shorter
    than :data:`MIN_ADMIN_TOKEN_CHARS` — ``python -c "import secrets; print(secrets.token_urlsafe(32))"`` makes one."""
    from api.errors import ConfigError

    token = (env.get("JIEBANG_ADMIN_TOKEN") or "").strip() or None
    if token is not None and len(token) < MIN_ADMIN_TOKEN_CHARS:
        raise ConfigError(
            f"JIEBANG_ADMIN_TOKEN 太短（{len(token)} 个字符，至少 {MIN_ADMIN_TOKEN_CHARS} 个）：它是管理员令牌，请用随机生成的长字符串，"
            "如 python -c \"import secrets; print(secrets.token_urlsafe(32))\"",
            f"JIEBANG_ADMIN_TOKEN is too short ({len(token)} characters, at least {MIN_ADMIN_TOKEN_CHARS}): it is an "
            "admin token; use a long random one, e.g. python -c \"import secrets; print(secrets.token_urlsafe(32))\"",
            {"min_chars": MIN_ADMIN_TOKEN_CHARS}, code="admin_token_too_short")
    return token


def _megabytes(env: dict[str, str], name: str, default: float) -> int:
    return int(float(env.get(name) or default) * 1024 * 1024)


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
    keyword_stopwords: Path = KEYWORD_STOPWORDS  # form boilerplate that is never a keyword
    taxonomy_dir: Path = TAXONOMY_DIR  # technology-domain taxonomies and the office mapping
    domain_taxonomy: str = "high_tech_domains_2016"  # which taxonomy labels demands (a file stem in taxonomy_dir)
    router_model: Path = ROUTER  # the pre-trained office/domain routing model (a directory without one: zero-shot)
    office_threshold: float | None = None  # route without a human from this combined office probability
    # (None: the threshold the routing model chose on its training folds, see models/router/README.md)
    faiss_threads: int = 1  # per searching thread; one query is faster single-threaded on a busy machine
    max_body_bytes: int = 2 * 1024 * 1024  # a JSON request (one demand is a few KB)
    max_upload_bytes: int = 50 * 1024 * 1024  # an uploaded file (a round of 5,000 demands is ~10 MB of xlsx)
    max_text_chars: int = 20_000  # any one text value; the form's own limits (1,000 / 500 字) are rule findings
    public_read: bool = False  # anonymous GETs of masked lists (every other request needs a token)
    signing_key: Path | None = None  # the department's Ed25519 key for 推荐清单 QR codes (None: <home>/keys/…)
    lock_timeout_s: float = 10.0  # longest wait for another writer's lock before a 503 with Retry-After
    min_free_mb: float = 500.0  # /health says "degraded" (disk_state low) below this much free space in home
    check_process_rows: int = 500  # a file of this many new demands or more is checked in a child process (0: never)

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
            admin_token=_admin_token(env),
            log_level=env.get("JIEBANG_LOG_LEVEL", "INFO"),
            duplicates_file=_path(env, "JIEBANG_DUPLICATES", DEFAULT_DUPLICATES),
            taxonomy_dir=_path(env, "JIEBANG_TAXONOMY_DIR", TAXONOMY_DIR),
            domain_taxonomy=env.get("JIEBANG_DOMAIN_TAXONOMY") or "high_tech_domains_2016",
            router_model=_path(env, "JIEBANG_ROUTER_MODEL", ROUTER),
            office_threshold=float(env["JIEBANG_OFFICE_THRESHOLD"]) if env.get("JIEBANG_OFFICE_THRESHOLD") else None,
            faiss_threads=int(env.get("JIEBANG_FAISS_THREADS", "1") or 1),
            max_body_bytes=_megabytes(env, "JIEBANG_MAX_BODY_MB", 2),
            max_upload_bytes=_megabytes(env, "JIEBANG_MAX_UPLOAD_MB", 50),
            max_text_chars=int(env.get("JIEBANG_MAX_TEXT_CHARS") or 20_000),
            public_read=env.get("JIEBANG_PUBLIC_READ", "").strip().lower() in {"1", "true", "yes", "on"},
            signing_key=_path(env, "JIEBANG_SIGNING_KEY", Path()) if env.get("JIEBANG_SIGNING_KEY") else None,
            lock_timeout_s=float(env.get("JIEBANG_LOCK_TIMEOUT_S") or 10.0),
            min_free_mb=float(env.get("JIEBANG_MIN_FREE_MB") or 500.0),
            check_process_rows=int(env.get("JIEBANG_CHECK_PROCESS_ROWS") or 500),
            extra={k: v for k, v in env.items() if k.startswith("JIEBANG_")},
        )

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL: ``JIEBANG_DATABASE_URL`` or a SQLite file under ``home``."""
        return self.database_url or f"sqlite:///{(self.home / 'jiebang.db').as_posix()}"

    @property
    def signing_key_file(self) -> Path:
        """Where the department's list-signing key lives (created on first use, never committed)."""
        return self.signing_key or self.home / "keys" / "recommend-ed25519.pem"

    @property
    def scans_dir(self) -> Path:
        """Where uploaded scans of stamped 推荐清单 are kept (named by their SHA-256)."""
        return self.home / "scans"

    @property
    def validation_context(self) -> dict[str, int]:
        """What form validation needs from the settings (the hard cap on a text value)."""
        return {"max_text_chars": self.max_text_chars}

    def with_home(self, home: Path) -> "Settings":
        """A copy rooted at another home directory (tests, demo)."""
        return replace(self, home=home)

    def override(self, **changes: object) -> "Settings":
        """A copy with some fields replaced (command-line options over the environment)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
