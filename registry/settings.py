"""One typed Settings object, built from the environment once and passed in.

Nothing else in the project reads ``os.environ``: the CLI builds Settings and hands them
to the app, the migrations and the services, so tests can build their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Self

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./registry.db"
DEFAULT_SIGNING_KEY = Path("./registry-signing-key.pem")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(ValueError):
    """A setting in the environment cannot be used; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    environment: Environment = Environment.DEVELOPMENT
    # Relay connections never return more than this many edges per page.
    max_page_size: int = 100
    # GraphQL hardening: applied in every environment, stricter ones only in production.
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 2000
    max_body_bytes: int = 256 * 1024
    max_directives: int = 20
    # Seconds a GraphQL request may run before it is answered "unavailable".
    request_timeout_seconds: float = 30.0
    # Per token, in the notation of the `limits` library; storage "memory://" counts per
    # process, "redis://host:6379" across app servers (needs the redis package).
    rate_limit: str = "600/minute"
    rate_limit_storage: str = "memory://"
    parser_cache_size: int = 512
    # Seconds before a database connection attempt or a statement gives up.
    db_timeout_seconds: float = 10.0
    db_pool_size: int = 10
    echo_sql: bool = False
    # Researchers' statistics withhold counts from 1 to min_cell_size - 1.
    min_cell_size: int = 5
    # Ed25519 key that signs verification reports; generated on first use.
    signing_key_path: Path = DEFAULT_SIGNING_KEY
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_database(self, url: str) -> Self:
        return replace(self, database_url=url)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        env = os.environ if environ is None else environ
        raw_env = env.get("REGISTRY_ENV", Environment.DEVELOPMENT.value)
        try:
            environment = Environment(raw_env)
        except ValueError:
            allowed = ", ".join(e.value for e in Environment)
            raise SettingsError(f"REGISTRY_ENV={raw_env!r}: expected one of {allowed}") from None
        return cls(
            database_url=normalise_database_url(
                env.get("REGISTRY_DATABASE_URL", DEFAULT_DATABASE_URL)
            ),
            environment=environment,
            max_page_size=_int(env, "REGISTRY_MAX_PAGE_SIZE", cls.max_page_size),
            db_timeout_seconds=_float(env, "REGISTRY_DB_TIMEOUT", cls.db_timeout_seconds),
            request_timeout_seconds=_float(
                env, "REGISTRY_REQUEST_TIMEOUT", cls.request_timeout_seconds
            ),
            rate_limit=_rate(env, "REGISTRY_RATE_LIMIT", cls.rate_limit),
            rate_limit_storage=env.get("REGISTRY_RATE_LIMIT_STORAGE", cls.rate_limit_storage),
            db_pool_size=_int(env, "REGISTRY_DB_POOL_SIZE", cls.db_pool_size),
            echo_sql=env.get("REGISTRY_ECHO_SQL", "") == "1",
            min_cell_size=_int(env, "REGISTRY_MIN_CELL", cls.min_cell_size),
            signing_key_path=Path(env.get("REGISTRY_SIGNING_KEY", str(DEFAULT_SIGNING_KEY))),
        )


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (``postgresql://``) and pick the async driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a whole number") from None
    if value <= 0:
        raise SettingsError(f"{name}={raw!r}: must be positive")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a number of seconds") from None
    if value <= 0:
        raise SettingsError(f"{name}={raw!r}: must be positive")
    return value


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name)
    if raw is None:
        return default
    # Imported only to check a rate that is set: the rate limiter is the server's, and
    # commands such as map-titles that never serve should not pay a tenth of a second for it.
    import limits

    try:
        limits.parse(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a rate such as 600/minute") from None
    return raw
